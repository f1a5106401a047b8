use crate::declare_rule;
use crate::rules::stage::common::{copy_from, named_stage, stage_label};
use crate::rules::{Check, Context, Source, Violation};
use crate::semantic::ImageRef;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags a `COPY --from=NAME` where `NAME` is not the name (or index) of an earlier stage:
    /// a typo, a stage defined later in the file, or an image reference.
    ///
    /// ## Why is this bad?
    /// A misspelt stage name is not an error to BuildKit: a name that matches no stage is
    /// pulled as an image (`COPY --from=biuld` tries `docker.io/library/biuld:latest`), so the
    /// build fails late with a confusing pull error, or copies from an unrelated image. A
    /// stage defined after the `COPY` works with BuildKit, but reads out of order.
    ///
    /// An image reference with a tag or a digest (`COPY --from=nginx:1.27 …`) is not flagged:
    /// no stage name has a `:`, so it cannot be a misspelt stage, and copying a binary out of
    /// a published image is a common, efficient pattern. Like hadolint, the rule does fire on
    /// an untagged image (`COPY --from=nginx`, which also means `:latest`) and on named build
    /// contexts (`docker build --build-context tools=…`); the message says when the name
    /// looks like an image. Silence such a line with `# hadolint ignore=DL3022` above it.
    /// References that use an ARG with no known value are not flagged.
    ///
    /// ## Differences from hadolint
    /// - Stage names are compared case-insensitively, as BuildKit does: `COPY --from=Build`
    ///   after `FROM … AS build` is not flagged (hadolint compares them exactly).
    /// - A stage index (`--from=0`) of an earlier stage is accepted, as by hadolint; an ARG in
    ///   the reference is expanded when the file gives it a value, so `--from=$SRC` naming an
    ///   earlier stage is accepted (hadolint flags every reference with a variable).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /app .
    /// FROM gcr.io/distroless/static-debian13
    /// COPY --from=biuld /app /app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /app .
    /// FROM gcr.io/distroless/static-debian13
    /// COPY --from=build /app /app
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows which stage or image was meant.
    pub struct CopyFromUnknownStage {
        code: "DL3022",
        name: "copy-from-unknown-stage",
        family: Stage,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3022")],
    }
}

impl Check for CopyFromUnknownStage {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for (index, instr) in ctx.instructions().iter().enumerate() {
            if instr.keyword != Keyword::Copy {
                continue;
            }
            let Some(Ok(reference)) = copy_from(ctx, index) else {
                continue;
            };
            // A tag or a digest: an image, never a stage name (hadolint skips these too).
            if reference.is_empty() || reference.contains(':') {
                continue;
            }
            let Some(current) = ctx.model.stage_of(index) else {
                continue;
            };
            let stages = &ctx.model.stages;
            let target = named_stage(stages, &reference);
            if target.is_some_and(|s| s.index < current) {
                continue;
            }
            // Copying from the stage itself is DL3023's finding.
            if target.is_some_and(|s| s.index == current) {
                continue;
            }
            let Some(flag) = instr.flag("from") else {
                continue;
            };
            let span = flag.value_span.clone().unwrap_or_else(|| flag.span.clone());
            let detail = match target {
                Some(stage) => format!(
                    "{} is defined later in the file (line {})",
                    stage_label(stage),
                    ctx.instructions()[stage.from_instruction].start_line
                ),
                None if looks_like_image(ctx, &reference) => format!(
                    "`{reference}` names an image, not a stage: fine if intended \
                     (silence with `# hadolint ignore=DL3022`)"
                ),
                None => format!(
                    "no earlier stage is named `{reference}`: BuildKit will pull it as an \
                     image (or use a named build context)"
                ),
            };
            out.push(Violation::new(
                span,
                format!(
                    "`COPY --from` should reference a previously defined `FROM` alias: {detail}"
                ),
            ));
        }
    }
}

/// A reference with a registry, a path, a tag or a digest, or one the knowledge base knows
/// (`alpine`), is an image, not a stage typo.
fn looks_like_image(ctx: &Context<'_>, reference: &str) -> bool {
    let Some(image) = ImageRef::parse(reference) else {
        return false;
    };
    (reference.contains([':', '/', '@']) && !image.repository.is_empty())
        || ctx
            .knowledge()
            .classify(&image.repository, image.tag.as_deref())
            .is_some()
}
