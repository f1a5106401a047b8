//! Go: build a static binary on the same golang image, run it on distroless static.
//!
//! The `go build` gets `CGO_ENABLED=0` (no libc needed), `-ldflags="-s -w"` (no symbol
//! table or DWARF) and an explicit `-o`; the runtime stage copies that one file to the same
//! path and runs as the distroless nonroot user.

use crate::fix::Edit;
use crate::knowledge::Libc;
use crate::rules::context::RunInfo;
use crate::shell::{Command, Word};

use crate::knowledge::packages;
use crate::rules::buildcheck::dockerignore::IgnoreFile;
use crate::rules::musl::common::{
    context_copies, context_entries, context_files, read_context_file,
};
use crate::syntax::Keyword;
use std::collections::BTreeSet;

use super::rewrite::{
    header_packages, join, minimal_with_libc, normalize, plain_words, resolve_at, split_edits,
    Planned, Reason, RuntimeStage, Single, Start, STANDARD_PATH,
};

/// `go build` flags that take a value (`-o out` or `-o=out`).
const VALUE_FLAGS: &[&str] = &[
    "o",
    "p",
    "C",
    "asmflags",
    "buildmode",
    "compiler",
    "gccgoflags",
    "gcflags",
    "installsuffix",
    "ldflags",
    "mod",
    "modfile",
    "overlay",
    "pgo",
    "pkgdir",
    "tags",
    "toolexec",
    "coverpkg",
    "covermode",
];

/// Flags that need cgo or change what is built: no static rewrite with them.
const REFUSED_FLAGS: &[&str] = &[
    "race",
    "msan",
    "asan",
    "buildmode",
    "linkshared",
    "C",
    "compiler",
];

/// What one `go build` says.
#[derive(Debug, Default)]
pub(crate) struct GoBuild {
    /// `-o` value as written.
    pub output: Option<String>,
    pub has_ldflags: bool,
    /// Package paths or `.go` files.
    pub packages: Vec<String>,
}

/// Reads `go build`'s arguments (after `build`).
pub(crate) fn parse_build(args: &[Word]) -> Result<GoBuild, Reason> {
    let mut build = GoBuild::default();
    let mut i = 0;
    while i < args.len() {
        let word = &args[i];
        i += 1;
        let Some(flag) = word.text().strip_prefix('-') else {
            let package = word
                .value
                .as_deref()
                .map(str::to_string)
                .ok_or_else(|| format!("the package `{}` is not a literal", word.raw))?;
            build.packages.push(package);
            continue;
        };
        let flag = flag.strip_prefix('-').unwrap_or(flag);
        // The value as written and, when it is a literal, its value.
        let (name, raw, value) = match flag.split_once('=') {
            Some((name, value)) => (name, value.to_string(), Some(value.to_string())),
            None if VALUE_FLAGS.contains(&flag) => match args.get(i) {
                Some(next) => {
                    i += 1;
                    (
                        flag,
                        next.raw.to_string(),
                        next.value.as_deref().map(str::to_string),
                    )
                }
                None => (flag, String::new(), None),
            },
            None => (flag, String::new(), None),
        };
        let value = if word.value.is_some() { value } else { None };
        if REFUSED_FLAGS.contains(&name) {
            return Err(format!("`go build -{name}` needs cgo or a special build"));
        }
        match name {
            "o" => {
                let output = value
                    .filter(|v| !v.is_empty())
                    .ok_or_else(|| "the `-o` path is not a literal".to_string())?;
                build.output = Some(output);
            }
            "ldflags" => {
                if raw.contains("linkmode") || raw.contains("extldflags") {
                    return Err("the build links externally (`-linkmode`)".into());
                }
                build.has_ldflags = true;
            }
            _ => {}
        }
    }
    Ok(build)
}

/// The binary name `go build` gives a package: `./cmd/server` → `server`, `main.go` →
/// `main`; `None` for the current directory (named after the module).
pub(crate) fn default_name(packages: &[String]) -> Result<Option<String>, Reason> {
    let first = match packages {
        [] => return Ok(None),
        [first] => first,
        [first, rest @ ..] if first.ends_with(".go") && rest.iter().all(|p| p.ends_with(".go")) => {
            first
        }
        _ => return Err("`go build` builds several packages".into()),
    };
    if first.contains("...") {
        return Err("`go build` builds a package pattern".into());
    }
    if let Some(file) = first.strip_suffix(".go") {
        return Ok(Some(file.rsplit('/').next().unwrap_or(file).to_string()));
    }
    let path = first.trim_end_matches('/');
    let last = path.rsplit('/').next().unwrap_or(path);
    Ok((!last.is_empty() && last != "." && last != "..").then(|| last.to_string()))
}

