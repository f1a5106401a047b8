//! `--format junit`: a JUnit XML report, which most CI systems show as test results (GitLab's
//! `artifacts:reports:junit`, Jenkins, Azure Pipelines, CircleCI).
//!
//! One `<testsuite>` per linted file; each finding is a failed `<testcase>` named after its
//! rule and position, and a file with no findings has one passing test case, so that the
//! number of files checked shows too.

use super::support::{message_with_help, xml_escape, ColumnUnit, Located};
use super::FileReport;

pub fn render_junit(reports: &[FileReport]) -> String {
    let failures: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
    let tests: usize = reports.iter().map(|r| r.diagnostics.len().max(1)).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"dlint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n"
    ));
    for report in reports {
        let located = Located::new(report);
        let file = xml_escape(&report.path);
        let count = report.diagnostics.len();
        out.push_str(&format!(
            "  <testsuite name=\"{file}\" tests=\"{}\" failures=\"{count}\" errors=\"0\">\n",
            count.max(1)
        ));
        if count == 0 {
            out.push_str(&format!(
                "    <testcase name=\"dlint\" classname=\"{file}\" file=\"{file}\"/>\n"
            ));
        }
        for diagnostic in &report.diagnostics {
            let (line, column) = located.point(diagnostic.span.start, ColumnUnit::Chars);
            out.push_str(&format!(
                "    <testcase name=\"{} {} at {line}:{column}\" classname=\"{file}\" file=\"{file}\" line=\"{line}\">\n",
                xml_escape(diagnostic.code),
                xml_escape(diagnostic.name),
            ));
            out.push_str(&format!(
                "      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                xml_escape(&diagnostic.message),
                xml_escape(diagnostic.code),
                xml_escape(&format!(
                    "{}:{line}:{column}: {} {}\n{}\n{}",
                    report.path,
                    diagnostic.code,
                    diagnostic.name,
                    message_with_help(diagnostic),
                    diagnostic.url
                )),
            ));
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
