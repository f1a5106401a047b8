//! The stage graph and the state every instruction runs in, with the queries rules use.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::image_ref::{ImageRef, RefParts};
use super::mounts::{Mount, MountKind};
use super::scope::{Scope, Var};
use crate::syntax::Span;

/// A value as written and, when every variable in it is known, as BuildKit would expand it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub raw: String,
    pub resolved: Option<String>,
}

/// The external image a stage starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base {
    /// The reference as written in the FROM, ARGs and all.
    pub raw: String,
    /// Where it is written.
    pub span: Span,
    /// The reference after ARG expansion, when every value in it is known.
    pub resolved_text: Option<String>,
    /// The parsed reference, when every value in it is known.
    pub resolved: Option<ImageRef>,
    /// What is certain even when some value is unknown (the repository of
    /// `python:${PY}-slim`); mirrors `resolved` when that is set.
    pub parts: RefParts,
}

impl Base {
    pub fn is_scratch(&self) -> bool {
        self.resolved.as_ref().is_some_and(ImageRef::is_scratch)
    }
}

/// One build stage: a FROM and the instructions up to the next FROM.
#[derive(Debug, Clone)]
pub struct Stage {
    pub index: usize,
    /// `AS name`, lower-cased as BuildKit does (stage names match case-insensitively).
    pub name: Option<String>,
    /// Where the name is written.
    pub name_span: Option<Span>,
    /// The image the stage starts from; `None` when it starts from an earlier stage.
    pub base: Option<Base>,
    /// The earlier stage named in FROM (after ARG expansion); exactly one of `base` and
    /// `parent` is set.
    pub parent: Option<usize>,
    /// `--platform`, as written and resolved with the global ARGs.
    pub platform: Option<Resolved>,
    /// Index (into `tree.instructions()`) of the FROM.
    pub from_instruction: usize,
    /// Indices of the stage's instructions, FROM included.
    pub instructions: Range<usize>,
    /// The stage being built: the `--target` or the last one.
    pub runtime: bool,
    /// The runtime stage needs this stage (through FROM, COPY --from or RUN --mount from).
    pub reachable: bool,
    /// The stage's filesystem ends up in the final image: the runtime stage, or a stage it
    /// is built FROM (directly or through other stages).
    pub ships: bool,
    /// The stage at the bottom of the FROM chain, whose `base` is the image this stage's
    /// filesystem comes from (the stage itself when it has a base).
    pub root: usize,
}

impl Stage {
    pub fn is_build_stage(&self) -> bool {
        !self.runtime
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EdgeKind {
    /// `FROM <stage>`.
    From,
    /// `COPY --from=<stage>`.
    Copy,
    /// `RUN --mount=from=<stage>`.
    Mount,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::From => "from",
            EdgeKind::Copy => "copy",
            EdgeKind::Mount => "mount",
        }
    }
}

/// Stage `to` uses stage `from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    /// The FROM, COPY or RUN that makes the edge.
    pub instruction: usize,
}

/// What a `COPY --from` or a mount's `from=` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stage(usize),
    /// Not a stage: an image reference (BuildKit pulls it).
    Image(ImageRef),
    /// Something BuildKit rejects: a stage index with no stage, a variable (`--from` is not
    /// expanded), or nothing.
    Invalid,
}

/// A `COPY --from` or `RUN --mount=from=` in a stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub instruction: usize,
    /// The stage the instruction belongs to.
    pub stage: usize,
    /// `Copy` or `Mount`.
    pub kind: EdgeKind,
    /// The value as written.
    pub written: String,
    pub source: Source,
}

/// The default shell of Linux images.
pub const DEFAULT_SHELL: [&str; 2] = ["/bin/sh", "-c"];

/// The state an instruction runs in (before its own effect).
#[derive(Debug, Clone)]
pub struct State {
    /// ARG and ENV variables. A stage built FROM another starts with that stage's
    /// variables (BuildKit carries both ENV and ARG values in the build state).
    pub vars: Scope,
    /// The last USER of this stage or the stages it is built FROM; `None` means the base
    /// image's default user.
    pub user: Option<Resolved>,
    /// The absolute working directory; `None` when unknown (the base image's default, or a
    /// relative WORKDIR on top of it, or a WORKDIR with unknown variables).
    pub workdir: Option<String>,
    /// SHELL in force (`["/bin/sh", "-c"]` unless a SHELL says otherwise).
    pub shell: Arc<[String]>,
}

impl State {
    /// Does the shell run POSIX shell syntax (sh, bash, dash, ash, …)?
    pub fn is_posix_shell(&self) -> bool {
        let Some(program) = self.shell.first() else {
            return true;
        };
        let file = program.rsplit(['/', '\\']).next().unwrap_or(program);
        let base = file.strip_suffix(".exe").unwrap_or(file);
        matches!(
            base,
            "sh" | "bash" | "dash" | "ash" | "ksh" | "mksh" | "zsh" | "busybox"
        )
    }
}

/// Per-instruction facts.
#[derive(Debug, Clone)]
pub(crate) struct InstructionInfo {
    pub stage: Option<usize>,
    pub state: Arc<State>,
    pub mounts: Vec<Mount>,
}