/// `go build` or `go install` of local packages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GoCommand {
    Build,
    Install,
}

impl GoCommand {
    fn word(self) -> &'static str {
        match self {
            GoCommand::Build => "build",
            GoCommand::Install => "install",
        }
    }
}

/// The `go build` commands of the stage, and the `go install`s of local packages (a tool
/// such as `go install golang.org/x/tools/cmd/stringer@v0.1` is not the program).
fn go_builds<'a>(single: &Single<'a, '_>) -> Vec<(&'a RunInfo<'a>, &'a Command, GoCommand)> {
    let mut found = Vec::new();
    for run in &single.runs {
        for command in run.commands() {
            let view = command.effective();
            if view.name() != Some("go") {
                continue;
            }
            let args = view.args();
            let kind = match args.first().map(|w| w.text()) {
                Some("build") => GoCommand::Build,
                Some("install")
                    if args[1..]
                        .iter()
                        .map(|w| w.text())
                        .filter(|t| !t.starts_with('-'))
                        .all(|p| p.starts_with('.')) =>
                {
                    GoCommand::Install
                }
                _ => continue,
            };
            found.push((*run, command, kind));
        }
    }
    found
}

/// A Go variable as the command at `index` sees it: an assignment on the command, the
/// file's ENV/ARG, else the image's own Dockerfile (`GOPATH=/go`). `Err` when the file sets
/// it to something dlint cannot read.
fn go_variable(
    single: &Single<'_, '_>,
    view: &crate::shell::CommandView<'_>,
    index: usize,
    name: &str,
) -> Result<Option<String>, Reason> {
    let prefix = format!("{name}=");
    if let Some(assignment) = view
        .assignments
        .iter()
        .find(|a| a.text().starts_with(&prefix))
    {
        return match &assignment.value {
            Some(value) => Ok(value.strip_prefix(&prefix).map(str::to_string)),
            None => Err(format!("`{name}` is set to a value dlint cannot read")),
        };
    }
    match single.env_value(index, name) {
        Some(Some(value)) => Ok(Some(value)),
        Some(None) => Err(format!("`{name}` is set to a value dlint cannot read")),
        None => Ok(single
            .info
            .provides
            .as_ref()
            .and_then(|p| p.env(name))
            .map(str::to_string)),
    }
}

/// The module path `go.mod` declares (`module example.com/app`), when the context has one.
fn module_path(single: &Single<'_, '_>) -> Option<String> {
    let text = go_mod(single)?;
    text.lines()
        .filter_map(|line| line.trim().strip_prefix("module"))
        .map(|rest| rest.trim().trim_matches('"').to_string())
        .find(|path| !path.is_empty())
}

/// The binary name of a module's root package: the last path element that is not a major
/// version suffix (`example.com/app/v2` → `app`).
fn module_binary_name(module: &str) -> Option<String> {
    let mut parts = module.rsplit('/');
    let last = parts.next()?;
    let is_major = last
        .strip_prefix('v')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let name = if is_major { parts.next()? } else { last };
    (!name.is_empty()).then(|| name.to_string())
}

/// The `go.mod` a context COPY of the stage brings in, when the build context is there.
fn go_mod(single: &Single<'_, '_>) -> Option<String> {
    let ctx = single.ctx;
    let mut found = None;
    for stage_copy in context_copies(ctx, single.stage.index) {
        let Some(source) = stage_copy.source.value.as_deref() else {
            continue;
        };
        for file in context_files(ctx, source, &|name| name == "go.mod") {
            if let Some(text) = read_context_file(ctx, &file) {
                found = Some(text);
            }
        }
    }
    found
}

