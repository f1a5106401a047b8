use crate::declare_rule;
use crate::rules::stage::common::{copy_from, named_stage};
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags a `COPY --from` that names the stage it is in (by name or index).
    ///
    /// ## Why is this bad?
    /// A stage cannot copy from itself: its filesystem is being built. BuildKit treats the
    /// name as an image reference instead, so the build fails pulling an image of that name
    /// or copies from an unrelated one. Usually the `COPY` belongs to the next stage, or the
    /// stage name is a copy-paste leftover.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22 AS build
    /// COPY --from=build /app/dist /dist
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22 AS build
    /// RUN npm run build
    ///
    /// FROM nginx:1.27
    /// COPY --from=build /app/dist /usr/share/nginx/html
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows which stage was meant.
    pub struct CopyFromOwnStage {
        code: "DL3023",
        name: "copy-from-own-stage",
        family: Stage,
        severity: Error,
        fix: None,
        sources: [Source::Hadolint("DL3023")],
    }
}

impl Check for CopyFromOwnStage {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for (index, instr) in ctx.instructions().iter().enumerate() {
            if instr.keyword != Keyword::Copy {
                continue;
            }
            let Some(Ok(reference)) = copy_from(ctx, index) else {
                continue;
            };
            let Some(current) = ctx.model.stage_of(index) else {
                continue;
            };
            // Duplicate names resolve to the first stage; the current stage may be a later one
            // with the same name, which copies from itself just the same.
            let own = named_stage(&ctx.model.stages, &reference)
                .is_some_and(|s| s.index == current)
                || ctx.model.stages[current].name.as_deref() == Some(&reference.to_lowercase());
            if !own {
                continue;
            }
            let Some(flag) = instr.flag("from") else {
                continue;
            };
            out.push(Violation::new(
                flag.value_span.clone().unwrap_or_else(|| flag.span.clone()),
                format!("`COPY --from={reference}` cannot reference its own `FROM` alias"),
            ));
        }
    }
}
