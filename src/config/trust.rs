//! Which files a configuration may come from. A repository is not trusted to send dlint
//! anywhere else: a configuration file found in it, the files it `extend`s and the
//! `.dockerignore` beside a Dockerfile are read only when, with every symlink resolved, they
//! lie inside the project (the closest directory holding `.git`; without one, the current
//! directory when the file lies in it, else the file's own directory). Only a file named on the command line (`--config`) and the user's own
//! hadolint configuration are read wherever they are. A configuration owned by another user
//! (another user's `dlint.toml` in a shared parent directory such as `/tmp`) is used with a
//! warning, never silently.

use std::path::Path;

use super::ConfigError;
pub use crate::project::{inside, inside_project, project_root, root_for};
use crate::regular_file::{read_regular, MAX_SMALL_FILE_BYTES};

/// Reads a configuration file: a regular file of at most 1 MB, in UTF-8.
pub fn read_config_file(path: &Path) -> Result<String, ConfigError> {
    let fail = |message: String| {
        ConfigError {
        hint: Some(
            "a configuration file is a regular file of at most 1 MB; pass another with `--config FILE` or `--isolated`"
                .into(),
        ),
        ..ConfigError::whole_file(path, message)
    }
    };
    let bytes = read_regular(path, MAX_SMALL_FILE_BYTES)
        .map_err(|e| fail(format!("cannot read the configuration file: {e}")))?;
    String::from_utf8(bytes)
        .map_err(|_| fail("cannot read the configuration file: it is not UTF-8".into()))
}

/// A configuration outside the project: refused, with the way to use it anyway.
pub fn outside_error(path: &Path, why: String) -> ConfigError {
    ConfigError {
        hint: Some(format!(
            "dlint reads configuration only from inside the project; to use this file, name it yourself: `--config {}`",
            path.display()
        )),
        ..ConfigError::whole_file(path, why)
    }
}

/// A warning when `path` or its directory belongs to neither the current user nor root.
#[cfg(unix)]
pub fn ownership_warning(path: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: a plain system call.
    let me = unsafe { libc::geteuid() };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    [path, dir].into_iter().find_map(|p| {
        let owner = std::fs::metadata(p).ok()?.uid();
        (owner != me && owner != 0).then(|| {
            format!(
                "using the configuration `{}`, though `{}` is owned by another user (uid {owner}); pass `--config FILE` or `--isolated` to choose yourself",
                path.display(),
                p.display()
            )
        })
    })
}

#[cfg(not(unix))]
pub fn ownership_warning(_path: &Path) -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_project_is_the_closest_directory_with_git() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        assert_eq!(project_root(&nested), None);
        // Tests run in the crate's directory, which does not hold the temporary directory.
        assert_eq!(root_for(&nested.join("dlint.toml")), nested);
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        assert_eq!(project_root(&nested).as_deref(), Some(dir.path()));
        assert_eq!(root_for(&nested.join("dlint.toml")), dir.path());
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_project_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("base.toml"), "").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join("inner.toml"), "").unwrap();
        let link = dir.path().join("dlint.toml");
        std::os::unix::fs::symlink(outside.path().join("base.toml"), &link).unwrap();
        assert!(inside_project(&link).unwrap_err().contains("outside"));
        std::fs::remove_file(&link).unwrap();
        std::os::unix::fs::symlink("inner.toml", &link).unwrap();
        assert_eq!(inside_project(&link), Ok(()));
    }
}
