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

use super::support::{message_with_help, portable_path, ColumnUnit, Located};
use super::FileReport;
use crate::diagnostic::Severity;

pub fn render_github(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        let located = Located::new(report);
        let file = escape_property(&portable_path(&report.path));
        for diagnostic in &report.diagnostics {
            let region = located.region(&diagnostic.span, ColumnUnit::Chars);
            let command = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Style => "notice",
            };
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
                "::{command} {}::{}\n",
                properties.join(","),
                escape_data(&message)
            ));
        }
    }
    out
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