/// Where `go install` puts the binary: `$GOBIN`, else the first `$GOPATH` entry's `bin/`.
fn install_dir(
    single: &Single<'_, '_>,
    view: &crate::shell::CommandView<'_>,
    index: usize,
) -> Result<String, Reason> {
    if let Some(gobin) = go_variable(single, view, index, "GOBIN")?.filter(|v| !v.is_empty()) {
        return normalize(&gobin).ok_or_else(|| format!("`GOBIN={gobin}` is not absolute"));
    }
    let gopath = go_variable(single, view, index, "GOPATH")?.ok_or_else(|| {
        format!(
            "dlint does not know `GOPATH` on `{}`: where `go install` puts the binary",
            single.base.raw
        )
    })?;
    let first = gopath.split(':').next().unwrap_or_default();
    normalize(&format!("{first}/bin")).ok_or_else(|| format!("`GOPATH={gopath}` is not absolute"))
}

/// How the program is built with cgo, when it is: why, and what the runtime stage needs.
struct Cgo {
    /// Why the program needs cgo, for the message.
    why: String,
    /// Shared libraries to copy from the builder (paths in the multiarch library directory).
    libraries: Vec<String>,
    /// The program links libstdc++ (C++ through cgo): distroless `cc`, not `base`.
    cplusplus: bool,
}

/// The multiarch library directory of the FROM's platform (Debian's layout).
fn library_dir(single: &Single<'_, '_>) -> Result<&'static str, Reason> {
    let platform = single.stage.platform.as_ref();
    match platform.map(|p| p.resolved.as_deref().unwrap_or(&p.raw)) {
        None | Some("linux/amd64") => Ok("/usr/lib/x86_64-linux-gnu"),
        Some("linux/arm64" | "linux/arm64/v8") => Ok("/usr/lib/aarch64-linux-gnu"),
        Some(other) => Err(format!(
            "no library directory is known for `--platform={other}`"
        )),
    }
}

