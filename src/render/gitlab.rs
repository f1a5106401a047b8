//! `--format gitlab`: GitLab Code Quality (a JSON array of issues, the CodeClimate subset
//! GitLab reads from `artifacts:reports:codequality`), shown in merge request widgets and
//! diffs.
//!
//! Each issue has `description`, `check_name` (the rule code), `fingerprint` (stable when lines
//! move: the rule, the file, the content of the lines found, and an occurrence count),
//! `severity` (`error` → `critical`, `warning` → `major`, `info` → `minor`, `style` →
//! `info`) and `location` with 1-based `lines.begin` and `lines.end`, plus exact
//! `positions` (character columns).

use serde_json::{json, Value};

use super::support::{message_with_help, portable_path, ColumnUnit, Located};
use super::FileReport;
use crate::diagnostic::Severity;

pub fn render_gitlab(reports: &[FileReport]) -> String {
    let mut issues: Vec<Value> = Vec::new();
    for report in reports {
        let located = Located::new(report);
        let path = portable_path(&report.path);
        for (diagnostic, fingerprint) in report.diagnostics.iter().zip(located.fingerprints()) {
            let region = located.region(&diagnostic.span, ColumnUnit::Chars);
            let severity = match diagnostic.severity {
                Severity::Error => "critical",
                Severity::Warning => "major",
                Severity::Info => "minor",
                Severity::Style => "info",
            };
            issues.push(json!({
                "type": "issue",
                "check_name": diagnostic.code,
                "description": format!("{} {}: {}", diagnostic.code, diagnostic.name, diagnostic.message),
                "content": { "body": format!("{}\n\n{}", message_with_help(diagnostic), diagnostic.url) },
                "categories": ["Style"],
                "fingerprint": fingerprint,
                "severity": severity,
                "location": {
                    "path": path,
                    "lines": { "begin": region.start_line, "end": region.end_line },
                    "positions": {
                        "begin": { "line": region.start_line, "column": region.start_column },
                        "end": { "line": region.end_line, "column": region.end_column },
                    },
                },
            }));
        }
    }
    let mut out = serde_json::to_string_pretty(&issues)
        .unwrap_or_else(|error| format!("{{\"error\": {:?}}}", error.to_string()));
    out.push('\n');
    out
}
