//! What the stages built on one base need from it, and whether another base provides it.
//!
//! A base swap (`buildpack-deps:trixie` → `debian:trixie-slim`, `python:3.12` →
//! `python:3.12-slim`) is safe only when the new base has every command the stages' RUNs call
//! and every package their builds use, unless the file installs it first. The knowledge
//! base lists what each image variant provides (`provides` in `rules/images.toml`) and how
//! each checked command is installed (`[commands]` in `rules/packages.toml`).

use std::collections::BTreeSet;

use crate::fix::Edit;
use crate::knowledge::{packages, PackageManager, Provides};
use crate::rules::hadolint::common::keyword_like;
use crate::rules::musl::common::{
    context_copies, context_files, node_installs, pip_install_args, read_context_file,
    requirements_txt,
};
use crate::rules::stage::common::installed_operands;
use crate::rules::Context;
use crate::syntax::Keyword;

/// Something a RUN uses from the image: a command on the PATH or a package's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Needed {
    Command(String),
    Package(String),
}

impl Needed {
    pub fn name(&self) -> &str {
        match self {
            Needed::Command(name) | Needed::Package(name) => name,
        }
    }

    fn is_provided_by(&self, provides: &Provides) -> bool {
        match self {
            Needed::Command(name) => provides.has_command(name),
            Needed::Package(name) => provides.has_package(name),
        }
    }

    /// A compiler or `-dev` headers: work for a builder stage, not something to add to a
    /// smaller image.
    pub fn is_toolchain(&self) -> bool {
        match self {
            Needed::Command(name) => matches!(name.as_str(), "gcc" | "g++" | "cc" | "make"),
            Needed::Package(name) => {
                packages().is_build_toolchain(PackageManager::Apt, name) || name == "libc6-dev"
            }
        }
    }

    /// The Debian package that brings it.
    fn apt_package(&self) -> String {
        match self {
            Needed::Command(name) => packages()
                .command_packages(name)
                .map_or_else(|| name.clone(), |p| p.apt.clone()),
            Needed::Package(name) => name.clone(),
        }
    }
}

/// One use: what, where (instruction index, 1-based line), and why when it is not a plain
/// command (`psycopg2` compiles from source).
#[derive(Debug, Clone)]
pub(crate) struct Use {
    pub needed: Needed,
    pub index: usize,
    pub line: usize,
    pub because: Option<String>,
}

