//! Builds the [`Model`] in one pass over the instructions, following BuildKit's
//! `dockerfile2llb`: global ARGs, then per stage the FROM, ARG, ENV, USER, WORKDIR, SHELL,
//! COPY --from and RUN --mount effects; stage references by name are resolved at the end
//! because COPY --from may name any stage.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::expand::{expand, expand_known, Expanded};
use super::graph::link_stages;
use super::image_ref::{ImageRef, RefParts};
use super::model::{
    Base, EdgeKind, InstructionInfo, Model, Reference, Resolved, Source, Stage, State,
    DEFAULT_SHELL,
};
use super::mounts::{parse_mount, MountKind};
use super::paths::resolve_dir;
use super::scope::{ExpansionBudget, Scope, Var, VarKind, VarValue};
use crate::syntax::{Instruction, Keyword, Parse};

/// ARGs BuildKit defines before any line runs; their values depend on the machine.
const PLATFORM_ARGS: [&str; 8] = [
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
];

/// BuildKit's PATH for stages whose image sets none (`scratch`).
const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// A `COPY --from` or mount `from=` waiting for every stage name to be known.
struct PendingReference {
    instruction: usize,
    stage: usize,
    kind: EdgeKind,
    written: String,
}

struct Builder<'a> {
    escape: char,
    build_args: &'a BTreeMap<String, String>,
    global: Scope,
    stages: Vec<Stage>,
    names: HashMap<String, usize>,
    infos: Vec<InstructionInfo>,
    final_states: Vec<Arc<State>>,
    pending: Vec<PendingReference>,
    /// The state of the stage being read, after the instructions so far.
    current: Option<Arc<State>>,
    budget: Arc<ExpansionBudget>,
    /// The instruction whose expansion spent the budget.
    budget_spent_at: Option<usize>,
}

pub(crate) fn build_model(
    parse: &Parse,
    target: Option<&str>,
    build_args: &BTreeMap<String, String>,
) -> Model {
    let budget = ExpansionBudget::for_source(parse.tree.source.len());
    let mut global = Scope::bounded(false, budget.clone());
    for name in PLATFORM_ARGS {
        let value = match build_args.get(name) {
            Some(v) => VarValue::Known(v.clone()),
            None => VarValue::Unknown,
        };
        global = global.with(
            name,
            Var {
                kind: VarKind::Arg,
                value,
                instruction: None,
            },
        );
    }
    let mut builder = Builder {
        escape: parse.tree.escape,
        build_args,
        global,
        stages: Vec::new(),
        names: HashMap::new(),
        infos: Vec::new(),
        final_states: Vec::new(),
        pending: Vec::new(),
        current: None,
        budget,
        budget_spent_at: None,
    };
    for (index, instruction) in parse.tree.instructions().enumerate() {
        builder.instruction(index, instruction);
        if builder.budget_spent_at.is_none() && builder.budget.is_spent() {
            builder.budget_spent_at = Some(index);
        }
    }
    builder.finish(target)
}

