//! Turning diagnostics into output: code frames for people ([`text`]), a stable JSON contract
//! for tools ([`json`]).
//!
//! This is the only module that knows miette: the rest of dlint speaks
//! [`Diagnostic`](crate::diagnostic::Diagnostic), so the renderer can change without touching
//! the rules or the LSP server.

pub mod json;
pub mod text;

use std::sync::Arc;

use crate::diagnostic::Diagnostic;

pub use json::render_json;
pub use text::{render_text, summary_line, TextOptions};

/// One linted file: what it is called in output, its text, and what was found in it.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as the user should see it (`-` or the `--stdin-filename` for stdin).
    pub path: String,
    /// Shared so that every code frame of the file can point into it without a copy.
    pub source: Arc<str>,
    pub diagnostics: Vec<Diagnostic>,
}
