//! Rust: build a static binary on the same rust image, run it on distroless static.
//!
//! On a glibc toolchain the build gets `RUSTFLAGS="-C target-feature=+crt-static"` and an
//! explicit `--target` (without it the flag would reach proc-macros and build scripts,
//! which cannot link statically); the output then moves to `target/<triple>/<profile>/`.
//! A musl toolchain (`rust:*-alpine`) links statically by default and is left as it is.
//! `cargo install` gets `--root /usr/local` so the binary lands on every image's PATH.
//!
//! The binary's name comes from `--bin`, from `Cargo.toml` next to the Dockerfile
//! (`[[bin]] name`, else `[package] name`), or from the CMD/ENTRYPOINT path.

use std::path::Path;

use crate::fix::Edit;
use crate::knowledge::Libc;
use crate::rules::context::RunInfo;
use crate::shell::{Command, Word};

use super::rewrite::{
    minimal_with_libc, plain_command, resolve_at, split_edits, Planned, Reason, RuntimeStage,
    Single,
};

const STATIC_FLAGS: &str = "-C target-feature=+crt-static";

/// Cargo options that take a value.
const VALUE_OPTIONS: &[&str] = &[
    "--bin",
    "--target",
    "--target-dir",
    "--profile",
    "-p",
    "--package",
    "-F",
    "--features",
    "-j",
    "--jobs",
    "--manifest-path",
    "--path",
    "--root",
    "--example",
    "--config",
    "-Z",
    "--color",
    "--message-format",
    "--version",
    "--git",
    "--branch",
    "--tag",
    "--rev",
    "--index",
    "--registry",
];

/// Options that build something other than one binary in the usual place.
const REFUSED: &[&str] = &[
    "--target-dir",
    "--manifest-path",
    "--workspace",
    "--all",
    "--bins",
    "--example",
    "--examples",
    "--git",
];

/// What one `cargo build` / `cargo install` says.
#[derive(Debug, Default)]
struct CargoBuild {
    release: bool,
    profile: Option<String>,
    bin: Option<String>,
    target: Option<String>,
    root: Option<String>,
}

fn parse(args: &[Word], install: bool) -> Result<CargoBuild, Reason> {
    let mut build = CargoBuild::default();
    let mut i = 0;
    while i < args.len() {
        let word = &args[i];
        i += 1;
        let text = word.text();
        if !text.starts_with('-') {
            if install {
                return Err(format!("`cargo install {text}` installs a crate by name"));
            }
            continue;
        }
        let (name, inline) = match text.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (text, None),
        };
        if REFUSED.contains(&name) {
            return Err(format!(
                "`cargo {name}` builds elsewhere or several binaries"
            ));
        }
        let value = match inline {
            Some(v) => Some(v),
            None if VALUE_OPTIONS.contains(&name) => {
                let next = args.get(i);
                i += 1;
                next.map(|w| w.value.as_deref().unwrap_or_default().to_string())
            }
            None => None,
        };
        let literal = || {
            value
                .clone()
                .filter(|v| !v.is_empty() && !v.contains('$'))
                .ok_or_else(|| format!("the value of `{name}` is not a literal"))
        };
        match name {
            "--release" | "-r" => build.release = true,
            "--profile" => build.profile = Some(literal()?),
            "--bin" => build.bin = Some(literal()?),
            "--target" => build.target = Some(literal()?),
            "--root" => build.root = Some(literal()?),
            _ => {}
        }
    }
    Ok(build)
}

impl CargoBuild {
    /// `target/<profile>` directory name.
    fn profile_dir(&self) -> String {
        match self.profile.as_deref() {
            Some("dev") | Some("test") => "debug".into(),
            Some(profile) => profile.into(),
            None if self.release => "release".into(),
            None => "debug".into(),
        }
    }
}

