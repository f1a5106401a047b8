//! What the split recipes share: the single stage as dlint sees it, the checks that make a
//! rewrite safe to offer, and the edits every split makes (` AS build` on the FROM, the
//! runtime stage appended at the end of the file, in the file's line endings and keyword
//! case).
//!
//! A recipe answers `Err(reason)` whenever it is not sure the rewritten file builds and runs
//! like the original; the rule then shows the split as display-only advice with that reason.

use std::collections::{BTreeMap, BTreeSet};

use crate::fix::Edit;
use crate::knowledge::{packages, ImageInfo, PackageManager, Suggestion, SuggestionKind, TagClass};
use crate::rules::buildcheck::common::var_names;
use crate::rules::context::RunInfo;
use crate::rules::hadolint::common::keyword_like;
use crate::rules::musl::common::glibc_target;
use crate::rules::stage::common::installed_operands;
use crate::rules::Context;
use crate::semantic::{Base, ImageRef, Stage};
use crate::shell::{Command, CommandView};
use crate::syntax::{Instruction, Keyword};

/// Why a recipe does not rewrite the file.
pub(crate) type Reason = String;

/// Stage name given to the builder when the FROM has none.
const BUILDER: &str = "build";

/// Numeric nonroot user of distroless images (and Chainguard): needs no passwd entry.
pub(crate) const NONROOT: &str = "65532:65532";

/// A rewrite a recipe is sure of: the runtime image, the edits, and notes to show with it.
pub(crate) struct Planned {
    pub runtime: String,
    pub edits: Vec<Edit>,
    pub notes: Vec<String>,
}

/// The one stage of a single-stage file, with what a recipe needs to rewrite it.
pub(crate) struct Single<'a, 'f> {
    pub ctx: &'a Context<'f>,
    pub stage: &'a Stage,
    pub base: &'a Base,
    pub image: &'a ImageRef,
    pub info: &'a ImageInfo,
    pub from: &'f Instruction,
    /// The stage's instructions after its FROM, with their indices.
    pub body: Vec<(usize, &'f Instruction)>,
    pub runs: Vec<&'a RunInfo<'f>>,
}

impl<'a, 'f> Single<'a, 'f> {
    /// The file's single stage, when its base is an image the knowledge base knows.
    pub fn new(ctx: &'a Context<'f>) -> Result<Single<'a, 'f>, Reason> {
        let stages = &ctx.model.stages;
        if stages.len() != 1 {
            return Err(
                "the file already has several stages: move the build into a stage \
                        of its own and copy only its output into the runtime stage"
                    .into(),
            );
        }
        Single::of_stage(ctx, 0)
    }

    /// The stage a recipe splits: the file's only stage or, when `several` (the recipe is
    /// proven on multi-stage files), the file's last stage when it is the one that builds and
    /// starts from an image. The other stages stay as they are; the runtime stage is appended
    /// after the last one.
    pub fn of_build(
        ctx: &'a Context<'f>,
        stage: usize,
        several: bool,
    ) -> Result<Single<'a, 'f>, Reason> {
        let stages = &ctx.model.stages;
        if stages.len() == 1 || !several {
            return Single::new(ctx);
        }
        let last = stages.len() - 1;
        if stage != last || !stages[last].runtime {
            return Err(
                "the build is not in the stage the file ships last: move it into a stage of \
                 its own and copy only its output into the runtime stage"
                    .into(),
            );
        }
        let single = Single::of_stage(ctx, last)?;
        let taken = stages.iter().any(|s| s.name.as_deref() == Some(BUILDER));
        if single.stage.name_span.is_none() && taken {
            return Err(format!(
                "a stage is already named `{BUILDER}`, the name the builder would take"
            ));
        }
        Ok(single)
    }

    /// A stage with an external base the knowledge base knows, whatever the file's other
    /// stages (for advice about a multi-stage file).
    pub fn of_stage(ctx: &'a Context<'f>, index: usize) -> Result<Single<'a, 'f>, Reason> {
        let stage = &ctx.model.stages[index];
        let base = stage
            .base
            .as_ref()
            .ok_or_else(|| "the stage has no base image".to_string())?;
        let image = base.resolved.as_ref().ok_or_else(|| {
            format!(
                "the base image `{}` depends on an ARG without a value",
                base.raw
            )
        })?;
        let info = ctx.base_info(index).ok_or_else(|| {
            if base.raw.contains('$') {
                format!(
                    "dlint does not know the image `{image}` (`{}` with its ARG defaults)",
                    base.raw
                )
            } else {
                format!("dlint does not know the image `{}`", base.raw)
            }
        })?;
        if info.class == crate::knowledge::TagClass::Windows {
            return Err("dlint does not rewrite Windows images".into());
        }
        let instructions = ctx.instructions();
        let from = instructions[stage.from_instruction];
        let body = (stage.from_instruction + 1..stage.instructions.end)
            .map(|i| (i, instructions[i]))
            .collect();
        let runs = ctx.runs_in(stage.index).collect();
        Ok(Single {
            ctx,
            stage,
            base,
            image,
            info,
            from,
            body,
            runs,
        })
    }