impl Builder<'_> {
    fn instruction(&mut self, index: usize, instruction: &Instruction) {
        if instruction.keyword == Keyword::From {
            self.start_stage(index, instruction);
            return;
        }
        let Some(state) = self.current.clone() else {
            self.global_instruction(index, instruction);
            return;
        };
        let stage = self.stages.len().saturating_sub(1);
        if let Some(last) = self.stages.last_mut() {
            last.instructions.end = index + 1;
        }
        let mut info = InstructionInfo {
            stage: Some(stage),
            state: state.clone(),
            mounts: Vec::new(),
        };
        let next = match instruction.keyword {
            Keyword::Arg => Some(self.stage_arg(index, instruction, &state)),
            Keyword::Env => Some(self.env(index, instruction, &state)),
            Keyword::User => self.user(instruction, &state),
            Keyword::Workdir => self.workdir(instruction, &state),
            Keyword::Shell => shell(instruction, &state),
            Keyword::Run => {
                self.run_mounts(index, stage, instruction, &mut info);
                None
            }
            Keyword::Copy => {
                if let Some(from) = instruction.flag("from").and_then(|f| f.value.clone()) {
                    // BuildKit expands build args in `--from` (`COPY --from=${STAGE}`).
                    let from = expand_known(&from, self.escape, &state.vars).unwrap_or(from);
                    self.pending.push(PendingReference {
                        instruction: index,
                        stage,
                        kind: EdgeKind::Copy,
                        written: from,
                    });
                }
                None
            }
            // ONBUILD triggers run in images built from this one, not in this build.
            _ => None,
        };
        self.infos.push(info);
        if let Some(next) = next {
            self.current = Some(Arc::new(next));
        }
    }

    /// An instruction before the first FROM: only ARGs mean anything there.
    fn global_instruction(&mut self, index: usize, instruction: &Instruction) {
        self.infos.push(InstructionInfo {
            stage: None,
            state: Arc::new(State {
                vars: self.global.clone(),
                user: None,
                workdir: None,
                shell: default_shell(),
            }),
            mounts: Vec::new(),
        });
        if instruction.keyword != Keyword::Arg {
            return;
        }
        for (key, default) in arg_words(instruction) {
            let value = match (self.build_args.get(key), default) {
                (Some(v), _) => VarValue::Known(v.clone()),
                (None, Some(default)) => {
                    known_or_unknown(expand(default, self.escape, &self.global))
                }
                (None, None) => VarValue::NoDefault,
            };
            self.global = self.global.with(
                key,
                Var {
                    kind: VarKind::Arg,
                    value,
                    instruction: Some(index),
                },
            );
        }
    }

    fn start_stage(&mut self, index: usize, instruction: &Instruction) {
        self.finish_stage();
        let stage_index = self.stages.len();
        let args = &instruction.args;
        let raw = args.first().map_or("", |a| a.value.as_str());
        let raw_span = args.first().map_or(
            instruction.keyword_span.end..instruction.keyword_span.end,
            |a| a.span.clone(),
        );
        let (name, name_span) = match args.get(1..3) {
            Some([as_word, name]) if as_word.value.eq_ignore_ascii_case("as") => {
                (Some(name.value.to_lowercase()), Some(name.span.clone()))
            }
            _ => (None, None),
        };
        let expanded = expand(raw, self.escape, &self.global);
        let parent = expanded
            .as_ref()
            .ok()
            .and_then(Expanded::resolved)
            .and_then(|text| self.names.get(&text.to_lowercase()).copied());
        let base = match parent {
            Some(_) => None,
            None => Some(base(raw, raw_span, expanded.ok())),
        };
        let platform = instruction
            .flag("platform")
            .and_then(|f| f.value.clone())
            .map(|raw| Resolved {
                resolved: expand_known(&raw, self.escape, &self.global).filter(|v| !v.is_empty()),
                raw,
            });
        let (state, root) = match parent {
            Some(p) => (
                self.final_states.get(p).cloned(),
                self.stages.get(p).map_or(stage_index, |s| s.root),
            ),
            None => (None, stage_index),
        };
        let state =
            state.unwrap_or_else(|| Arc::new(base_state(base.as_ref(), self.budget.clone())));
        self.infos.push(InstructionInfo {
            stage: Some(stage_index),
            state: state.clone(),
            mounts: Vec::new(),
        });
        self.current = Some(state);
        if let Some(name) = &name {
            self.names.insert(name.clone(), stage_index);
        }
        self.stages.push(Stage {
            index: stage_index,
            name,
            name_span,
            base,
            parent,
            platform,
            from_instruction: index,
            instructions: index..index + 1,
            runtime: false,
            reachable: false,
            ships: false,
            root,
        });
    }

    fn finish_stage(&mut self) {
        if let Some(state) = self.current.take() {
            self.final_states.push(state);
        }
    }

    /// `ARG` inside a stage: a build-arg wins, then the default (expanded in the stage), then
    /// the global ARG of that name; otherwise it has no value.
    fn stage_arg(&self, index: usize, instruction: &Instruction, state: &State) -> State {
        let mut vars = state.vars.clone();
        for (key, default) in arg_words(instruction) {
            let value = match (self.build_args.get(key), default) {
                (Some(v), _) => VarValue::Known(v.clone()),
                (None, Some(default)) => known_or_unknown(expand(default, self.escape, &vars)),
                (None, None) => match self.global.get(key).map(|v| &v.value) {
                    Some(v @ (VarValue::Known(_) | VarValue::Unknown)) => v.clone(),
                    _ => VarValue::NoDefault,
                },
            };
            let var = Var {
                kind: VarKind::Arg,
                value,
                instruction: Some(index),
            };
            vars = vars.with(key, var);
        }
        State {
            vars,
            ..state.clone()
        }
    }

    /// `ENV`: every key and value is expanded with the variables from before the
    /// instruction (`ENV A=1 B=$A` gives B the old A), then all are set.
    fn env(&self, index: usize, instruction: &Instruction, state: &State) -> State {
        let mut vars = state.vars.clone();
        for (key, value) in env_pairs(instruction) {
            let Some(key) = expand_known(key, self.escape, &state.vars) else {
                continue;
            };
            let value = known_or_unknown(expand(value, self.escape, &state.vars));
            let var = Var {
                kind: VarKind::Env,
                value,
                instruction: Some(index),
            };
            vars = vars.with(&key, var);
        }
        State {
            vars,
            ..state.clone()
        }
    }

    fn user(&self, instruction: &Instruction, state: &State) -> Option<State> {
        let raw = instruction.args.first()?.value.clone();
        let resolved = expand_known(&raw, self.escape, &state.vars);
        Some(State {
            user: Some(Resolved { raw, resolved }),
            ..state.clone()
        })
    }

    fn workdir(&self, instruction: &Instruction, state: &State) -> Option<State> {
        let raw = &instruction.args.first()?.value;
        let workdir = expand_known(raw, self.escape, &state.vars)
            .and_then(|path| resolve_dir(state.workdir.as_deref(), &path));
        Some(State {
            workdir,
            ..state.clone()
        })
    }

    fn run_mounts(
        &mut self,
        index: usize,
        stage: usize,
        instruction: &Instruction,
        info: &mut InstructionInfo,
    ) {
        for flag in instruction.flags.iter().filter(|f| f.name == "mount") {
            let Some(value) = &flag.value else { continue };
            let mount = parse_mount(
                value,
                flag.span.clone(),
                info.state.workdir.as_deref(),
                self.escape,
                &info.state.vars,
            );
            if let Some(from) = &mount.from {
                if mount.kind != MountKind::Tmpfs && !from.is_empty() {
                    let written = expand_known(from, self.escape, &info.state.vars)
                        .unwrap_or_else(|| from.clone());
                    self.pending.push(PendingReference {
                        instruction: index,
                        stage,
                        kind: EdgeKind::Mount,
                        written,
                    });
                }
            }
            info.mounts.push(mount);
        }
    }

    fn finish(mut self, target: Option<&str>) -> Model {
        self.finish_stage();
        let references: Vec<Reference> = self
            .pending
            .iter()
            .map(|p| Reference {
                instruction: p.instruction,
                stage: p.stage,
                kind: p.kind,
                written: p.written.clone(),
                source: self.source(&p.written),
            })
            .collect();
        let mut model = Model {
            stages: self.stages,
            edges: Vec::new(),
            references,
            runtime: None,
            unknown_target: None,
            global_args: self.global,
            instructions: self.infos,
            final_states: self.final_states,
            names: self.names,
            dependencies: Vec::new(),
            expansion_budget_spent_at: self.budget_spent_at,
        };
        link_stages(&mut model, target);
        model
    }

    /// What a `--from` value (ARGs already expanded where known) names. BuildKit reads a number
    /// as a stage index, then looks the name up among all stages; anything else is an image.
    fn source(&self, written: &str) -> Source {
        if let Ok(index) = written.parse::<i64>() {
            return match usize::try_from(index) {
                Ok(i) if i < self.stages.len() => Source::Stage(i),
                _ => Source::Invalid,
            };
        }
        if let Some(&stage) = self.names.get(&written.to_lowercase()) {
            return Source::Stage(stage);
        }
        if written.contains('$') {
            return Source::Invalid;
        }
        ImageRef::parse(written).map_or(Source::Invalid, Source::Image)
    }
}

