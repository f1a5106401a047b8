use crate::declare_rule;
use crate::rules::stage::common::{stage_label, stage_span};
use crate::rules::{Check, Context, Violation};

declare_rule! {
    /// ## What it does
    /// Flags a stage that the target stage (the last one, or the one `--target` names) does not
    /// use: nothing reaches it through `FROM`, `COPY --from` or `RUN --mount=from`.
    ///
    /// ## Why is this bad?
    /// BuildKit builds only the stages the target needs, so an unused stage is not built by
    /// default: its `RUN`s are never tested, and it rots. Often that is intended (a `test` or
    /// `dev` stage built with `docker build --target test`); then nothing is wrong, and the
    /// note just confirms it is a `--target` candidate. Otherwise it is dead code, or a
    /// `COPY --from` that should name it is missing. An unnamed unused stage cannot even be
    /// selected with `--target`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /app .
    ///
    /// FROM golang:1.23 AS lint
    /// RUN go vet ./...
    ///
    /// FROM gcr.io/distroless/static-debian13
    /// COPY --from=build /app /app
    /// ```
    ///
    /// Use instead: build the `lint` stage explicitly (`docker build --target lint .`) in CI, or
    /// remove it.
    ///
    /// ## Fix safety
    /// No fix: whether the stage is a deliberate `--target` or dead code is the author's call.
    pub struct UnusedStage {
        code: "STG003",
        name: "unused-stage",
        family: Stage,
        severity: Info,
        fix: None,
    }
}

impl Check for UnusedStage {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let model = ctx.model;
        let Some(runtime) = model.runtime else { return };
        if model.stages.len() < 2 {
            return;
        }
        let target = stage_label(&model.stages[runtime]);
        for stage in model.stages.iter().filter(|s| !s.reachable) {
            let advice = if stage.name.is_some() {
                "it is not built by default (a `--target` candidate)"
            } else {
                "it is not built by default and, unnamed, cannot be picked with `--target`"
            };
            out.push(Violation::new(
                stage_span(ctx, stage),
                format!(
                    "{} is not used by the target ({target}): {advice}",
                    stage_label(stage)
                ),
            ));
        }
    }
}
