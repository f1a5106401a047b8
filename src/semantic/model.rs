//! Building the stage graph from the syntax tree: stages, their bases or parents, the edges
//! between them, the runtime stage, reachability, and per-instruction state.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use serde::Serialize;

use super::expand::{expand, Scope};
use super::image_ref::ImageRef;
use super::mounts::Mount;
use crate::syntax::{Instruction, Keyword, Parse, Span};

/// An external base image, as written and as resolved through the global ARGs.
#[derive(Debug, Clone, Serialize)]
pub struct Base {
    pub raw: String,
    pub span: Span,
    /// The reference after ARG expansion; `None` when it uses an ARG whose value is unknown.
    pub resolved: Option<ImageRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    pub index: usize,
    /// `AS name`, lower-cased as BuildKit does.
    pub name: Option<String>,
    pub name_span: Option<Span>,
    /// Index (into the file's instructions) of the stage's FROM.
    pub from_instruction: usize,
    /// One past the stage's last instruction.
    pub end_instruction: usize,
    /// An external image, or `None` when built from an earlier stage (`parent`) or when the
    /// FROM names nothing.
    pub base: Option<Base>,
    pub parent: Option<usize>,
    pub platform: Option<String>,
    pub runtime: bool,
    /// The runtime stage depends on it (through FROM, COPY --from or RUN --mount=from).
    pub reachable: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EdgeKind {
    From,
    Copy,
    Mount,
}

/// `to` uses `from`'s filesystem.
#[derive(Debug, Clone, Serialize)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    /// The instruction that makes the edge.
    pub instruction: usize,
}

/// A `COPY --from` or `RUN --mount=from=` that names an image, not a stage.
#[derive(Debug, Clone, Serialize)]
pub struct ExternalSource {
    pub instruction: usize,
    pub kind: EdgeKind,
    pub image: ImageRef,
}

/// What holds at one instruction of a stage (before it runs).
#[derive(Debug, Clone)]
pub struct State {
    /// ENV variables: inherited by stages built FROM this one.
    pub env: Rc<Scope>,
    /// ARGs declared in the stage: not inherited.
    pub args: Rc<Scope>,
    pub user: Option<Rc<str>>,
    pub shell: Rc<Vec<String>>,
    pub workdir: Rc<str>,
}

#[derive(Debug, Clone, Default)]
pub struct Model {
    pub stages: Vec<Stage>,
    pub edges: Vec<Edge>,
    pub external_sources: Vec<ExternalSource>,
    /// The runtime stage: the last one, or the one `--target` names.
    pub runtime: Option<usize>,
    /// `--target` named a stage that does not exist.
    pub unknown_target: Option<String>,
    /// ARGs declared before the first FROM, with their defaults (or overrides).
    pub global_args: Scope,
    stage_of: Vec<Option<usize>>,
    states: Vec<Option<State>>,
    mounts: Vec<Vec<Mount>>,
}

const DEFAULT_SHELL: [&str; 2] = ["/bin/sh", "-c"];

impl State {
    /// The variables an instruction's arguments expand with: ARGs, overridden by ENV.
    pub fn vars(&self) -> Scope {
        let mut vars = (*self.args).clone();
        vars.extend(self.env.iter().map(|(k, v)| (k.clone(), v.clone())));
        vars
    }
}

impl Model {
    /// Builds the stage graph. `target` names the runtime stage (`--target`); `None` means
    /// the last stage.
    pub fn build(parse: &Parse, target: Option<&str>) -> Model {
        Model::build_with_args(parse, target, &BTreeMap::new())
    }

