//! What the MUSL rules share: which stages run on musl, the pip and npm installs of a RUN, the
//! dependency files copied from the build context, and the fix that moves a stage group to
//! the glibc variant of its image while translating `apk` to `apt-get`.

use crate::rules::options::PIP_VALUE_OPTIONS;
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use crate::fix::{Edit, Fix};
use crate::knowledge::{packages, ImageInfo, ImageKind, Libc, PackageManager, Suggestion};
use crate::rules::cache::common::{package_commands, PackageCommand};
use crate::rules::image::common::{swap_image, ShippedBase};
use crate::rules::image::provides::{describe, install_edits, missing, python_source_builds, uses};
use crate::rules::stage::common::{copy_args, CopyPath};
use crate::rules::{Context, RunInfo, Violation};
use crate::semantic::{Base, ImageRef};
use crate::shell::Word;
use crate::syntax::Keyword;

/// A stage whose root image uses musl (Alpine).
pub(crate) struct MuslStage<'a> {
    pub stage: usize,
    /// The stage at the root of its FROM chain, whose FROM names the image.
    pub root: usize,
    pub base: &'a Base,
    pub image: &'a ImageRef,
    /// What the knowledge base knows of the image; `None` for an image it does not list whose
    /// name or tag says `alpine` (`frolvlad/alpine-python3`, `registry/app:1-alpine`).
    pub info: Option<&'a ImageInfo>,
}

impl MuslStage<'_> {
    /// The image as written after FROM, for messages.
    pub fn image_text(&self) -> &str {
        &self.base.raw
    }

    /// `python:3.12-slim`: the same version on glibc, when the knowledge base has one.
    pub fn glibc_alternative(&self) -> Option<&Suggestion> {
        self.info?.glibc_alternative()
    }
}

/// The stage's root image, when the knowledge base says it uses musl.
pub(crate) fn musl_stage<'a>(ctx: &'a Context<'_>, stage: usize) -> Option<MuslStage<'a>> {
    let root = ctx.model.stages.get(stage)?.root;
    let base = ctx.model.stages.get(root)?.base.as_ref()?;
    let image = base.resolved.as_ref()?;
    let info = ctx.base_info(root);
    let musl = match info {
        Some(info) => info.libc == Libc::Musl,
        None => says_alpine(image),
    };
    musl.then_some(MuslStage {
        stage,
        root,
        base,
        image,
        info,
    })
}

/// An image the knowledge base does not list, named like an Alpine one: `alpine` in the last
/// path component or as a word of the tag.
fn says_alpine(image: &ImageRef) -> bool {
    let name = image.path.rsplit('/').next().unwrap_or(&image.path);
    let words = |text: &str| {
        text.split(['-', '_', '.', ':']).any(|w| {
            w.strip_prefix("alpine")
                .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit()))
        })
    };
    words(name) || image.tag.as_deref().is_some_and(words)
}

/// The glibc image the MUSL rules move `stage` to: set when its root image uses musl and
/// MUSL001 or MUSL002 finds a native package in the file. The split (STG001) then names
/// this image too, and does not rewrite the stage before the move: one decision per stage.
pub(crate) fn glibc_target(ctx: &Context<'_>, stage: usize) -> Option<String> {
    use crate::rules::Check;
    let glibc = musl_stage(ctx, stage)?.glibc_alternative()?.reference();
    let mut found = Vec::new();
    super::musl_python_native_package::MuslPythonNativePackage.check(ctx, &mut found);
    if found.is_empty() {
        super::musl_node_native_module::MuslNodeNativeModule.check(ctx, &mut found);
    }
    (!found.is_empty()).then_some(glibc)
}

/// Every stage of the file that runs on musl.
pub(crate) fn musl_stages<'a>(ctx: &'a Context<'_>) -> Vec<MuslStage<'a>> {
    (0..ctx.model.stages.len())
        .filter_map(|s| musl_stage(ctx, s))
        .collect()
}