/// Binary names a `Cargo.toml` declares: its `[[bin]]` names, else its package name. Read
/// leniently: a file `toml` cannot parse is scanned line by line.
pub(crate) fn cargo_binaries(text: &str) -> Vec<String> {
    if let Ok(value) = text.parse::<toml::Table>() {
        let bins: Vec<String> = value
            .get("bin")
            .and_then(|b| b.as_array())
            .map(|bins| {
                bins.iter()
                    .filter_map(|b| b.get("name")?.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        if !bins.is_empty() {
            return bins;
        }
        return value
            .get("package")
            .and_then(|p| p.get("name"))
            .and_then(|n| n.as_str())
            .map(|n| vec![n.to_string()])
            .unwrap_or_default();
    }
    let mut section = String::new();
    let (mut package, mut bins) = (None, Vec::new());
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line.to_string();
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        if key.trim() != "name" {
            continue;
        }
        let value = value
            .trim()
            .trim_matches(|c| c == '"' || c == '\'')
            .to_string();
        match section.as_str() {
            "[package]" => package = Some(value),
            "[[bin]]" => bins.push(value),
            _ => {}
        }
    }
    if bins.is_empty() {
        package.into_iter().collect()
    } else {
        bins
    }
}

/// `Cargo.toml` next to the Dockerfile, if there is one.
fn cargo_toml_binaries(dockerfile: Option<&Path>) -> Option<Vec<String>> {
    let manifest = dockerfile?.parent()?.join("Cargo.toml");
    let text = std::fs::read_to_string(manifest).ok()?;
    Some(cargo_binaries(&text))
}

/// The `cargo build`/`cargo install` commands of the stage, with the subcommand word.
fn cargo_builds<'a>(single: &Single<'a, '_>) -> Vec<(&'a RunInfo<'a>, &'a Command, bool)> {
    let mut found = Vec::new();
    for run in &single.runs {
        for command in run.commands() {
            let view = command.effective();
            if view.name() != Some("cargo") {
                continue;
            }
            let sub = view.args().iter().find(|w| !w.text().starts_with('-'));
            match sub.map(|w| w.text()) {
                Some("build" | "b") => found.push((*run, command, false)),
                Some("install") => found.push((*run, command, true)),
                _ => {}
            }
        }
    }
    found
}

/// The triple to build for: the FROM's `--platform`, else x86_64.
fn triple(single: &Single<'_, '_>) -> Result<&'static str, Reason> {
    let platform = single.stage.platform.as_ref();
    match platform.map(|p| p.resolved.as_deref().unwrap_or(&p.raw)) {
        None | Some("linux/amd64") => Ok("x86_64-unknown-linux-gnu"),
        Some("linux/arm64" | "linux/arm64/v8") => Ok("aarch64-unknown-linux-gnu"),
        Some(other) => Err(format!(
            "no target triple is known for `--platform={other}`"
        )),
    }
}

pub(crate) fn rewrite(single: &Single<'_, '_>) -> Result<Planned, Reason> {
    if single.info.runtime.as_ref().map(|r| r.name.as_str()) != Some("rust") {
        return Err(format!(
            "`{}` is not a Rust toolchain image",
            single.base.raw
        ));
    }
    let builds = cargo_builds(single);
    let Some(&(run, _, install)) = builds.last() else {
        return Err("the binary is not built with `cargo build`".into());
    };
    if let Some(lock) = single
        .ctx
        .path
        .and_then(|p| p.parent())
        .and_then(|dir| std::fs::read_to_string(dir.join("Cargo.lock")).ok())
    {
        let linked = crate::knowledge::packages().rust_system_crates(&lock);
        if !linked.is_empty() {
            return Err(format!(
                "`{}` links a system C library, which a static (`+crt-static`) build cannot \
                 link: build it dynamically and run it on an image with that library",
                linked.join("`, `")
            ));
        }
    }
    let mut parsed = Vec::new();
    for (_, command, install) in &builds {
        plain_command(command)?;
        let view = command.effective();
        if !view.wrappers.is_empty() {
            return Err("`cargo` runs through a wrapper".into());
        }
        let at = view
            .args()
            .iter()
            .position(|w| !w.text().starts_with('-'))
            .unwrap_or(0);
        parsed.push((parse(&view.args()[at + 1..], *install)?, &view.args()[at]));
    }
    let (build, _) = parsed.last().expect("one build at least");
    if builds.iter().any(|(_, _, i)| *i != install)
        || parsed.iter().any(|(b, _)| {
            b.profile_dir() != build.profile_dir() || b.bin != build.bin || b.target != build.target
        })
    {
        return Err("the stage runs different cargo builds".into());
    }
    for name in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
    ] {
        let assigned = builds.iter().any(|(_, c, _)| {
            c.effective()
                .assignments
                .iter()
                .any(|a| a.text().starts_with(&format!("{name}=")))
        });
        if assigned || single.env_value(run.index, name).is_some() {
            return Err(format!("the build sets `{name}` itself"));
        }
    }

    let start = single.start();
    let (entrypoint, cmd) = start.without_shell()?;
    let (_, argv) = start.argv()?;
    let program = &argv[0];
    let program_name = program.rsplit('/').next().unwrap_or(program).to_string();

    let known = build
        .bin
        .clone()
        .map(|b| vec![b])
        .or_else(|| cargo_toml_binaries(single.ctx.path));
    let name = match known {
        Some(names) if names.len() == 1 => names[0].clone(),
        Some(names) if names.contains(&program_name) => program_name.clone(),
        Some(names) if !names.is_empty() => {
            return Err(format!(
                "Cargo.toml declares several binaries ({}) and the CMD names none",
                names.join(", ")
            ))
        }
        _ if program.contains("target/") || (install && !program.contains('/')) => {
            program_name.clone()
        }
        _ => {
            return Err(
                "the binary's name is unknown: no Cargo.toml next to the Dockerfile names it, \
                 and the CMD/ENTRYPOINT does not run a cargo output"
                    .into(),
            )
        }
    };

    let musl = single.info.libc == Libc::Musl;
    let target = match (&build.target, musl) {
        (Some(t), _) => Some(t.clone()),
        (None, true) => None,
        (None, false) => Some(triple(single)?.to_string()),
    };
    // Where cargo writes the binary before and after the rewrite.
    let (before, after) = if install {
        let root = build.root.clone().unwrap_or_else(|| "/usr/local".into());
        let path = format!("{}/bin/{name}", root.trim_end_matches('/'));
        let path = resolve_at(single, run.index, &path)
            .ok_or_else(|| "the `--root` is relative to an unknown directory".to_string())?;
        (path.clone(), path)
    } else {
        let dir = single.workdir_at(run.index).ok_or_else(|| {
            "`target/` is relative to a working directory the file does not set".to_string()
        })?;
        let profile = build.profile_dir();
        let dir = dir.trim_end_matches('/');
        let output = |target: &Option<String>| match target {
            Some(t) => format!("{dir}/target/{t}/{profile}/{name}"),
            None => format!("{dir}/target/{profile}/{name}"),
        };
        (output(&build.target), output(&target))
    };
    let program_path = single.program_path(program, &before)?;
    let via_copy = single.reaches(&before, &program_path)?;

    let build_dir = single.workdir_at(run.index);
    single.runs_are_build_only(
        |name, _| matches!(name, "cargo" | "rustup"),
        std::slice::from_ref(&program_path),
    )?;
    single.copies_land_in(build_dir.as_deref())?;
    let runtime = minimal_with_libc(single.info, Libc::None)
        .ok_or_else(|| "the knowledge base names no static runtime image for Rust".to_string())?
        .reference();

    let mut edits = Vec::new();
    for ((_, command, _), (parsed, sub)) in builds.iter().zip(&parsed) {
        if !musl {
            edits.push(Edit::insert(
                command.span.start,
                format!("RUSTFLAGS=\"{STATIC_FLAGS}\" "),
            ));
        }
        let mut options = String::new();
        if parsed.target.is_none() {
            if let Some(t) = &target {
                options.push_str(&format!(" --target {t}"));
            }
        }
        if install && parsed.root.is_none() {
            options.push_str(" --root /usr/local");
        }
        if !options.is_empty() {
            edits.push(Edit::insert(sub.span.end, options));
        }
    }
    let copy_from = match via_copy {
        Some(source) if before != after => {
            // `cp target/release/app …` must follow the output to its new directory.
            if source.value.is_none() {
                return Err("the `cp` source is not a literal".into());
            }
            // Keep the author's relative path: `target/release/app` →
            // `target/<triple>/release/app`.
            let profile = format!("target/{}/", build.profile_dir());
            let moved = match (&target, source.raw.find(&profile)) {
                (Some(t), Some(at)) if !source.raw.contains('\'') && !source.raw.contains('"') => {
                    format!("{}target/{t}/{}", &source.raw[..at], &source.raw[at + 7..])
                }
                _ => after.clone(),
            };
            edits.push(Edit::replace(source.span.clone(), moved));
            program_path.clone()
        }
        Some(_) => program_path.clone(),
        None => after.clone(),
    };
    edits.extend(split_edits(
        single,
        &RuntimeStage {
            image: runtime.clone(),
            no_shell: true,
            other_family: true,
            copies: vec![(copy_from, program_path)],
            env: Vec::new(),
            entrypoint,
            cmd,
        },
    )?);
    let mut notes = Vec::new();
    if target.is_some() && build.target.is_none() && single.stage.platform.is_none() {
        notes.push(format!(
            "The build targets `{}`: change the triple to build for another architecture",
            target.unwrap_or_default()
        ));
    }
    Ok(Planned {
        runtime,
        edits,
        notes,
    })
}

