use super::reject::parsed_instructions;
use crate::declare_rule;
use crate::rules::{Check, Context, Violation};
use crate::semantic::{expand, Lookup, Stage};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Reports a reference to a stage BuildKit cannot follow. The classes, with BuildKit's
    /// messages:
    ///
    /// | Class | BuildKit's message |
    /// |---|---|
    /// | a variable in `COPY --from` | `variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround` |
    /// | `COPY --from=N` with no stage N | `invalid stage index 5` |
    /// | `COPY --from` naming a stage defined further down | `cannot copy from stage "app", it needs to be defined before current stage "build"` |
    /// | `RUN --mount=from=` naming a stage defined further down (or the current one) | `cannot mount from stage "deps" to "/deps", stage needs to be defined before current command` |
    /// | a file of `ARG`s and no `FROM` | `dockerfile contains no stages to build` |
    ///
    /// `COPY --from` naming its own stage is DL3023's; an instruction other than `ARG`
    /// before the first `FROM` is DL3061's.
    ///
    /// ## Why is this bad?
    /// BuildKit builds stages in order and never expands `--from`: `docker build` fails.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG BUILDER=build
    /// FROM golang:1.22 AS build
    /// RUN go build -o /app .
    /// FROM gcr.io/distroless/static-debian12
    /// COPY --from=$BUILDER /app /app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.22 AS build
    /// RUN go build -o /app .
    /// FROM gcr.io/distroless/static-debian12
    /// COPY --from=build /app /app
    /// ```
    ///
    /// ## Differences from BuildKit
    /// BuildKit follows references only from the stages the target needs; dlint checks every
    /// stage, since another `--target` builds the others.
    ///
    /// ## Fix safety
    /// No fix: moving stages or naming a new one is for the author to do.
    pub struct InvalidStageReference {
        code: "REJ006",
        name: "invalid-stage-reference",
        family: Syntax,
        severity: Error,
        fix: None,
    }
}

impl Check for InvalidStageReference {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let stages = &ctx.model.stages;
        if stages.is_empty() {
            // Anything but ARG before the first FROM is DL3061's ("no build stage in current
            // context"); a file of ARGs alone parses and then has nothing to build.
            let only_args = ctx.instructions().iter().all(|i| i.keyword == Keyword::Arg);
            if let Some(first) = ctx.instructions().first().filter(|_| only_args) {
                out.push(Violation::new(
                    first.keyword_span.clone(),
                    "dockerfile contains no stages to build; start one with FROM",
                ));
            }
            return;
        }
        let escape = ctx.tree().escape;
        for (index, instr) in parsed_instructions(ctx) {
            let Some(current) = ctx.model.stage_of(index) else {
                continue;
            };
            let current_name = stages[current].name.clone().unwrap_or_default();
            if instr.keyword == Keyword::Copy {
                let Some(flag) = instr.flag("from") else {
                    continue;
                };
                let Some(from) = flag.value.as_deref().filter(|v| !v.is_empty()) else {
                    continue;
                };
                let span = flag.value_span.clone().unwrap_or_else(|| flag.span.clone());
                let unset = |_: &str| Lookup::Unset;
                match expand(from, escape, &unset) {
                    Err(error) => {
                        out.push(Violation::new(span, error.0));
                        continue;
                    }
                    Ok(e) if !e.holes.is_empty() || e.text != from => {
                        out.push(Violation::new(
                            span,
                            "variable expansion is not supported for --from, define a new stage \
                             with FROM using ARG from global scope as a workaround",
                        ));
                        continue;
                    }
                    Ok(_) => {}
                }
                let target = match go_atoi(from) {
                    Some(n) => {
                        let Some(stage) = usize::try_from(n).ok().and_then(|n| stages.get(n))
                        else {
                            out.push(Violation::new(
                                span,
                                format!(
                                    "invalid stage index {n}; the file has {} stages, counted \
                                     from 0",
                                    stages.len()
                                ),
                            ));
                            continue;
                        };
                        stage
                    }
                    None => match by_name(stages, from) {
                        Some(stage) => stage,
                        None => continue,
                    },
                };
                if target.index > current {
                    out.push(Violation::new(
                        span,
                        format!(
                            "cannot copy from stage {from:?}, it needs to be defined before \
                             current stage {current_name:?}"
                        ),
                    ));
                }
            } else if instr.keyword == Keyword::Run {
                for mount in ctx.model.mounts(index) {
                    let Some(from) = mount.from.as_deref() else {
                        continue;
                    };
                    if from.contains('$') {
                        continue;
                    }
                    if by_name(stages, from).is_some_and(|s| s.index >= current) {
                        let target = mount.target.as_deref().unwrap_or_default();
                        out.push(Violation::new(
                            mount.span.clone(),
                            format!(
                                "cannot mount from stage {from:?} to {target:?}, stage needs to \
                                 be defined before current command"
                            ),
                        ));
                    }
                }
            }
        }
    }
}

/// The stage BuildKit finds by name: names match case-insensitively and, when two stages
/// share a name, the last one wins.
fn by_name<'a>(stages: &'a [Stage], name: &str) -> Option<&'a Stage> {
    let lower = name.to_lowercase();
    stages
        .iter()
        .rev()
        .find(|s| s.name.as_deref() == Some(lower.as_str()))
}

/// Go's `strconv.Atoi`: an optional sign and decimal digits.
fn go_atoi(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}
