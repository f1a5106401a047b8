//! Writing a fixed file without ever leaving it half-written: a temporary file in the same
//! directory, flushed, given the original's permissions, then renamed over the original.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum WriteError {
    /// The file changed on disk since it was read: we refuse to clobber it.
    ChangedOnDisk(PathBuf),
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
            WriteError::Io(p, e) => write!(f, "{}: cannot write the fixed file: {e}", p.display()),
        }
    }
}

impl std::error::Error for WriteError {}

/// Replaces `path` with `contents` atomically. `original` is what was read: when the file no
/// longer holds it, nothing is written. The original's permissions are kept. A symlink is
/// resolved and its target replaced, so the link itself survives.
pub fn write_atomically(path: &Path, original: &[u8], contents: &[u8]) -> Result<(), WriteError> {
    let io = |e| WriteError::Io(path.to_path_buf(), e);
    let target = fs::canonicalize(path).map_err(io)?;
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
    let dir = target.parent().unwrap_or(Path::new("."));
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{file_name}.dlint-{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        fs::set_permissions(&temp, metadata.permissions())?;
        fs::rename(&temp, &target)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&temp);
        return Err(io(e));
    }
    Ok(())
}
