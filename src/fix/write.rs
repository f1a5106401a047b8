//! Writing a fixed file without ever leaving it half-written or losing a save made meanwhile.
//!
//! The file is opened once and every later check is made against that handle: it must be a
//! regular file with one name (a rename would split a hard-linked file from its other names,
//! which would keep the old text; such a file is refused), and hold what was linted. The new
//! text goes to a temporary file beside it, created `0600` (never readable by others, however
//! open the original was), given the original's owner, extended attributes (ACLs among them)
//! and mode, flushed to disk, then swapped in.
//!
//! The swap is where a concurrent save could be lost. On Linux it is `renameat2` with
//! `RENAME_EXCHANGE`: the temporary name then holds what the file's name held at the instant
//! of the swap, which is checked to be the original, untouched (same inode, same size, same
//! modification time, same bytes). A save that slipped in (an editor renaming its own
//! temporary file over the file, or rewriting it in place) is found there and swapped back,
//! and the run reports the file as changed on disk. What is left is a writer that opened the
//! file before the swap and writes to it after the last check, a few system calls later:
//! without a lock every writer honours (editors take none), no check can see a write that has
//! not happened yet, so a check made after the swap is the last one possible. Elsewhere (or on
//! a file system without the exchange) the file is checked just before a plain rename.

use std::fs::{self, File};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::attributes::keep_attributes;

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
    /// Not a file dlint rewrites (a FIFO or a device, several hard links, an owner or
    /// attribute it cannot keep): nothing was written.
    Refused(PathBuf, String),
    /// A save raced the swap and could not be put back (saved again meanwhile): it is kept
    /// under this name.
    SaveSetAside {
        path: PathBuf,
        kept: PathBuf,
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
            WriteError::Refused(p, why) => write!(f, "{}: {why}: not rewritten", p.display()),
            WriteError::SaveSetAside { path, kept } => write!(
                f,
                "{}: saved while dlint was replacing it; that save is kept as `{}`",
                path.display(),
                kept.display()
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
/// longer holds it, nothing is written. The original's owner, mode and extended attributes
/// are kept. A symlink is resolved and its target replaced (the link stays a link), but only
/// when the target lies inside `root`, the tree being fixed; a target elsewhere is refused.
pub fn write_atomically(
    path: &Path,
    root: &Path,
    original: &[u8],
    contents: &[u8],
) -> Result<(), WriteError> {
    let io = |e| WriteError::Io(path.to_path_buf(), e);
    let refused = |why: String| WriteError::Refused(path.to_path_buf(), why);
    let target = fs::canonicalize(path).map_err(io)?;
    let root = fs::canonicalize(root).map_err(io)?;
    if !target.starts_with(&root) {
        return Err(WriteError::OutsideRoot {
            link: path.to_path_buf(),
            target,
            root,
        });
    }
    let mut file = open_no_follow(&target).map_err(io)?;
    let before = file.metadata().map_err(io)?;
    if !before.is_file() {
        return Err(refused(
            crate::regular_file::not_regular(&before).to_string(),
        ));
    }
    if links(&before) > 1 {
        return Err(refused(format!(
            "it has {} hard links (names), which a rewrite would split: the others would keep the old text",
            links(&before)
        )));
    }
    if before.permissions().readonly() {
        return Err(io(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "the file is read-only",
        )));
    }
    if !holds(&mut file, original).map_err(io)? {
        return Err(WriteError::ChangedOnDisk(path.to_path_buf()));
    }
    let mut temp = Temp::create(&target).map_err(io)?;
    temp.file.write_all(contents).map_err(io)?;
    keep_attributes(&file, &before, &temp.file).map_err(refused)?;
    temp.file.sync_all().map_err(io)?;
    let original_file = Original {
        file,
        before,
        bytes: original,
    };
    swap_in(path, &target, temp, original_file)
}

/// The file as first opened: its handle, its metadata then, and the text dlint linted.
struct Original<'a> {
    file: File,
    before: fs::Metadata,
    bytes: &'a [u8],
}

impl Original<'_> {
    /// Is the file at `name` still this one, untouched (same inode, size, modification time
    /// and bytes)?
    fn is_at(&mut self, name: &Path) -> std::io::Result<bool> {
        let Ok(there) = fs::symlink_metadata(name) else {
            return Ok(false);
        };
        let now = self.file.metadata()?;
        Ok(same_inode(&there, &self.before)
            && now.len() == self.before.len()
            && now.modified().ok() == self.before.modified().ok()
            && holds(&mut self.file, self.bytes)?)
    }
}