    /// Like [`Model::build`], with `--build-arg` values overriding ARG defaults.
    pub fn build_with_args(
        parse: &Parse,
        target: Option<&str>,
        build_args: &BTreeMap<String, String>,
    ) -> Model {
        let escape = parse.tree.escape;
        let instructions: Vec<&Instruction> = parse.tree.instructions().collect();
        let mut model = Model {
            stage_of: vec![None; instructions.len()],
            states: vec![None; instructions.len()],
            mounts: vec![Vec::new(); instructions.len()],
            ..Model::default()
        };
        let mut names: HashMap<String, usize> = HashMap::new();
        let mut state: Option<State> = None;
        // The state at the end of each finished stage, for stages built FROM it.
        let mut final_states: Vec<State> = Vec::new();
        // COPY --from / RUN --mount=from may name a stage defined later: resolve at the end.
        let mut pending: Vec<(usize, String, usize, EdgeKind)> = Vec::new();
        for (index, instruction) in instructions.iter().enumerate() {
            if instruction.keyword == Keyword::From {
                if let Some(last) = model.stages.last_mut() {
                    last.end_instruction = index;
                }
                if let Some(finished) = state.take() {
                    final_states.push(finished);
                }
                let stage = model.new_stage(index, instruction, &names, escape);
                if let Some(name) = &stage.name {
                    names.entry(name.clone()).or_insert(stage.index);
                }
                state = Some(initial_state(
                    stage.parent.and_then(|p| final_states.get(p)),
                ));
                model.stages.push(stage);
            }
            let Some(current) = state.as_mut() else {
                // Before the first FROM: only ARGs matter.
                if instruction.keyword == Keyword::Arg {
                    let vars = model.global_args.clone();
                    declare_args(
                        &mut model.global_args,
                        &vars,
                        instruction,
                        None,
                        build_args,
                        escape,
                    );
                }
                continue;
            };
            let stage_index = model.stages.len() - 1;
            model.stage_of[index] = Some(stage_index);
            model.states[index] = Some(current.clone());
            match instruction.keyword {
                Keyword::Arg => {
                    let vars = current.vars();
                    let args = Rc::make_mut(&mut current.args);
                    declare_args(
                        args,
                        &vars,
                        instruction,
                        Some(&model.global_args),
                        build_args,
                        escape,
                    );
                }
                Keyword::Env => {
                    let mut vars = current.vars();
                    let env = Rc::make_mut(&mut current.env);
                    for pair in instruction.values.chunks(3) {
                        if let [key, value, _] = pair {
                            let value = expand(value, &vars, escape);
                            vars.insert(key.clone(), value.clone());
                            env.insert(key.clone(), value);
                        }
                    }
                }
                Keyword::User => {
                    current.user = expand(instruction.rest_text(), &current.vars(), escape)
                        .map(|u| Rc::from(u.as_str()));
                }
                Keyword::Workdir => {
                    if let Some(dir) = expand(instruction.rest_text(), &current.vars(), escape) {
                        current.workdir = Rc::from(join_path(&current.workdir, &dir).as_str());
                    }
                }
                Keyword::Shell if instruction.json => {
                    current.shell = Rc::new(instruction.values.clone());
                }
                Keyword::Copy => {
                    if let Some(from) = instruction.flag("from").and_then(|f| f.value.clone()) {
                        // `--from=${BUILDER}`: BuildKit expands it with the ARGs in scope.
                        let from = expand(&from, &current.vars(), escape).unwrap_or(from);
                        pending.push((index, from, stage_index, EdgeKind::Copy));
                    }
                }
                Keyword::Run => {
                    let mounts = run_mounts(instruction);
                    for from in mounts.iter().filter_map(|m| m.from.clone()) {
                        let from = expand(&from, &current.vars(), escape).unwrap_or(from);
                        pending.push((index, from, stage_index, EdgeKind::Mount));
                    }
                    model.mounts[index] = mounts;
                }
                _ => {}
            }
        }
        if let Some(last) = model.stages.last_mut() {
            last.end_instruction = instructions.len();
        }
        for (index, reference, stage, kind) in pending {
            model.link(index, &reference, stage, kind, &names);
        }
        model.pick_runtime(target, &names);
        model
    }

