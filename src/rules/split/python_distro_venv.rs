//! Python from the distribution (`apk add python3`, `apt-get install python3`) with the
//! packages in a venv the stage creates (`python3 -m venv /venv`): the stage becomes the
//! builder, and the runtime stage, on the same image, installs only the interpreter and the
//! runtime libraries again (the `-dev` packages' libraries, and on Alpine the support
//! library of the compiler: gcc → `libgcc`), then copies the venv and the application.
//!
//! The venv's `python` is a link to the distribution's interpreter, so it runs wherever the
//! same package of the same image is installed. Without a venv (pip into the system Python)
//! the packages are spread over the system's directories: advice only.

use crate::knowledge::{packages, DistroPython, PackageManager};
use crate::rules::stage::common::package_ops;
use crate::shell::CommandView;
use crate::syntax::Keyword;

use super::python::{pip_invocation, ELSEWHERE_ENV, ELSEWHERE_OPTIONS};
use super::rewrite::{
    debian_suite, install_run, is_within, resolve_at, split_edits_with_runs, Planned, Reason,
    RuntimeRuns, RuntimeStage, Single,
};

/// The packages the stage installs, sorted for the runtime stage.
struct Installs {
    manager: PackageManager,
    /// Instruction index of the first RUN that installs: the runtime's install goes there.
    first: usize,
    /// Packages the runtime stage installs again, in the order found.
    runtime: Vec<String>,
}

pub(crate) fn rewrite(single: &Single<'_, '_>) -> Result<Planned, Reason> {
    let venv = venv_path(single)?;
    let installs = installs(single)?;
    let app = single
        .final_workdir()
        .filter(|dir| dir != "/")
        .ok_or_else(|| "the application directory (WORKDIR) is not set".to_string())?;
    // pip itself is checked by `venv_path`: only the invocations it reads are accepted.
    let tool = |name: &str, view: &CommandView<'_>| {
        PackageManager::from_command(name).is_some()
            || matches!(name, "source" | "." | "deactivate" | "virtualenv")
            || pip_invocation(view).is_some()
            || (name.starts_with("python")
                && view.args().first().is_some_and(|w| w.is("-m"))
                && view.args().get(1).is_some_and(|w| w.is("venv")))
    };
    single.runs_are_build_only(tool, &[app.clone(), venv.clone()])?;
    single.copies_land_in(Some(&app))?;
    single.no_chown()?;

    let image = single.same_image();
    let mut copies = vec![(venv.clone(), venv.clone())];
    if !is_within(&app, &venv) && !is_within(&venv, &app) {
        copies.push((app.clone(), app.clone()));
    } else if is_within(&venv, &app) {
        copies = vec![(app.clone(), app.clone())];
    }
    let mut runs = RuntimeRuns::default();
    if !installs.runtime.is_empty() {
        runs.in_place.insert(
            installs.first,
            install_run(single, installs.manager, &installs.runtime),
        );
    }
    let (entrypoint, cmd) = single.start().verbatim();
    let edits = split_edits_with_runs(
        single,
        &RuntimeStage {
            image: image.clone(),
            no_shell: false,
            other_family: false,
            copies,
            env: Vec::new(),
            entrypoint,
            cmd,
        },
        &runs,
    )?;
    let installed = if installs.runtime.is_empty() {
        String::new()
    } else {
        format!(
            "installs `{}` with {} and ",
            installs.runtime.join(" "),
            installs.manager_label()
        )
    };
    let note = format!(
        "The runtime stage {installed}copies the venv `{venv}`, whose `python` links to the \
         distribution's interpreter"
    );
    Ok(Planned {
        runtime: image,
        edits,
        notes: vec![note],
    })
}

impl Installs {
    fn manager_label(&self) -> &'static str {
        match self.manager {
            PackageManager::Apk => "apk",
            _ => "apt-get",
        }
    }
}

