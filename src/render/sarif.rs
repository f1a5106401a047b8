//! `--format sarif`: SARIF 2.1.0, for GitHub code scanning (`github/codeql-action/upload-sarif`)
//! and other SARIF viewers.
//!
//! - One run; `tool.driver.rules` holds the metadata of every rule with a result (id, name,
//!   short and full description, help URI and Markdown help, default level, family tag), in
//!   code order, and each result points at its rule with `ruleIndex`.
//! - Regions are exact: 1-based lines and columns counted in UTF-16 code units (SARIF's default
//!   `columnKind`, stated explicitly), with an exclusive `endColumn`.
//! - A finding with an applicable fix carries it in `fixes` (the safety in its description).
//! - `partialFingerprints["dlint/v1"]` hashes the rule, the file and the content of the lines
//!   found, so a finding keeps its identity when lines above it move.
//! - Levels: `error` → `error`, `warning` → `warning`, `info` and `style` → `note`.

use serde_json::{json, Value};

use super::support::{portable_path, ColumnUnit, Located, Region};
use super::FileReport;
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::Fix;
use crate::rules::{find_rule, RuleMeta};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn render_sarif(reports: &[FileReport]) -> String {
    let mut rules: Vec<&'static RuleMeta> = reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .filter_map(|d| find_rule(d.code).map(|rule| rule.meta()))
        .collect();
    rules.sort_by_key(|meta| meta.code);
    rules.dedup_by_key(|meta| meta.code);

    let mut results = Vec::new();
    for report in reports {
        let located = Located::new(report);
        let uri = artifact_uri(&report.path);
        let fingerprints = located.fingerprints();
        for (diagnostic, fingerprint) in report.diagnostics.iter().zip(fingerprints) {
            let rule_index = rules.iter().position(|meta| meta.code == diagnostic.code);
            results.push(result(&located, &uri, diagnostic, rule_index, &fingerprint));
        }
    }

    let document = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "dlint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": crate::REPOSITORY_URL,
                    "rules": rules.iter().map(|meta| rule(meta)).collect::<Vec<_>>(),
                }
            },
            "columnKind": "utf16CodeUnits",
            "results": results,
        }]
    });
    let mut out = serde_json::to_string_pretty(&document)
        .unwrap_or_else(|error| format!("{{\"error\": {:?}}}", error.to_string()));
    out.push('\n');
    out
}

fn rule(meta: &RuleMeta) -> Value {
    let documentation = meta.documentation();
    json!({
        "id": meta.code,
        "name": meta.display_name(),
        "shortDescription": { "text": meta.summary() },
        "fullDescription": { "text": documentation, "markdown": documentation },
        "help": { "text": documentation, "markdown": documentation },
        "helpUri": meta.url(),
        "defaultConfiguration": { "level": level(meta.severity) },
        "properties": { "tags": [meta.family.as_str()] },
    })
}

fn result(
    located: &Located<'_>,
    uri: &str,
    diagnostic: &Diagnostic,
    rule_index: Option<usize>,
    fingerprint: &str,
) -> Value {
    let region = located.region(&diagnostic.span, ColumnUnit::Utf16);
    let mut result = json!({
        "ruleId": diagnostic.code,
        "level": level(diagnostic.severity),
        "message": { "text": diagnostic.message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri },
                "region": sarif_region(region),
            }
        }],
        "partialFingerprints": { "dlint/v1": fingerprint },
    });
    if let Some(index) = rule_index {
        result["ruleIndex"] = json!(index);
    }
    if let Some(fix) = diagnostic.fix.as_ref().filter(|f| f.is_applicable(true)) {
        result["fixes"] = json!([sarif_fix(located, uri, fix)]);
    }
    result
}

fn sarif_fix(located: &Located<'_>, uri: &str, fix: &Fix) -> Value {
    let replacements: Vec<Value> = fix
        .edits
        .iter()
        .map(|edit| {
            json!({
                "deletedRegion": sarif_region(located.region(&edit.range, ColumnUnit::Utf16)),
                "insertedContent": { "text": edit.replacement },
            })
        })
        .collect();
    json!({
        "description": { "text": format!("{} ({})", fix.message, fix.applicability.as_str()) },
        "artifactChanges": [{
            "artifactLocation": { "uri": uri },
            "replacements": replacements,
        }],
    })
}

fn sarif_region(region: Region) -> Value {
    json!({
        "startLine": region.start_line,
        "startColumn": region.start_column,
        "endLine": region.end_line,
        "endColumn": region.end_column,
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "note",
    }
}

/// A file's path as a URI reference: relative paths stay relative (code scanning resolves them
/// against the repository root), absolute ones become `file://` URIs; anything outside the
/// URI's unreserved characters is percent-encoded.
fn artifact_uri(path: &str) -> String {
    let path = portable_path(path);
    let drive =
        path.len() >= 2 && path.as_bytes()[1] == b':' && path.as_bytes()[0].is_ascii_alphabetic();
    let (prefix, rest) = if path.starts_with('/') {
        ("file://", path.as_str())
    } else if drive {
        ("file:///", path.as_str())
    } else {
        ("", path.as_str())
    };
    let mut out = String::from(prefix);
    for (i, byte) in rest.bytes().enumerate() {
        let keep = byte.is_ascii_alphanumeric()
            || b"-._~/!$&'()*+,;=@".contains(&byte)
            || (drive && i == 1 && byte == b':');
        if keep {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        assert_eq!(artifact_uri("./svc/Dockerfile"), "svc/Dockerfile");
        assert_eq!(artifact_uri("my dir/a:b"), "my%20dir/a%3Ab");
        assert_eq!(artifact_uri("/abs/Dockerfile"), "file:///abs/Dockerfile");
        assert_eq!(artifact_uri("C:\\x\\Dockerfile"), "file:///C:/x/Dockerfile");
    }
}