/// Puts `temp` in the place of `target`, unless the file there is no longer the original.
fn swap_in(
    path: &Path,
    target: &Path,
    temp: Temp,
    mut original: Original<'_>,
) -> Result<(), WriteError> {
    let io = |e| WriteError::Io(path.to_path_buf(), e);
    if !original.is_at(target).map_err(io)? {
        return Err(WriteError::ChangedOnDisk(path.to_path_buf()));
    }
    match exchange(&temp.path, target) {
        Ok(()) => {}
        Err(e) if exchange_unsupported(&e) => {
            // The check above is the last one: a save from here to the rename is lost.
            fs::rename(&temp.path, target).map_err(io)?;
            temp.keep();
            sync_directory(target);
            return Ok(());
        }
        Err(e) => return Err(io(e)),
    }
    // The temporary name now holds what `target` held at the instant of the swap: from here
    // nothing there is removed unless it is known to be the original, untouched.
    if original.is_at(&temp.path).unwrap_or(false) {
        drop(temp); // removes the original, now under the temporary name
        sync_directory(target);
        return Ok(());
    }
    // A save slipped in before the swap: give it its name back.
    let ours = temp.file.metadata().ok();
    let kept = temp.keep();
    let set_aside = || WriteError::SaveSetAside {
        path: path.to_path_buf(),
        kept: kept.clone(),
    };
    exchange(&kept, target).map_err(|_| set_aside())?;
    let swapped_out = fs::symlink_metadata(&kept).ok();
    match (swapped_out, ours) {
        (Some(out), Some(ours)) if same_inode(&out, &ours) => {
            let _ = fs::remove_file(&kept);
            Err(WriteError::ChangedOnDisk(path.to_path_buf()))
        }
        // Saved again meanwhile: the file holds the latest save, and the one before it stays.
        _ => Err(set_aside()),
    }
}

/// Does `file` hold exactly `bytes` (read from its start)?
fn holds(file: &mut File, bytes: &[u8]) -> std::io::Result<bool> {
    file.rewind()?;
    let mut now = Vec::with_capacity(bytes.len() + 1);
    Read::take(&mut *file, bytes.len() as u64 + 1).read_to_end(&mut now)?;
    Ok(now == bytes)
}

fn open_no_follow(path: &Path) -> std::io::Result<File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // The path was resolved: a symlink there now was put there since.
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    options.open(path)
}

#[cfg(unix)]
fn links(meta: &fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

#[cfg(not(unix))]
fn links(_meta: &fs::Metadata) -> u64 {
    1
}

#[cfg(unix)]
fn same_inode(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    (a.dev(), a.ino()) == (b.dev(), b.ino())
}

#[cfg(not(unix))]
fn same_inode(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    a.len() == b.len() && a.modified().ok() == b.modified().ok()
}

/// Swaps the files at `a` and `b` in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        std::ffi::CString::new(p.as_os_str().as_bytes())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: two valid C strings; the call only reads them.
    let result = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// The kernel or the file system has no exchange: fall back to a rename.
fn exchange_unsupported(e: &std::io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if matches!(
        e.raw_os_error(),
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)
    ) {
        return true;
    }
    e.kind() == std::io::ErrorKind::Unsupported
}

/// Makes the rename durable (best effort: not every system can sync a directory).
fn sync_directory(target: &Path) {
    if let Some(dir) = target.parent() {
        if let Ok(dir) = File::open(dir) {
            let _ = dir.sync_all();
        }
    }
}

/// The temporary file, removed on drop unless kept.
struct Temp {
    path: PathBuf,
    file: File,
    kept: bool,
}

impl Temp {
    fn create(target: &Path) -> std::io::Result<Temp> {
        let (path, file) = create_temp(target)?;
        Ok(Temp {
            path,
            file,
            kept: false,
        })
    }

    /// Leaves whatever is at the temporary name in place.
    fn keep(mut self) -> PathBuf {
        self.kept = true;
        std::mem::take(&mut self.path)
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.kept {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// A new temporary file beside `target`, readable and writable by its owner only. It is
/// created, never opened: a stale temporary file or a symlink planted at its name is not
/// followed or truncated.
fn create_temp(target: &Path) -> std::io::Result<(PathBuf, File)> {
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
        let mut options = fs::OpenOptions::new();
        options.read(true).write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        match options.open(&temp) {
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
    fn the_temporary_file_is_private_from_the_start() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("Dockerfile");
        fs::write(&file, "old").unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).unwrap();
        let (temp, _handle) = create_temp(&file).unwrap();
        let mode = fs::metadata(&temp).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{mode:o}");
        fs::remove_file(temp).unwrap();
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
