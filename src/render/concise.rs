//! `--format concise`: one line per finding, `file:line:col: CODE message`, for grep, editors'
//! error lists (`errorformat`, `problemMatcher`) and quick reading. Columns are 1-based and
//! count characters, as in the JSON output. A message spanning lines is joined with spaces so
//! that each finding stays on one line; control characters in names and messages become `?`, so
//! that a line is a finding and nothing reaches a terminal but text.

use super::support::{terminal_safe, terminal_safe_name, ColumnUnit, Located};
use super::FileReport;

pub fn render_concise(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        let located = Located::new(report);
        let path = terminal_safe_name(&report.path);
        for diagnostic in &report.diagnostics {
            let (line, column) = located.point(diagnostic.span.start, ColumnUnit::Chars);
            let message = diagnostic.message.split_whitespace().collect::<Vec<_>>();
            out.push_str(&format!(
                "{}:{line}:{column}: {} {}\n",
                path,
                diagnostic.code,
                terminal_safe(&message.join(" "))
            ));
        }
    }
    out
}
