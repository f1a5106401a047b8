//! Reading what the user named: files (lossily, so that a stray Latin-1 byte never stops the
//! linter) and stdin, with errors that say which path failed and what to do about it.
//!
//! [`FileError`] is also how other per-file usage problems (a `--target` naming no stage) are
//! reported: they all end the run with exit code 2 after the other files are done.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::discover::DiscoveryError;
use crate::regular_file::{open_regular, read_bounded, read_stream_bounded, MAX_DOCKERFILE_BYTES};

/// The `-` path: read stdin.
pub const STDIN_PATH: &str = "-";

/// A file's text and the names it goes by.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// How output refers to it.
    pub display: String,
    /// Where it lives, for rules that read the build context next to it; `None` for stdin
    /// without `--stdin-filename`.
    pub path: Option<PathBuf>,
    pub text: String,
}

/// A file dlint could not use as asked: unreadable, or a usage error specific to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub path: String,
    /// The whole first line, path included (`cannot read `x`: …`).
    pub message: String,
    /// What the user can do about it, when we can tell.
    pub hint: Option<String>,
}

pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == STDIN_PATH
}

/// Reads `path`, or stdin for `-` (named `stdin_name` in output when given).
pub fn read_input(path: &Path, stdin_name: Option<&Path>) -> Result<SourceFile, FileError> {
    if is_stdin(path) {
        read_stdin(stdin_name)
    } else {
        read_file(path)
    }
}

pub fn read_file(path: &Path) -> Result<SourceFile, FileError> {
    let fail = |error| FileError::io(&path.display().to_string(), &error);
    // One open and one fstat: the type is checked on the handle, not by a second lookup. A
    // FIFO or a device is refused, and a file past the size limit is never read whole.
    let (file, meta) = open_regular(path).map_err(fail)?;
    let bytes = read_bounded(file, meta.len(), MAX_DOCKERFILE_BYTES).map_err(fail)?;
    Ok(SourceFile {
        display: path.display().to_string(),
        path: Some(path.to_path_buf()),
        text: decode_lossy(bytes),
    })
}

pub fn read_stdin(name: Option<&Path>) -> Result<SourceFile, FileError> {
    let display = name.map_or(STDIN_PATH.to_string(), |n| n.display().to_string());
    let bytes = read_stream_bounded(io::stdin().lock(), MAX_DOCKERFILE_BYTES)
        .map_err(|error| FileError::io(&display, &error))?;
    Ok(SourceFile {
        display,
        path: name.map(Path::to_path_buf),
        text: decode_lossy(bytes),
    })
}

/// UTF-8 as is (no copy); anything else with U+FFFD for the invalid bytes.
pub fn decode_lossy(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

impl From<DiscoveryError> for FileError {
    fn from(error: DiscoveryError) -> FileError {
        FileError::io(&error.path.display().to_string(), &error.error)
    }
}

impl FileError {
    /// `cannot read `path`: reason`, with a hint chosen by the kind of failure.
    pub fn io(path: &str, error: &io::Error) -> FileError {
        let hint = match error.kind() {
            io::ErrorKind::NotFound => {
                Some("check the path; relative paths start at the current directory")
            }
            io::ErrorKind::PermissionDenied => {
                Some("check the file's permissions (`ls -l`) or run as a user who can read it")
            }
            io::ErrorKind::IsADirectory => Some(
                "this command reads one file; to lint every Dockerfile in a directory, run `dlint check DIR`",
            ),
            io::ErrorKind::InvalidInput => {
                Some("dlint reads regular files only (not FIFOs, devices or sockets)")
            }
            io::ErrorKind::FileTooLarge => Some(
                "no Dockerfile is this large; check the path (the limit guards against runaway input)",
            ),
            _ => None,
        };
        FileError {
            path: path.to_string(),
            message: format!("cannot read `{path}`: {}", describe(error)),
            hint: hint.map(String::from),
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The OS message without Rust's "(os error 2)" suffix, which helps nobody.
fn describe(error: &io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_replaced_not_rejected() {
        assert_eq!(decode_lossy(b"FROM a\xff\n".to_vec()), "FROM a\u{fffd}\n");
        assert_eq!(decode_lossy(b"FROM \xc3\xa9".to_vec()), "FROM é");
    }

    #[test]
    fn missing_files_name_the_path_and_give_a_hint() {
        let error = read_file(Path::new("no/such/Dockerfile")).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("`no/such/Dockerfile`"), "{text}");
        assert!(!text.contains("os error"), "{text}");
        assert!(error.hint.is_some());
    }

    #[test]
    fn a_directory_is_not_a_file() {
        let error = read_file(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap_err();
        assert!(error.message.contains("is a directory"), "{error}");
        assert!(error.hint.unwrap().contains("dlint check"));
    }
}
