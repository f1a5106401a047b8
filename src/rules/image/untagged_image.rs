use crate::declare_rule;
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags a `FROM` whose image has neither a tag nor a digest (`FROM ubuntu`).
    ///
    /// ## Why is this bad?
    /// Without a tag, `latest` is pulled: whatever it points to on the day of the build. The
    /// same Dockerfile builds different images over time, and a major upgrade can arrive
    /// unannounced. `scratch`, earlier stages and images named through an ARG are not flagged.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// ```
    ///
    /// ## Differences from hadolint
    /// An image named through an `ARG` is judged by its value: `FROM stage_${env}` naming an
    /// earlier stage is not flagged, nor is a reference whose tag or digest comes from a
    /// variable with no value in the file (`busybox${TARGETARCH:+@sha256:…}`). hadolint reads
    /// the text only and flags both.
    ///
    /// ## Fix safety
    /// No fix: only the author knows which version the image was written for.
    pub struct UntaggedImage {
        code: "DL3006",
        name: "untagged-image",
        family: Image,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3006")],
    }
}

impl Check for UntaggedImage {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for stage in &ctx.model.stages {
            let Some(base) = &stage.base else { continue };
            let Some(image) = &base.resolved else {
                continue;
            };
            if base.raw.contains('$') || image.is_scratch() {
                continue;
            }
            if image.tag.is_none() && image.digest.is_none() {
                out.push(Violation::new(
                    base.span.clone(),
                    format!(
                        "Always tag the version of an image explicitly: `{}` pulls `latest`",
                        base.raw
                    ),
                ));
            }
        }
    }
}