    /// Every RUN of the stage, exec-form ones included (`ctx.runs()` skips those in
    /// non-POSIX shells): a rewrite needs to see them all.
    pub fn run_instructions(&self) -> impl Iterator<Item = &'f Instruction> + '_ {
        self.body
            .iter()
            .filter(|(_, i)| i.keyword == Keyword::Run)
            .map(|(_, i)| *i)
    }

    pub fn source(&self) -> &'f str {
        self.ctx.source()
    }

    /// The builder stage's name: the FROM's own `AS name`, else `build`.
    pub fn builder_name(&self) -> String {
        self.stage
            .name_span
            .clone()
            .and_then(|span| self.source().get(span))
            .map_or_else(|| BUILDER.to_string(), str::to_string)
    }

    /// The working directory where the instruction at `index` runs, when the file sets it:
    /// before any WORKDIR the base image decides, and dlint does not know it.
    pub fn workdir_at(&self, index: usize) -> Option<String> {
        let set = self
            .body
            .iter()
            .any(|(i, instr)| *i < index && instr.keyword == Keyword::Workdir);
        if !set {
            return self.image_workdir();
        }
        self.ctx
            .model
            .state_at(index)
            .and_then(|state| state.workdir.clone())
    }

    /// The working directory of the finished image (where ENTRYPOINT/CMD run), when the file
    /// sets one.
    pub fn final_workdir(&self) -> Option<String> {
        if self.last(Keyword::Workdir).is_none() {
            return self.image_workdir();
        }
        let state = self.ctx.model.final_state(self.stage.index)?;
        normalize(state.workdir.as_deref()?)
    }

    /// The working directory the base image sets (`WORKDIR $GOPATH` in golang), when the
    /// knowledge base says and the file sets none; the runtime stage then sets it too.
    pub fn image_workdir(&self) -> Option<String> {
        if self.last(Keyword::Workdir).is_some() {
            return None;
        }
        self.info.provides.as_ref()?.workdir.clone()
    }

    /// An ENV or ARG of the stage (or an assignment on the command) sets `name`.
    pub fn env_value(&self, index: usize, name: &str) -> Option<Option<String>> {
        let var = self.ctx.model.state_at(index)?.vars.get(name)?;
        Some(var.value.known().map(String::from))
    }

    /// The last instruction of a kind in the stage.
    pub fn last(&self, keyword: Keyword) -> Option<(usize, &'f Instruction)> {
        self.body
            .iter()
            .rev()
            .find(|(_, i)| i.keyword == keyword)
            .copied()
    }