pub(crate) fn rewrite(single: &Single<'_, '_>) -> Result<Planned, Reason> {
    let runtime_name = single.info.runtime.as_ref().map(|r| r.name.as_str());
    if runtime_name != Some("go") {
        return Err(format!("`{}` is not a Go toolchain image", single.base.raw));
    }
    let builds = go_builds(single);
    let (run, command, kind) = match builds.as_slice() {
        [one] => *one,
        [] => return Err("the binary is not built with `go build` or `go install`".into()),
        _ => return Err("the stage runs several `go build`s or `go install`s".into()),
    };
    super::rewrite::plain_command(command)?;
    let view = command.effective();
    if !view.wrappers.is_empty() {
        return Err(format!("`go {}` runs through a wrapper", kind.word()));
    }
    let build = parse_build(&view.args()[1..])?;
    if kind == GoCommand::Install && build.output.is_some() {
        return Err("`go install -o` is not a flag Go accepts".into());
    }

    // cgo: on unless the file turns it off; a build that turns it on explicitly wants it.
    let assignment = view
        .assignments
        .iter()
        .find_map(|a| a.text().strip_prefix("CGO_ENABLED="));
    let cgo_setting = match assignment {
        Some(value) => Some(value.to_string()),
        None => single.env_value(run.index, "CGO_ENABLED").flatten(),
    };
    let mut notes = Vec::new();
    let cgo = match cgo_setting.as_deref() {
        Some("0") => None,
        None => {
            let (cgo, note) = cgo_use(single, None)?;
            notes.extend(note);
            cgo
        }
        Some(_) => cgo_use(single, Some("the build sets `CGO_ENABLED=1`"))?.0,
    };

    let start = single.start();
    // A start line that needs a shell runs the static binary on an image with one.
    let (entrypoint, cmd, program, shell_image) = match start.without_shell() {
        Ok((entrypoint, cmd)) => {
            let (_, argv) = start.argv()?;
            (entrypoint, cmd, argv[0].clone(), None)
        }
        Err(no_shell) if cgo.is_none() => {
            let (program, image) =
                shell_start(single, &start).map_err(|why| format!("{no_shell}; {why}"))?;
            let (entrypoint, cmd) = start.verbatim();
            (entrypoint, cmd, program, Some(image))
        }
        Err(no_shell) => return Err(no_shell),
    };
    let program = &program;
    let program_name = program
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty())
        .unwrap_or("app")
        .to_string();
    let (output, program_path) = match kind {
        GoCommand::Build => {
            let name = default_name(&build.packages)?.unwrap_or(program_name);
            let output = match &build.output {
                Some(o) if o.ends_with('/') => resolve_at(single, run.index, &format!("{o}{name}")),
                Some(o) => resolve_at(single, run.index, o),
                None => resolve_at(single, run.index, &name),
            }
            .ok_or_else(|| {
                "the binary's path is relative to a working directory the file does not set"
                    .to_string()
            })?;
            let program_path = single.program_path(program, &output)?;
            single.reaches(&output, &program_path)?;
            (output, program_path)
        }
        GoCommand::Install => installed_binary(single, &view, run.index, &build, program)?,
    };
    if plain_words(&output).is_none_or(|w| w.len() != 1) {
        return Err(format!("the output path `{output}` needs quoting"));
    }

    let build_dir = single.workdir_at(run.index);
    single.runs_are_build_only(|name, _| name == "go", std::slice::from_ref(&output))?;
    single.copies_land_in(build_dir.as_deref())?;
    let (carried, note) = runtime_files(single)?;
    notes.extend(note);

    let (runtime, libraries) = match &cgo {
        None if shell_image.is_some() => (shell_image.clone().unwrap_or_default(), Vec::new()),
        None => (
            minimal_with_libc(single.info, Libc::None)
                .ok_or_else(|| {
                    "the knowledge base names no static runtime image for Go".to_string()
                })?
                .reference(),
            Vec::new(),
        ),
        Some(cgo) => {
            if single.info.libc != Libc::Glibc {
                return Err(format!(
                    "{}: a cgo binary built on `{}` links musl, and no distroless image has it",
                    cgo.why, single.base.raw
                ));
            }
            let image = glibc_runtime(single, cgo.cplusplus)?;
            notes.push(format!(
                "{}; the binary stays dynamically linked against glibc, so it runs on `{image}`, \
                 not on distroless static",
                cgo.why
            ));
            (image, cgo.libraries.clone())
        }
    };

    let mut edits = Vec::new();
    if cgo.is_none() && cgo_setting.is_none() {
        edits.push(Edit::insert(command.span.start, "CGO_ENABLED=0 "));
    }
    let build_word = &view.args()[0];
    let mut flags = String::new();
    if !build.has_ldflags {
        flags.push_str(" -ldflags=\"-s -w\"");
    }
    if kind == GoCommand::Build && build.output.is_none() {
        flags.push_str(&format!(" -o {output}"));
    }
    if !flags.is_empty() {
        edits.push(Edit::insert(build_word.span.end, flags));
    }
    edits.extend(split_edits(
        single,
        &RuntimeStage {
            image: runtime.clone(),
            no_shell: shell_image.is_none(),
            other_family: true,
            copies: std::iter::once((output, program_path))
                .chain(libraries.into_iter().map(|l| (l.clone(), l)))
                .chain(carried)
                .collect(),
            env: Vec::new(),
            entrypoint,
            cmd,
        },
    )?);
    Ok(Planned {
        runtime,
        edits,
        notes,
    })
}

/// For a start line that needs a shell (`CMD sh -c "app 2>&1 | tee /var/log/app.log"`): the
/// program it runs (the one command the image with a shell does not provide) and that image
/// (`shell_runtime` of the Go static-linking recipe).
fn shell_start(single: &Single<'_, '_>, start: &Start<'_>) -> Result<(String, String), Reason> {
    let line = match (&start.entrypoint, &start.cmd) {
        (Some(_), Some(_)) => return Err("both ENTRYPOINT and CMD are set".into()),
        (Some(line), None) | (None, Some(line)) => line,
        (None, None) => return Err("no CMD or ENTRYPOINT names the program to run".into()),
    };
    let instr = line.instr;
    if instr.json || !instr.heredocs.is_empty() {
        return Err("dlint reads only plain shell-form start lines".into());
    }
    let image = single
        .ctx
        .knowledge()
        .static_recipe("go")
        .and_then(|r| r.shell_runtime.clone())
        .ok_or_else(|| "the knowledge base names no image with a shell for Go".to_string())?;
    let (repository, tag) = image.split_once(':').unwrap_or((image.as_str(), ""));
    let provides = single
        .ctx
        .knowledge()
        .classify(repository, (!tag.is_empty()).then_some(tag))
        .and_then(|info| info.provides)
        .ok_or_else(|| format!("dlint does not know what `{image}` provides"))?;
    let text = instr.line.text.get(instr.rest.clone()).unwrap_or_default();
    let script = crate::shell::parse_script(text, &instr.line.map.slice(instr.rest.clone()));
    if script.has_errors {
        return Err("the start line has shell syntax dlint cannot read".into());
    }
    let mut programs = BTreeSet::new();
    for command in &script.commands {
        let view = command.effective();
        if view.words.is_empty() {
            continue;
        }
        let name = view
            .name()
            .ok_or_else(|| "the start line runs a command that is not a literal".to_string())?;
        let builtin = name == "exec" || crate::rules::hadolint::dl3025::BUILTINS.contains(&name);
        if !builtin && !provides.has_command(name) {
            programs.insert(name.to_string());
        }
    }
    let mut programs = programs.into_iter();
    match (programs.next(), programs.next()) {
        (Some(program), None) => Ok((program, image)),
        (None, _) => Err("the start line runs no program of the build".into()),
        (Some(a), Some(b)) => Err(format!(
            "the start line runs `{a}` and `{b}`, and `{image}` has neither: only one of them \
             is the program the build makes"
        )),
    }
}

