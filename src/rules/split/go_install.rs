//! Go: where `go install` puts the binary (`$GOBIN`, else `$GOPATH/bin`, from the file or
//! the golang image's own Dockerfile) and how the binary a module's root package builds is
//! named (after `go.mod`'s module path).

use crate::rules::musl::common::{context_copies, context_files, read_context_file};
use crate::shell::CommandView;

use super::go::{default_name, GoBuild};
use super::rewrite::{normalize, Reason, Single, STANDARD_PATH};

/// A Go variable as the command at `index` sees it: an assignment on the command, the
/// file's ENV/ARG, else the image's own Dockerfile (`GOPATH=/go`). `Err` when the file sets
/// it to something dlint cannot read.
pub(super) fn go_variable(
    single: &Single<'_, '_>,
    view: &CommandView<'_>,
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
pub(super) fn module_path(single: &Single<'_, '_>) -> Option<String> {
    let text = go_mod(single)?;
    text.lines()
        .filter_map(|line| line.trim().strip_prefix("module"))
        .map(|rest| rest.trim().trim_matches('"').to_string())
        .find(|path| !path.is_empty())
}

/// The binary name of a module's root package: the last path element that is not a major
/// version suffix (`example.com/app/v2` → `app`).
pub(super) fn module_binary_name(module: &str) -> Option<String> {
    let mut parts = module.rsplit('/');
    let last = parts.next()?;
    let is_major = last
        .strip_prefix('v')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let name = if is_major { parts.next()? } else { last };
    (!name.is_empty()).then(|| name.to_string())
}

/// The `go.mod` a context COPY of the stage brings in, when the build context is there.
pub(super) fn go_mod(single: &Single<'_, '_>) -> Option<String> {
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
pub(super) fn install_dir(
    single: &Single<'_, '_>,
    view: &CommandView<'_>,
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

/// Where `go install` leaves the program the container runs, and where the runtime stage
/// puts it: the same path when the container names it by path; `/usr/local/bin` when it runs
/// it by name from the build image's PATH (distroless has no `$GOPATH/bin` on its PATH).
pub(super) fn installed_binary(
    single: &Single<'_, '_>,
    view: &CommandView<'_>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_a_module_root_binary_after_its_path() {
        assert_eq!(
            module_binary_name("example.com/app").as_deref(),
            Some("app")
        );
        assert_eq!(
            module_binary_name("example.com/app/v2").as_deref(),
            Some("app")
        );
        assert_eq!(module_binary_name("tool").as_deref(), Some("tool"));
        assert_eq!(
            module_binary_name("example.com/vendor").as_deref(),
            Some("vendor")
        );
        assert_eq!(module_binary_name("v2"), None);
    }
}
