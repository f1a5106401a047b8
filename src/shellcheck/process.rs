//! Running the `shellcheck` binary: every script of one Dockerfile in one process (each
//! written to a file in a fresh temporary directory), `--format=json1`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Deserialize;

/// Codes hadolint excludes: SC2187 (ash is checked as dash) and SC1090 (a `source` of a
/// non-constant path needs a directive a Dockerfile cannot hold).
pub const EXCLUDED: &str = "2187,1090";

/// One ShellCheck comment of `json1` output.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Comment {
    pub file: String,
    pub line: usize,
    pub end_line: usize,
    pub column: usize,
    pub end_column: usize,
    pub level: String,
    pub code: u32,
    pub message: String,
    #[serde(default)]
    pub fix: Option<CommentFix>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct CommentFix {
    pub replacements: Vec<Replacement>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Replacement {
    pub line: usize,
    pub end_line: usize,
    pub column: usize,
    pub end_column: usize,
    pub replacement: String,
}

#[derive(Deserialize)]
struct Output {
    comments: Vec<Comment>,
}

/// Why a run produced nothing.
#[derive(Debug)]
pub enum RunError {
    Io(std::io::Error),
    /// ShellCheck exited with a status other than 0 (clean) or 1 (comments), or printed
    /// something that is not `json1`.
    Failed(String),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Io(e) => write!(f, "{e}"),
            RunError::Failed(message) => f.write_str(message),
        }
    }
}

/// Checks `scripts` with one `shellcheck` process; the comments come back with the index of
/// their script.
pub fn check_scripts(binary: &Path, scripts: &[&str]) -> Result<Vec<(usize, Comment)>, RunError> {
    if scripts.is_empty() {
        return Ok(Vec::new());
    }
    let dir = TempDir::new().map_err(RunError::Io)?;
    let mut paths = Vec::with_capacity(scripts.len());
    for (index, text) in scripts.iter().enumerate() {
        let path = dir.path.join(format!("{index}.sh"));
        std::fs::write(&path, text).map_err(RunError::Io)?;
        paths.push(path);
    }
    let output = Command::new(binary)
        .arg("--format=json1")
        .arg("--norc")
        .arg(format!("--exclude={EXCLUDED}"))
        .args(&paths)
        // Options from the environment could change the output format.
        .env_remove("SHELLCHECK_OPTS")
        .stdin(Stdio::null())
        .output()
        .map_err(RunError::Io)?;
    if !matches!(output.status.code(), Some(0 | 1)) {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(RunError::Failed(format!(
            "{} exited with {}: {}",
            binary.display(),
            output.status,
            stderr.trim()
        )));
    }
    let parsed: Output = serde_json::from_slice(&output.stdout)
        .map_err(|e| RunError::Failed(format!("unexpected output from shellcheck: {e}")))?;
    let index_of = |file: &str| -> Option<usize> {
        let name = Path::new(file).file_name()?.to_str()?;
        name.strip_suffix(".sh")?.parse().ok()
    };
    Ok(parsed
        .comments
        .into_iter()
        .filter_map(|c| Some((index_of(&c.file)?, c)))
        .filter(|(index, _)| *index < scripts.len())
        .collect())
}

/// A directory of our own under the system's temporary directory, removed on drop.
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn new() -> std::io::Result<TempDir> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let base = std::env::temp_dir();
        let mut last_error = None;
        for _ in 0..16 {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let path = base.join(format!(
                "dlint-shellcheck-{}-{n}-{nanos}",
                std::process::id()
            ));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(TempDir { path }),
                Err(e) => last_error = Some(e),
            }
        }
        Err(last_error.unwrap_or_else(|| std::io::Error::other("no temporary directory")))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