/// A `pip install` with its arguments sorted out.
pub(crate) struct PipInstall<'a> {
    /// Requirement specifiers and URLs (option values left out).
    pub requirements: Vec<&'a Word>,
    /// `-r FILE` / `--requirement FILE` values.
    pub requirement_files: Vec<String>,
}

/// `pip`, `pip3`, `pip3.12`.
fn is_pip(name: &str) -> bool {
    name.strip_prefix("pip")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `python`, `python3`, `python3.12`.
fn is_python(name: &str) -> bool {
    name.strip_prefix("python")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// The `pip install`s and `pip wheel`s of a RUN (`pip`, `pip3.12`, `python3 -m pip`): both
/// build packages that have no matching wheel.
pub(crate) fn pip_install_args<'a>(run: &'a RunInfo<'a>) -> Vec<PipInstall<'a>> {
    let mut out = Vec::new();
    for (command, name) in run.named_commands() {
        if !is_pip(name) && !is_python(name) {
            continue;
        }
        let view = command.effective();
        let args = view.args();
        let pip_args = if is_pip(name) {
            args
        } else if is_python(name) {
            match args.iter().position(|w| w.is("-m")) {
                Some(m) if args.get(m + 1).is_some_and(|w| w.is("pip")) => &args[m + 2..],
                _ => continue,
            }
        } else {
            continue;
        };
        let Some(sub) = pip_args.iter().position(|w| !w.text().starts_with('-')) else {
            continue;
        };
        if !(pip_args[sub].is("install") || pip_args[sub].is("wheel")) {
            continue;
        }
        let mut requirements = Vec::new();
        let mut requirement_files = Vec::new();
        let mut words = pip_args[sub + 1..].iter();
        while let Some(word) = words.next() {
            let text = word.text();
            if let Some(file) = text
                .strip_prefix("--requirement=")
                .or_else(|| text.strip_prefix("-r").filter(|f| !f.is_empty()))
            {
                requirement_files.push(file.to_string());
                continue;
            }
            if !text.starts_with('-') {
                requirements.push(word);
                continue;
            }
            if PIP_VALUE_OPTIONS.contains(&text) {
                let value = words.next();
                if matches!(text, "-r" | "--requirement") {
                    requirement_files.extend(value.map(|v| v.text().to_string()));
                }
            }
        }
        out.push(PipInstall {
            requirements,
            requirement_files,
        });
    }
    out
}

/// An npm, yarn or pnpm install.
pub(crate) struct NodeInstall<'a> {
    /// Package specifiers named on the command line.
    pub packages: Vec<&'a Word>,
    /// Development dependencies are left out (`--production`, `--omit=dev`, `--prod`).
    pub production: bool,
}

const NPM_VALUE_OPTIONS: &[&str] = &[
    "--prefix",
    "-w",
    "--workspace",
    "--registry",
    "--cache",
    "--tag",
    "--omit",
    "--include",
    "--userconfig",
    "--loglevel",
    "--before",
    "--network-timeout",
    "--modules-folder",
    "--cwd",
    "--filter",
    "-F",
    "--dir",
    "-C",
];

/// The installs of a RUN: `npm install|i|ci|add`, `yarn [install|add|global add]`,
/// `pnpm install|i|add`.
pub(crate) fn node_installs<'a>(ctx: &Context<'_>, run: &'a RunInfo<'a>) -> Vec<NodeInstall<'a>> {
    let mut out = Vec::new();
    let production_env = ctx
        .model
        .state_at(run.index)
        .and_then(|s| s.vars.get("NODE_ENV"))
        .and_then(|v| v.value.known())
        == Some("production");
    for (command, tool) in run.named_commands() {
        if !matches!(tool, "npm" | "yarn" | "pnpm") {
            continue;
        }
        let view = command.effective();
        let mut words = view.args().iter().peekable();
        let mut positional = Vec::new();
        let mut production = production_env
            || view
                .assignments
                .iter()
                .any(|a| a.text() == "NODE_ENV=production");
        while let Some(word) = words.next() {
            let text = word.text();
            if text.starts_with('-') {
                if matches!(
                    text,
                    "--production"
                        | "--prod"
                        | "-P"
                        | "--omit=dev"
                        | "--only=prod"
                        | "--only=production"
                ) {
                    production = true;
                }
                if NPM_VALUE_OPTIONS.contains(&text) {
                    let value = words.next();
                    if text == "--omit" && value.is_some_and(|v| v.is("dev")) {
                        production = true;
                    }
                }
                continue;
            }
            positional.push(word);
        }
        let (subcommand, rest) = match positional.split_first() {
            Some((first, rest)) => (first.text(), rest),
            None if tool == "yarn" => ("install", &[][..]),
            None => continue,
        };
        let packages: Vec<&Word> = match (tool, subcommand) {
            ("npm", "install" | "i" | "add" | "in" | "ci") => rest.to_vec(),
            ("yarn", "add") => rest.to_vec(),
            ("yarn", "global") if rest.first().is_some_and(|w| w.is("add")) => rest[1..].to_vec(),
            ("yarn", "install") => Vec::new(),
            ("pnpm", "install" | "i" | "add") => rest.to_vec(),
            _ => continue,
        };
        out.push(NodeInstall {
            packages,
            production,
        });
    }
    out
}

