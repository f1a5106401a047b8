//! What a rule sees of one file: the tree, the stage graph, and each RUN's shell scripts,
//! parsed once and shared by every rule.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use super::RuleOptions;
use crate::knowledge::{ImageInfo, Knowledge};
use crate::rules::buildcheck::dockerignore::IgnoreFile;
use crate::rules::{ContextFiles, Violation};
use crate::semantic::{
    classify_purposes, Model, MountKind, Purpose, PurposeInput, Purposes, StagePurpose,
};
use crate::shell::{run_scripts, Command, Script};
use crate::syntax::{Instruction, Keyword, Parse, Tree};

pub struct Context<'a> {
    knowledge: &'a Knowledge,
    rule_options: Option<&'a RuleOptions>,
    /// The file's path, when it has one (stdin may not): rules that read the build context
    /// (requirements.txt, package.json) look next to it.
    pub path: Option<&'a Path>,
    /// Reads build-context files next to `path`, cached for the run when it lints many.
    pub files: &'a ContextFiles,
    pub parse: &'a Parse,
    pub model: &'a Model,
    instructions: Vec<&'a Instruction>,
    runs: OnceLock<Vec<RunInfo<'a>>>,
    onbuild_runs: OnceLock<Vec<RunInfo<'a>>>,
    /// What the knowledge base says of each stage's own base image, by stage index.
    base_infos: OnceLock<Vec<Option<Arc<ImageInfo>>>>,
    /// The purpose the configuration states for this file, if any.
    stated_purpose: Option<Purpose>,
    purpose_path: Option<&'a Path>,
    purposes: OnceLock<Purposes>,
    /// Build-context files the rules needed and dlint refused to read (the run reports them).
    unreadable: std::sync::Mutex<Vec<Arc<str>>>,
}

/// A RUN instruction with its stage and the shell scripts it runs.
pub struct RunInfo<'a> {
    /// Index into the file's instructions (for `ONBUILD RUN`, the ONBUILD instruction's).
    pub index: usize,
    /// The RUN itself (for `ONBUILD RUN`, the RUN that ONBUILD wraps).
    pub instruction: &'a Instruction,
    /// An `ONBUILD RUN`: it runs in the builds of images made `FROM` this one, whose base,
    /// SHELL and ENV this file does not know.
    pub onbuild: bool,
    /// Index of the stage the RUN belongs to.
    pub stage: usize,
    pub scripts: Vec<Script>,
    pub source: &'a str,
    /// The file's escape character, for edits that add continued lines.
    pub escape: char,
    model: &'a Model,
    /// Each command's effective name (see [`RunInfo::named_commands`]).
    names: OnceLock<NameIndex>,
}

/// The RUN's named commands, and a one-word summary of the names for quick rejection: some
/// fifty rule checks ask each RUN for one tool or another (`apt-get`, `pip`, `gem`, …), and
/// most RUNs run none of the tools a given check asks for.
#[derive(Default)]
struct NameIndex {
    commands: Vec<NamedCommand>,
    /// Bit [`name_bit`] of each name present.
    present: u64,
}

/// A name's bit in [`NameIndex::present`]: equal names set equal bits, so a clear bit means
/// no command has that name.
fn name_bit(name: &str) -> u64 {
    let bytes = name.as_bytes();
    let (first, last) = (bytes.first().copied(), bytes.last().copied());
    let mix =
        bytes.len() * 31 + usize::from(first.unwrap_or(0)) * 7 + usize::from(last.unwrap_or(0));
    1 << (mix % 64)
}

/// A command with an effective name, by position (a `RunInfo` cannot borrow its own
/// scripts), with the name copied out.
struct NamedCommand {
    script: usize,
    command: usize,
    name: Box<str>,
}

impl<'a> RunInfo<'a> {
    /// Every command of every script the RUN runs, in file order.
    pub fn commands(&self) -> impl Iterator<Item = &Command> {
        self.scripts.iter().flat_map(|s| s.commands.iter())
    }

    /// Every command that has an effective name ([`Command::effective_name`]), with the
    /// name, in file order. The names are found once per RUN: many rules look for one tool
    /// in every command.
    pub fn named_commands(&self) -> impl Iterator<Item = (&Command, &str)> {
        self.resolve(&self.name_index().commands)
    }

    /// The commands whose effective name is one of `names`.
    pub fn commands_named<'s, 'n>(
        &'s self,
        names: &'n [&str],
    ) -> impl Iterator<Item = &'s Command> + use<'s, 'n, 'a> {
        self.named_commands_among(names).map(|(command, _)| command)
    }

