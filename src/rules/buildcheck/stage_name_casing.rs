use crate::declare_rule;
use crate::fix::{Edit, Fix};
use crate::rules::{Check, Context, Source, Violation};
use crate::semantic::{EdgeKind, Stage};
use crate::syntax::Span;

declare_rule! {
    /// ## What it does
    /// Flags a stage name (`FROM … AS name`) that is not all lower case. Docker's build
    /// check `StageNameCasing`
    /// (<https://docs.docker.com/go/dockerfile/rule/stage-name-casing/>).
    ///
    /// ## Why is this bad?
    /// Stage names are matched case-insensitively, so `Builder` and `builder` are the same
    /// stage; mixed case suggests a distinction that does not exist and reads differently
    /// from the `--from=` and `--target` that refer to it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS Builder
    /// FROM alpine:3.20
    /// COPY --from=Builder /app /app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.23 AS builder
    /// FROM alpine:3.20
    /// COPY --from=builder /app /app
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe. The fix lower-cases the name where it is defined and everywhere this file
    /// refers to it (`FROM`, `COPY --from`, `RUN --mount=from=`); a `--target` on a command
    /// line or in a CI file is case-insensitive too, but scripts that compare stage names
    /// as text would see the change. No fix when a reference goes through a variable.
    pub struct StageNameCasing {
        code: "BK001",
        name: "stage-name-casing",
        family: BuildCheck,
        severity: Warning,
        fix: Sometimes,
        sources: [Source::BuildKit("StageNameCasing")],
    }
}

/// Spans of every reference to `stage` in the file, or `None` if one is not literal.
fn reference_spans(ctx: &Context<'_>, stage: &Stage) -> Option<Vec<Span>> {
    let instructions = ctx.instructions();
    let lower = stage.name.as_deref()?;
    let mut spans = Vec::new();
    for later in &ctx.model.stages {
        if later.parent == Some(stage.index) {
            let arg = instructions.get(later.from_instruction)?.args.first()?;
            if !arg.value.eq_ignore_ascii_case(lower) {
                return None;
            }
            spans.push(arg.span.clone());
        }
    }
    for edge in ctx.model.edges.iter().filter(|e| e.from == stage.index) {
        let instr = instructions.get(edge.instruction)?;
        match edge.kind {
            EdgeKind::From => {}
            EdgeKind::Copy => {
                let flag = instr.flag("from")?;
                let span = flag.value_span.clone()?;
                if !ctx.source().get(span.clone())?.eq_ignore_ascii_case(lower) {
                    return None;
                }
                spans.push(span);
            }
            EdgeKind::Mount => {
                for flag in instr.flags.iter().filter(|f| f.name == "mount") {
                    let text = ctx.source().get(flag.span.clone())?;
                    for (at, _) in text.match_indices("from=") {
                        let start = at + "from=".len();
                        let end = text[start..]
                            .find([',', ' ', '"', '\n'])
                            .map_or(text.len(), |e| start + e);
                        if text[start..end].eq_ignore_ascii_case(lower) {
                            spans.push(flag.span.start + start..flag.span.start + end);
                        }
                    }
                }
            }
        }
    }
    Some(spans)
}

impl Check for StageNameCasing {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for stage in &ctx.model.stages {
            let Some(span) = stage.name_span.clone() else {
                continue;
            };
            let written = &ctx.source()[span.clone()];
            // A name with a variable is not a valid stage name at all; BuildKit rejects it.
            if written == written.to_lowercase() || written.contains('$') {
                continue;
            }
            let mut violation = Violation::new(
                span.clone(),
                format!("Stage name '{written}' should be lowercase"),
            );
            if let Some(references) = reference_spans(ctx, stage) {
                let mut edits = vec![Edit::replace(span, written.to_lowercase())];
                edits.extend(references.into_iter().map(|s| {
                    let text = ctx.source()[s.clone()].to_lowercase();
                    Edit::replace(s, text)
                }));
                edits.sort_by_key(|e| e.range.start);
                edits.dedup_by_key(|e| e.range.start);
                violation = violation.with_fix(Fix::unsafe_edit(
                    format!("Rename the stage `{}` everywhere", written.to_lowercase()),
                    edits,
                ));
            }
            out.push(violation);
        }
    }
}
