//! Go: build a static binary on the same golang image, run it on distroless static.
//!
//! The `go build` gets `CGO_ENABLED=0` (no libc needed), `-ldflags="-s -w"` (no symbol
//! table or DWARF) and an explicit `-o` (`go install` keeps its command; `go_install.rs`
//! finds the binary); the runtime stage copies that one file and runs as the distroless
//! nonroot user. A program that needs cgo keeps it and runs on distroless base
//! (`go_cgo.rs`); a start line through `sh` runs on an image with a shell.

use std::collections::BTreeSet;

use crate::fix::Edit;
use crate::knowledge::Libc;
use crate::rules::context::RunInfo;
use crate::shell::{Command, Word};

use super::go_cgo::{cgo_use, glibc_runtime};
use super::go_files::runtime_files;
use super::go_install::installed_binary;
use super::rewrite::{
    minimal_with_libc, plain_words, resolve_at, split_edits, Planned, Reason, RuntimeStage, Single,
    Start,
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
        let builtin =
            name == "exec" || crate::rules::hadolint::shell_form_cmd::BUILTINS.contains(&name);
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
