//! Python: compile the packages into a virtualenv in the builder (`python -m venv /venv`,
//! `/venv/bin/pip install`), copy the venv and the application directory into the `-slim`
//! image of the same Python version.
//!
//! Distroless python3 is only named in a note: a venv made with the official image's
//! `/usr/local/bin/python` does not run on Debian's `/usr/bin/python3`.

use crate::fix::Edit;
use crate::knowledge::{PackageManager, TagClass};
use crate::rules::image::provides::python_source_builds;
use crate::rules::musl::common::glibc_target;
use crate::shell::{Command, CommandView};

use super::moving_tags::current_version;
use super::python_build_deps::is_interpreter_headers;
use super::python_distro_venv;
use super::rewrite::{
    header_packages, plain_command, slim_image, split_edits_with_runs, Planned, Reason,
    RuntimeRuns, RuntimeStage, Single,
};
use super::system_runs::{by_index, kept_runs, KeptRun};

const VENV: &str = "/venv";

/// pip options and environment that send packages somewhere other than the environment's
/// site-packages: the venv would not see them.
pub(super) const ELSEWHERE_OPTIONS: &[&str] = &["--user", "--target", "-t", "--prefix", "--root"];
pub(super) const ELSEWHERE_ENV: &[&str] =
    &["PIP_TARGET", "PIP_PREFIX", "PIP_USER", "PYTHONUSERBASE"];

/// `pip …`, `pip3 …`, `python -m pip …`: the index of the first argument after the program
/// (and `-m pip`), or `None` for other commands.
pub(super) fn pip_invocation(view: &CommandView<'_>) -> Option<usize> {
    let name = view.name()?;
    match name {
        "pip" | "pip3" => Some(0),
        "python" | "python3" => {
            let args = view.args();
            (args.first()?.is("-m") && args.get(1)?.is("pip")).then_some(2)
        }
        _ => None,
    }
}

fn python_tool(name: &str, view: &CommandView<'_>) -> bool {
    matches!(name, "pip" | "pip3") || (name.starts_with("python") && pip_invocation(view).is_some())
}

/// The base is a distribution image (`alpine`, `debian`, `ubuntu`): the stage installs
/// its Python with the package manager.
fn is_distribution(single: &Single<'_, '_>) -> bool {
    single
        .info
        .runtime
        .as_ref()
        .is_some_and(|r| matches!(r.name.as_str(), "alpine" | "debian" | "ubuntu"))
}