/// The runtime image the split names: distroless static.
pub(crate) fn runtime(single: Option<&Single<'_, '_>>) -> Option<String> {
    single
        .and_then(|s| minimal_with_libc(s.info, Libc::None))
        .map(|s| s.reference())
}

pub(crate) fn advice(single: Option<&Single<'_, '_>>) -> String {
    let runtime = runtime(single)
        .map(|r| format!("`{r}`"))
        .unwrap_or_else(|| "a distroless static image".into());
    format!(
        "Build in a stage of its own with `RUSTFLAGS=\"{STATIC_FLAGS}\" cargo build --release \
         --target <triple>` (or a musl target), then copy only the binary into {runtime}"
    )
}

#[cfg(test)]
mod tests {
    use super::cargo_binaries;

    #[test]
    fn reads_binary_names_leniently() {
        assert_eq!(
            cargo_binaries("[package]\nname = \"my-app\"\nversion = \"0.1.0\"\n"),
            vec!["my-app".to_string()]
        );
        assert_eq!(
            cargo_binaries(
                "[package]\nname = \"x\"\n\n[[bin]]\nname = \"server\"\npath = \"src/s.rs\"\n\n[[bin]]\nname = \"cli\"\n"
            ),
            vec!["server".to_string(), "cli".to_string()]
        );
        // Not valid TOML (a duplicate key): still read line by line.
        assert_eq!(
            cargo_binaries("[package]\nname = \"broken\"\nname = \"broken\"\n"),
            vec!["broken".to_string()]
        );
        assert!(cargo_binaries("[workspace]\nmembers = [\"a\"]\n").is_empty());
    }
}
