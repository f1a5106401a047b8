use crate::declare_rule;
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags a `FROM` that uses the `latest` tag without a digest.
    ///
    /// ## Why is this bad?
    /// `latest` moves: builds are not reproducible, and a new major version can break the
    /// image without any change to the Dockerfile. Pin a version tag (or a digest).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:latest
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22-slim
    /// ```
    ///
    /// ## Differences from hadolint
    /// dlint expands `ARG`s with a default value: `ARG VERSION=latest` then
    /// `FROM ${NAMESPACE}/base:${VERSION}` is flagged, as the build uses `latest` unless told
    /// otherwise. hadolint reads the text only and does not flag it.
    ///
    /// ## Fix safety
    /// No fix: only the author knows which version the image was written for.
    pub struct LatestTag {
        code: "DL3007",
        name: "latest-tag",
        family: Image,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3007")],
    }
}

impl Check for LatestTag {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for stage in &ctx.model.stages {
            let Some(base) = &stage.base else { continue };
            let Some(image) = &base.resolved else {
                continue;
            };
            if image.tag.as_deref() == Some("latest") && image.digest.is_none() {
                out.push(Violation::new(
                    base.span.clone(),
                    format!(
                        "Using `latest` is prone to errors: pin a version of `{}`",
                        image.repository
                    ),
                ));
            }
        }
    }
}
