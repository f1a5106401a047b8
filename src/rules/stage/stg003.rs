use crate::declare_rule;
use crate::rules::stage::common::{copy_from, stage_label, stage_span};
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
    /// selected with `--target`. `COPY --from=${ARG}` is followed with the ARG's value; when
    /// the value is unknown, any stage may be the one meant, and the rule says nothing.
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
        // `COPY --from=$UNKNOWN` may name any stage: nothing can be called unused.
        let unknown_reference = (0..ctx.instructions().len()).any(|i| {
            matches!(copy_from(ctx, i), Some(Err(_)))
                || model
                    .mounts(i)
                    .iter()
                    .any(|m| m.from.as_deref().is_some_and(|f| f.contains('$')))
        });
        if unknown_reference {
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
