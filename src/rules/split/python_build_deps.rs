//! Python packages compiled in the runtime stage: what makes a `pip install` a build even
//! when the file installs no compiler, and which installed `-dev` packages a venv split may
//! leave behind.
//!
//! A full Python image (`python:3.13`) carries gcc and headers; a package pip always builds
//! from source (`netifaces`, `psycopg2`: no Linux wheel, listed in `rules/packages.toml`)
//! compiles with them, so the compilers ship with the application. The venv split
//! (`python.rs`) moves that compile into a builder on the same image.

use crate::knowledge::PackageManager;
use crate::rules::context::RunInfo;
use crate::rules::image::provides::python_source_builds;
use crate::rules::Context;

/// The PyPI projects pip compiles from source in the stage of `run`, when its base image
/// (the root of its FROM chain) carries the compiler: empty otherwise.
pub(crate) fn compiled_with_image_compiler(ctx: &Context<'_>, run: &RunInfo<'_>) -> Vec<String> {
    let Some(root) = ctx.model.stages.get(run.stage).map(|s| s.root) else {
        return Vec::new();
    };
    let has_compiler = ctx
        .base_info(root)
        .and_then(|info| info.provides.as_ref())
        .is_some_and(|provides| provides.has_command("gcc"));
    if !has_compiler {
        return Vec::new();
    }
    python_source_builds(ctx, root)
        .into_iter()
        .map(|(project, _)| project)
        .collect()
}

/// Header packages a pip build needs only for the interpreter itself (`python3-dev`,
/// `libpython3.13-dev`): extension modules do not link libpython on Linux, so the runtime
/// stage's own Python is all they need at run time.
pub(crate) fn is_interpreter_headers(manager: PackageManager, package: &str) -> bool {
    let name = manager.package_name(package);
    let stem = name
        .strip_suffix("-dev")
        .or_else(|| name.strip_suffix("-devel"))
        .unwrap_or(&name);
    let stem = stem.strip_prefix("lib").unwrap_or(stem);
    let Some(version) = stem.strip_prefix("python") else {
        return false;
    };
    version.is_empty() || version.chars().all(|c| c.is_ascii_digit() || c == '.')
}

#[cfg(test)]
mod tests {
    use super::is_interpreter_headers;
    use crate::knowledge::PackageManager;

    #[test]
    fn interpreter_headers() {
        for p in [
            "python3-dev",
            "python3.13-dev",
            "libpython3-dev",
            "libpython3.12-dev",
        ] {
            assert!(is_interpreter_headers(PackageManager::Apt, p), "{p}");
        }
        assert!(is_interpreter_headers(PackageManager::Rpm, "python3-devel"));
        for p in [
            "libpq-dev",
            "python3-pip",
            "python-is-python3",
            "libpython3-stdlib",
        ] {
            assert!(!is_interpreter_headers(PackageManager::Apt, p), "{p}");
        }
    }
}