    /// ENTRYPOINT and CMD of the stage as they start the container.
    pub fn start(&self) -> Start<'f> {
        Start {
            entrypoint: self.last(Keyword::Entrypoint).map(|(_, instr)| StartLine {
                instr,
                words: exec_words(instr),
            }),
            cmd: self.last(Keyword::Cmd).map(|(_, instr)| StartLine {
                instr,
                words: exec_words(instr),
            }),
        }
    }

    /// The image reference to write after the runtime stage's FROM for `suggestion`: its
    /// reference when the base is written literally; when the base uses ARGs
    /// (`python:${PY}`), the base as written plus the suffix the suggestion adds
    /// (`python:${PY}-slim`), so the ARG keeps working. `None` when neither works.
    pub fn runtime_reference(&self, suggestion: &Suggestion) -> Option<String> {
        let wanted = suggestion.reference();
        if !self.base.raw.contains('$') {
            return Some(wanted);
        }
        if self.image.digest.is_some() {
            return None;
        }
        let current = self.image.to_string();
        let suffix = wanted.strip_prefix(&current)?;
        Some(format!("{}{suffix}", self.base.raw))
    }

    /// When the base names variables (`golang:${GO_VERSION}`): the image dlint read from the
    /// ARG defaults, and that a `--build-arg` can make it another one.
    pub fn arg_note(&self) -> Option<String> {
        self.base.raw.contains('$').then(|| {
            format!(
                "`{}` is read as `{}` from the ARG defaults; a `--build-arg` that changes it may \
                 need another runtime image",
                self.base.raw, self.image
            )
        })
    }

    /// The base as written, for a runtime stage on the same image (already small).
    pub fn same_image(&self) -> String {
        self.base.raw.clone()
    }

    /// Checks every RUN of the stage: each command must be part of the build (`tool`
    /// accepts the language's own commands) or harmless outside the image. Anything else
    /// may set up the runtime (users, directories, packages) and would be lost in the split.
    pub fn runs_are_build_only(
        &self,
        tool: impl Fn(&str, &CommandView<'_>) -> bool,
        kept: &[String],
    ) -> Result<(), Reason> {
        self.runs_are_build_only_but(tool, kept, &[])
    }

    /// [`Single::runs_are_build_only`] for every RUN but those at `repeated` (instruction
    /// indices), which the runtime stage repeats.
    pub fn runs_are_build_only_but(
        &self,
        tool: impl Fn(&str, &CommandView<'_>) -> bool,
        kept: &[String],
        repeated: &[usize],
    ) -> Result<(), Reason> {
        if self.run_instructions().count() != self.runs.len() {
            return Err("a RUN uses a shell dlint does not read".into());
        }
        for instr in self.run_instructions() {
            if instr.json {
                return Err(format!(
                    "the exec-form `{}` is not understood",
                    first_line(instr.rest_text())
                ));
            }
        }
        let users = self.user_setup_runs();
        for run in &self.runs {
            if users.contains(&run.index) || repeated.contains(&run.index) {
                continue;
            }
            if run.scripts.iter().any(|s| s.has_errors) {
                return Err("a RUN has shell syntax dlint cannot read".into());
            }
            for command in run.commands() {
                let view = command.effective();
                if view.words.is_empty() {
                    // A bare assignment (`A=1`): only this RUN sees it.
                    continue;
                }
                let Some(name) = view.name() else {
                    return Err(format!(
                        "the RUN command `{}` is not a literal name",
                        command_text(run, command)
                    ));
                };
                let writes_ok = |path: &str| self.write_is_kept_or_local(run.index, path, kept);
                if let Some(target) = redirect_target(run, command).filter(|t| !writes_ok(t)) {
                    return Err(format!(
                        "`{}` writes `{target}`, which the runtime stage would not have",
                        command_text(run, command)
                    ));
                }
                if tool(name, &view) || harmless(name, &view, writes_ok) {
                    continue;
                }
                if let Some(manager) = PackageManager::from_command(name) {
                    system_packages_are_build_only(manager, &view)?;
                    continue;
                }
                return Err(format!(
                    "`{}` may set up something the runtime stage needs",
                    command_text(run, command)
                ));
            }
        }
        Ok(())
    }

    /// A file written at `path` by the RUN at `index` is still there at run time (it is in
    /// or above something the runtime stage copies), or only matters to the build (in the
    /// build's working directory, or relative to one dlint does not know).
    fn write_is_kept_or_local(&self, index: usize, path: &str, kept: &[String]) -> bool {
        if path == "/dev/null" || path.starts_with("/tmp/") || path.starts_with("/dev/") {
            return true;
        }
        let Some(resolved) = resolve_at(self, index, path) else {
            return !path.starts_with('/');
        };
        kept.iter()
            .any(|k| is_within(&resolved, k) || is_within(k, &resolved))
            || self
                .workdir_at(index)
                .is_some_and(|w| w != "/" && is_within(&resolved, &w))
    }

    /// RUNs that only create users and groups (`useradd`, `adduser -D app`): the runtime
    /// stage repeats them when it has a shell; on distroless the numeric nonroot user
    /// replaces them.
    pub fn user_setup_runs(&self) -> Vec<usize> {
        self.runs
            .iter()
            .filter(|run| {
                !run.instruction.json
                    && run.instruction.flags.is_empty()
                    && run.instruction.heredocs.is_empty()
                    && !run.scripts.iter().any(|s| s.has_errors)
                    && run.commands().any(|c| {
                        c.effective()
                            .name()
                            .is_some_and(|n| USER_TOOLS.contains(&n))
                    })
                    && run.commands().all(|c| {
                        let view = c.effective();
                        view.words.is_empty()
                            || view
                                .name()
                                .is_some_and(|n| USER_TOOLS.contains(&n) || n == "true")
                    })
            })
            .map(|run| run.index)
            .collect()
    }

    /// The application directory is copied as a whole: files the original handed to a user
    /// (`COPY --chown=app`) would come out owned by root.
    pub fn no_chown(&self) -> Result<(), Reason> {
        let chown = self.body.iter().find(|(_, i)| {
            matches!(i.keyword, Keyword::Copy | Keyword::Add)
                && (i.flag("chown").is_some() || i.flag("chmod").is_some())
        });
        match chown {
            Some((_, instr)) => Err(format!(
                "`{} {}` sets ownership the copied application directory would lose",
                instr.keyword_text,
                first_line(instr.rest_text())
            )),
            None => Ok(()),
        }
    }

    /// Checks the COPY/ADD instructions: everything they put in the image must land in
    /// `dir` (the application directory the runtime stage copies), else it would be lost.
    pub fn copies_land_in(&self, dir: Option<&str>) -> Result<(), Reason> {
        for (index, instr) in &self.body {
            if !matches!(instr.keyword, Keyword::Copy | Keyword::Add) {
                continue;
            }
            let Some(dest) = instr.args.last().map(|a| a.value.clone()) else {
                continue;
            };
            if !instr.heredocs.is_empty() {
                return Err(format!(
                    "`{}` uses a heredoc",
                    first_line(instr.rest_text())
                ));
            }
            let inside = dir.is_some_and(|dir| {
                let resolved = if dest.starts_with('/') {
                    normalize(&dest)
                } else {
                    self.workdir_at(*index)
                        .and_then(|w| normalize(&join(&w, &dest)))
                };
                resolved.is_some_and(|d| is_within(&d, dir))
            });
            if !inside {
                return Err(format!(
                    "`{} {}` puts files outside what the runtime stage copies",
                    instr.keyword_text,
                    first_line(instr.rest_text())
                ));
            }
        }
        Ok(())
    }
}

/// Commands that create users and groups.
const USER_TOOLS: &[&str] = &[
    "useradd", "adduser", "groupadd", "addgroup", "usermod", "groupmod",
];

/// Directories on the PATH of every Debian-based image, distroless included.
pub(crate) const STANDARD_PATH: &[&str] = &[
    "/usr/local/sbin",
    "/usr/local/bin",
    "/usr/sbin",
    "/usr/bin",
    "/sbin",
    "/bin",
];

impl<'a, 'f> Single<'a, 'f> {
    /// Where the container's program (`argv[0]` of ENTRYPOINT/CMD) is, as an absolute path:
    /// a path is resolved against the final WORKDIR; a bare name must be on the standard
    /// PATH next to `expected` (the file the build produces).
    pub fn program_path(&self, program: &str, expected: &str) -> Result<String, Reason> {
        if program.contains('/') {
            let resolved = if program.starts_with('/') {
                normalize(program)
            } else {
                self.final_workdir()
                    .and_then(|w| normalize(&join(&w, program)))
            };
            return resolved.ok_or_else(|| {
                format!("`{program}` is relative to a working directory the file does not set")
            });
        }
        let (dir, name) = expected.rsplit_once('/').unwrap_or(("", expected));
        if name == program && STANDARD_PATH.contains(&dir) {
            return Ok(expected.to_string());
        }
        // Copied onto the PATH by a `cp`/`mv` of the stage.
        for dir in STANDARD_PATH {
            let candidate = format!("{dir}/{program}");
            if self.reaches(expected, &candidate).is_ok() {
                return Ok(candidate);
            }
        }
        Err(format!(
            "the container runs `{program}` from the build image's PATH, not `{expected}`"
        ))
    }

    /// How the build output at `output` becomes the program at `program`: the same file, or
    /// a later `cp`/`mv` in the stage. `Some(word)` is that command's source word, for a
    /// recipe that moves the output elsewhere.
    pub fn reaches(
        &self,
        output: &str,
        program: &str,
    ) -> Result<Option<&'a crate::shell::Word>, Reason> {
        if output == program {
            return Ok(None);
        }
        let output_name = output.rsplit('/').next().unwrap_or(output);
        let program_name = program.rsplit('/').next().unwrap_or(program);
        let program_dir = program.rsplit_once('/').map_or("", |(d, _)| d);
        for run in &self.runs {
            for command in run.commands() {
                let view = command.effective();
                if !matches!(view.name(), Some("cp" | "mv")) {
                    continue;
                }
                let words: Vec<&crate::shell::Word> = view
                    .args()
                    .iter()
                    .filter(|w| !w.text().starts_with('-'))
                    .collect();
                let Some((dest, sources)) = words.split_last() else {
                    continue;
                };
                let dest_path = resolve_at(self, run.index, dest.text());
                let lands = dest_path.as_deref().is_some_and(|d| {
                    d == program || (d == program_dir && output_name == program_name)
                });
                if !lands {
                    continue;
                }
                for source in sources {
                    if resolve_at(self, run.index, source.text()).as_deref() == Some(output) {
                        return Ok(Some(*source));
                    }
                }
            }
        }
        Err(format!(
            "the container runs `{program}`, not the file the build writes (`{output}`)"
        ))
    }
}