/// The first use of each checked command or package by the RUNs of the stages whose
/// filesystem starts from `root`'s base, in file order, leaving out what the file installs
/// before it is used.
pub(crate) fn uses(ctx: &Context<'_>, root: usize) -> Vec<Use> {
    let mut installed: BTreeSet<String> = BTreeSet::new();
    let mut found: Vec<Use> = Vec::new();
    let stages = &ctx.model.stages;
    let note = |needed: Needed, index: usize, because: Option<String>, found: &mut Vec<Use>| {
        if found.iter().any(|u| u.needed == needed) {
            return;
        }
        found.push(Use {
            needed,
            index,
            line: line_of(ctx, index),
            because,
        });
    };
    let requirement_files = copied_requirements(ctx, root);
    let addon = copies_native_addon(ctx, root);
    for run in ctx.runs() {
        if stages.get(run.stage).map(|s| s.root) != Some(root) {
            continue;
        }
        for command in run.commands() {
            let view = command.effective();
            let Some(name) = view.name() else { continue };
            if let Some(manager) = PackageManager::from_command(name) {
                for package in installed_operands(&view, manager).unwrap_or_default() {
                    installed.insert(manager.package_name(package));
                    for command in packages().commands_installed_by(manager, package) {
                        installed.insert(command.to_string());
                    }
                }
                continue;
            }
            let program = name.rsplit('/').next().unwrap_or(name);
            if packages().command_packages(program).is_some() && !installed.contains(program) {
                note(
                    Needed::Command(program.to_string()),
                    run.index,
                    None,
                    &mut found,
                );
                if matches!(program, "curl" | "wget" | "git")
                    && !installed.contains("ca-certificates")
                {
                    let why = format!("`{program}` needs CA certificates for HTTPS");
                    note(
                        Needed::Package("ca-certificates".into()),
                        run.index,
                        Some(why),
                        &mut found,
                    );
                }
            }
        }
        if addon && !node_installs(ctx, run).is_empty() {
            for tool in ["python3", "make", "g++"] {
                if !installed.contains(tool) {
                    let why = "node-gyp compiles `binding.gyp`".to_string();
                    note(
                        Needed::Command(tool.into()),
                        run.index,
                        Some(why),
                        &mut found,
                    );
                }
            }
        }
        {
            let requirements = run_requirements(run, &requirement_files);
            for requirement in &requirements {
                if requirement.starts_with("git+") && !installed.contains("git") {
                    let why = format!("pip clones `{requirement}`");
                    note(
                        Needed::Command("git".into()),
                        run.index,
                        Some(why),
                        &mut found,
                    );
                }
                let Some((project, build)) = packages().python_source_build(requirement) else {
                    continue;
                };
                for package in &build.apt_build {
                    if installed.contains(package) {
                        continue;
                    }
                    let needed = if package == "gcc" {
                        Needed::Command("gcc".into())
                    } else {
                        Needed::Package(package.clone())
                    };
                    let why = format!("pip builds `{project}` from source");
                    note(needed, run.index, Some(why), &mut found);
                }
            }
        }
    }
    // What the container runs (CMD, ENTRYPOINT, HEALTHCHECK): `HEALTHCHECK CMD curl -f …`
    // breaks on an image without curl just as a RUN does.
    for stage in stages.iter().filter(|s| s.root == root) {
        for index in stage.from_instruction + 1..stage.instructions.end {
            let instr = ctx.instructions()[index];
            if !matches!(
                instr.keyword,
                Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck
            ) {
                continue;
            }
            for program in started_programs(instr) {
                if packages().command_packages(&program).is_some() && !installed.contains(&program)
                {
                    let why = format!("the container's `{}` runs it", instr.keyword_text);
                    note(Needed::Command(program), index, Some(why), &mut found);
                }
            }
        }
    }
    found
}

/// The programs a CMD, ENTRYPOINT or HEALTHCHECK starts: the first word of its exec form
/// (and of an `sh -c` script in it), or the words in command position of its shell form.
fn started_programs(instr: &crate::syntax::Instruction) -> Vec<String> {
    let base = |word: &str| word.rsplit('/').next().unwrap_or(word).to_string();
    let script_programs = |script: &str| -> Vec<String> {
        let mut programs = Vec::new();
        let mut command_position = true;
        for word in script.split_whitespace() {
            if matches!(word, "&&" | "||" | ";" | "|") {
                command_position = true;
                continue;
            }
            if command_position && !word.contains('=') {
                programs.push(base(word.trim_end_matches(';')));
                command_position = false;
            }
            if word.ends_with(';') {
                command_position = true;
            }
        }
        programs
    };
    let mut values: Vec<String> = instr.values.clone();
    if instr.keyword == Keyword::Healthcheck {
        // `HEALTHCHECK [options] CMD …`: what follows CMD.
        let text = instr.rest_text();
        let Some(at) = text.find("CMD").or_else(|| text.find("cmd")) else {
            return Vec::new();
        };
        let rest = text[at + 3..].trim();
        if !rest.starts_with('[') {
            return script_programs(rest);
        }
        values = serde_json::from_str::<Vec<String>>(rest).unwrap_or_default();
    } else if !instr.json {
        return script_programs(instr.rest_text());
    }
    match values.as_slice() {
        [shell, flag, script, ..]
            if matches!(base(shell).as_str(), "sh" | "bash") && flag == "-c" =>
        {
            script_programs(script)
        }
        [first, ..] => vec![base(first)],
        [] => Vec::new(),
    }
}

/// The requirements the `pip install`s of a RUN name, on the command line or in a
/// requirements file copied from the build context.
fn run_requirements(
    run: &crate::rules::context::RunInfo<'_>,
    requirement_files: &[(String, Vec<String>)],
) -> Vec<String> {
    let mut requirements = Vec::new();
    for pip in pip_install_args(run) {
        requirements.extend(pip.requirements.iter().map(|w| w.text().to_string()));
        for file in &pip.requirement_files {
            let file = file.trim_start_matches("./");
            if let Some((_, listed)) = requirement_files
                .iter()
                .find(|(name, _)| name == file || name.ends_with(&format!("/{file}")))
            {
                requirements.extend(listed.iter().cloned());
            }
        }
    }
    requirements
}