/// The venv the stage creates (`python3 -m venv /venv`, `virtualenv /venv`), when every
/// `pip` of the stage installs into it: run as `/venv/bin/pip`, after
/// `source /venv/bin/activate` in the same RUN, or with `/venv/bin` first on an ENV PATH.
fn venv_path(single: &Single<'_, '_>) -> Result<String, Reason> {
    let mut venv: Option<String> = None;
    for run in &single.runs {
        for command in run.commands() {
            let view = command.effective();
            let name = view.name().unwrap_or_default();
            let args = view.args();
            let operands: Vec<&str> = if name.starts_with("python")
                && args.first().is_some_and(|w| w.is("-m"))
                && args.get(1).is_some_and(|w| w.is("venv"))
            {
                args[2..].iter().map(|w| w.text()).collect()
            } else if name == "virtualenv" {
                args.iter().map(|w| w.text()).collect()
            } else {
                continue;
            };
            if operands.contains(&"--system-site-packages") {
                return Err(
                    "the venv sees the system's site-packages, which the runtime stage would \
                     not install again"
                        .into(),
                );
            }
            let paths: Vec<&&str> = operands.iter().filter(|o| !o.starts_with('-')).collect();
            let [path] = paths.as_slice() else {
                return Err("the venv command does not name one directory".into());
            };
            let resolved = resolve_at(single, run.index, path).ok_or_else(|| {
                format!("the venv `{path}` is relative to a directory the file does not set")
            })?;
            if venv.as_ref().is_some_and(|v| *v != resolved) {
                return Err("the stage creates more than one venv".into());
            }
            venv = Some(resolved);
        }
    }
    let Some(venv) = venv else {
        return Err(
            "`pip` installs into the system Python (the stage creates no venv): the packages \
             are spread over the system's directories, which a runtime stage cannot copy"
                .into(),
        );
    };
    let bin = format!("{venv}/bin");
    for run in &single.runs {
        for name in ELSEWHERE_ENV {
            if single.env_value(run.index, name).is_some() {
                return Err(format!("`{name}` sends packages outside the venv"));
            }
        }
        let on_path = path_puts_first(single, run.index, &bin);
        let mut activated = false;
        for command in run.commands() {
            let view = command.effective();
            let name = view.name().unwrap_or_default();
            if matches!(name, "source" | ".")
                && view.args().first().is_some_and(|w| {
                    resolve_at(single, run.index, w.text()).as_deref()
                        == Some(&format!("{bin}/activate"))
                })
            {
                activated = true;
                continue;
            }
            if name == "deactivate" {
                activated = false;
            }
            let Some(at) = pip_invocation(&view) else {
                continue;
            };
            if view.args()[at..].iter().any(|w| {
                ELSEWHERE_OPTIONS
                    .iter()
                    .any(|o| w.text().split('=').next() == Some(*o))
            }) {
                return Err("`pip install` puts packages outside the venv".into());
            }
            let program = view.words.first().map(|w| w.text()).unwrap_or_default();
            let in_venv = program.starts_with(&format!("{bin}/"))
                || (!program.contains('/') && (activated || on_path));
            if !in_venv {
                return Err(format!(
                    "`{program}` is not the venv's (`{bin}`): it installs into the system Python"
                ));
            }
        }
    }
    Ok(venv)
}

/// The PATH where the RUN at `index` runs names `bin` before the system's directories.
fn path_puts_first(single: &Single<'_, '_>, index: usize, bin: &str) -> bool {
    let path = match single.env_value(index, "PATH") {
        Some(Some(path)) => path,
        // `ENV PATH=/venv/bin:$PATH` on an image whose PATH dlint does not know: the
        // entries written before `$PATH` still come first.
        Some(None) => match written_path(single, index) {
            Some(written) => written,
            None => return false,
        },
        None => return false,
    };
    for entry in path.split(':') {
        if entry.trim_end_matches('/') == bin {
            return true;
        }
        if entry.starts_with('/') || entry.contains("PATH") {
            return false;
        }
    }
    false
}

/// The value the last `ENV PATH=…` before `index` wrote, unexpanded and unquoted.
fn written_path(single: &Single<'_, '_>, index: usize) -> Option<String> {
    single
        .body
        .iter()
        .filter(|(at, instr)| *at < index && instr.keyword == Keyword::Env)
        .flat_map(|(_, instr)| instr.values.chunks(3))
        .filter(|pair| pair[0] == "PATH")
        .filter_map(|pair| pair.get(1))
        .next_back()
        .map(|value| value.trim_matches(|c| c == '"' || c == '\'').to_string())
}

