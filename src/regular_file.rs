//! Reading files dlint did not write (Dockerfiles, configuration, `.dockerignore`): regular
//! files only, and never more than a limit. A FIFO, a device or a socket is an error at once
//! (opened non-blocking, so a FIFO with no writer cannot hang the open; the type is checked on
//! the handle, so it cannot change between the check and the read), and so is a file larger
//! than the limit, which is also enforced while reading (a file growing meanwhile).

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The largest Dockerfile dlint reads: ten times the largest real one we have seen, far
/// below what would make a run slow.
pub const MAX_DOCKERFILE_BYTES: u64 = 10 << 20;

/// The largest configuration or build-context file (`dlint.toml`, `.hadolint.yaml`,
/// `.dockerignore`) dlint reads.
pub const MAX_SMALL_FILE_BYTES: u64 = 1 << 20;

/// Opens `path` for reading if it is a regular file (a directory is reported as
/// [`io::ErrorKind::IsADirectory`]).
pub fn open_regular(path: &Path) -> io::Result<(File, std::fs::Metadata)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "is a directory",
        ));
    }
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    Ok((file, meta))
}

/// The whole of `path`, a regular file of at most `limit` bytes.
pub fn read_regular(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let (file, meta) = open_regular(path)?;
    read_bounded(file, meta.len(), limit)
}

/// Reads `file` (of `size` bytes when opened) to its end, failing past `limit` bytes.
pub fn read_bounded(file: File, size: u64, limit: u64) -> io::Result<Vec<u8>> {
    if size > limit {
        return Err(too_large(limit));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // `File::read_to_end` would ask for the size and position again (an fstat and an
    // lseek); a plain `Read` reading into the space reserved here does not.
    PlainRead(file).take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

/// Reads `reader` (stdin) to its end, failing past `limit` bytes.
pub fn read_stream_bounded(reader: impl Read, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

/// A reader with only `read`: the generic `read_to_end`, without `File`'s size probing.
struct PlainRead(File);

impl Read for PlainRead {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

fn too_large(limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!("larger than {} MB, the most dlint reads", limit >> 20),
    )
}

/// What a non-regular file is, in the error.
pub fn not_regular(meta: &std::fs::Metadata) -> io::Error {
    let kind = kind_of(meta);
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("not a regular file ({kind})"),
    )
}

fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn devices_fifos_and_big_files_are_refused_at_once() {
        let error = read_regular(Path::new("/dev/zero"), 10).unwrap_err();
        assert!(error.to_string().contains("character device"), "{error}");
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid C string.
        assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0);
        let error = read_regular(&fifo, 10).unwrap_err();
        assert!(error.to_string().contains("FIFO"), "{error}");
        let big = dir.path().join("big");
        std::fs::write(&big, "0123456789ab").unwrap();
        let error = read_regular(&big, 10).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::FileTooLarge);
        assert_eq!(read_regular(&big, 12).unwrap(), b"0123456789ab");
        let error = read_stream_bounded(&b"0123456789ab"[..], 10).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::FileTooLarge);
    }
}