/// A file or directory copied from the build context (COPY/ADD without `--from`).
pub(crate) struct ContextCopy<'a> {
    pub source: CopyPath<'a>,
}

/// The build-context sources copied by the stage's own instructions.
pub(crate) fn context_copies<'a>(ctx: &'a Context<'_>, stage: usize) -> Vec<ContextCopy<'a>> {
    let Some(info) = ctx.model.stages.get(stage) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for index in info.from_instruction..info.instructions.end {
        let instr = ctx.instructions()[index];
        if !matches!(instr.keyword, Keyword::Copy | Keyword::Add) || instr.flag("from").is_some() {
            continue;
        }
        let Some(paths) = copy_args(ctx, index) else {
            continue;
        };
        for source in paths.sources {
            if source.value.as_deref().is_some_and(|v| !v.contains("://")) {
                out.push(ContextCopy { source });
            }
        }
    }
    out
}

/// The largest dependency file dlint reads from the build context.
const MAX_CONTEXT_FILE: u64 = 1 << 20;

/// Reads `relative` (a COPY source, relative to the build context, which dlint takes to be the
/// Dockerfile's directory). `None` when there is no path, the file is missing, too large,
/// unreadable, or the path leaves the context.
pub(crate) fn read_context_file(ctx: &Context<'_>, relative: &str) -> Option<String> {
    let path = context_path(ctx, relative)?;
    let meta = std::fs::metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > MAX_CONTEXT_FILE {
        return None;
    }
    let bytes = std::fs::read(&path).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The entries of a directory of the build context (`""` for its top), each with whether it
/// is a directory, sorted; `None` when there is no path or the directory cannot be read.
pub(crate) fn context_entries(ctx: &Context<'_>, dir: &str) -> Option<Vec<(String, bool)>> {
    let path = context_path(ctx, dir)?;
    let mut found: Vec<(String, bool)> = std::fs::read_dir(path)
        .ok()?
        .filter_map(|e| {
            let e = e.ok()?;
            let is_dir = e.file_type().ok()?.is_dir();
            Some((e.file_name().into_string().ok()?, is_dir))
        })
        .collect();
    found.sort();
    Some(found)
}

fn context_path(ctx: &Context<'_>, relative: &str) -> Option<PathBuf> {
    let dir = ctx.path?.parent()?;
    // `Dockerfile` named without a directory: the context is the working directory (an
    // empty path lists nothing).
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let relative = Path::new(relative.trim_start_matches('/'));
    if relative
        .components()
        .any(|c| matches!(c, Component::ParentDir | Component::Prefix(_)))
    {
        return None;
    }
    Some(dir.join(relative))
}

/// The context files a COPY source names: the file itself, or the files matching a `*` in its
/// last component (`requirements*.txt`), or `wanted` inside a copied directory (`.`).
pub(crate) fn context_files(
    ctx: &Context<'_>,
    source: &str,
    wanted: &dyn Fn(&str) -> bool,
) -> Vec<String> {
    let source = source.trim_start_matches("./");
    let (dir, name) = match source.trim_end_matches('/').rsplit_once('/') {
        Some((dir, name)) => (format!("{dir}/"), name),
        None => (String::new(), source.trim_end_matches('/')),
    };
    if matches!(name, "" | ".") {
        // A whole directory: the dependency files at its top.
        let Some(path) = context_path(ctx, &dir) else {
            return Vec::new();
        };
        let mut found: Vec<String> = std::fs::read_dir(path)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| wanted(n))
            .map(|n| format!("{dir}{n}"))
            .collect();
        found.sort();
        return found;
    }
    if name.contains(['*', '?', '[']) {
        let Some(path) = context_path(ctx, &dir) else {
            return Vec::new();
        };
        let Some(pattern) = wildcard(name) else {
            return Vec::new();
        };
        let mut found: Vec<String> = std::fs::read_dir(path)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| wanted(n) && pattern.is_match(n))
            .map(|n| format!("{dir}{n}"))
            .collect();
        found.sort();
        return found;
    }
    if wanted(name) {
        vec![format!("{dir}{name}")]
    } else {
        Vec::new()
    }
}

