use crate::declare_rule;
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags a stage named `scratch` or `context`.
    ///
    /// ## Why is this bad?
    /// Both names mean something else to BuildKit: `FROM scratch` is the empty image and
    /// `context` names the build context in `COPY --from` and `RUN --mount=from=`. A stage
    /// with such a name is confusing at best, and later references may not reach it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS scratch
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// ```
    ///
    /// ## Fix safety
    /// No fix: renaming a stage means renaming every reference to it, possibly outside the
    /// file (`--target`).
    pub struct ReservedStageName {
        code: "DL3063",
        name: "reserved-stage-name",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3063")],
    }
}

impl Check for ReservedStageName {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for stage in &ctx.model.stages {
            let (Some(name), Some(span)) = (&stage.name, &stage.name_span) else {
                continue;
            };
            if matches!(name.as_str(), "scratch" | "context") {
                out.push(Violation::new(
                    span.clone(),
                    format!("Stage name `{name}` is a reserved word"),
                ));
            }
        }
    }
}
