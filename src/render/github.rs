//! `--format github`: GitHub Actions workflow commands, which GitHub turns into annotations on
//! the pull request's diff:
//!
//! ```text
//! ::warning file=Dockerfile,line=3,col=5,endLine=3,endColumn=22,title=dlint DL3042 (pip-no-cache-dir)::`pip install` without …
//! ```
//!
//! `error` findings are `::error`, `warning` ones `::warning`, `info` and `style` ones
//! `::notice`. Columns (1-based characters, end exclusive) are given only for findings on one
//! line: GitHub ignores them otherwise. Escaping follows the Actions toolkit: in the message
//! `%`, `\r` and `\n` become `%25`, `%0D` and `%0A`; in properties `:` and `,` also become
//! `%3A` and `%2C`.
//!
//! GitHub shows at most [`ANNOTATIONS_PER_KIND`] annotations of each kind per step: past that,
//! a kind's findings are plain log lines (`dlint: file:line:col: CODE message`) and its last
//! annotation says how many were not annotated, so none vanish unnoticed.

use super::support::{
    message_with_help, portable_path, terminal_safe, terminal_safe_name, ColumnUnit, Located,
};
use super::FileReport;
use crate::diagnostic::Severity;

/// GitHub shows this many annotations of each kind (error, warning, notice) per step and
/// drops the rest without a word.
pub const ANNOTATIONS_PER_KIND: usize = 10;

const KINDS: [&str; 3] = ["error", "warning", "notice"];

pub fn render_github(reports: &[FileReport]) -> String {
    let mut totals = [0usize; 3];
    for report in reports {
        for diagnostic in &report.diagnostics {
            totals[kind(diagnostic.severity)] += 1;
        }
    }
    // A kind with more findings than GitHub shows keeps its last annotation for a note.
    let shown: Vec<usize> = totals
        .iter()
        .map(|&total| {
            if total > ANNOTATIONS_PER_KIND {
                ANNOTATIONS_PER_KIND - 1
            } else {
                total
            }
        })
        .collect();
    let mut out = String::new();
    let mut overflow = String::new();
    let mut emitted = [0usize; 3];
    for report in reports {
        let located = Located::new(report);
        let file = escape_property(&portable_path(&report.path));
        for diagnostic in &report.diagnostics {
            let region = located.region(&diagnostic.span, ColumnUnit::Chars);
            let kind = kind(diagnostic.severity);
            emitted[kind] += 1;
            if emitted[kind] > shown[kind] {
                // A plain log line, never a command: it starts with `dlint:`, and escaping
                // keeps it on one line.
                let name = terminal_safe_name(&report.path);
                let message = terminal_safe(&diagnostic.message);
                overflow.push_str(&format!(
                    "dlint: {}:{}:{}: {} {}\n",
                    escape_data(&name),
                    region.start_line,
                    region.start_column,
                    diagnostic.code,
                    escape_data(&message)
                ));
                continue;
            }
            let mut properties = vec![
                format!("file={file}"),
                format!("line={}", region.start_line),
            ];
            if region.is_single_line() {
                properties.push(format!("col={}", region.start_column));
            }
            properties.push(format!("endLine={}", region.end_line));
            if region.is_single_line() {
                properties.push(format!("endColumn={}", region.end_column));
            }
            let title = format!("dlint {} ({})", diagnostic.code, diagnostic.name);
            properties.push(format!("title={}", escape_property(&title)));
            let message = format!("{}\n{}", message_with_help(diagnostic), diagnostic.url);
            out.push_str(&format!(
                "::{} {}::{}\n",
                KINDS[kind],
                properties.join(","),
                escape_data(&message)
            ));
        }
    }
    out.push_str(&overflow);
    for (kind, (&total, &shown)) in totals.iter().zip(&shown).enumerate() {
        if total > shown {
            let name = KINDS[kind];
            out.push_str(&format!(
                "::{name} title=dlint%3A {} more {name}s::{} more {name} findings are not \
                 annotated: GitHub shows {ANNOTATIONS_PER_KIND} {name} annotations per step. \
                 They are listed in the log above (lines starting with `dlint:`).\n",
                total - shown,
                total - shown,
            ));
        }
    }
    out
}

/// The index in [`KINDS`] of a finding of `severity`.
fn kind(severity: Severity) -> usize {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info | Severity::Style => 2,
    }
}

/// The message part of a workflow command.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value (`file=`, `title=` …).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_actions_toolkit() {
        assert_eq!(escape_data("100%\r\ndone: a,b"), "100%25%0D%0Adone: a,b");
        assert_eq!(escape_property("C:\\x,y%"), "C%3A\\x%2Cy%25");
    }
}
