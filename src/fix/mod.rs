//! Fixes: minimal byte edits with an applicability, applied without overlap, to a fixed point.
//!
//! Invariants: an edit never touches bytes outside its range, so line endings, a byte-order
//! mark and the final newline survive untouched unless a fix is about them; a fix is applied
//! whole or not at all.

mod apply;
mod attributes;
mod diff;
mod fixer;
mod line_ops;
mod write;

pub use apply::{apply_fixes, Applied};
pub use diff::{patch_path, unified_diff};
pub use fixer::{fix_until_stable, Candidate, FixOutcome, FixRecord, MAX_PASSES};
pub use write::{write_atomically, WriteError};

use std::ops::Range;

use serde::Serialize;

/// The line ending inserted text should use: `\r\n` when `text` (the file, or the
/// instruction being edited) uses it, else `\n`.
pub fn line_ending(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// How sure we are that applying a fix keeps the image doing what it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Cannot change what the image does (`--no-cache` on `apk add`): `--fix` applies it.
    Safe,
    /// Changes the image's contents (a base swap, a stage split): needs `--unsafe-fixes`.
    Unsafe,
    /// Advice with no automatic edit, or edits to show but never apply.
    DisplayOnly,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::DisplayOnly => "display-only",
        }
    }
}

/// Replace the bytes in `range` with `replacement` (an insertion when the range is empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
}

impl Edit {
    pub fn replace(range: Range<usize>, replacement: impl Into<String>) -> Edit {
        Edit {
            range,
            replacement: replacement.into(),
        }
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit::replace(at..at, text)
    }

    pub fn delete(range: Range<usize>) -> Edit {
        Edit::replace(range, "")
    }
}

/// A set of edits that belong together, with what they do and how safe they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub applicability: Applicability,
    pub message: String,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(message: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(Applicability::Safe, message, edits)
    }

    pub fn unsafe_edit(message: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(Applicability::Unsafe, message, edits)
    }

    pub fn display_only(message: impl Into<String>) -> Fix {
        Fix::new(Applicability::DisplayOnly, message, Vec::new())
    }

    pub fn new(
        applicability: Applicability,
        message: impl Into<String>,
        mut edits: Vec<Edit>,
    ) -> Fix {
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        Fix {
            applicability,
            message: message.into(),
            edits,
        }
    }

    /// The smallest range covering all edits.
    pub fn range(&self) -> Option<Range<usize>> {
        let start = self.edits.iter().map(|e| e.range.start).min()?;
        let end = self.edits.iter().map(|e| e.range.end).max()?;
        Some(start..end)
    }

    /// Whether `--fix` (and `--unsafe-fixes` when `unsafe_allowed`) may apply this fix.
    pub fn is_applicable(&self, unsafe_allowed: bool) -> bool {
        !self.edits.is_empty()
            && match self.applicability {
                Applicability::Safe => true,
                Applicability::Unsafe => unsafe_allowed,
                Applicability::DisplayOnly => false,
            }
    }
}