    /// The commands whose effective name is one of `names`, with the name.
    pub fn named_commands_among<'s, 'n>(
        &'s self,
        names: &'n [&str],
    ) -> impl Iterator<Item = (&'s Command, &'s str)> + use<'s, 'n, 'a> {
        let index = self.name_index();
        let maybe = names.iter().any(|name| index.present & name_bit(name) != 0);
        let candidates: &[NamedCommand] = if maybe { &index.commands } else { &[] };
        self.resolve(candidates)
            .filter(|(_, name)| names.contains(name))
    }

    fn name_index(&self) -> &NameIndex {
        self.names.get_or_init(|| {
            let mut index = NameIndex::default();
            for (script_index, script) in self.scripts.iter().enumerate() {
                for (command_index, command) in script.commands.iter().enumerate() {
                    if let Some(name) = command.effective_name() {
                        index.present |= name_bit(name);
                        index.commands.push(NamedCommand {
                            script: script_index,
                            command: command_index,
                            name: name.into(),
                        });
                    }
                }
            }
            index
        })
    }

    fn resolve<'s>(
        &'s self,
        named: &'s [NamedCommand],
    ) -> impl Iterator<Item = (&'s Command, &'s str)> {
        named.iter().filter_map(|named| {
            let command = self
                .scripts
                .get(named.script)?
                .commands
                .get(named.command)?;
            Some((command, &*named.name))
        })
    }

    /// Targets of the RUN's `--mount=type=cache` flags.
    pub fn cache_mount_targets(&self) -> Vec<String> {
        self.model.cache_mount_targets(self.index)
    }

    /// Targets of the RUN's `--mount=type=cache` and `--mount=type=tmpfs` flags: what the RUN
    /// writes there never reaches the layer.
    pub fn unlayered_mount_targets(&self) -> Vec<String> {
        self.model
            .mounts(self.index)
            .iter()
            .filter(|m| matches!(m.kind, MountKind::Cache | MountKind::Tmpfs))
            .filter_map(|m| m.target_display().map(str::to_string))
            .collect()
    }

    /// An ENV or ARG of this name is set (to anything but an empty value) where the RUN runs.
    pub fn env_is_set(&self, name: &str) -> bool {
        self.model.env_is_set(self.index, name)
    }
}

static DIRECT: ContextFiles = ContextFiles::direct();

impl<'a> Context<'a> {
    pub fn new(
        path: Option<&'a Path>,
        parse: &'a Parse,
        model: &'a Model,
        knowledge: &'a Knowledge,
    ) -> Self {
        Context {
            knowledge,
            rule_options: None,
            path,
            files: &DIRECT,
            parse,
            model,
            instructions: parse.tree.instructions().collect(),
            runs: OnceLock::new(),
            onbuild_runs: OnceLock::new(),
            base_infos: OnceLock::new(),
            stated_purpose: None,
            purpose_path: None,
            purposes: OnceLock::new(),
            unreadable: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// The `.dockerignore` BuildKit reads for the Dockerfile at `dockerfile`; one that exists
    /// but cannot be read (a FIFO, a device, too large, a symlink out of the project) is
    /// recorded for the run to report, and the rules go on without it.
    pub(crate) fn dockerignore(&self, dockerfile: &Path) -> Option<IgnoreFile> {
        match IgnoreFile::for_dockerfile(dockerfile, self.files) {
            Ok(found) => found,
            Err(error) => {
                let mut unreadable = self.unreadable.lock().unwrap_or_else(|p| p.into_inner());
                if !unreadable.contains(&error) {
                    unreadable.push(error);
                }
                None
            }
        }
    }

    /// The build-context files dlint refused to read while the rules ran.
    pub fn take_unreadable(&self) -> Vec<Arc<str>> {
        std::mem::take(&mut *self.unreadable.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// The purpose `dlint.toml` states for this file (`[lint.per-file-purpose]`).
    pub fn with_stated_purpose(mut self, purpose: Option<Purpose>) -> Self {
        self.stated_purpose = purpose;
        self
    }

    /// The file's path relative to its project (the configuration's directory), which the
    /// purpose's path signals read instead of `path`.
    pub fn with_purpose_path(mut self, path: Option<&'a Path>) -> Self {
        self.purpose_path = path;
        self
    }

    /// What each stage is for (application, base image, toolchain …), classified once.
    pub fn purposes(&self) -> &Purposes {
        self.purposes.get_or_init(|| {
            let sdk_base = (0..self.model.stages.len())
                .map(|stage| self.base_info(stage).is_some_and(|info| info.build_only))
                .collect();
            let input = PurposeInput {
                path: self.purpose_path.or(self.path),
                stated: self.stated_purpose,
                sdk_base,
            };
            classify_purposes(self.parse, self.model, &input)
        })
    }

    /// Drops the violations pushed since `start` unless `applies` holds: rules meant for some
    /// images only look first and classify the image (a pass over the file) only when they
    /// have something to report.
    pub fn keep_only_if(&self, out: &mut Vec<Violation>, start: usize, applies: fn(&Self) -> bool) {
        if out.len() > start && !applies(self) {
            out.truncate(start);
        }
    }

    /// The image's layers are shipped, so what they keep matters: not for a build
    /// environment or a test fixture.
    pub fn layer_size_matters(&self) -> bool {
        self.image_purpose()
            .is_none_or(|p| !matches!(p.purpose, Purpose::BuildEnvironment | Purpose::TestFixture))
    }

    /// The purpose of the image the file builds (its target stage).
    pub fn image_purpose(&self) -> Option<&StagePurpose> {
        self.purposes().image()
    }

    /// Size advice applies: the image built is an application (or the file has no stage).
    /// Elsewhere (base images, toolchains, devcontainers …) the size rules stay quiet.
    pub fn builds_application(&self) -> bool {
        self.image_purpose()
            .is_none_or(|p| p.purpose == Purpose::Application)
    }

    /// Build-context files read through `files` (a run's cache) rather than directly.
    pub fn with_context_files(mut self, files: &'a ContextFiles) -> Self {
        self.files = files;
        self
    }

    /// Settings of individual rules from the configuration.
    pub fn with_rule_options(mut self, options: &'a RuleOptions) -> Self {
        self.rule_options = Some(options);
        self
    }

    /// Trusted registries, label schema: what the configuration says for rules that need it.
    pub fn rule_options(&self) -> Option<&'a RuleOptions> {
        self.rule_options
    }

    /// Image and package facts: the built-in knowledge base with the user's `[images]`.
    pub fn knowledge(&self) -> &'a Knowledge {
        self.knowledge
    }

    pub fn tree(&self) -> &'a Tree {
        &self.parse.tree
    }

    pub fn source(&self) -> &'a str {
        &self.parse.tree.source
    }

