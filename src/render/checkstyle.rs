//! `--format checkstyle`: Checkstyle's XML report, read by Jenkins (Warnings NG), reviewdog
//! (`-f=checkstyle`), SonarQube and many CI dashboards.
//!
//! Every linted file gets a `<file>` element, with one `<error>` per finding: 1-based `line`
//! and `column` (characters), `severity` (`error`, `warning`, `info`; `style` findings are
//! `info`), the message and `source="dlint.CODE"`. Text is XML-escaped; characters XML
//! cannot carry are replaced.

use super::support::{xml_escape, ColumnUnit, Located};
use super::FileReport;
use crate::diagnostic::Severity;

pub fn render_checkstyle(reports: &[FileReport]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<checkstyle version=\"4.3\">\n");
    for report in reports {
        let located = Located::new(report);
        if report.diagnostics.is_empty() {
            out.push_str(&format!(
                "  <file name=\"{}\"/>\n",
                xml_escape(&report.path)
            ));
            continue;
        }
        out.push_str(&format!("  <file name=\"{}\">\n", xml_escape(&report.path)));
        for diagnostic in &report.diagnostics {
            let (line, column) = located.point(diagnostic.span.start, ColumnUnit::Chars);
            let severity = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Style => "info",
            };
            out.push_str(&format!(
                "    <error line=\"{line}\" column=\"{column}\" severity=\"{severity}\" message=\"{}\" source=\"dlint.{}\"/>\n",
                xml_escape(&format!("{} {}", diagnostic.code, diagnostic.message)),
                xml_escape(diagnostic.code),
            ));
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}
