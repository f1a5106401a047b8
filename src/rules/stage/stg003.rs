use crate::declare_rule;
use crate::rules::stage::common::{copy_from, stage_label, stage_span};
use crate::rules::{Check, Context, Violation};

declare_rule! {
    /// ## What it does
    /// Flags a stage that nothing can build: no stage uses it (through `FROM`, `COPY --from`
    /// or `RUN --mount=from`) on any platform, and it has no name, so `--target` cannot pick
    /// it either.
    ///
    /// ## Why is this bad?
    /// BuildKit builds only the stages the target needs. An unnamed stage that no stage uses
    /// is never built: its `RUN`s are never tested, and it rots. It is dead code, or a
    /// `COPY --from` that should name it is missing.
    ///
    /// A *named* stage that the default target does not use is left alone: it is a `--target`
    /// (`test`, `lint`, `binaries`, a bake target), which is how multi-target Dockerfiles are
    /// meant to be built. Stages a named stage uses are left alone for the same reason.
    ///
    /// BuildKit's automatic platform ARGs (`TARGETOS`, `TARGETARCH`, `TARGETVARIANT`,
    /// `TARGETPLATFORM`, `BUILDPLATFORM`, `BUILDOS`, `BUILDARCH`, …) differ per platform: a
    /// stage counts as used when *any* platform uses it. `FROM base-${TARGETARCH}` with stages
    /// `base-amd64` and `base-arm64` uses both; `COPY --from=binaries-$TARGETOS` uses every
    /// stage whose name fits. Any other variable whose value is unknown is read the same way,
    /// and a reference that could name any stage (`COPY --from=$STAGE`) silences the rule for
    /// the file.
    ///
    /// Off by default: its precision on hand-judged real files is below dlint's 90 % bar
    /// (see `docs/precision.md`); enable it with `--select STG003`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23
    /// RUN go vet ./...
    ///
    /// FROM golang:1.23 AS build
    /// RUN go build -o /app .
    ///
    /// FROM gcr.io/distroless/static-debian13
    /// COPY --from=build /app /app
    /// ```
    ///
    /// Use instead: name the first stage (`AS lint`) and build it with
    /// `docker build --target lint .` in CI, or remove it.
    ///
    /// ## Fix safety
    /// No fix: whether the stage is dead code or meant to be built is the author's call.
    pub struct UnusedStage {
        code: "STG003",
        name: "unused-stage",
        family: Stage,
        severity: Info,
        fix: None,
        default_enabled: false,
    }
}

impl Check for UnusedStage {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let model = ctx.model;
        let Some(runtime) = model.runtime else { return };
        let count = model.stages.len();
        if count < 2 {
            return;
        }
        let names: Vec<Option<&str>> = model.stages.iter().map(|s| s.name.as_deref()).collect();
        // Per stage, the stages it uses on some platform: the model's edges plus references
        // whose variables are unknown, matched against the stage names.
        let mut uses: Vec<Vec<usize>> = (0..count)
            .map(|stage| model.dependencies(stage).to_vec())
            .collect();
        for stage in &model.stages {
            let Some(base) = stage.base.as_ref().filter(|_| stage.parent.is_none()) else {
                continue;
            };
            if base.resolved.is_none() && base.raw.contains('$') {
                uses[stage.index].extend(stages_matching(&base.raw, &names));
            }
        }
        for index in 0..ctx.instructions().len() {
            let Some(stage) = model.stage_of(index) else {
                continue;
            };
            let mut unknown: Vec<String> = model
                .mounts(index)
                .iter()
                .filter_map(|m| m.from.clone())
                .filter(|from| from.contains('$'))
                .collect();
            if let Some(Err(raw)) = copy_from(ctx, index) {
                unknown.push(raw);
            }
            for reference in unknown {
                let matched = stages_matching(&reference, &names);
                if matched.is_empty() {
                    // `--from=$STAGE`: any stage may be the one meant.
                    return;
                }
                uses[stage].extend(matched);
            }
        }
        // Everything the target or a named stage (a `--target` candidate) needs.
        let mut used = vec![false; count];
        let mut stack: Vec<usize> = std::iter::once(runtime)
            .chain((0..count).filter(|&s| names[s].is_some()))
            .collect();
        for &s in &stack {
            used[s] = true;
        }
        while let Some(stage) = stack.pop() {
            for &dep in &uses[stage] {
                if dep < count && !used[dep] {
                    used[dep] = true;
                    stack.push(dep);
                }
            }
        }
        let target = stage_label(&model.stages[runtime]);
        for stage in model.stages.iter().filter(|s| !used[s.index]) {
            out.push(Violation::new(
                stage_span(ctx, stage),
                format!(
                    "{} is used by no stage and, unnamed, cannot be picked with `--target`: it is never built (the target is {target})",
                    stage_label(stage)
                ),
            ));
        }
    }
}

/// The stages whose names fit a reference with unknown variables (`base-${TARGETARCH}`),
/// each variable standing for any text; none when the reference is only a variable.
fn stages_matching(reference: &str, names: &[Option<&str>]) -> Vec<usize> {
    let pattern = wildcard_pattern(&reference.to_lowercase());
    if pattern.iter().all(|part| part.is_empty()) {
        return Vec::new();
    }
    names
        .iter()
        .enumerate()
        .filter(|(_, name)| name.is_some_and(|name| fits(name, &pattern)))
        .map(|(index, _)| index)
        .collect()
}

/// The literal parts of a reference around its `$VAR` / `${VAR…}` expansions.
fn wildcard_pattern(reference: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = reference.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            parts.last_mut().map(|p| p.push(c));
            continue;
        }
        if chars.peek() == Some(&'{') {
            let mut depth = 0;
            for c in chars.by_ref() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
            }
        } else {
            while chars
                .peek()
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
            {
                chars.next();
            }
        }
        parts.push(String::new());
    }
    parts
}

/// Does `name` fit the literal parts, with anything between them?
fn fits(name: &str, parts: &[String]) -> bool {
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return false;
    };
    if parts.len() == 1 {
        return name == first;
    }
    if !name.starts_with(first.as_str())
        || !name.ends_with(last.as_str())
        || name.len() < first.len() + last.len()
    {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle.as_str()) {
            Some(at) => rest = &rest[at + middle.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_references_fit_every_platform_stage() {
        let names = [Some("base-amd64"), Some("base-arm64"), Some("other"), None];
        assert_eq!(stages_matching("base-${TARGETARCH}", &names), vec![0, 1]);
        assert_eq!(stages_matching("base-$TARGETARCH", &names), vec![0, 1]);
        assert_eq!(stages_matching("${A}-${B}", &names), vec![0, 1]);
        assert!(stages_matching("$STAGE", &names).is_empty());
        assert!(stages_matching("base-${TARGETARCH}-x", &names).is_empty());
    }
}