    pub fn instructions(&self) -> &[&'a Instruction] {
        &self.instructions
    }

    /// Does the stage's filesystem end up in the final image (the runtime stage, or a stage
    /// it is built `FROM`)?
    pub fn ships(&self, stage: usize) -> bool {
        self.model.ships(stage)
    }

    /// What the knowledge base knows of the image `stage` is built `FROM` (its resolved
    /// base); `None` for a stage built from another stage, an unresolved reference, or an
    /// image the knowledge base does not list. Classified once per file: many rules ask.
    pub fn base_info(&self, stage: usize) -> Option<&ImageInfo> {
        self.base_infos
            .get_or_init(|| {
                self.model
                    .stages
                    .iter()
                    .map(|stage| {
                        let image = stage.base.as_ref()?.resolved.as_ref()?;
                        self.knowledge
                            .classify_shared(&image.repository, image.tag.as_deref())
                    })
                    .collect()
            })
            .get(stage)?
            .as_deref()
    }

    /// [`Context::base_info`] of the stage at the root of `stage`'s FROM chain: the image
    /// whose filesystem the stage starts from.
    pub fn root_info(&self, stage: usize) -> Option<&ImageInfo> {
        self.base_info(self.model.stages.get(stage)?.root)
    }

    /// RUN instructions in POSIX-shell stages, with their parsed scripts. Parsed on first use.
    pub fn runs(&self) -> impl Iterator<Item = &RunInfo<'a>> {
        self.all_runs().iter()
    }

    /// The RUNs of one stage, found by binary search (runs are in file order, so stage order).
    pub fn runs_in(&self, stage: usize) -> impl Iterator<Item = &RunInfo<'a>> {
        let runs = self.all_runs();
        let start = runs.partition_point(|r| r.stage < stage);
        let end = runs.partition_point(|r| r.stage <= stage);
        runs[start..end].iter()
    }

    fn all_runs(&self) -> &[RunInfo<'a>] {
        self.runs.get_or_init(|| {
            self.instructions
                .iter()
                .enumerate()
                .filter(|(_, i)| i.keyword == Keyword::Run)
                .filter_map(|(index, instruction)| self.run_info(index, instruction, false))
                .collect()
        })
    }

    /// `ONBUILD RUN` instructions in POSIX-shell stages, with their parsed scripts: what
    /// runs in the builds of images made `FROM` this one. Parsed on first use.
    pub fn onbuild_runs(&self) -> impl Iterator<Item = &RunInfo<'a>> {
        self.onbuild_runs
            .get_or_init(|| {
                self.instructions
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| i.keyword == Keyword::Onbuild)
                    .filter_map(|(index, outer)| {
                        let instruction = outer.onbuild.as_deref()?;
                        (instruction.keyword == Keyword::Run)
                            .then(|| self.run_info(index, instruction, true))
                            .flatten()
                    })
                    .collect()
            })
            .iter()
    }

    /// A RUN (or ONBUILD RUN) at `index` with its parsed scripts; `None` outside a stage or in
    /// a stage whose shell is not POSIX.
    fn run_info(
        &self,
        index: usize,
        instruction: &'a Instruction,
        onbuild: bool,
    ) -> Option<RunInfo<'a>> {
        let stage = self.model.stage_of(index)?;
        if !self.model.posix_shell_at(index) {
            return None;
        }
        let source = self.source();
        Some(RunInfo {
            index,
            instruction,
            onbuild,
            stage,
            scripts: run_scripts(instruction, source),
            source,
            escape: self.parse.tree.escape,
            model: self.model,
            names: OnceLock::new(),
        })
    }

    /// [`Context::runs`] followed by [`Context::onbuild_runs`]: every RUN whose commands a
    /// rule about commands should look at.
    pub fn runs_with_onbuild(&self) -> impl Iterator<Item = &RunInfo<'a>> {
        self.runs().chain(self.onbuild_runs())
    }
}