/// `dir` or something below it.
pub(crate) fn is_within(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    dir.is_empty() || path == dir || path.starts_with(&format!("{dir}/"))
}

/// Commands that change nothing the runtime stage would miss: no side effects outside the
/// RUN, or files written where `writes_ok` says they survive or do not matter.
fn harmless(name: &str, view: &CommandView<'_>, writes_ok: impl Fn(&str) -> bool) -> bool {
    let paths: Vec<&str> = view
        .args()
        .iter()
        .map(|w| w.text())
        .filter(|t| !t.starts_with('-'))
        .collect();
    match name {
        "cd" | "echo" | "printf" | "true" | ":" | "ls" | "pwd" | "set" | "export" | "rm"
        | "test" | "[" | "sleep" | "which" | "cat" | "git" | "env" => true,
        // The destination is the last operand.
        "cp" | "mv" | "ln" => paths.last().is_none_or(|dest| writes_ok(dest)),
        "mkdir" | "touch" => paths.iter().all(|p| writes_ok(p)),
        // The first operand is the mode.
        "chmod" => paths.iter().skip(1).all(|p| writes_ok(p)),
        _ => false,
    }
}

/// The file a command's output redirection writes (`> /etc/app.conf`), if any: redirections
/// are not argv words, so they are read from the command's text.
fn redirect_target(run: &RunInfo<'_>, command: &Command) -> Option<String> {
    let text = run.source.get(command.span.clone())?;
    let mut tokens = text.split_whitespace();
    while let Some(token) = tokens.next() {
        let token = token.trim_start_matches(|c: char| c.is_ascii_digit() || c == '&');
        let Some(rest) = token.strip_prefix('>') else {
            continue;
        };
        let rest = rest.trim_start_matches(['>', '|']);
        if rest.starts_with('&') {
            continue;
        }
        let target = if rest.is_empty() {
            tokens.next()?
        } else {
            rest
        };
        return Some(target.trim_matches(|c| c == '"' || c == '\'').to_string());
    }
    None
}

