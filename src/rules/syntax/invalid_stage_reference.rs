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
    /// | stages that copy or mount from each other in a cycle (`a` copies from `b`, `b` from `a`; a mount from its own stage) | `circular dependency detected on stage: a` |
    ///
    /// `COPY --from` naming its own stage is DL3023's (BuildKit reports it as a circular
    /// dependency); an instruction other than `ARG` before the first `FROM` is DL3061's.
    /// BuildKit checks for cycles in every stage before it builds any, so a reference that
    /// closes a cycle gets the cycle's message rather than the "defined before" one.
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
        let edges = stage_edges(ctx, stages);
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
                    let message = match cycle_stage(&edges, current, target.index) {
                        Some(stage) => circular(stages, stage),
                        None => format!(
                            "cannot copy from stage {from:?}, it needs to be defined before \
                             current stage {current_name:?}"
                        ),
                    };
                    out.push(Violation::new(span, message));
                }
            } else if instr.keyword == Keyword::Run {
                for mount in ctx.model.mounts(index) {
                    let Some(from) = mount.from.as_deref() else {
                        continue;
                    };
                    if from.contains('$') {
                        continue;
                    }
                    let Some(source) = by_name(stages, from).filter(|s| s.index >= current) else {
                        continue;
                    };
                    let target = mount.target.as_deref().unwrap_or_default();
                    let message = match cycle_stage(&edges, current, source.index) {
                        Some(stage) => circular(stages, stage),
                        None => format!(
                            "cannot mount from stage {from:?} to {target:?}, stage needs to be \
                             defined before current command"
                        ),
                    };
                    out.push(Violation::new(mount.span.clone(), message));
                }
            }
        }
    }
}

/// For each stage, the stages its `COPY --from` and `RUN --mount=from=` name (literally,
/// by name or index): BuildKit's dependency graph, which it checks for cycles.
fn stage_edges(ctx: &Context<'_>, stages: &[Stage]) -> Vec<Vec<usize>> {
    let mut edges = vec![Vec::new(); stages.len()];
    for (index, instr) in parsed_instructions(ctx) {
        let Some(current) = ctx.model.stage_of(index) else {
            continue;
        };
        let mut names: Vec<&str> = Vec::new();
        if instr.keyword == Keyword::Copy {
            names.extend(instr.flag("from").and_then(|f| f.value.as_deref()));
        } else if instr.keyword == Keyword::Run {
            names.extend(
                ctx.model
                    .mounts(index)
                    .iter()
                    .filter_map(|m| m.from.as_deref()),
            );
        }
        for name in names.into_iter().filter(|n| !n.contains('$')) {
            let target = match go_atoi(name) {
                Some(n) => usize::try_from(n).ok().filter(|&n| n < stages.len()),
                None => by_name(stages, name).map(|s| s.index),
            };
            edges[current].extend(target);
        }
    }
    edges
}

/// When the reference from stage `from` to stage `to` closes a cycle, the stage BuildKit
/// names: the first stage, in file order, from which its search reaches a cycle.
fn cycle_stage(edges: &[Vec<usize>], from: usize, to: usize) -> Option<usize> {
    let reaches = |start: usize, goal: usize| {
        let mut seen = vec![false; edges.len()];
        let mut todo = vec![start];
        while let Some(stage) = todo.pop() {
            if stage == goal {
                return true;
            }
            if !std::mem::replace(&mut seen[stage], true) {
                todo.extend(&edges[stage]);
            }
        }
        false
    };
    if !reaches(to, from) {
        return None;
    }
    (0..edges.len()).find(|&stage| reaches(stage, from))
}

fn circular(stages: &[Stage], stage: usize) -> String {
    let name = stages[stage].name.clone().unwrap_or_default();
    format!(
        "circular dependency detected on stage: {name}; the stages copy or mount from each \
         other, so none can be built first"
    )
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