/// The semantic model of one Dockerfile.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub stages: Vec<Stage>,
    /// Stage-to-stage edges in instruction order (one per instruction that makes one).
    pub edges: Vec<Edge>,
    /// Every `COPY --from` and `RUN --mount=from=`, stage or not.
    pub references: Vec<Reference>,
    /// The runtime stage; `None` when there is no stage or `target` names none.
    pub runtime: Option<usize>,
    /// A `target` that names no stage (BuildKit fails the build).
    pub unknown_target: Option<String>,
    /// The global ARGs (before the first FROM), as FROM lines see them.
    pub global_args: Scope,
    pub(crate) instructions: Vec<InstructionInfo>,
    pub(crate) final_states: Vec<Arc<State>>,
    pub(crate) names: HashMap<String, usize>,
    /// Per stage, the stages it uses directly (sorted, without repeats).
    pub(crate) dependencies: Vec<Vec<usize>>,
    /// The instruction at which variable expansion spent its budget
    /// ([`ExpansionBudget`](super::scope::ExpansionBudget)); later values read as unknown.
    pub expansion_budget_spent_at: Option<usize>,
}

impl Model {
    pub fn stage(&self, index: usize) -> Option<&Stage> {
        self.stages.get(index)
    }

    /// The stage a name refers to (case-insensitive; the last of duplicates, as BuildKit).
    pub fn stage_by_name(&self, name: &str) -> Option<&Stage> {
        self.names
            .get(&name.to_lowercase())
            .and_then(|&i| self.stages.get(i))
    }

    pub fn runtime_stage(&self) -> Option<&Stage> {
        self.runtime.and_then(|i| self.stages.get(i))
    }

    /// Stage index of the instruction at `index` (None before the first FROM).
    pub fn stage_of(&self, index: usize) -> Option<usize> {
        self.instructions.get(index).and_then(|i| i.stage)
    }

    /// The state instruction `index` runs in.
    pub fn state_at(&self, index: usize) -> Option<&State> {
        self.instructions.get(index).map(|i| i.state.as_ref())
    }

    /// The state at the end of a stage (what a stage built FROM it starts with).
    pub fn final_state(&self, stage: usize) -> Option<&State> {
        self.final_states.get(stage).map(Arc::as_ref)
    }

    /// The ARG or ENV `name` as instruction `index` sees it.
    pub fn var_at(&self, index: usize, name: &str) -> Option<&Var> {
        self.state_at(index).and_then(|s| s.vars.get(name))
    }

    /// An ENV or ARG of this name is set (to anything but an empty value) where instruction
    /// `index` runs.
    pub fn env_is_set(&self, index: usize, name: &str) -> bool {
        self.state_at(index)
            .is_some_and(|s| s.vars.is_set_non_empty(name))
    }

    /// The `--mount` flags of the RUN at `index`.
    pub fn mounts(&self, index: usize) -> &[Mount] {
        self.instructions
            .get(index)
            .map_or(&[], |i| i.mounts.as_slice())
    }

    /// Targets of the `--mount=type=cache` flags of the RUN at `index` (absolute when the
    /// working directory and variables are known, else as written).
    pub fn cache_mount_targets(&self, index: usize) -> Vec<String> {
        self.mounts(index)
            .iter()
            .filter(|m| m.kind == MountKind::Cache)
            .filter_map(|m| m.target_display().map(str::to_string))
            .collect()
    }

    /// Does the instruction at `index` run in a POSIX shell: its SHELL, or the default shell
    /// of its base (cmd for Windows images)? False outside any stage.
    pub fn posix_shell_at(&self, index: usize) -> bool {
        self.stage_of(index).is_some() && self.state_at(index).is_some_and(State::is_posix_shell)
    }

    /// Does the stage's filesystem end up in the final image?
    pub fn ships(&self, stage: usize) -> bool {
        self.stages.get(stage).is_some_and(|s| s.ships)
    }

    /// The stages a stage's filesystem comes from through `FROM <stage>`, nearest first.
    pub fn inherits(&self, stage: usize) -> impl Iterator<Item = usize> + '_ {
        let mut next = self.stages.get(stage).and_then(|s| s.parent);
        std::iter::from_fn(move || {
            let current = next?;
            next = self.stages.get(current).and_then(|s| s.parent);
            Some(current)
        })
    }

    /// The stage itself, then the stages it is built FROM, nearest first.
    pub fn chain(&self, stage: usize) -> Vec<usize> {
        std::iter::once(stage).chain(self.inherits(stage)).collect()
    }

    /// The image at the bottom of a stage's FROM chain.
    pub fn root_base(&self, stage: usize) -> Option<&Base> {
        let root = self.stages.get(stage)?.root;
        self.stages.get(root)?.base.as_ref()
    }

    /// The stages `stage` uses directly (FROM parent, COPY --from, mounts), sorted.
    pub fn dependencies(&self, stage: usize) -> &[usize] {
        self.dependencies.get(stage).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The LSP shares models between threads.
    #[test]
    fn model_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Model>();
    }

    #[test]
    fn posix_shells() {
        let state = |program: &str| State {
            vars: Scope::default(),
            user: None,
            workdir: None,
            shell: [program.to_string(), "-c".to_string()]
                .into_iter()
                .collect(),
        };
        for program in ["/bin/sh", "bash", "/usr/bin/dash", "/bin/busybox"] {
            assert!(state(program).is_posix_shell(), "{program}");
        }
        for program in [
            "powershell",
            "pwsh",
            "cmd",
            "C:\\Windows\\cmd.exe",
            "/usr/bin/python3",
        ] {
            assert!(!state(program).is_posix_shell(), "{program}");
        }
    }
}