/// The matcher of a COPY source's last part (`requirements*.txt`, `req?.txt`); `None` when
/// the pattern does not parse (it then fits nothing).
fn wildcard(pattern: &str) -> Option<globset::GlobMatcher> {
    Some(globset::Glob::new(pattern).ok()?.compile_matcher())
}

/// The requirement specifiers of a `requirements.txt` (options, comments and blank lines left
/// out).
pub(crate) fn requirements_txt(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split(" #").next().unwrap_or(l).trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('-'))
        .map(str::to_string)
        .collect()
}

/// The dependencies of a `pyproject.toml`: `[project] dependencies`, its
/// `optional-dependencies`, and Poetry's `[tool.poetry.dependencies]` names.
pub(crate) fn pyproject_toml(text: &str) -> Vec<String> {
    let Ok(value) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let strings = |v: Option<&toml::Value>| -> Vec<String> {
        v.and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    if let Some(project) = value.get("project").and_then(|p| p.as_table()) {
        out.extend(strings(project.get("dependencies")));
        if let Some(optional) = project
            .get("optional-dependencies")
            .and_then(|o| o.as_table())
        {
            for group in optional.values() {
                out.extend(strings(Some(group)));
            }
        }
    }
    if let Some(deps) = value
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(|p| p.get("dependencies"))
        .and_then(|d| d.as_table())
    {
        out.extend(deps.keys().filter(|k| *k != "python").cloned());
    }
    out
}

/// The dependency names of a `package.json` (`devDependencies` only when `with_dev`).
pub(crate) fn package_json(text: &str, with_dev: bool) -> Vec<String> {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let mut groups = vec!["dependencies", "optionalDependencies"];
    if with_dev {
        groups.push("devDependencies");
    }
    groups
        .iter()
        .filter_map(|g| value.get(*g)?.as_object())
        .flat_map(|deps| deps.keys().cloned())
        .collect()
}

/// The stages that exchange files with `stage` (through FROM, COPY --from or mounts, in either
/// direction, transitively): they must agree on libc.
fn connected(ctx: &Context<'_>, stage: usize) -> BTreeSet<usize> {
    let mut seen = BTreeSet::from([stage]);
    let mut stack = vec![stage];
    while let Some(s) = stack.pop() {
        for edge in &ctx.model.edges {
            let other = if edge.from == s {
                edge.to
            } else if edge.to == s {
                edge.from
            } else {
                continue;
            };
            if seen.insert(other) {
                stack.push(other);
            }
        }
    }
    seen
}

/// apk add options with an apt equivalent (or none needed).
const APK_ADD_OPTIONS: &[&str] = &[
    "--no-cache",
    "--update",
    "-U",
    "--update-cache",
    "--upgrade",
    "-u",
    "--no-progress",
    "-q",
    "--quiet",
    "-v",
    "--verbose",
    "--latest",
    "-l",
    "--clean-protected",
];

/// apk del options that change nothing on Debian.
const APK_DEL_OPTIONS: &[&str] = &[
    "-r",
    "--rdepends",
    "--purge",
    "--no-cache",
    "--no-progress",
    "-q",
    "--quiet",
];

/// Commands BusyBox ash runs and Debian's dash does not.
const ASH_ONLY_COMMANDS: &[&str] = &["source", "[["];

/// Commands whose Alpine (BusyBox) options differ from Debian's.
const ALPINE_ONLY_COMMANDS: &[&str] = &["addgroup", "adduser", "rc-update", "rc-service"];

/// The fix for a MUSL finding in `stage`: move every musl stage that exchanges files with it to
/// the glibc variant of its image, and translate their `apk` lines to `apt-get`. Unsafe when
/// every image has a glibc variant and every apk line a translation; otherwise display-only,
/// saying what stops it.
pub(crate) fn glibc_migration(ctx: &Context<'_>, stage: usize) -> Fix {
    match migration_edits(ctx, stage) {
        Ok((targets, edits)) => Fix::unsafe_edit(
            format!(
                "Use {} (glibc) and install packages with apt-get",
                targets.join(", ")
            ),
            edits,
        ),
        Err(reason) => Fix::display_only(reason),
    }
}

/// Pushes the violations found in musl stages (`(stage, violation)`), the first of each group
/// of connected stages in file order carrying the glibc migration: the others would make the
/// same edits.
pub(crate) fn attach_migration(
    ctx: &Context<'_>,
    mut found: Vec<(usize, Violation)>,
    out: &mut Vec<Violation>,
) {
    found.sort_by_key(|(_, v)| v.span.start);
    let mut done: Vec<BTreeSet<usize>> = Vec::new();
    for (stage, mut violation) in found {
        if !done.iter().any(|group| group.contains(&stage)) {
            done.push(connected(ctx, stage));
            let fix = glibc_migration(ctx, stage);
            violation = if fix.edits.is_empty() {
                violation.with_suggestion(fix)
            } else {
                violation.with_fix(fix)
            };
        }
        out.push(violation);
    }
}

fn migration_edits(ctx: &Context<'_>, stage: usize) -> Result<(Vec<String>, Vec<Edit>), String> {
    let roots: BTreeSet<usize> = connected(ctx, stage)
        .into_iter()
        .filter_map(|s| musl_stage(ctx, s).map(|m| m.root))
        .collect();
    let mut targets = Vec::new();
    let mut edits = Vec::new();
    let mut alternative = None;
    for &root in &roots {
        let Some(musl) = musl_stage(ctx, root) else {
            continue;
        };
        let (Some(info), Some(glibc)) = (musl.info.as_ref(), musl.glibc_alternative()) else {
            return Err(format!(
                "Use a glibc-based image instead of `{}` (no glibc variant of it is known)",
                musl.image_text()
            ));
        };
        alternative.get_or_insert_with(|| glibc.reference());
        if matches!(info.kind, ImageKind::Os | ImageKind::Unknown) {
            // alpine -> debian changes where and how everything is installed (Debian's
            // python3 has no venv or pip by default, its /bin/sh is dash): too much to
            // rewrite with confidence.
            return Err(format!(
                "Use `{}` (glibc) instead of `{}`, translating the stage by hand: the \
                 operating system's own packages differ",
                glibc.reference(),
                musl.image_text()
            ));
        }
        let shipped = ShippedBase {
            stage: root,
            base: musl.base,
            image: musl.image,
            info,
        };
        let edit = swap_image(&shipped, glibc).map_err(|reason| {
            format!(
                "Use `{}` (glibc) instead of `{}` (not rewritten: {reason})",
                glibc.reference(),
                musl.image_text()
            )
        })?;
        edits.push(edit);
        // What the stages use that the glibc image lacks (Alpine's BusyBox wget, …): install
        // it with apt-get, or leave the move to the author.
        let target_info = ctx
            .knowledge()
            .classify(&glibc.repository, glibc.tag.as_deref());
        let target_provides = target_info.as_ref().and_then(|t| t.provides.as_ref());
        let used = uses(ctx, root);
        let lacking = missing(&used, info.provides.as_ref(), target_provides);
        if !lacking.is_empty() {
            let (install, _) =
                install_edits(ctx, root, &lacking, target_provides).ok_or_else(|| {
                    format!(
                        "Use `{}` (glibc) instead of `{}`: the stages use {}, which it lacks",
                        glibc.reference(),
                        musl.image_text(),
                        describe(&lacking)
                    )
                })?;
            edits.extend(install);
        }
        let target = format!("`{}`", glibc.reference());
        if !targets.contains(&target) {
            targets.push(target);
        }
    }
    let by_hand = |why: String| {
        format!(
            "Use {} (glibc); {why}",
            alternative
                .as_deref()
                .map_or("a glibc-based image".to_string(), |a| format!("`{a}`"))
        )
    };
    let in_scope = |s: usize| {
        ctx.model
            .stages
            .get(s)
            .is_some_and(|stage| roots.contains(&stage.root))
    };
    // The stage's own SHELL or exec-form RUNs cannot be translated.
    for (index, instr) in ctx.instructions().iter().enumerate() {
        let Some(s) = ctx.model.stage_of(index) else {
            continue;
        };
        if !in_scope(s) {
            continue;
        }
        let shell = ctx
            .model
            .state_at(index)
            .and_then(|st| st.shell.first().cloned());
        if shell
            .as_deref()
            .is_some_and(|sh| sh.ends_with("/ash") || sh == "ash")
        {
            return Err(by_hand(
                "the stage runs `ash`, which Debian does not have".into(),
            ));
        }
        if instr.keyword == Keyword::Run
            && instr.json
            && instr
                .args
                .first()
                .is_some_and(|a| a.value.rsplit('/').next() == Some("apk"))
        {
            return Err(by_hand(
                "translate the exec-form `RUN [\"apk\", …]` by hand".into(),
            ));
        }
    }
    // On glibc pip installs manylinux wheels: when no package of the stages builds from
    // source there (no project without Linux wheels, no local project or VCS checkout whose
    // own code may be C, no node addon), the compilers and headers Alpine needed go.
    let drop_toolchain = roots
        .iter()
        .all(|&root| python_source_builds(ctx, root).is_empty())
        && !ctx
            .runs()
            .filter(|r| in_scope(r.stage))
            .any(|r| !node_installs(ctx, r).is_empty() || builds_local_project(r));
    let mut virtuals: Vec<(String, Vec<String>)> = Vec::new();
    for run in ctx.runs().filter(|r| in_scope(r.stage)) {
        for command in run.commands() {
            let view = command.effective();
            let Some(name) = view.name() else { continue };
            if ALPINE_ONLY_COMMANDS.contains(&name) {
                return Err(by_hand(format!(
                    "`{name}` takes BusyBox options on Alpine: translate it by hand"
                )));
            }
            if ASH_ONLY_COMMANDS.contains(&name) {
                return Err(by_hand(format!(
                    "`{name}` works in Alpine's ash but not in Debian's /bin/sh (dash): \
                     translate the RUN by hand"
                )));
            }
        }
        // `apk update && apk add x`: the add's translation need not update the lists again.
        let mut fresh_lists = false;
        for apk in package_commands(
            run,
            &["apk"],
            &["add", "del", "update"],
            &["-X", "--repository", "-p", "--root"],
        ) {
            let text = translate_apk(&apk, &mut virtuals, fresh_lists, drop_toolchain)
                .map_err(&by_hand)?;
            fresh_lists = apk.subcommand().is("update");
            let context = &apk.command.context;
            if context.in_pipeline
                || context.negated
                || context.after_or
                || context.in_condition
                || context.in_substitution
                || context.nested_in.is_some()
                || !apk.view.wrappers.is_empty()
            {
                return Err(by_hand(format!(
                    "translate `{}` by hand (it is part of a larger shell construct)",
                    run.source[apk.command.span.clone()].trim()
                )));
            }
            match text {
                Some(text) => edits.push(Edit::replace(apk.command.span.clone(), text)),
                None => edits.push(removal(run, apk.command).ok_or_else(|| {
                    by_hand(format!(
                        "remove `{}` by hand (only compilers, which glibc wheels do not need)",
                        run.source[apk.command.span.clone()].trim()
                    ))
                })?),
            }
        }
        // apk commands package_commands did not match (apk upgrade, apk info …).
        if let Some(other) = run.commands().find(|c| {
            let view = c.effective();
            view.name() == Some("apk")
                && !view
                    .args()
                    .iter()
                    .find(|w| !w.text().starts_with('-'))
                    .is_some_and(|w| matches!(w.text(), "add" | "del" | "update"))
        }) {
            return Err(by_hand(format!(
                "translate `{}` by hand",
                run.source[other.span.clone()].trim()
            )));
        }
    }
    Ok((targets, edits))
}

/// A `pip install` of a local project or a VCS/URL requirement (`.`, `-e .`, `git+https://…`):
/// its own code may be C that only a compiler builds.
fn builds_local_project(run: &RunInfo<'_>) -> bool {
    let local = |text: &str| {
        text.starts_with('.')
            || text.starts_with('/')
            || text.contains("://")
            || text.starts_with("git+")
    };
    pip_install_args(run)
        .iter()
        .any(|pip| pip.requirements.iter().any(|w| local(w.text())))
        || run.commands().any(|c| {
            let view = c.effective();
            view.name()
                .is_some_and(|n| n.starts_with("pip") || n.starts_with("python"))
                && view.args().iter().any(|w| w.is("-e") || w.is("--editable"))
        })
}

/// The edit that removes `command` from its RUN: with the `&&`/`;` that joins it to the next
/// command (or the previous one), or the whole RUN when it is the only command.
fn removal(run: &RunInfo<'_>, command: &crate::shell::Command) -> Option<Edit> {
    let commands: Vec<&crate::shell::Command> = run.commands().collect();
    let at = commands.iter().position(|c| std::ptr::eq(*c, command))?;
    let joiner = |text: &str| {
        text.chars()
            .all(|c| c.is_whitespace() || matches!(c, '&' | ';' | '\\'))
    };
    let source = run.source;
    if let Some(next) = commands.get(at + 1) {
        if joiner(source.get(command.span.end..next.span.start)?) {
            return Some(Edit::delete(command.span.start..next.span.start));
        }
    }
    if let Some(previous) = at.checked_sub(1).and_then(|i| commands.get(i)) {
        if joiner(source.get(previous.span.end..command.span.start)?) {
            return Some(Edit::delete(previous.span.end..command.span.end));
        }
    }
    (commands.len() == 1 && run.instruction.heredocs.is_empty())
        .then(|| Edit::delete(run.instruction.span.clone()))
}

/// The apt-get command for one apk command; `Ok(None)` when nothing is left to do on Debian
/// (only compilers and headers, dropped); `Err` says why there is none.
fn translate_apk(
    apk: &PackageCommand<'_>,
    virtuals: &mut Vec<(String, Vec<String>)>,
    lists_updated: bool,
    drop_toolchain: bool,
) -> Result<Option<String>, String> {
    let subcommand = apk.subcommand().text().to_string();
    if apk.view.args()[..apk.subcommand_at]
        .iter()
        .any(|w| !APK_ADD_OPTIONS.contains(&w.text()))
    {
        return Err(
            "translate this `apk` line by hand (its options have no apt equivalent)".into(),
        );
    }
    if subcommand == "update" {
        return Ok(Some("apt-get update".to_string()));
    }
    let (allowed, verb) = if subcommand == "add" {
        (APK_ADD_OPTIONS, "add")
    } else {
        (APK_DEL_OPTIONS, "del")
    };
    let mut words = apk.rest().iter();
    let mut virtual_name = None;
    let mut debian: Vec<String> = Vec::new();
    let push = |names: &[String], debian: &mut Vec<String>| {
        for n in names {
            if !debian.contains(n) {
                debian.push(n.clone());
            }
        }
    };
    while let Some(word) = words.next() {
        let text = word.text();
        if word.value.is_none() {
            return Err(format!(
                "`apk {verb} {}` names packages only known at build time",
                word.raw
            ));
        }
        if verb == "add" && matches!(text, "-t" | "--virtual") {
            virtual_name = words.next().map(|w| w.text().to_string());
            continue;
        }
        if let Some(v) = text.strip_prefix("--virtual=").filter(|_| verb == "add") {
            virtual_name = Some(v.to_string());
            continue;
        }
        if text.starts_with('-') {
            if !allowed.contains(&text) {
                return Err(format!("`apk {verb} {text}` has no apt equivalent"));
            }
            continue;
        }
        if verb == "del" {
            if let Some((_, names)) = virtuals.iter().find(|(v, _)| v == text) {
                push(&names.clone(), &mut debian);
                continue;
            }
        }
        if drop_toolchain && packages().is_build_toolchain(PackageManager::Apk, text) {
            continue;
        }
        if text.ends_with(".apk") || text.contains('/') {
            return Err(format!("`{text}` is an Alpine package file"));
        }
        match packages().apt_for_apk(text) {
            Some(names) => push(names, &mut debian),
            None => {
                return Err(format!(
                    "no Debian package is known for the Alpine package `{}`",
                    PackageManager::Apk.package_name(text)
                ))
            }
        }
    }
    if let Some(name) = virtual_name {
        virtuals.push((name, debian.clone()));
    }
    if debian.is_empty() {
        if drop_toolchain {
            return Ok(None);
        }
        return Err(format!("`apk {verb}` has nothing to translate to Debian"));
    }
    let list = debian.join(" ");
    let update = if lists_updated {
        ""
    } else {
        "apt-get update && "
    };
    Ok(Some(if verb == "add" {
        format!(
            "{update}apt-get install -y --no-install-recommends {list} \
             && rm -rf /var/lib/apt/lists/*"
        )
    } else {
        format!("apt-get purge -y --auto-remove {list}")
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        let fits = |pattern: &str, name: &str| wildcard(pattern).is_some_and(|g| g.is_match(name));
        assert!(fits("requirements*.txt", "requirements.txt"));
        assert!(fits("requirements*.txt", "requirements-dev.txt"));
        assert!(!fits("requirements*.txt", "requirements.in"));
        assert!(fits("*", "x"));
        assert!(fits("req?.txt", "req1.txt"));
        assert!(!fits("req[", "req["));
    }

    #[test]
    fn requirement_files() {
        let text = "# comment\nnumpy==1.26 # pinned\n-r base.txt\n\nPillow[webp]>=10\n";
        assert_eq!(
            requirements_txt(text),
            vec!["numpy==1.26", "Pillow[webp]>=10"]
        );
        let toml = "[project]\ndependencies = [\"numpy>=1\"]\n[project.optional-dependencies]\nx = [\"lxml\"]\n[tool.poetry.dependencies]\npython = \"^3.12\"\npandas = \"*\"\n";
        assert_eq!(pyproject_toml(toml), vec!["numpy>=1", "lxml", "pandas"]);
        let json = r#"{"dependencies": {"bcrypt": "^5"}, "devDependencies": {"sharp": "1"}}"#;
        assert_eq!(package_json(json, false), vec!["bcrypt"]);
        assert_eq!(package_json(json, true), vec!["bcrypt", "sharp"]);
    }
}