/// The slim image of the same version (the base itself when already slim or Alpine).
pub(crate) fn rewrite(single: &Single<'_, '_>) -> Result<Planned, Reason> {
    let runtime = single.info.runtime.as_ref();
    if is_distribution(single) {
        // A distribution image: its own Python, in a venv or not.
        return python_distro_venv::rewrite(single);
    }
    if runtime.map(|r| r.name.as_str()) != Some("python") {
        return Err(format!(
            "`{}` is not a Python image: the interpreter comes from the stage's own installs, \
             which a runtime stage would have to repeat for the venv to run",
            single.base.raw
        ));
    }
    if runtime.and_then(|r| r.version.as_ref()).is_none() {
        let word = single.info.version.as_deref();
        let today = match current_version("python", word) {
            Some((version, facts)) => {
                // The tag's variant words are kept: `3-alpine` -> `3.14-alpine`.
                let tag = single.info.tag.as_deref().unwrap_or("latest");
                let rest = match word {
                    Some(w) => tag.strip_prefix(w).unwrap_or("").to_string(),
                    None if tag == "latest" => String::new(),
                    None => format!("-{tag}"),
                };
                let pinned = format!("python:{version}{rest}");
                let runtime = match single.info.class {
                    TagClass::Full => format!("python:{version}-slim{rest}"),
                    _ => pinned.clone(),
                };
                format!(
                    ": it meant Python {version} on {} (docker-library/official-images; the \
                     tag moves), so pin `{pinned}` in the builder and run on `{runtime}`",
                    facts.date
                )
            }
            None => String::new(),
        };
        return Err(format!(
            "`{}` does not pin a Python minor version, and the venv needs the same one at run \
             time{today}",
            single.base.raw
        ));
    }
    // Headers of the interpreter itself (`python3-dev`) leave nothing to link at run time.
    let headers: Vec<String> = header_packages(single)
        .into_iter()
        .filter(|p| !is_interpreter_headers(PackageManager::Apt, p))
        .collect();
    if !headers.is_empty() {
        return Err(format!(
            "packages built against `{}` need their shared libraries in the runtime image",
            headers.join(" ")
        ));
    }
    let app = single
        .final_workdir()
        .filter(|dir| dir != "/")
        .ok_or_else(|| "the application directory (WORKDIR) is not set".to_string())?;
    if single
        .env_value(single.stage.instructions.end - 1, "VIRTUAL_ENV")
        .is_some()
    {
        return Err("the stage already uses a virtual environment".into());
    }

    let mut pips: Vec<(&Command, CommandView<'_>)> = Vec::new();
    for run in &single.runs {
        for name in ELSEWHERE_ENV {
            if single.env_value(run.index, name).is_some() {
                return Err(format!("`{name}` sends packages outside the venv"));
            }
        }
        for command in run.commands() {
            let view = command.effective();
            let Some(at) = pip_invocation(&view) else {
                continue;
            };
            plain_command(command)?;
            if !view.wrappers.is_empty() {
                return Err("`pip` runs through a wrapper".into());
            }
            if view.args()[at..].iter().any(|w| {
                ELSEWHERE_OPTIONS
                    .iter()
                    .any(|o| w.text().split('=').next() == Some(*o))
            }) {
                return Err("`pip install` puts packages outside the site-packages".into());
            }
            if view.args()[at..]
                .iter()
                .any(|w| w.is("venv") || w.is("virtualenv"))
            {
                return Err("the stage already uses a virtual environment".into());
            }
            pips.push((command, view));
        }
    }
    let Some((first, _)) = pips.first() else {
        return Err("no `pip install` to move into a venv".into());
    };
    // A RUN that also installs what the runtime may need (`curl`, an SDK it fetches) is
    // repeated there without its build packages.
    let repeated = kept_runs(single)?;
    let indices: Vec<usize> = repeated.iter().map(|k| k.index).collect();
    single.runs_are_build_only_but(python_tool, &[app.clone(), VENV.to_string()], &indices)?;
    single.copies_land_in(Some(&app))?;
    single.no_chown()?;

    let start = single.start();
    for line in [&start.entrypoint, &start.cmd].into_iter().flatten() {
        let text = line.instr.rest_text();
        if text.contains("/usr/local/bin/") || text.contains("/usr/bin/python") {
            return Err(format!(
                "`{}` names an interpreter outside the venv",
                line.instr.keyword_text
            ));
        }
    }
    let image = slim_image(single, "python", "Python")?;
    let interpreter = match pips[0].1.name() {
        Some("python3") => "python3",
        _ => "python",
    };
    let mut edits = vec![Edit::insert(
        first.span.start,
        format!("{interpreter} -m venv {VENV} && "),
    )];
    // The builder keeps its image: a size rule never moves the build to a smaller image
    // (the full image's compilers and headers are what the build may rely on). A package
    // compiled there against a system library needs that library in the runtime image too.
    if single.info.class == TagClass::Full {
        let linked: Vec<String> = python_source_builds(single.ctx, single.stage.index)
            .into_iter()
            .filter(|(_, build)| !build.apt_runtime.is_empty())
            .map(|(project, build)| {
                format!(
                    "`{project}` links against `{}`",
                    build.apt_runtime.join(" ")
                )
            })
            .collect();
        if !linked.is_empty() {
            return Err(format!(
                "built on `{}`, {}, which `{image}` lacks",
                single.base.raw,
                linked.join(", ")
            ));
        }
    }
    for (_, view) in &pips {
        let program = &view.words[0];
        let name = view.name().unwrap_or("pip");
        edits.push(Edit::replace(
            program.span.clone(),
            format!("{VENV}/bin/{name}"),
        ));
    }
    let (entrypoint, cmd) = start.verbatim();
    edits.extend(split_edits_with_runs(
        single,
        &RuntimeStage {
            image: image.clone(),
            no_shell: false,
            other_family: false,
            copies: vec![(VENV.into(), VENV.into()), (app.clone(), app)],
            env: vec![format!("PATH=\"{VENV}/bin:$PATH\"")],
            entrypoint,
            cmd,
        },
        &RuntimeRuns {
            in_place: by_index(&repeated),
            ..RuntimeRuns::default()
        },
    )?);
    let mut notes: Vec<String> = repeated.iter().map(repeated_note).collect();
    notes.extend(distroless_notes(single));
    Ok(Planned {
        runtime: image,
        edits,
        notes,
    })
}

/// What the runtime stage's copy of a RUN leaves out, and what it keeps.
fn repeated_note(run: &KeptRun) -> String {
    format!(
        "The runtime stage repeats the RUN that installs `{}`, without `{}`: whatever else \
         it installs or fetches is there too",
        run.kept.join(" "),
        run.dropped.join(" ")
    )
}

/// Distroless python3 ships one Python version: named only when it is the same one.
fn distroless_notes(single: &Single<'_, '_>) -> Vec<String> {
    single
        .info
        .minimal_alternatives()
        .iter()
        .filter(|s| s.libc == single.info.libc)
        .filter(|s| s.runtime.as_ref().is_some_and(|r| r.name == "python"))
        .map(|s| {
            let mut note = format!("`{}` runs this Python version too", s.reference());
            if let Some(requires) = &s.requires {
                note.push_str(&format!(" ({requires})"));
            }
            note
        })
        .collect()
}

/// The runtime image the split names: `-slim` of the same Python version.
pub(crate) fn runtime(single: Option<&Single<'_, '_>>) -> Option<String> {
    let s = single?;
    glibc_target(s.ctx, s.stage.index).or_else(|| slim_image(s, "python", "Python").ok())
}

pub(crate) fn advice(single: Option<&Single<'_, '_>>) -> String {
    if let Some(s) = single.filter(|s| is_distribution(s)) {
        return format!(
            "Install the packages into a venv in a build stage (`python3 -m venv /venv && \
             /venv/bin/pip install …`); on `{}`, install only the interpreter and the runtime \
             libraries, and copy `/venv` and the application",
            s.base.raw
        );
    }
    let runtime = runtime(single)
        .map(|r| format!("`{r}`"))
        .unwrap_or_else(|| "the `-slim` image of the same Python version".into());
    format!(
        "Install the packages into a virtualenv in a build stage (`python -m venv /venv && \
         /venv/bin/pip install …`) and copy `/venv` and the application into {runtime}"
    )
}