/// System package commands: updates, clean-ups and removals, and installs of build-only
/// packages (compilers, headers, version control). Installing anything else (a library,
/// `ffmpeg`, `ca-certificates`) may be for the runtime.
fn system_packages_are_build_only(
    manager: PackageManager,
    view: &CommandView<'_>,
) -> Result<(), Reason> {
    let Some(packages_named) = installed_operands(view, manager) else {
        return Ok(());
    };
    let facts = packages();
    let runtime: Vec<&str> = packages_named
        .iter()
        .copied()
        .filter(|p| !facts.is_build_toolchain(manager, p))
        .collect();
    if runtime.is_empty() {
        return Ok(());
    }
    Err(format!(
        "the stage installs `{}`, which the runtime may need",
        runtime.join(" ")
    ))
}

/// Packages installed in the stage that are header (`-dev`) packages rather than tools:
/// a native build against them needs their shared libraries at run time.
pub(crate) fn header_packages(single: &Single<'_, '_>) -> Vec<String> {
    let facts = packages();
    let mut found = Vec::new();
    for run in &single.runs {
        for command in run.commands() {
            let view = command.effective();
            let Some(manager) = view.name().and_then(PackageManager::from_command) else {
                continue;
            };
            let words: Vec<&str> = view
                .args()
                .iter()
                .map(|w| w.text())
                .filter(|t| !t.starts_with('-'))
                .collect();
            if !matches!(words.first(), Some(&("install" | "add" | "in"))) {
                continue;
            }
            for package in &words[1..] {
                let name = manager.package_name(package);
                if facts.is_build_toolchain(manager, package)
                    && !facts.build_toolchain(manager).contains(&name)
                {
                    found.push(name);
                }
            }
        }
    }
    found
}

/// A command dlint may edit in place: not inside a pipeline, a condition, a subshell, a
/// substitution, after `||`, or in a nested shell's body (whose quoting an edit could break).
pub(crate) fn plain_command(command: &Command) -> Result<(), Reason> {
    let c = &command.context;
    if c.in_pipeline
        || c.negated
        || c.in_subshell
        || c.in_substitution
        || c.after_or
        || c.in_condition
        || c.nested_in.is_some()
    {
        return Err(
            "the build command sits inside a shell construct dlint does not rewrite".into(),
        );
    }
    Ok(())
}

/// The command as written in the file, on one line.
pub(crate) fn command_text(run: &RunInfo<'_>, command: &Command) -> String {
    let text = run.source.get(command.span.clone()).unwrap_or_default();
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ");
    match joined.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &joined[..cut]),
        None => joined,
    }
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    match line.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_string(),
    }
}

/// A starting command (ENTRYPOINT or CMD) of the stage.
#[derive(Clone)]
pub(crate) struct StartLine<'f> {
    pub instr: &'f Instruction,
    /// The argv: the JSON array of the exec form, or the words of a shell form made of plain
    /// words only; `None` for a shell form that needs a shell (quotes, `$`, `&&`, globs).
    pub words: Option<Vec<String>>,
}

#[derive(Clone)]
pub(crate) struct Start<'f> {
    pub entrypoint: Option<StartLine<'f>>,
    pub cmd: Option<StartLine<'f>>,
}

impl<'f> Start<'f> {
    /// The program the container runs, with its arguments (ENTRYPOINT, else CMD). `Err`
    /// when there is none or it is a shell command line.
    pub fn argv(&self) -> Result<(&StartLine<'f>, &[String]), Reason> {
        let line = self
            .entrypoint
            .as_ref()
            .or(self.cmd.as_ref())
            .ok_or_else(|| "no CMD or ENTRYPOINT names the program to run".to_string())?;
        let words = line.words.as_deref().ok_or_else(|| {
            format!(
                "`{} {}` needs a shell",
                line.instr.keyword_text,
                first_line(line.instr.rest_text())
            )
        })?;
        if words.is_empty() {
            return Err(format!("`{}` is empty", line.instr.keyword_text));
        }
        Ok((line, words))
    }

