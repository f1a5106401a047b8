use crate::declare_rule;
use crate::rules::stage::common::{copy_from, stage_label, stage_span};
use crate::rules::{Check, Context, Violation};

declare_rule! {
    /// ## What it does
    /// Flags a stage that nothing builds: no stage uses it (through `FROM`, `COPY --from` or
    /// `RUN --mount=from`) on any platform, and it is no `--target` candidate either (it has
    /// no name, or it only names an image).
    ///
    /// ## Why is this bad?
    /// BuildKit builds only the stages the target needs. An unnamed stage that no stage uses
    /// is never built: its `RUN`s are never tested, and it rots. It is dead code, or a
    /// `COPY --from` that should name it is missing.
    ///
    /// A *named* stage that the default target does not use is left alone when it has
    /// instructions of its own: it is a `--target` (`test`, `lint`, `binaries`, a bake
    /// target), which is how multi-target Dockerfiles are meant to be built; so are the stages
    /// it uses. A named stage that only names an image (`FROM ghcr.io/x/cosign AS cosign`) and
    /// that nothing uses is reported: such an alias exists to be used, and a `COPY --from`
    /// that names the image instead of the alias is a common slip.
    ///
    /// BuildKit's automatic platform ARGs (`TARGETOS`, `TARGETARCH`, `TARGETVARIANT`,
    /// `TARGETPLATFORM`, `BUILDPLATFORM`, `BUILDOS`, `BUILDARCH`, …) differ per platform: a
    /// stage counts as used when *any* platform uses it. `FROM base-${TARGETARCH}` with stages
    /// `base-amd64` and `base-arm64` uses both; `COPY --from=binaries-$TARGETOS` uses every
    /// stage whose name fits. Any other variable whose value is unknown is read the same way,
    /// and a reference that could name any stage (`COPY --from=$STAGE`) silences the rule for
    /// the file.
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
        // Everything the target or a named stage with work of its own (a `--target`
        // candidate) needs. A stage that only names an image (`FROM image AS alias`) builds
        // nothing worth a `--target`: it exists to be used.
        let alias_only = |s: usize| model.stages[s].instructions.len() <= 1;
        let mut used = vec![false; count];
        let mut stack: Vec<usize> = std::iter::once(runtime)
            .chain((0..count).filter(|&s| names[s].is_some() && !alias_only(s)))
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
            let message = match (&stage.name, &stage.base) {
                (Some(_), Some(base)) if alias_only(stage.index) => format!(
                    "{} only names `{}` and no stage uses it: remove it, or use it where the image is named (`COPY --from={}`)",
                    stage_label(stage),
                    base.raw,
                    stage.name.as_deref().unwrap_or_default()
                ),
                (Some(_), _) => format!(
                    "{} only renames another stage and no stage uses it",
                    stage_label(stage)
                ),
                (None, _) => format!(
                    "{} is used by no stage and, unnamed, cannot be picked with `--target`: it is never built (the target is {target})",
                    stage_label(stage)
                ),
            };
            out.push(Violation::new(stage_span(ctx, stage), message));
        }
    }
}

/// The stages whose names fit a reference with unknown variables (`base-${TARGETARCH}`),
/// each variable standing for any text; none when the reference is only a variable.
fn stages_matching(reference: &str, names: &[Option<&str>]) -> Vec<usize> {
    let parts = wildcard_pattern(&reference.to_lowercase());
    if parts.iter().all(|part| part.is_empty()) {
        return Vec::new();
    }
    let pattern: Vec<String> = parts.iter().map(|part| globset::escape(part)).collect();
    let Ok(glob) = globset::Glob::new(&pattern.join("*")) else {
        return Vec::new();
    };
    let glob = glob.compile_matcher();
    names
        .iter()
        .enumerate()
        .filter(|(_, name)| name.is_some_and(|name| glob.is_match(name)))
        .map(|(index, _)| index)
        .collect()
}

/// The literal parts of a reference around its `$VAR` / `${VAR…}` expansions.
fn wildcard_pattern(reference: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = reference.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            if let Some(part) = parts.last_mut() {
                part.push(c);
            }
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