/// Where `go install` leaves the program the container runs, and where the runtime stage
/// puts it: the same path when the container names it by path; `/usr/local/bin` when it runs
/// it by name from the build image's PATH (distroless has no `$GOPATH/bin` on its PATH).
fn installed_binary(
    single: &Single<'_, '_>,
    view: &crate::shell::CommandView<'_>,
    index: usize,
    build: &GoBuild,
    program: &str,
) -> Result<(String, String), Reason> {
    let name = match default_name(&build.packages)? {
        Some(name) => name,
        None => module_path(single)
            .as_deref()
            .and_then(module_binary_name)
            .ok_or_else(|| {
                "`go install .` names the binary after the module, and `go.mod` was not read"
                    .to_string()
            })?,
    };
    let dir = install_dir(single, view, index)?;
    let output = format!("{dir}/{name}");
    if program.contains('/') {
        let program_path = single.program_path(program, &output)?;
        single.reaches(&output, &program_path)?;
        return Ok((output, program_path));
    }
    if program != name {
        return Err(format!(
            "the container runs `{program}`, not the installed `{name}`"
        ));
    }
    let last = single.body.last().map_or(index, |(i, _)| *i);
    let path = go_variable(single, view, last, "PATH")?.unwrap_or_default();
    let first_hit = path
        .split(':')
        .find(|d| !d.is_empty() && (*d == dir || STANDARD_PATH.contains(d)));
    if first_hit != Some(dir.as_str()) && !STANDARD_PATH.contains(&dir.as_str()) {
        return Err(format!(
            "`{program}` is run by name, and dlint cannot tell that `{dir}` comes first on the \
             image's PATH"
        ));
    }
    let destination = if STANDARD_PATH.contains(&dir.as_str()) {
        output.clone()
    } else {
        format!("/usr/local/bin/{name}")
    };
    Ok((output, destination))
}

/// The distroless image with glibc for a cgo binary: `base`, or `cc` for C++ (libstdc++).
fn glibc_runtime(single: &Single<'_, '_>, cplusplus: bool) -> Result<String, Reason> {
    let glibc = single.info.minimal_alternatives().iter().filter(|s| {
        s.libc == Libc::Glibc
            && s.kind == crate::knowledge::SuggestionKind::Minimal
            && s.tag.as_deref() != Some("latest")
    });
    let is_cc = |s: &&crate::knowledge::Suggestion| {
        s.repository
            .rsplit('/')
            .next()
            .is_some_and(|n| n.starts_with("cc-"))
    };
    let found = if cplusplus {
        glibc.clone().find(is_cc)
    } else {
        glibc.clone().find(|s| !is_cc(s))
    };
    found.map(|s| s.reference()).ok_or_else(|| {
        format!(
            "the knowledge base names no distroless image with glibc{} for Go",
            if cplusplus { " and libstdc++" } else { "" }
        )
    })
}

