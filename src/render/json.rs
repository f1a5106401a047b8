//! Machine output, a contract that tools rely on:
//!
//! ```json
//! {
//!   "findings": [
//!     {
//!       "file": "Dockerfile",
//!       "code": "DL1000",
//!       "name": "invalid-syntax",
//!       "severity": "error",
//!       "message": "…",
//!       "range": {
//!         "start": { "line": 2, "column": 1 },
//!         "end": { "line": 2, "column": 15 }
//!       },
//!       "help": null,
//!       "url": "https://…/rules/DL1000.md",
//!       "fix": null
//!     }
//!   ]
//! }
//! ```
//!
//! - The top level is an object so that fields can be added later without breaking readers;
//!   `findings` is ordered by file path, then position, then code.
//! - `severity` is one of `error`, `warning`, `info`, `style`.
//! - Lines and columns are 1-based; columns count characters (Unicode scalar values), not
//!   bytes. `end` is exclusive: it is the position just after the last character of the
//!   finding.
//! - `help` is advice text or `null`.
//! - `fix` is `null` when the rule has no edit to offer; otherwise
//!   `{ "applicability": "safe" | "unsafe" | "display-only", "message": …, "edits": [ { "range":
//!   …, "content": … } ] }`, where each edit replaces the text in `range` with `content`.
//! - `saving` is present only when the fix has a size estimate: `{ "bytes": …, "measure":
//!   "compressed" }`, the bytes the image would lose; every saving has the same measure.

use serde::Serialize;

use super::FileReport;
use crate::diagnostic::Diagnostic;
use crate::fix::Fix;
use crate::knowledge::ESTIMATE_MEASURE;
use crate::line_index::{LineIndex, Position};
use crate::syntax::Span;

/// The JSON document for all reports, pretty-printed, with a trailing newline.
pub fn render_json(reports: &[FileReport]) -> String {
    let findings = reports
        .iter()
        .flat_map(|report| {
            let index = LineIndex::new(&report.source);
            report
                .diagnostics
                .iter()
                .map(move |d| JsonFinding::new(&report.path, &report.source, &index, d))
                .collect::<Vec<_>>()
        })
        .collect();
    let document = JsonOutput { findings };
    let mut out = serde_json::to_string_pretty(&document)
        .unwrap_or_else(|error| format!("{{\"error\": {:?}}}", error.to_string()));
    out.push('\n');
    out
}

#[derive(Serialize)]
struct JsonOutput<'a> {
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    file: &'a str,
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    message: &'a str,
    range: JsonRange,
    help: Option<&'a str>,
    url: &'a str,
    fix: Option<JsonFix<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    saving: Option<JsonSaving>,
}

#[derive(Serialize)]
struct JsonSaving {
    bytes: u64,
    measure: &'static str,
}

#[derive(Serialize)]
struct JsonRange {
    start: JsonPosition,
    end: JsonPosition,
}

#[derive(Serialize)]
struct JsonPosition {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: &'a str,
    message: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    range: JsonRange,
    content: &'a str,
}

impl<'a> JsonFinding<'a> {
    fn new(
        file: &'a str,
        source: &str,
        index: &LineIndex,
        diagnostic: &'a Diagnostic,
    ) -> JsonFinding<'a> {
        JsonFinding {
            file,
            code: diagnostic.code,
            name: diagnostic.name,
            severity: diagnostic.severity.as_str(),
            message: &diagnostic.message,
            range: JsonRange::new(source, index, &diagnostic.span),
            help: diagnostic.help.as_deref(),
            url: &diagnostic.url,
            fix: diagnostic
                .fix
                .as_ref()
                .map(|fix| JsonFix::new(source, index, fix)),
            saving: diagnostic.saving_bytes.map(|bytes| JsonSaving {
                bytes,
                measure: ESTIMATE_MEASURE.describe(),
            }),
        }
    }
}

