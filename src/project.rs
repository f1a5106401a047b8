//! The project a file belongs to: the closest directory holding `.git` (without one, the
//! current directory when the file lies in it, else the file's own directory). Files read on a
//! file's behalf (configuration, `extend`, `.dockerignore`) must lie inside it, every symlink
//! resolved, so a repository cannot send dlint to read anywhere else.

use std::path::{Path, PathBuf};

/// The project that holds `dir`: the closest directory at or above it with a `.git` (a
/// directory, or a file in a worktree).
pub fn project_root(dir: &Path) -> Option<PathBuf> {
    let dir = std::path::absolute(dir).ok()?;
    dir.ancestors()
        .find(|d| d.join(".git").symlink_metadata().is_ok())
        .map(Path::to_path_buf)
}

/// The directory files read on behalf of `path` must stay in: its project; without one, the
/// current directory when `path` lies in it, else `path`'s own directory.
pub fn root_for(path: &Path) -> PathBuf {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let dir = std::path::absolute(dir).unwrap_or(dir.to_path_buf());
    project_root(&dir).unwrap_or_else(|| match std::env::current_dir() {
        Ok(cwd) if dir.starts_with(&cwd) => cwd,
        _ => dir,
    })
}

/// `Ok` when `path`, every symlink resolved, lies inside its own project (see [`root_for`]).
pub fn inside_project(path: &Path) -> Result<(), String> {
    inside(path, &root_for(path))
}

/// `Ok` when `path`, every symlink resolved, lies inside `root` (a missing file passes: reading
/// it reports that).
pub fn inside(path: &Path, root: &Path) -> Result<(), String> {
    let Ok(target) = std::fs::canonicalize(path) else {
        return Ok(());
    };
    let resolved_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    if target.starts_with(&resolved_root) {
        Ok(())
    } else {
        Err(format!(
            "`{}` leads to `{}`, outside the project `{}`: not read",
            path.display(),
            target.display(),
            root.display()
        ))
    }
}