/// Whether the program needs cgo: `forced` when the build turns it on, else a module of
/// `go.mod` that needs it, a `-dev` library installed for the build, or `import "C"` in the
/// Go files at the top of the context. With cgo, the `-dev` libraries' shared libraries are
/// looked up in the knowledge base (unknown ones: no rewrite). `Ok((None, Some(note)))`
/// when `go.mod` cannot be read (the note says to check).
fn cgo_use(
    single: &Single<'_, '_>,
    forced: Option<&str>,
) -> Result<(Option<Cgo>, Option<String>), Reason> {
    let headers = header_packages(single);
    let ctx = single.ctx;
    let go_files: Vec<String> = context_entries(ctx, "")
        .unwrap_or_default()
        .iter()
        .filter(|(name, is_dir)| !is_dir && name.ends_with(".go"))
        .filter_map(|(name, _)| read_context_file(ctx, name))
        .collect();
    let go_mod = go_mod(single);
    let modules = go_mod
        .as_deref()
        .map(|m| packages().go_cgo_modules(m))
        .unwrap_or_default();
    let why = if let Some(forced) = forced {
        forced.to_string()
    } else if !modules.is_empty() {
        format!("`{}` needs cgo", modules.join("`, `"))
    } else if go_files.iter().any(|t| t.contains("import \"C\"")) {
        "a Go file imports \"C\" (cgo)".to_string()
    } else if !headers.is_empty() {
        format!(
            "the file installs `{}` for the build: the program likely uses cgo",
            headers.join(" ")
        )
    } else if go_mod.is_none() {
        return Ok((
            None,
            Some("`go.mod` not read: check the program needs no cgo".into()),
        ));
    } else {
        return Ok((None, None));
    };
    let dir = library_dir(single)?;
    let mut libraries = Vec::new();
    for header in &headers {
        let known = packages().go_cgo_runtime_libraries(header).ok_or_else(|| {
            format!(
                "{why}, and dlint does not know which shared libraries `{header}` needs at run \
                 time"
            )
        })?;
        libraries.extend(known.iter().map(|l| format!("{dir}/{l}")));
    }
    let cplusplus = go_files.iter().any(|t| t.contains("-lstdc++"))
        || context_entries(ctx, "")
            .unwrap_or_default()
            .iter()
            .any(|(name, is_dir)| {
                !is_dir && [".cc", ".cpp", ".cxx"].iter().any(|e| name.ends_with(e))
            });
    Ok((
        Some(Cgo {
            why,
            libraries,
            cplusplus,
        }),
        None,
    ))
}

/// A path copied from the builder to the same path in the runtime stage (from, to).
type Carried = (String, String);

/// More context entries than this to carry into the runtime stage: the context is not an
/// application's own directory, and carrying all of it is not a split anyone would review.
const MAX_CARRIED: usize = 12;

/// Names in the build context that only the build reads.
fn is_build_input(name: &str) -> bool {
    name.ends_with(".go")
        || name.ends_with(".md")
        || name.starts_with('.')
        || name.starts_with("Dockerfile")
        || name.ends_with(".Dockerfile")
        || name.ends_with(".dockerignore")
        || name.starts_with("README")
        || name.starts_with("LICENSE")
        || matches!(
            name,
            "go.mod" | "go.sum" | "go.work" | "go.work.sum" | "vendor" | "testdata" | "Makefile"
        )
}

/// A context directory holds Go sources (a package such as `cmd/server` or `internal/db`).
fn holds_go(single: &Single<'_, '_>, dir: &str, depth: usize) -> bool {
    let Some(entries) = context_entries(single.ctx, dir) else {
        return false;
    };
    entries.iter().any(|(name, is_dir)| {
        (!is_dir && name.ends_with(".go"))
            || (*is_dir && depth > 0 && holds_go(single, &format!("{dir}{name}/"), depth - 1))
    })
}

/// Files the program may read from its working directory at run time: what a `COPY .`
/// brings besides the Go sources (templates, static files, configuration) is carried into
/// the runtime stage at the same path. When the context cannot be listed, a note says so.
fn runtime_files(single: &Single<'_, '_>) -> Result<(Vec<Carried>, Option<String>), Reason> {
    let mut carried = Vec::new();
    for (index, instr) in &single.body {
        if !matches!(instr.keyword, Keyword::Copy | Keyword::Add) {
            continue;
        }
        if instr.flag("from").is_some() {
            carried.extend(copied_from_elsewhere(single, *index, instr)?);
            continue;
        }
        let Some((dest, sources)) = instr.args.split_last() else {
            continue;
        };
        if !sources
            .iter()
            .any(|s| matches!(s.value.trim_end_matches('/'), "." | ""))
        {
            continue;
        }
        let Some(dest) = resolve_at(single, *index, &dest.value) else {
            continue;
        };
        let Some(entries) = context_entries(single.ctx, "") else {
            return Ok((
                Vec::new(),
                Some("Context not listed: copy what the program reads at run time".into()),
            ));
        };
        let ignored = single
            .ctx
            .path
            .and_then(|path| IgnoreFile::for_dockerfile(path, single.ctx.files));
        for (name, is_dir) in entries {
            if is_build_input(&name)
                || ignored.as_ref().is_some_and(|i| i.excludes(&name))
                || (is_dir && holds_go(single, &format!("{name}/"), 3))
            {
                continue;
            }
            let path = join(&dest, &name);
            if plain_words(&path).is_none_or(|w| w.len() != 1) {
                return Err(format!("the context entry `{name}` needs quoting"));
            }
            carried.push((path.clone(), path));
        }
    }
    if carried.len() > MAX_CARRIED {
        return Err(format!(
            "`COPY .` brings {} files and directories besides the Go sources: which ones the \
             program reads at run time is for you to say",
            carried.len()
        ));
    }
    Ok((carried, None))
}

