//! `--format rdjson`: reviewdog's Diagnostic Format (`reviewdog -f=rdjson`), which posts
//! findings as pull request review comments with suggested changes.
//!
//! Positions are 1-based lines and columns counted in UTF-8 bytes, as rdjson specifies, with
//! an exclusive end. A finding with an applicable fix carries one `suggestions` entry per edit
//! (the replacement text for a range); severities are `ERROR`, `WARNING` and `INFO`.

use serde_json::{json, Value};

use super::support::{message_with_help, ColumnUnit, Located};
use super::FileReport;
use crate::diagnostic::Severity;

pub fn render_rdjson(reports: &[FileReport]) -> String {
    let mut diagnostics: Vec<Value> = Vec::new();
    for report in reports {
        let located = Located::new(report);
        for diagnostic in &report.diagnostics {
            let severity = match diagnostic.severity {
                Severity::Error => "ERROR",
                Severity::Warning => "WARNING",
                Severity::Info | Severity::Style => "INFO",
            };
            let mut entry = json!({
                "message": message_with_help(diagnostic),
                "location": {
                    "path": report.path,
                    "range": range(&located, &diagnostic.span),
                },
                "severity": severity,
                "code": { "value": diagnostic.code, "url": diagnostic.url },
            });
            if let Some(fix) = diagnostic.fix.as_ref().filter(|f| f.is_applicable(true)) {
                entry["suggestions"] = fix
                    .edits
                    .iter()
                    .map(|edit| json!({ "range": range(&located, &edit.range), "text": edit.replacement }))
                    .collect();
            }
            diagnostics.push(entry);
        }
    }
    let document = json!({
        "source": { "name": "dlint", "url": crate::REPOSITORY_URL },
        "diagnostics": diagnostics,
    });
    let mut out = serde_json::to_string_pretty(&document)
        .unwrap_or_else(|error| format!("{{\"error\": {:?}}}", error.to_string()));
    out.push('\n');
    out
}

fn range(located: &Located<'_>, span: &crate::syntax::Span) -> Value {
    let region = located.region(span, ColumnUnit::Bytes);
    json!({
        "start": { "line": region.start_line, "column": region.start_column },
        "end": { "line": region.end_line, "column": region.end_column },
    })
}
