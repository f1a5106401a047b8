//! Turning diagnostics into output: code frames for people ([`text`]), one line per finding
//! ([`concise`]), a stable JSON contract for tools ([`json`]), and the formats CI systems read:
//! [`sarif`] (code scanning), [`github`] (workflow annotations), [`checkstyle`], [`gitlab`]
//! (Code Quality), [`junit`] and [`rdjson`] (reviewdog). One file per format; [`support`]
//! holds what they share (positions in each format's column unit, fingerprints, escaping).
//!
//! The rest of dlint speaks [`Diagnostic`](crate::diagnostic::Diagnostic), so output can
//! change without touching the rules or the LSP server.

pub mod checkstyle;
pub mod concise;
pub mod frame;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod junit;
pub mod rdjson;
pub mod sarif;
pub mod support;
pub mod text;
mod text_frame;

use std::sync::Arc;

use crate::diagnostic::Diagnostic;

pub use checkstyle::render_checkstyle;
pub use concise::render_concise;
pub use frame::{render_source_frame, SourceFrame};
pub use github::render_github;
pub use gitlab::render_gitlab;
pub use json::render_json;
pub use junit::render_junit;
pub use rdjson::render_rdjson;
pub use sarif::{render_sarif, render_sarif_run};
pub use text::{render_text, render_text_report, summary_line, TextOptions};

/// One linted file: what it is called in output, its text, and what was found in it.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as the user should see it (`-` or the `--stdin-filename` for stdin).
    pub path: String,
    /// Shared so that every code frame of the file can point into it without a copy.
    pub source: Arc<str>,
    pub diagnostics: Vec<Diagnostic>,
}