/// The projects the stages on `root` pip-install that always compile (no Linux wheel), with
/// what they need: a venv built on the full image needs their run-time libraries wherever it
/// is copied.
pub(crate) fn python_source_builds(
    ctx: &Context<'_>,
    root: usize,
) -> Vec<(String, &'static crate::knowledge::SourceBuild)> {
    let requirement_files = copied_requirements(ctx, root);
    let mut found: Vec<(String, &crate::knowledge::SourceBuild)> = Vec::new();
    for run in ctx.runs() {
        if ctx.model.stages.get(run.stage).map(|s| s.root) != Some(root) {
            continue;
        }
        for requirement in run_requirements(run, &requirement_files) {
            if let Some((project, build)) = packages().python_source_build(&requirement) {
                if !found.iter().any(|(p, _)| *p == project) {
                    found.push((project, build));
                }
            }
        }
    }
    found
}

/// Requirement files the stages on `root` copy from the build context, with the
/// requirements they list.
fn copied_requirements(ctx: &Context<'_>, root: usize) -> Vec<(String, Vec<String>)> {
    if ctx.path.is_none() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for stage in ctx.model.stages.iter().filter(|s| s.root == root) {
        for copy in context_copies(ctx, stage.index) {
            let Some(source) = copy.source.value.as_deref() else {
                continue;
            };
            let wanted = |name: &str| name.starts_with("requirements") && name.ends_with(".txt");
            for file in context_files(ctx, source, &wanted) {
                if let Some(text) = read_context_file(ctx, &file) {
                    out.push((file, requirements_txt(&text)));
                }
            }
        }
    }
    out
}

/// The stages on `root` copy a `binding.gyp` from the build context: installing the
/// package compiles a native addon with node-gyp.
fn copies_native_addon(ctx: &Context<'_>, root: usize) -> bool {
    if ctx.path.is_none() {
        return false;
    }
    ctx.model
        .stages
        .iter()
        .filter(|s| s.root == root)
        .any(|stage| {
            context_copies(ctx, stage.index).iter().any(|copy| {
                copy.source.value.as_deref().is_some_and(|source| {
                    source.rsplit('/').next() == Some("binding.gyp")
                        || !context_files(ctx, source, &|name| name == "binding.gyp").is_empty()
                })
            })
        })
}

fn line_of(ctx: &Context<'_>, index: usize) -> usize {
    let start = ctx.instructions()[index].span.start;
    ctx.source()[..start].matches('\n').count() + 1
}

/// What the stages would miss on the new base: uses the current base satisfies (or may: it
/// is not known) and `target` does not. Everything is missing when `target` is not known.
pub(crate) fn missing<'u>(
    uses: &'u [Use],
    current: Option<&Provides>,
    target: Option<&Provides>,
) -> Vec<&'u Use> {
    uses.iter()
        .filter(|u| current.is_none_or(|c| u.needed.is_provided_by(c)))
        .filter(|u| target.is_none_or(|t| !u.needed.is_provided_by(t)))
        .collect()
}

/// `` `curl` (line 4), `gpg` (line 7) ``; uses for the same reason on the same line are
/// named together: `` `gcc`, `libpq-dev` (line 5: pip builds `psycopg2` from source) ``.
pub(crate) fn describe(missing: &[&Use]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for (i, u) in missing.iter().enumerate() {
        names.push(format!("`{}`", u.needed.name()));
        let next = missing.get(i + 1);
        if next.is_some_and(|n| n.line == u.line && n.because == u.because) {
            continue;
        }
        let place = match &u.because {
            Some(why) => format!("line {}: {why}", u.line),
            None => format!("line {}", u.line),
        };
        parts.push(format!("{} ({place})", names.join(", ")));
        names.clear();
    }
    parts.join(", ")
}