fn default_shell() -> Arc<[String]> {
    DEFAULT_SHELL.iter().map(|s| s.to_string()).collect()
}

/// BuildKit's default shell for Windows images.
const WINDOWS_SHELL: [&str; 3] = ["cmd", "/S", "/C"];

/// A FROM's image, with what its expansion makes certain. A blank expansion is not an image.
fn base(raw: &str, span: crate::syntax::Span, expanded: Option<Expanded>) -> Base {
    let resolved_text = expanded
        .as_ref()
        .and_then(Expanded::resolved)
        .filter(|text| !text.is_empty())
        .map(str::to_string);
    let resolved = resolved_text.as_deref().and_then(ImageRef::parse);
    let parts = match (&resolved, &expanded) {
        (Some(image), _) => image.parts(),
        (None, Some(expanded)) if !expanded.holes.is_empty() => RefParts::from_expanded(expanded),
        _ => RefParts::default(),
    };
    Base {
        raw: raw.to_string(),
        span,
        resolved_text,
        resolved,
        parts,
    }
}

/// Windows images run `cmd` by default. The OS is in the image's config, which a linter does
/// not fetch; Microsoft's Windows base images say so in their names.
fn is_windows_image(image: &ImageRef) -> bool {
    let text = image.to_string().to_ascii_lowercase();
    text.contains("windows") || text.contains("nanoserver") || text.contains("servercore")
}

