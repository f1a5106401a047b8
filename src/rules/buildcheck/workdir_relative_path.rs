use crate::declare_rule;
use crate::rules::{Check, Context, Source, Violation};
use crate::semantic::expand_known;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags the first `WORKDIR` of a stage when its path is relative: BuildKit only checks
    /// the first one (counting the stages a stage is built `FROM`), since fixing it fixes
    /// the ones after it. Paths are expanded first; a path with an unknown variable is not
    /// judged. Docker's build check `WorkdirRelativePath`
    /// (<https://docs.docker.com/go/dockerfile/rule/workdir-relative-path/>).
    ///
    /// Off by default: `DL3000` (`relative-workdir`) flags every relative `WORKDIR`,
    /// these included, and is on by default. Select this rule to get Docker's name and
    /// message.
    ///
    /// ## Why is this bad?
    /// A relative `WORKDIR` is resolved against the base image's working directory, which
    /// the Dockerfile does not show and which may change with the base image.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// WORKDIR app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// WORKDIR /app
    /// ```
    ///
    /// ## Fix safety
    /// No fix: where the base image starts is not known here (`DL3000` fixes the relative
    /// `WORKDIR`s that follow an absolute one).
    pub struct WorkdirRelativePath {
        code: "BK010",
        name: "workdir-relative-path",
        family: BuildCheck,
        severity: Warning,
        fix: None,
        default_enabled: false,
        sources: [Source::BuildKit("WorkdirRelativePath")],
    }
}

/// BuildKit's `system.IsAbs`: `/…` on Linux; on Windows also `\…` and `C:…`.
fn is_absolute(path: &str) -> bool {
    let bytes = path.as_bytes();
    path.starts_with('/')
        || path.starts_with('\\')
        || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
}

impl Check for WorkdirRelativePath {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let instructions = ctx.instructions();
        let escape = ctx.tree().escape;
        // Per stage: has a WORKDIR been set by the end of it (its FROM chain included)?
        let mut set_at_end: Vec<bool> = Vec::new();
        for stage in &ctx.model.stages {
            let mut set = stage
                .parent
                .and_then(|p| set_at_end.get(p).copied())
                .unwrap_or(false);
            for index in stage.instructions.clone() {
                let Some(instr) = instructions.get(index) else {
                    continue;
                };
                if instr.keyword != Keyword::Workdir {
                    continue;
                }
                let was_set = std::mem::replace(&mut set, true);
                let Some(raw) = instr.args.first().map(|a| a.value.as_str()) else {
                    continue;
                };
                let Some(state) = ctx.model.state_at(index) else {
                    continue;
                };
                let Some(path) = expand_known(raw, escape, &state.vars) else {
                    continue;
                };
                if !was_set && !is_absolute(&path) {
                    out.push(Violation::new(
                        instr.rest_span(),
                        format!(
                            "Relative workdir {path:?} can have unexpected results if the base image changes"
                        ),
                    ));
                }
            }
            set_at_end.push(set);
        }
    }
}