    fn new_stage(
        &mut self,
        index: usize,
        from: &Instruction,
        names: &HashMap<String, usize>,
        escape: char,
    ) -> Stage {
        let args = from.args.as_slice();
        let (name, name_span) = match args {
            [_, as_kw, name, ..] if as_kw.value.eq_ignore_ascii_case("as") => {
                (Some(name.value.to_lowercase()), Some(name.span.clone()))
            }
            _ => (None, None),
        };
        let platform = from
            .flag("platform")
            .and_then(|f| f.value.clone())
            .map(|p| expand(&p, &self.global_args, escape).unwrap_or(p));
        let mut stage = Stage {
            index: self.stages.len(),
            name,
            name_span,
            from_instruction: index,
            end_instruction: index + 1,
            base: None,
            parent: None,
            platform,
            runtime: false,
            reachable: false,
        };
        if let Some(image) = args.first() {
            let resolved = expand(&image.value, &self.global_args, escape);
            let parent = resolved
                .as_deref()
                .and_then(|r| names.get(&r.to_lowercase()))
                .copied();
            match parent {
                Some(parent) => {
                    stage.parent = Some(parent);
                    self.edges.push(Edge {
                        from: parent,
                        to: stage.index,
                        kind: EdgeKind::From,
                        instruction: index,
                    });
                }
                None => {
                    stage.base = Some(Base {
                        raw: image.value.clone(),
                        span: image.span.clone(),
                        resolved: resolved.as_deref().and_then(ImageRef::parse),
                    });
                }
            }
        }
        stage
    }

    /// A stage by index or (case-insensitive) name, as BuildKit resolves `--from`: any stage
    /// of the file but the current one.
    fn resolve_stage(
        &self,
        reference: &str,
        current: usize,
        names: &HashMap<String, usize>,
    ) -> Option<usize> {
        let found = match reference.parse::<usize>() {
            Ok(n) => (n < self.stages.len()).then_some(n),
            Err(_) => names.get(&reference.to_lowercase()).copied(),
        };
        found.filter(|&s| s != current)
    }

    fn link(
        &mut self,
        index: usize,
        reference: &str,
        stage: usize,
        kind: EdgeKind,
        names: &HashMap<String, usize>,
    ) {
        match self.resolve_stage(reference, stage, names) {
            Some(from) => self.edges.push(Edge {
                from,
                to: stage,
                kind,
                instruction: index,
            }),
            None => {
                if let Some(image) = ImageRef::parse(reference) {
                    self.external_sources.push(ExternalSource {
                        instruction: index,
                        kind,
                        image,
                    });
                }
            }
        }
    }

    fn pick_runtime(&mut self, target: Option<&str>, names: &HashMap<String, usize>) {
        let runtime = match target {
            Some(t) => {
                let found = names.get(&t.to_lowercase()).copied();
                if found.is_none() {
                    self.unknown_target = Some(t.to_string());
                }
                found
            }
            None => self.stages.len().checked_sub(1),
        };
        self.runtime = runtime;
        let Some(runtime) = runtime else { return };
        self.stages[runtime].runtime = true;
        // Reachability: walk edges backwards from the runtime stage.
        let mut incoming: Vec<Vec<usize>> = vec![Vec::new(); self.stages.len()];
        for edge in &self.edges {
            incoming[edge.to].push(edge.from);
        }
        let mut stack = vec![runtime];
        while let Some(s) = stack.pop() {
            if std::mem::replace(&mut self.stages[s].reachable, true) {
                continue;
            }
            stack.extend(incoming[s].iter().copied());
        }
    }

    /// Stage index of the instruction at `index` (None before the first FROM).
    pub fn stage_of(&self, index: usize) -> Option<usize> {
        self.stage_of.get(index).copied().flatten()
    }

    /// State before the instruction at `index` runs.
    pub fn state_at(&self, index: usize) -> Option<&State> {
        self.states.get(index)?.as_ref()
    }

    /// Does the stage's filesystem end up in the final image: the runtime stage, or a stage it
    /// is built `FROM` (directly or through other stages)?
    pub fn ships(&self, stage: usize) -> bool {
        let mut current = self.runtime;
        while let Some(s) = current {
            if s == stage {
                return true;
            }
            current = self.stages.get(s).and_then(|st| st.parent);
        }
        false
    }