/// What a `COPY --from=<stage or image>` puts in the builder: dlint cannot tell a build
/// input (assets `go:embed` compiles in) from a file the program reads at run time, so the
/// runtime stage gets it too, at the same path.
fn copied_from_elsewhere(
    single: &Single<'_, '_>,
    index: usize,
    instr: &crate::syntax::Instruction,
) -> Result<Vec<Carried>, Reason> {
    let Some((dest, sources)) = instr.args.split_last() else {
        return Ok(Vec::new());
    };
    let resolved = resolve_at(single, index, &dest.value).ok_or_else(|| {
        format!(
            "`COPY --from` writes `{}`, relative to a working directory the file does not set",
            dest.value
        )
    })?;
    let into_dir =
        dest.value.ends_with('/') || matches!(dest.value.as_str(), "." | "./") || sources.len() > 1;
    let mut paths = Vec::new();
    if into_dir {
        for source in sources {
            let name = source
                .value
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("");
            if name.is_empty() || name.contains(['*', '?', '[']) {
                return Err(format!(
                    "`COPY --from` copies `{}`, whose name in the runtime stage dlint cannot tell",
                    source.value
                ));
            }
            paths.push(join(&resolved, name));
        }
    } else {
        paths.push(resolved);
    }
    paths
        .into_iter()
        .map(|path| {
            if plain_words(&path).is_none_or(|w| w.len() != 1) {
                return Err(format!("the path `{path}` needs quoting"));
            }
            Ok((path.clone(), path))
        })
        .collect()
}

/// The runtime image the split names: distroless static.
pub(crate) fn runtime(single: Option<&Single<'_, '_>>) -> Option<String> {
    single
        .and_then(|s| minimal_with_libc(s.info, Libc::None))
        .map(|s| s.reference())
}

/// What to do by hand when the rewrite is not safe to make.
pub(crate) fn advice(single: Option<&Single<'_, '_>>) -> String {
    let cgo = single.filter(|s| !matches!(cgo_use(s, None), Ok((None, _))));
    if let Some(single) = cgo {
        let runtime = glibc_runtime(single, false)
            .map(|r| format!("`{r}`"))
            .unwrap_or_else(|_| "a distroless image with glibc".into());
        return format!(
            "Build in a stage of its own with `go build -ldflags=\"-s -w\" -o /app` (cgo stays \
             on), then `COPY --from=build /app /app` into {runtime} with the shared libraries \
             the binary links"
        );
    }
    let runtime = runtime(single)
        .map(|r| format!("`{r}`"))
        .unwrap_or_else(|| "a distroless static image".into());
    format!(
        "Build in a stage of its own with `CGO_ENABLED=0 go build -ldflags=\"-s -w\" -o /app`, \
         then `COPY --from=build /app /app` into {runtime}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_binaries_like_go_build() {
        let name = |p: &[&str]| {
            default_name(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
        };
        assert_eq!(name(&["./cmd/server"]), Some("server".into()));
        assert_eq!(name(&["./cmd/server/"]), Some("server".into()));
        assert_eq!(name(&["main.go", "util.go"]), Some("main".into()));
        assert_eq!(name(&["."]), None);
        assert_eq!(name(&[]), None);
        assert!(default_name(&["./...".into()]).is_err());
        assert!(default_name(&["./a".into(), "./b".into()]).is_err());
    }
}