    /// The starting lines for an image with no shell: exec forms kept, plain-word shell
    /// forms turned into exec forms. A shell-form ENTRYPOINT ignores CMD; as an exec form
    /// it would not, so that combination is refused.
    pub fn without_shell(&self) -> Result<(Line<'f>, Line<'f>), Reason> {
        if let (Some(entrypoint), Some(_)) = (&self.entrypoint, &self.cmd) {
            if !entrypoint.instr.json {
                return Err(
                    "a shell-form ENTRYPOINT ignores CMD; in exec form it would not".into(),
                );
            }
        }
        let convert = |line: &Option<StartLine<'f>>| -> Result<Line<'f>, Reason> {
            match line {
                None => Ok(Line::Absent),
                Some(l) if l.instr.json => Ok(Line::Verbatim(l.instr)),
                Some(l) => match &l.words {
                    Some(words) => Ok(Line::Exec(words.clone(), separator(l.instr))),
                    None => Err(format!(
                        "`{} {}` needs a shell, and the runtime image has none",
                        l.instr.keyword_text,
                        first_line(l.instr.rest_text())
                    )),
                },
            }
        };
        Ok((convert(&self.entrypoint)?, convert(&self.cmd)?))
    }

    /// The starting lines as written (the runtime image has a shell).
    pub fn verbatim(&self) -> (Line<'f>, Line<'f>) {
        let keep = |line: &Option<StartLine<'f>>| match line {
            Some(l) => Line::Verbatim(l.instr),
            None => Line::Absent,
        };
        (keep(&self.entrypoint), keep(&self.cmd))
    }
}

/// An ENTRYPOINT or CMD of the runtime stage.
#[derive(Clone)]
pub(crate) enum Line<'f> {
    Absent,
    /// Copied from the original stage.
    Verbatim(&'f Instruction),
    /// Written as a JSON array, with this separator between elements (`", "` or `","`).
    Exec(Vec<String>, &'static str),
}

/// The separator the author puts between JSON elements (`["a", "b"]` or `["a","b"]`).
pub(crate) fn separator(instr: &Instruction) -> &'static str {
    let text = instr.rest_text();
    if instr.json && text.contains("\",\"") && !text.contains("\", \"") {
        ","
    } else {
        ", "
    }
}

/// The argv of an ENTRYPOINT/CMD: JSON values, or shell-form plain words.
fn exec_words(instr: &Instruction) -> Option<Vec<String>> {
    if instr.json {
        return Some(instr.values.clone());
    }
    plain_words(instr.rest_text())
}

/// Whitespace-separated words made only of characters no shell treats specially.
pub(crate) fn plain_words(text: &str) -> Option<Vec<String>> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_./:=,@%+-".contains(c);
    let words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
    words.iter().all(|w| w.chars().all(plain)).then_some(words)
}

/// What the runtime stage holds besides the instructions carried over from the original.
pub(crate) struct RuntimeStage<'f> {
    /// Image reference after FROM.
    pub image: String,
    /// The image has no shell (distroless): USER becomes numeric nonroot.
    pub no_shell: bool,
    /// The runtime image is not a variant of the build image (distroless, a JRE): carried
    /// instructions may not refer to variables only the build image sets.
    pub other_family: bool,
    /// `COPY --from=<builder> <from> <to>` lines.
    pub copies: Vec<(String, String)>,
    /// `ENV` lines (text after the keyword) written after the copies.
    pub env: Vec<String>,
    pub entrypoint: Line<'f>,
    pub cmd: Line<'f>,
}

/// The edits that turn the single stage into a builder and append `runtime`: ` AS build`
/// on the FROM (unless it has a name), then the runtime stage after a blank line. The
/// instructions that describe the running container (ARG, ENV, WORKDIR, EXPOSE, LABEL,
/// VOLUME, STOPSIGNAL, USER, ENTRYPOINT, CMD) are carried over as written.
pub(crate) fn split_edits(
    single: &Single<'_, '_>,
    runtime: &RuntimeStage<'_>,
) -> Result<Vec<Edit>, Reason> {
    split_edits_with_runs(single, runtime, &RuntimeRuns::default())
}

/// RUN lines the runtime stage holds besides the user setup it carries over.
#[derive(Default)]
pub(crate) struct RuntimeRuns {
    /// Text written in place of a RUN of the original stage, by its instruction index (a
    /// RUN repeated without its build packages, or one that installs the runtime packages).
    pub in_place: BTreeMap<usize, String>,
    /// Lines written before the `COPY --from` lines (an install of runtime libraries).
    pub before_copies: Vec<String>,
    /// Lines written right after them (RUNs that act on the copied files).
    pub after_copies: Vec<String>,
}