    /// The stages whose filesystems make up `stage`: itself, its parent, its parent's parent…
    pub fn inherits(&self, stage: usize) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut current = Some(stage);
        while let Some(s) = current {
            if chain.contains(&s) {
                break;
            }
            chain.push(s);
            current = self.stages.get(s).and_then(|st| st.parent);
        }
        chain
    }

    /// The image at the root of a stage's FROM chain.
    pub fn root_base(&self, stage: usize) -> Option<&Base> {
        let root = *self.inherits(stage).last()?;
        self.stages[root].base.as_ref()
    }

    /// `RUN --mount` flags of the instruction at `index`.
    pub fn mounts(&self, index: usize) -> &[Mount] {
        self.mounts.get(index).map_or(&[], Vec::as_slice)
    }

    /// Targets of the cache mounts of the instruction at `index`.
    pub fn cache_mount_targets(&self, index: usize) -> Vec<String> {
        self.mounts(index)
            .iter()
            .filter(|m| m.is_cache())
            .filter_map(|m| m.target.clone())
            .collect()
    }

    /// An ENV or ARG of this name has a non-empty value (or one that is unknown but declared)
    /// where the instruction at `index` runs.
    pub fn env_is_set(&self, index: usize, name: &str) -> bool {
        self.state_at(index)
            .and_then(|s| s.env.get(name).or_else(|| s.args.get(name)))
            .is_some_and(|v| v.as_deref() != Some(""))
    }

    /// The instruction at `index` runs in a POSIX shell (not PowerShell or cmd): its SHELL, or
    /// the default shell of a non-Windows base.
    pub fn posix_shell_at(&self, index: usize) -> bool {
        let Some(state) = self.state_at(index) else {
            return false;
        };
        let custom = state.shell.first().map(String::as_str) != Some(DEFAULT_SHELL[0]);
        if custom {
            let program = state
                .shell
                .first()
                .map_or("", |s| s.rsplit(['/', '\\']).next().unwrap_or(s));
            return matches!(
                program,
                "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "busybox"
            );
        }
        let windows = self
            .stage_of(index)
            .and_then(|s| self.root_base(s))
            .and_then(|b| b.resolved.as_ref())
            .is_some_and(|r| {
                let text = r.to_string().to_ascii_lowercase();
                text.contains("windows")
                    || text.contains("nanoserver")
                    || text.contains("servercore")
            });
        !windows
    }
}

/// A stage starts with its parent's final ENV, USER, SHELL and WORKDIR (not its ARGs).
fn initial_state(parent: Option<&State>) -> State {
    match parent {
        Some(parent) => State {
            args: Rc::new(Scope::new()),
            ..parent.clone()
        },
        None => State {
            env: Rc::new(Scope::new()),
            args: Rc::new(Scope::new()),
            user: None,
            shell: Rc::new(DEFAULT_SHELL.iter().map(|s| s.to_string()).collect()),
            workdir: Rc::from("/"),
        },
    }
}

fn run_mounts(instruction: &Instruction) -> Vec<Mount> {
    instruction
        .flags
        .iter()
        .filter(|f| f.name == "mount")
        .filter_map(|f| f.value.as_deref().map(Mount::parse))
        .collect()
}

/// Declares the ARGs of one instruction into `scope`. Inside a stage, an ARG without a default
/// takes the global ARG's value; a build-arg override wins over defaults.
fn declare_args(
    scope: &mut Scope,
    vars: &Scope,
    instruction: &Instruction,
    global: Option<&Scope>,
    build_args: &BTreeMap<String, String>,
    escape: char,
) {
    for value in &instruction.values {
        let (name, default) = match value.split_once('=') {
            Some((n, d)) => (n.to_string(), Some(d.to_string())),
            None => (value.clone(), None),
        };
        let resolved = if let Some(v) = build_args.get(&name) {
            Some(v.clone())
        } else if let Some(d) = default {
            expand(&d, vars, escape)
        } else {
            global.and_then(|g| g.get(&name).cloned()).flatten()
        };
        scope.insert(name, resolved);
    }
}

/// WORKDIR semantics: an absolute path replaces, a relative one is joined.
fn join_path(current: &str, dir: &str) -> String {
    if dir.starts_with('/') {
        dir.to_string()
    } else {
        format!("{}/{}", current.trim_end_matches('/'), dir)
    }
}
