//! Writing a fixed file without ever leaving it half-written: a temporary file in the same
//! directory, flushed, given the original's permissions, then renamed over the original. On
//! any failure the temporary file is removed and the original is left as it was.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum WriteError {
    /// The file changed on disk since it was read: we refuse to clobber it.
    ChangedOnDisk(PathBuf),
    /// The path is a symlink whose target lies outside the tree being fixed.
    OutsideRoot {
        link: PathBuf,
        target: PathBuf,
        root: PathBuf,
    },
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::ChangedOnDisk(p) => write!(
                f,
                "{}: changed on disk while dlint was fixing it; not overwritten (run again)",
                p.display()
            ),
            WriteError::OutsideRoot { link, target, root } => write!(
                f,
                "{}: a symlink to `{}`, outside `{}`: not written",
                link.display(),
                target.display(),
                root.display()
            ),
            WriteError::Io(p, e) => write!(
                f,
                "{}: cannot write the fixed file ({e}); the original is unchanged",
                p.display()
            ),
        }
    }
}

impl std::error::Error for WriteError {}

/// Replaces `path` with `contents` atomically. `original` is what was read: when the file no
/// longer holds it, nothing is written. The original's permissions are kept. A symlink is
/// resolved and its target replaced (the link stays a link), but only when the target lies
/// inside `root`, the tree being fixed; a target elsewhere is refused.
pub fn write_atomically(
    path: &Path,
    root: &Path,
    original: &[u8],
    contents: &[u8],
) -> Result<(), WriteError> {
    let io = |e| WriteError::Io(path.to_path_buf(), e);
    let target = fs::canonicalize(path).map_err(io)?;
    let root = fs::canonicalize(root).map_err(io)?;
    if !target.starts_with(&root) {
        return Err(WriteError::OutsideRoot {
            link: path.to_path_buf(),
            target,
            root,
        });
    }
    let current = fs::read(&target).map_err(io)?;
    if current != original {
        return Err(WriteError::ChangedOnDisk(path.to_path_buf()));
    }
    let metadata = fs::metadata(&target).map_err(io)?;
    if metadata.permissions().readonly() {
        return Err(io(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "the file is read-only",
        )));
    }
    let (temp, mut file) = create_temp(&target).map_err(io)?;
    let result = (|| {
        file.write_all(contents)?;
        file.sync_all()?;
        drop(file);
        fs::set_permissions(&temp, metadata.permissions())?;
        fs::rename(&temp, &target)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&temp);
        return Err(io(e));
    }
    Ok(())
}

/// A new temporary file beside `target`. `create_new` never opens an existing file, so a
/// stale temporary file or a symlink planted at its name is not followed or truncated.
fn create_temp(target: &Path) -> std::io::Result<(PathBuf, fs::File)> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut attempt = 0;
    loop {
        let temp = dir.join(format!(
            ".{name}.dlint-{}-{attempt}.tmp",
            std::process::id()
        ));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
        {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".dlint-"))
            .collect()
    }

    #[test]
    fn writes_the_new_contents() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("Dockerfile");
        fs::write(&file, "old").unwrap();
        write_atomically(&file, dir.path(), b"old", b"new").unwrap();
        assert_eq!(fs::read(&file).unwrap(), b"new");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_not_clobbered() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("Dockerfile");
        fs::write(&file, "what dlint read").unwrap();
        // Someone saves the file while dlint is fixing it.
        fs::write(&file, "what the user saved").unwrap();
        let error = write_atomically(&file, dir.path(), b"what dlint read", b"fixed").unwrap_err();
        assert!(matches!(error, WriteError::ChangedOnDisk(_)), "{error:?}");
        assert!(error.to_string().contains("changed on disk"), "{error}");
        assert_eq!(fs::read(&file).unwrap(), b"what the user saved");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_stale_temporary_file_is_neither_truncated_nor_followed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("Dockerfile");
        fs::write(&file, "old").unwrap();
        let stale = dir
            .path()
            .join(format!(".Dockerfile.dlint-{}-0.tmp", std::process::id()));
        fs::write(&stale, "not ours").unwrap();
        write_atomically(&file, dir.path(), b"old", b"new").unwrap();
        assert_eq!(fs::read(&file).unwrap(), b"new");
        assert_eq!(fs::read(&stale).unwrap(), b"not ours");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_written_through_inside_the_root_and_refused_outside() {
        let outside = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("real.Dockerfile");
        fs::write(&inner, "old").unwrap();
        let link = dir.path().join("Dockerfile");
        std::os::unix::fs::symlink(&inner, &link).unwrap();
        write_atomically(&link, dir.path(), b"old", b"new").unwrap();
        assert_eq!(fs::read(&inner).unwrap(), b"new");
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink());

        let far = outside.path().join("Dockerfile");
        fs::write(&far, "old").unwrap();
        let far_link = dir.path().join("far.Dockerfile");
        std::os::unix::fs::symlink(&far, &far_link).unwrap();
        let error = write_atomically(&far_link, dir.path(), b"old", b"new").unwrap_err();
        assert!(matches!(error, WriteError::OutsideRoot { .. }), "{error:?}");
        assert_eq!(fs::read(&far).unwrap(), b"old");
    }
}
