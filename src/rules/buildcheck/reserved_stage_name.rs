use crate::declare_rule;
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags a stage named `scratch` or `context`, the names BuildKit reserves (`FROM
    /// scratch` is the empty image; `context` is the build context in `COPY --from` and
    /// named contexts). Docker's build check `ReservedStageName`
    /// (<https://docs.docker.com/go/dockerfile/rule/reserved-stage-name/>).
    ///
    /// Off by default: `DL3063` (`reserved-stage-name`) reports the same thing and is on by
    /// default. Select this rule to get Docker's name and message.
    ///
    /// ## Why is this bad?
    /// A reference to the stage is ambiguous with the reserved meaning, and BuildKit may
    /// resolve it to the reserved one.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20 AS scratch
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20 AS base
    /// ```
    ///
    /// ## Fix safety
    /// No fix: a new name is the author's choice.
    pub struct ReservedStageName {
        code: "BK006",
        name: "reserved-stage-name",
        family: BuildCheck,
        severity: Warning,
        fix: None,
        default_enabled: false,
        sources: [Source::BuildKit("ReservedStageName")],
    }
}

impl Check for ReservedStageName {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for stage in &ctx.model.stages {
            let (Some(name), Some(span)) = (&stage.name, &stage.name_span) else {
                continue;
            };
            if name == "scratch" || name == "context" {
                out.push(Violation::new(
                    span.clone(),
                    format!("Stage name should not use the same name as reserved stage {name:?}"),
                ));
            }
        }
    }
}