impl<'a> JsonFix<'a> {
    fn new(source: &str, index: &LineIndex, fix: &'a Fix) -> JsonFix<'a> {
        JsonFix {
            applicability: fix.applicability.as_str(),
            message: &fix.message,
            edits: fix
                .edits
                .iter()
                .map(|edit| JsonEdit {
                    range: JsonRange::new(source, index, &edit.range),
                    content: &edit.replacement,
                })
                .collect(),
        }
    }
}

impl JsonRange {
    fn new(source: &str, index: &LineIndex, span: &Span) -> JsonRange {
        let start = index.position(source, span.start);
        let end = index.position(source, span.end.max(span.start));
        JsonRange {
            start: start.into(),
            end: end.into(),
        }
    }
}

impl From<Position> for JsonPosition {
    fn from(position: Position) -> JsonPosition {
        JsonPosition {
            line: position.line,
            column: position.column,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::Edit;
    use crate::rules::syntax::invalid_syntax::InvalidSyntax;
    use crate::rules::HasMeta;

    fn render_one(source: &str, diagnostic: Diagnostic) -> serde_json::Value {
        let report = FileReport {
            path: "dir/Dockerfile".into(),
            source: source.into(),
            diagnostics: vec![diagnostic],
        };
        serde_json::from_str(&render_json(&[report])).unwrap()
    }

    #[test]
    fn ranges_are_one_based_character_columns_with_an_exclusive_end() {
        let source = "FROM alpine\nLABEL é=\"😀\" bad\n";
        let start = source.find("bad").unwrap();
        let diagnostic = Diagnostic::new(&InvalidSyntax::META, start..start + 3, "no value");
        let value = render_one(source, diagnostic);
        let finding = &value["findings"][0];
        assert_eq!(finding["file"], "dir/Dockerfile");
        assert_eq!(finding["code"], "DL1000");
        assert_eq!(finding["name"], "invalid-syntax");
        assert_eq!(finding["severity"], "error");
        assert_eq!(finding["message"], "no value");
        // `LABEL é="😀" ` is 12 characters (17 bytes): `bad` spans columns 13..16.
        assert_eq!(finding["range"]["start"]["line"], 2);
        assert_eq!(finding["range"]["start"]["column"], 13);
        assert_eq!(finding["range"]["end"]["column"], 16);
        assert!(finding["fix"].is_null());
        assert!(finding["help"].is_null());
    }

    #[test]
    fn fixes_carry_their_edits_as_ranges() {
        let source = "FROM alpine\nRUN apk add curl\n";
        let at = source.find(" curl").unwrap();
        let mut diagnostic = Diagnostic::new(&InvalidSyntax::META, at..at, "m");
        diagnostic.fix = Some(Fix::safe("add it", vec![Edit::insert(at, " --no-cache")]));
        let value = render_one(source, diagnostic);
        let fix = &value["findings"][0]["fix"];
        assert_eq!(fix["applicability"], "safe");
        assert_eq!(fix["message"], "add it");
        assert_eq!(fix["edits"][0]["content"], " --no-cache");
        assert_eq!(fix["edits"][0]["range"]["start"]["line"], 2);
        assert_eq!(fix["edits"][0]["range"]["start"]["column"], 12);
        assert_eq!(fix["edits"][0]["range"]["end"]["column"], 12);
    }

    #[test]
    fn a_size_estimate_is_reported_with_its_measure() {
        let source = "FROM python:3.12\n";
        let mut diagnostic = Diagnostic::new(&InvalidSyntax::META, 5..16, "m");
        let plain = render_one(source, diagnostic.clone());
        assert!(plain["findings"][0].get("saving").is_none());
        diagnostic.saving_bytes = Some(367_700_000);
        let value = render_one(source, diagnostic);
        assert_eq!(value["findings"][0]["saving"]["bytes"], 367_700_000u64);
        assert_eq!(value["findings"][0]["saving"]["measure"], "compressed");
    }
}
