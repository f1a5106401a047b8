//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The shared test material beside the repository, or `None` (with a message) when absent.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.is_dir() {
        Some(dir)
    } else if std::env::var_os("DLINT_SHARED_REQUIRED").is_some() {
        panic!("DLINT_SHARED_REQUIRED is set but ../shared is missing");
    } else {
        eprintln!("skipping: ../shared is not present next to the repository");
        None
    }
}

/// Every file under `dir`, recursively, appended to `out` (an unreadable directory adds
/// nothing).
pub fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Reads a file as text, lossily, as dlint itself does.
pub fn read_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    String::from_utf8_lossy(&bytes).into_owned()
}

/// One line of a `buildkit-oracle.jsonl` file.
#[derive(Debug, serde::Deserialize)]
pub struct OracleEntry {
    pub path: String,
    pub ok: bool,
    #[serde(default)]
    pub err: Option<String>,
    pub kw: Vec<String>,
    pub lines: Vec<[usize; 2]>,
    pub heredocs: usize,
    pub warnings: usize,
    pub dump: String,
}

/// Entries of an oracle file; paths are relative to the shared directory.
pub fn oracle(path: &Path) -> Vec<OracleEntry> {
    read_text(path)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("oracle line is JSON"))
        .collect()
}

/// Frames a JSON-RPC message for the language server's stdio.
pub fn lsp_frame(message: &serde_json::Value) -> Vec<u8> {
    let body = message.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// One framed message from the server; `None` once its stdout closes.
pub fn lsp_read(reader: &mut impl std::io::BufRead) -> Option<serde_json::Value> {
    let mut length = None;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some(value) = header.strip_prefix("Content-Length: ") {
            length = value.parse().ok();
        }
    }
    let mut body = vec![0; length?];
    std::io::Read::read_exact(reader, &mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// Temporary files `dlint --fix` left in `dir` (its writer names them `.dlint-…`).
pub fn fix_leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".dlint-"))
        .collect()
}