/// Edits that install `missing` with apt-get on a Debian-based new base, before the first
/// use: the packages are added to the first `apt-get install` of the stages on `root` that
/// runs before every use, else a RUN that installs them is added after the FROM. `None`
/// when the target has no apt-get or something missing is a toolchain (that belongs in a
/// builder stage, not in a smaller runtime image).
pub(crate) fn install_edits(
    ctx: &Context<'_>,
    root: usize,
    missing: &[&Use],
    target: Option<&Provides>,
) -> Option<(Vec<Edit>, Vec<String>)> {
    if missing.is_empty()
        || !target.is_some_and(|t| t.has_command("apt-get"))
        || missing.iter().any(|u| u.needed.is_toolchain())
    {
        return None;
    }
    let mut names: Vec<String> = Vec::new();
    for u in missing {
        let package = u.needed.apt_package();
        if !names.contains(&package) {
            names.push(package);
        }
    }
    let first_use = missing.iter().map(|u| u.index).min()?;
    let stages = &ctx.model.stages;
    for run in ctx.runs() {
        if run.index > first_use {
            break;
        }
        if stages.get(run.stage).map(|s| s.root) != Some(root) {
            continue;
        }
        for command in run.commands() {
            let view = command.effective();
            if view.name().and_then(PackageManager::from_command) != Some(PackageManager::Apt) {
                continue;
            }
            let install = view
                .args()
                .iter()
                .find(|w| !w.text().starts_with('-'))
                .is_some_and(|w| w.is("install"));
            if install && run.index < first_use {
                let end = view.words.last()?.span.end;
                return Some((
                    vec![Edit::insert(end, format!(" {}", names.join(" ")))],
                    names,
                ));
            }
        }
    }
    let stage = stages.get(root)?;
    let from = ctx.instructions()[stage.from_instruction];
    let source = ctx.source();
    let newline = crate::fix::line_ending(source);
    let run = keyword_like(&from.keyword_text, "RUN");
    let line = format!(
        "{run} apt-get update && apt-get install -y --no-install-recommends {} && rm -rf /var/lib/apt/lists/*",
        names.join(" ")
    );
    let text = if source[..from.span.end].ends_with('\n') {
        format!("{line}{newline}")
    } else {
        format!("{newline}{line}")
    };
    // Keep a FROM's own continuation lines and comments untouched: insert after its text.
    debug_assert!(from.keyword == Keyword::From);
    Some((vec![Edit::insert(from.span.end, text)], names))
}

/// Which wget a RUN calls: GNU wget takes `--progress`, BusyBox's does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WgetKind {
    Gnu,
    BusyBox,
    Unknown,
}

/// The wget the command at `at` (a byte offset) in `run` calls: one the file installed before
/// (apt's or apk's `wget` package, GNU), else the base image's (BusyBox on Alpine, GNU on
/// Debian), else unknown (an unknown or ARG-named base, an `ONBUILD RUN`).
pub(crate) fn wget_kind(
    ctx: &Context<'_>,
    run: &crate::rules::context::RunInfo<'_>,
    at: usize,
) -> WgetKind {
    if run.onbuild {
        return WgetKind::Unknown;
    }
    let Some(root) = ctx.model.stages.get(run.stage).map(|s| s.root) else {
        return WgetKind::Unknown;
    };
    let installed = ctx
        .runs()
        .filter(|r| r.index <= run.index)
        .filter(|r| ctx.model.stages.get(r.stage).map(|s| s.root) == Some(root))
        .flat_map(|r| r.commands().map(move |c| (r.index, c)))
        .filter(|(index, c)| *index < run.index || c.span.start < at)
        .any(|(_, c)| {
            let view = c.effective();
            let Some(manager) = view.name().and_then(PackageManager::from_command) else {
                return false;
            };
            installed_operands(&view, manager)
                .unwrap_or_default()
                .into_iter()
                .any(|p| manager.package_name(p) == "wget")
        });
    if installed {
        return WgetKind::Gnu;
    }
    let Some(info) = ctx.base_info(root) else {
        return WgetKind::Unknown;
    };
    match &info.provides {
        Some(p) if p.is_busybox("wget") => WgetKind::BusyBox,
        Some(p) if p.has_command("apk") => WgetKind::BusyBox,
        Some(p) if p.has_command("apt-get") => WgetKind::Gnu,
        _ if info.libc == crate::knowledge::Libc::Musl => WgetKind::BusyBox,
        _ => WgetKind::Unknown,
    }
}
