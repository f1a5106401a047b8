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
use crate::rules::musl::common::{
    context_copies, context_entries, context_files, read_context_file,
};
use crate::syntax::Keyword;

use super::rewrite::{
    header_packages, join, minimal_with_libc, plain_words, resolve_at, split_edits, Planned,
    Reason, RuntimeStage, Single,
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

/// The `go build` commands of the stage.
fn go_builds<'a>(single: &Single<'a, '_>) -> Vec<(&'a RunInfo<'a>, &'a Command)> {
    let mut found = Vec::new();
    for run in &single.runs {
        for command in run.commands() {
            let view = command.effective();
            if view.name() == Some("go") && view.args().first().is_some_and(|w| w.is("build")) {
                found.push((*run, command));
            }
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
    let (run, command) = match builds.as_slice() {
        [one] => *one,
        [] => return Err("the binary is not built with `go build`".into()),
        _ => return Err("the stage runs several `go build`s".into()),
    };
    super::rewrite::plain_command(command)?;
    let view = command.effective();
    if !view.wrappers.is_empty() {
        return Err("`go build` runs through a wrapper".into());
    }
    let build = parse_build(&view.args()[1..])?;

    // cgo: on unless the file turns it off; a build that turns it on explicitly wants it.
    let assignment = view
        .assignments
        .iter()
        .find_map(|a| a.text().strip_prefix("CGO_ENABLED="));
    let cgo = match assignment {
        Some(value) => Some(value.to_string()),
        None => single.env_value(run.index, "CGO_ENABLED").flatten(),
    };
    let needs_cgo_off = match cgo.as_deref() {
        Some("0") => false,
        None => true,
        Some(_) => {
            return Err(
                "the build enables cgo: the binary needs glibc (distroless base) at run time"
                    .into(),
            )
        }
    };

    let start = single.start();
    let (entrypoint, cmd) = start.without_shell()?;
    let (_, argv) = start.argv()?;
    let program = &argv[0];
    let name = match default_name(&build.packages)? {
        Some(name) => name,
        None => program
            .rsplit('/')
            .next()
            .filter(|n| !n.is_empty())
            .unwrap_or("app")
            .to_string(),
    };
    let output = match &build.output {
        Some(o) if o.ends_with('/') => resolve_at(single, run.index, &format!("{o}{name}")),
        Some(o) => resolve_at(single, run.index, o),
        None => resolve_at(single, run.index, &name),
    }
    .ok_or_else(|| {
        "the binary's path is relative to a working directory the file does not set".to_string()
    })?;
    if plain_words(&output).is_none_or(|w| w.len() != 1) {
        return Err(format!("the output path `{output}` needs quoting"));
    }
    let program_path = single.program_path(program, &output)?;
    single.reaches(&output, &program_path)?;

    let build_dir = single.workdir_at(run.index);
    single.runs_are_build_only(|name, _| name == "go", std::slice::from_ref(&program_path))?;
    single.copies_land_in(build_dir.as_deref())?;
    let mut notes = Vec::new();
    if needs_cgo_off {
        notes.extend(cgo_is_not_needed(single)?);
    }
    let (carried, note) = runtime_files(single)?;
    notes.extend(note);

    let runtime = minimal_with_libc(single.info, Libc::None)
        .ok_or_else(|| "the knowledge base names no static runtime image for Go".to_string())?
        .reference();

    let mut edits = Vec::new();
    if needs_cgo_off {
        edits.push(Edit::insert(command.span.start, "CGO_ENABLED=0 "));
    }
    let build_word = &view.args()[0];
    let mut flags = String::new();
    if !build.has_ldflags {
        flags.push_str(" -ldflags=\"-s -w\"");
    }
    if build.output.is_none() {
        flags.push_str(&format!(" -o {output}"));
    }
    if !flags.is_empty() {
        edits.push(Edit::insert(build_word.span.end, flags));
    }
    edits.extend(split_edits(
        single,
        &RuntimeStage {
            image: runtime.clone(),
            no_shell: true,
            other_family: true,
            copies: std::iter::once((program_path.clone(), program_path))
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

/// Checks that the program builds without cgo: no module of `go.mod` that needs it, no `-dev`
/// library installed for it, no `import "C"` in the Go files at the top of the context.
/// `Ok(Some(note))` when `go.mod` cannot be read (the note says to check).
fn cgo_is_not_needed(single: &Single<'_, '_>) -> Result<Option<String>, Reason> {
    let headers = header_packages(single);
    if !headers.is_empty() {
        return Err(format!(
            "the file installs `{}` for the build: the program likely uses cgo, which \
             `CGO_ENABLED=0` turns off",
            headers.join(" ")
        ));
    }
    let ctx = single.ctx;
    let mut go_mod = None;
    for stage_copy in context_copies(ctx, single.stage.index) {
        let Some(source) = stage_copy.source.value.as_deref() else {
            continue;
        };
        for file in context_files(ctx, source, &|name| name == "go.mod") {
            if let Some(text) = read_context_file(ctx, &file) {
                go_mod = Some(text);
            }
        }
    }
    let Some(go_mod) = go_mod else {
        return Ok(Some(
            "`go.mod` not read: check the program needs no cgo".into(),
        ));
    };
    let modules = packages().go_cgo_modules(&go_mod);
    if !modules.is_empty() {
        return Err(format!(
            "`{}` needs cgo, which `CGO_ENABLED=0` turns off",
            modules.join("`, `")
        ));
    }
    let imports_c = context_entries(ctx, "")
        .unwrap_or_default()
        .iter()
        .filter(|(name, is_dir)| !is_dir && name.ends_with(".go"))
        .filter_map(|(name, _)| read_context_file(ctx, name))
        .any(|text| text.contains("import \"C\""));
    if imports_c {
        return Err("a Go file imports \"C\" (cgo), which `CGO_ENABLED=0` turns off".into());
    }
    Ok(None)
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
        if !matches!(instr.keyword, Keyword::Copy | Keyword::Add) || instr.flag("from").is_some() {
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
            .and_then(|path| single.ctx.dockerignore(path));
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

/// The runtime image the split names: distroless static.
pub(crate) fn runtime(single: Option<&Single<'_, '_>>) -> Option<String> {
    single
        .and_then(|s| minimal_with_libc(s.info, Libc::None))
        .map(|s| s.reference())
}

/// What to do by hand when the rewrite is not safe to make.
pub(crate) fn advice(single: Option<&Single<'_, '_>>) -> String {
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