/// [`split_edits`] whose runtime stage also holds the RUN lines of `runs`.
pub(crate) fn split_edits_with_runs(
    single: &Single<'_, '_>,
    runtime: &RuntimeStage<'_>,
    runs: &RuntimeRuns,
) -> Result<Vec<Edit>, Reason> {
    let source = single.source();
    let newline = crate::fix::line_ending(source);
    let kw = |k: &str| keyword_like(&single.from.keyword_text, k);
    let builder = single.builder_name();
    let mut lines = vec![format!("{} {}", kw("FROM"), runtime.image)];
    if let Some(workdir) = single.image_workdir() {
        // The build image's own WORKDIR, where the original container started.
        lines.push(format!("{} {workdir}", kw("WORKDIR")));
    }
    let mut declared: BTreeSet<String> = BTreeSet::new();
    declared.insert("PATH".into());
    let mut user: Option<&Instruction> = None;
    let users = single.user_setup_runs();
    for (index, instr) in &single.body {
        match instr.keyword {
            Keyword::Run if users.contains(index) && !runtime.no_shell => {
                lines.push(verbatim(source, instr));
            }
            Keyword::Run if runs.in_place.contains_key(index) && !runtime.no_shell => {
                lines.extend(runs.in_place.get(index).cloned());
            }
            Keyword::Arg | Keyword::Env => {
                if runtime.other_family {
                    check_references(instr, &declared, single.ctx.tree().escape)?;
                }
                match instr.keyword {
                    Keyword::Arg => declared.extend(
                        instr
                            .values
                            .iter()
                            .map(|v| v.split('=').next().unwrap_or(v).to_string()),
                    ),
                    _ => declared.extend(instr.values.chunks(3).map(|p| p[0].clone())),
                }
                lines.push(verbatim(source, instr));
            }
            Keyword::Workdir
            | Keyword::Expose
            | Keyword::Label
            | Keyword::Volume
            | Keyword::StopSignal
            | Keyword::Maintainer => {
                if runtime.other_family {
                    check_references(instr, &declared, single.ctx.tree().escape)?;
                }
                lines.push(verbatim(source, instr));
            }
            Keyword::Shell if !runtime.no_shell => lines.push(verbatim(source, instr)),
            Keyword::Healthcheck if instr.rest_text().trim().eq_ignore_ascii_case("none") => {
                lines.push(verbatim(source, instr));
            }
            Keyword::User => user = Some(instr),
            Keyword::Run
            | Keyword::Copy
            | Keyword::Add
            | Keyword::Cmd
            | Keyword::Entrypoint
            | Keyword::From => {}
            Keyword::Healthcheck => {
                return Err("the HEALTHCHECK command may need tools the runtime image lacks".into())
            }
            _ => {
                return Err(format!(
                    "`{}` cannot be carried into the runtime stage",
                    instr.keyword_text
                ))
            }
        }
    }
    lines.extend(runs.before_copies.iter().cloned());
    for (from, to) in &runtime.copies {
        lines.push(format!("{} --from={builder} {from} {to}", kw("COPY")));
    }
    lines.extend(runs.after_copies.iter().cloned());
    for env in &runtime.env {
        lines.push(format!("{} {env}", kw("ENV")));
    }
    match user {
        Some(instr) if !runtime.no_shell || is_numeric_user(instr.rest_text()) => {
            lines.push(verbatim(source, instr));
        }
        _ if runtime.no_shell => lines.push(format!("{} {NONROOT}", kw("USER"))),
        _ => {}
    }
    for (keyword, line) in [("ENTRYPOINT", &runtime.entrypoint), ("CMD", &runtime.cmd)] {
        match line {
            Line::Absent => {}
            Line::Verbatim(instr) => lines.push(verbatim(source, instr)),
            Line::Exec(words, sep) => {
                lines.push(format!("{} {}", kw(keyword), json_array(words, sep)))
            }
        }
    }
    let mut edits = Vec::new();
    if single.stage.name.is_none() {
        edits.push(Edit::insert(
            single.base.span.end,
            format!(" {} {builder}", kw("AS")),
        ));
    }
    let ends_with_newline = source.ends_with('\n');
    let blank_before = source.ends_with(&format!("{newline}{newline}")) || source.is_empty();
    let mut text = String::new();
    if !ends_with_newline && !source.is_empty() {
        text.push_str(newline);
    }
    if !blank_before {
        text.push_str(newline);
    }
    text.push_str(&lines.join(newline));
    if ends_with_newline {
        text.push_str(newline);
    }
    edits.push(Edit::insert(source.len(), text));
    Ok(edits)
}

/// The Debian release of the image (`trixie` for `debian:13`).
pub(crate) fn debian_suite(single: &Single<'_, '_>) -> Option<String> {
    if let Some(suite) = &single.info.os_suite {
        return Some(suite.clone());
    }
    let major = single.info.version.as_deref()?.split('.').next()?;
    packages().debian_suite(major).map(str::to_string)
}

/// A RUN that installs `packages` in the runtime stage, in the package manager's idiom with
/// its cache removed.
pub(crate) fn install_run(
    single: &Single<'_, '_>,
    manager: PackageManager,
    packages: &[String],
) -> String {
    let run = keyword_like(&single.from.keyword_text, "RUN");
    let newline = crate::fix::line_ending(single.source());
    let list = packages.join(" ");
    match manager {
        PackageManager::Apk => format!("{run} apk add --no-cache {list}"),
        _ => format!(
            "{run} apt-get update \\{newline}    && apt-get install -y --no-install-recommends \
             {list} \\{newline}    && rm -rf /var/lib/apt/lists/*"
        ),
    }
}