/// The stage's installs, with the packages its runtime needs again: the interpreter, the
/// runtime libraries of `-dev` packages and compilers, and any package that is not for the
/// build. Packages the stage removes again are left out.
fn installs(single: &Single<'_, '_>) -> Result<Installs, Reason> {
    let facts = packages();
    let python3 = facts
        .command_packages("python3")
        .map(|c| c.installed_by.clone())
        .unwrap_or_default();
    let mut manager = None;
    let mut first = None;
    let mut runtime: Vec<String> = Vec::new();
    let mut removed: Vec<String> = Vec::new();
    let mut installed: Vec<(String, Option<String>)> = Vec::new();
    for run in &single.runs {
        for op in package_ops(run, true) {
            removed.extend(op.packages.iter().map(|w| op.name(w)));
        }
        for op in package_ops(run, false) {
            let this = op.installer.manager;
            if manager.is_some_and(|m| m != this) {
                return Err("the stage installs with two package managers".into());
            }
            manager = Some(this);
            first.get_or_insert(run.index);
            installed.extend(
                op.packages
                    .iter()
                    .map(|w| (op.name(w), op.virtual_name.clone())),
            );
        }
    }
    let (Some(manager), Some(first)) = (manager, first) else {
        return Err("the stage installs no Python of the distribution".into());
    };
    let distro = facts
        .distro_python(manager)
        .ok_or_else(|| "dlint knows the distribution's Python for apk and apt only".to_string())?;
    let mut add = |package: &str| {
        if !runtime.iter().any(|p| p == package) {
            runtime.push(package.to_string());
        }
    };
    if installed.iter().any(|(p, _)| python3.contains(p)) {
        add(&distro.interpreter);
    }
    for (package, virtual_name) in &installed {
        for library in runtime_libraries(single, manager, distro, package)? {
            add(&library);
        }
        let gone =
            removed.contains(package) || virtual_name.as_ref().is_some_and(|v| removed.contains(v));
        let for_build = distro.build_only.contains(package)
            || facts.is_build_toolchain(manager, package)
            || python3.contains(package);
        if !gone && !for_build {
            add(package);
        }
    }
    Ok(Installs {
        manager,
        first,
        runtime,
    })
}

/// What a package installed for the build leaves the runtime needing: a compiler's support
/// library, a `-dev` package's shared library. `Err` for a `-dev` package dlint cannot map.
pub(crate) fn runtime_libraries(
    single: &Single<'_, '_>,
    manager: PackageManager,
    distro: &DistroPython,
    package: &str,
) -> Result<Vec<String>, Reason> {
    if let Some(libraries) = distro.compiler_libs.get(package) {
        return Ok(libraries.clone());
    }
    let facts = packages();
    let headers = facts.is_build_toolchain(manager, package)
        && !facts.build_toolchain(manager).iter().any(|p| p == package);
    if !headers || distro.build_only.iter().any(|p| p == package) {
        return Ok(Vec::new());
    }
    let unknown = || format!("dlint does not know the runtime package of `{package}`");
    let named = distro.dev_libs.get(package).ok_or_else(unknown)?;
    if manager == PackageManager::Apk {
        return Ok(named.clone());
    }
    // apt: `-l` names, whose package depends on the Debian release.
    let suite = debian_suite(single)
        .ok_or_else(|| format!("`{}` names no Debian release", single.base.raw))?;
    named
        .iter()
        .map(|lib| {
            facts
                .shared_lib_package(lib)
                .and_then(|by_suite| by_suite.get(&suite))
                .cloned()
                .ok_or_else(unknown)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::knowledge::{packages, PackageManager};

    /// The facts the runtime stage's install is made of (`rules/packages.toml`).
    #[test]
    fn distro_python_facts() {
        let apk = packages().distro_python(PackageManager::Apk).unwrap();
        assert_eq!(apk.interpreter, "python3");
        assert_eq!(apk.compiler_libs["gcc"], ["libgcc"]);
        assert!(apk.compiler_libs["g++"].contains(&"libstdc++".to_string()));
        assert!(apk.build_only.contains(&"py3-pip".to_string()));
        assert!(apk.build_only.contains(&"musl-dev".to_string()));
        assert_eq!(apk.dev_libs["libffi-dev"], ["libffi"]);
        let apt = packages().distro_python(PackageManager::Apt).unwrap();
        assert!(
            apt.compiler_libs.is_empty(),
            "libgcc-s1 is in every Debian image"
        );
        assert!(apt.build_only.contains(&"python3-venv".to_string()));
        for libs in apt.dev_libs.values() {
            for lib in libs {
                let by_suite = packages().shared_lib_package(lib);
                assert!(by_suite.is_some_and(|s| s.contains_key("trixie")), "{lib}");
            }
        }
    }
}
