//! Which files to lint: paths named on the command line, and Dockerfiles found below
//! directories.
//!
//! Directories are walked with the `ignore` crate, so `.gitignore`, `.ignore` and
//! `.git/info/exclude` are honoured (also outside a git repository, since a Dockerfile tree
//! is often linted from an unpacked archive or a build context). Hidden directories are
//! walked, because `.devcontainer/Dockerfile` and `.github/…/Dockerfile` are common; `.git`
//! itself is skipped. A file named on the command line is always linted, whatever its name:
//! the user asked for it.

use std::io;
use std::path::{Component, Path, PathBuf};

/// The files to lint, sorted and without duplicates, plus the paths that could not be used.
#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<PathBuf>,
    pub errors: Vec<DiscoveryError>,
}

/// A named path that does not exist, or a directory entry the walk could not read.
#[derive(Debug)]
pub struct DiscoveryError {
    pub path: PathBuf,
    pub error: io::Error,
}

/// Whether a file name is one dlint lints when it meets it while walking a directory:
/// `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `*.dockerfile`, `Containerfile`,
/// `Containerfile.*`. BuildKit's per-Dockerfile ignore files (`Dockerfile.dockerignore`,
/// `app.Dockerfile.dockerignore`) match the patterns but are not Dockerfiles.
pub fn is_dockerfile_name(name: &str) -> bool {
    if name.ends_with(".dockerignore") {
        return false;
    }
    let named = |base: &str| {
        name == base
            || name
                .strip_prefix(base)
                .is_some_and(|rest| rest.len() > 1 && rest.starts_with('.'))
    };
    let suffixed = |suffix: &str| {
        name.strip_suffix(suffix)
            .is_some_and(|stem| !stem.is_empty())
    };
    named("Dockerfile")
        || named("Containerfile")
        || suffixed(".Dockerfile")
        || suffixed(".dockerfile")
}

/// The paths named on the command line, normalised and without repeats, in the order given.
/// `check` reads each one as a file straight away and walks it only when it turns out to be
/// a directory: a `stat` of every named path first would be a serial pass over them all
/// before any linting starts.
pub fn named_paths(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut seen = std::collections::HashSet::with_capacity(paths.len());
    paths
        .iter()
        .map(|path| normalise(path))
        .filter(|path| seen.insert(path.clone()))
        .collect()
}

/// Expands `paths` into the files to lint. Files are kept as named; directories are walked
/// for Dockerfiles. Paths are normalised (a leading `./` dropped) so that `dlint .` and
/// `dlint Dockerfile` print the same names.
pub fn discover(paths: &[PathBuf]) -> Discovery {
    let mut discovery = Discovery::default();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut discovery),
            Ok(_) => discovery.files.push(normalise(path)),
            Err(error) => discovery.errors.push(DiscoveryError {
                path: normalise(path),
                error,
            }),
        }
    }
    // The order of `Path::cmp` (component by component), from keys built once: comparing
    // paths directly re-splits both into components on every comparison.
    discovery
        .files
        .sort_by_cached_key(|path| component_key(path));
    discovery.files.dedup();
    discovery
}

/// A key that orders paths as `Path::cmp` does: component by component, each by its kind
/// (in `Component`'s order) and then its bytes.
fn component_key(path: &Path) -> Vec<(u8, std::ffi::OsString)> {
    path.components()
        .map(|component| {
            let kind = match component {
                std::path::Component::Prefix(_) => 0,
                std::path::Component::RootDir => 1,
                std::path::Component::CurDir => 2,
                std::path::Component::ParentDir => 3,
                std::path::Component::Normal(_) => 4,
            };
            (kind, component.as_os_str().to_os_string())
        })
        .collect()
}

fn walk(root: &Path, discovery: &mut Discovery) {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .filter_entry(|entry| entry.file_name() != ".git")
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = match entry.file_type() {
                    Some(kind) if kind.is_symlink() => entry.path().is_file(),
                    Some(kind) => kind.is_file(),
                    None => false,
                };
                let matches = entry.file_name().to_str().is_some_and(is_dockerfile_name);
                if is_file && matches {
                    discovery.files.push(normalise(entry.path()));
                }
            }
            Err(error) => discovery.errors.push(walk_error(root, error)),
        }
    }
}

/// The path and the underlying I/O error of a failed walk step, so that it can be reported
/// like any other unreadable path.
fn walk_error(root: &Path, error: ignore::Error) -> DiscoveryError {
    let path = error_path(&error).unwrap_or(root).to_path_buf();
    let kind = error
        .io_error()
        .map_or(io::ErrorKind::Other, |io_error| io_error.kind());
    let message = match error.io_error() {
        Some(io_error) => io_error.to_string(),
        None => error.to_string(),
    };
    DiscoveryError {
        path: normalise(&path),
        error: io::Error::new(kind, message),
    }
}

fn error_path(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

/// Drops `.` components (`./a/./Dockerfile` → `a/Dockerfile`); a path of only `.` stays `.`.
fn normalise(path: &Path) -> PathBuf {
    let normal: PathBuf = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    if normal.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        normal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cached keys sort exactly as `Path::cmp` does, separators and odd components
    /// included.
    #[test]
    fn component_keys_sort_like_paths() {
        let names = [
            "a/b", "a-b", "a.b", "a/b/c", "a//b", "./a", "a/./b", "../a", "/a", "/!x", "!x", "a/",
            "a", "A", "é/x", "a b", "..x", ".x", "a/..", "a/-",
        ];
        let mut by_path: Vec<PathBuf> = names.iter().map(PathBuf::from).collect();
        let mut by_key = by_path.clone();
        by_path.sort();
        by_key.sort_by_cached_key(|path| component_key(path));
        assert_eq!(by_key, by_path);
    }

    #[test]
    fn dockerfile_names() {
        for yes in [
            "Dockerfile",
            "Dockerfile.dev",
            "Dockerfile.alpine.arm64",
            "app.Dockerfile",
            "app.dockerfile",
            "Containerfile",
            "Containerfile.fedora",
        ] {
            assert!(is_dockerfile_name(yes), "{yes}");
        }
        for no in [
            "dockerfile",
            "Dockerfile.",
            "Dockerfiles",
            "MyDockerfile",
            ".Dockerfile",
            "Dockerfile.dockerignore",
            "app.Dockerfile.dockerignore",
            "docker-compose.yml",
            "Containerfiles",
        ] {
            assert!(!is_dockerfile_name(no), "{no}");
        }
    }

    #[test]
    fn normalise_drops_current_dir() {
        assert_eq!(
            normalise(Path::new("./a/./Dockerfile")),
            Path::new("a/Dockerfile")
        );
        assert_eq!(normalise(Path::new(".")), Path::new("."));
        assert_eq!(normalise(Path::new("/x/./y")), Path::new("/x/y"));
    }
}