/// `USER 1000`, `USER 1000:1000`: works without a passwd entry.
fn is_numeric_user(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty()
        && text
            .split(':')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// A carried instruction that refers to a variable the file does not define (the build
/// image's `$GOPATH`, `$JAVA_HOME`) would expand differently in the runtime image.
fn check_references(
    instr: &Instruction,
    declared: &BTreeSet<String>,
    escape: char,
) -> Result<(), Reason> {
    for name in var_names(instr.rest_text(), escape) {
        if !declared.contains(&name) {
            return Err(format!(
                "`{}` refers to `${name}`, which the build image sets",
                instr.keyword_text
            ));
        }
    }
    Ok(())
}

/// The instruction's text without its final line ending.
fn verbatim(source: &str, instr: &Instruction) -> String {
    let text = &source[instr.span.clone()];
    text.trim_end_matches(['\n', '\r']).to_string()
}

/// `["a", "b"]`.
pub(crate) fn json_array(words: &[String], sep: &str) -> String {
    let items: Vec<String> = words
        .iter()
        .map(|w| serde_json::to_string(w).unwrap_or_else(|_| format!("\"{w}\"")))
        .collect();
    format!("[{}]", items.join(sep))
}

/// `base` joined with `path` (absolute `path` wins).
pub(crate) fn join(base: &str, path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{}/{}", base.trim_end_matches('/'), path)
    }
}

/// An absolute path with `.`, `..` and repeated slashes resolved; `None` for a relative one.
pub(crate) fn normalize(path: &str) -> Option<String> {
    path.starts_with('/')
        .then(|| crate::semantic::clean_path(path))
}

/// Resolves a path where the instruction at `index` runs: absolute paths as they are,
/// relative ones against a WORKDIR the file sets.
pub(crate) fn resolve_at(single: &Single<'_, '_>, index: usize, path: &str) -> Option<String> {
    if path.starts_with('/') {
        return normalize(path);
    }
    normalize(&join(&single.workdir_at(index)?, path))
}

/// The minimal runtime images the knowledge base offers for `info` with this C library,
/// first the distroless ones (`scratch` needs more than a binary: certificates, passwd).
pub(crate) fn minimal_with_libc(
    info: &ImageInfo,
    libc: crate::knowledge::Libc,
) -> Option<&Suggestion> {
    info.minimal_alternatives().iter().find(|s| {
        s.libc == libc
            && s.repository != "scratch"
            && s.kind == SuggestionKind::Minimal
            && s.tag.as_deref() != Some("latest")
    })
}

/// The runtime image for a language whose runtime stage keeps its interpreter: the slim
/// variant of a full image, or the same image when it is slim or Alpine already.
pub(crate) fn slim_image(
    single: &Single<'_, '_>,
    runtime: &str,
    label: &str,
) -> Result<String, Reason> {
    if single.info.runtime.as_ref().map(|r| r.name.as_str()) != Some(runtime) {
        return Err(format!("`{}` is not a {label} image", single.base.raw));
    }
    match single.info.class {
        TagClass::Full => single
            .info
            .slim_alternative()
            .and_then(|s| single.runtime_reference(s))
            .ok_or_else(|| {
                format!(
                    "the knowledge base has no slim variant of `{}`",
                    single.base.raw
                )
            }),
        TagClass::Alpine => match glibc_target(single.ctx, single.stage.index) {
            Some(glibc) => Err(format!(
                "the MUSL rules move the stage to `{glibc}` (glibc) first; split it after that"
            )),
            None => Ok(single.same_image()),
        },
        TagClass::Slim => Ok(single.same_image()),
        _ => Err(format!(
            "`{}` is not a {label} runtime image",
            single.base.raw
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(normalize("/a/./b/../c//d").as_deref(), Some("/a/c/d"));
        assert_eq!(normalize("rel"), None);
        assert_eq!(join("/app", "./server"), "/app/./server");
        assert!(is_within("/app/x", "/app"));
        assert!(!is_within("/apple", "/app"));
        assert!(is_within("/app", "/app/"));
    }

    #[test]
    fn plain_and_references() {
        assert_eq!(
            plain_words("./server --port=8080"),
            Some(vec!["./server".into(), "--port=8080".into()])
        );
        assert_eq!(plain_words("app 2>&1 | tee log"), None);
        assert_eq!(plain_words("java -jar target/*.jar"), None);
        assert!(is_numeric_user("1000:1000"));
        assert!(!is_numeric_user("app"));
        assert_eq!(
            json_array(&["a".into(), "b\"".into()], ", "),
            r#"["a", "b\""]"#
        );
    }
}