/// The state a stage starts with when its base is an image. Only `scratch` is fully known:
/// any other image may set variables, a user and a working directory we cannot see.
fn base_state(base: Option<&Base>, budget: Arc<ExpansionBudget>) -> State {
    let scratch = base.is_some_and(Base::is_scratch);
    let windows = base
        .and_then(|b| b.resolved.as_ref())
        .is_some_and(is_windows_image);
    let mut vars = Scope::bounded(!scratch, budget);
    if scratch {
        vars = vars.with(
            "PATH",
            Var {
                kind: VarKind::Env,
                value: VarValue::Known(DEFAULT_PATH.to_string()),
                instruction: None,
            },
        );
    }
    State {
        vars,
        user: None,
        workdir: scratch.then(|| "/".to_string()),
        shell: if windows {
            WINDOWS_SHELL.iter().map(|s| s.to_string()).collect()
        } else {
            default_shell()
        },
    }
}

fn shell(instruction: &Instruction, state: &State) -> Option<State> {
    if !instruction.json || instruction.args.is_empty() {
        return None;
    }
    Some(State {
        shell: instruction.args.iter().map(|a| a.value.clone()).collect(),
        ..state.clone()
    })
}

fn known_or_unknown(expanded: Result<Expanded, super::expand::ExpandError>) -> VarValue {
    match expanded {
        Ok(e) => match e.resolved() {
            Some(text) => VarValue::Known(text.to_string()),
            None => VarValue::Unknown,
        },
        Err(_) => VarValue::Unknown,
    }
}

/// `ARG` words: `NAME` or `NAME=default` (the default as written, quotes and all).
fn arg_words(instruction: &Instruction) -> impl Iterator<Item = (&str, Option<&str>)> {
    instruction
        .args
        .iter()
        .map(|a| match a.value.split_once('=') {
            Some((key, default)) => (key, Some(default)),
            None => (a.value.as_str(), None),
        })
        .filter(|(key, _)| !key.is_empty())
}

/// `ENV` pairs: `KEY=value …`, or the legacy `ENV KEY value` (two args: key and the rest).
fn env_pairs(instruction: &Instruction) -> Vec<(&str, &str)> {
    let args = &instruction.args;
    match args.first() {
        Some(first) if !first.value.contains('=') => match args.get(1) {
            Some(value) => vec![(first.value.as_str(), value.value.as_str())],
            None => Vec::new(),
        },
        _ => args
            .iter()
            .filter_map(|a| a.value.split_once('='))
            .filter(|(key, _)| !key.is_empty())
            .collect(),
    }
}
