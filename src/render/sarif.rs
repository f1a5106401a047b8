//! `--format sarif`: SARIF 2.1.0, for GitHub code scanning (`github/codeql-action/upload-sarif`)
//! and other SARIF viewers.
//!
//! - One run; `tool.driver.rules` holds the metadata of every rule with a result (id, name,
//!   short and full description, help URI and Markdown help, default level, family tag), in
//!   code order, and each result points at its rule with `ruleIndex`. ShellCheck's codes get
//!   a rule too. Descriptions stay within GitHub's 1,024 characters (the whole page is in
//!   `help`); `properties` carry code scanning's `precision`, `problem.severity` and, for
//!   rules about secrets and privileges, `security-severity`.
//! - `invocations[0]` says whether the run succeeded: a run that could not check a file (a
//!   broken configuration, an unreadable file, a failed ShellCheck) has
//!   `executionSuccessful: false` and the reasons as `toolExecutionNotifications`.
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
    render_sarif_run(reports, &[])
}

/// The SARIF log of a run that reported `errors` (each a message shown to the user) besides
/// its findings: the run is then not successful.
pub fn render_sarif_run(reports: &[FileReport], errors: &[String]) -> String {
    let mut rules: Vec<&'static RuleMeta> = reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .filter_map(|d| meta_of(d))
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
            "invocations": [invocation(errors)],
            "columnKind": "utf16CodeUnits",
            "results": results,
        }]
    });
    let mut out = serde_json::to_string_pretty(&document)
        .unwrap_or_else(|error| format!("{{\"error\": {:?}}}", error.to_string()));
    out.push('\n');
    out
}

/// A diagnostic's rule: a registered one, or ShellCheck's code.
fn meta_of(diagnostic: &Diagnostic) -> Option<&'static RuleMeta> {
    if let Some(rule) = find_rule(diagnostic.code) {
        return Some(rule.meta());
    }
    crate::rules::shellcheck::parse_code(diagnostic.code)
        .map(|code| crate::rules::shellcheck::meta_for(code, diagnostic.severity))
}

fn invocation(errors: &[String]) -> Value {
    let notifications: Vec<Value> = errors
        .iter()
        .map(|message| {
            json!({
                "level": "error",
                "message": { "text": message },
            })
        })
        .collect();
    let mut invocation = json!({ "executionSuccessful": errors.is_empty() });
    if !notifications.is_empty() {
        invocation["toolExecutionNotifications"] = json!(notifications);
    }
    invocation
}

/// GitHub code scanning drops a rule's `fullDescription` longer than this.
const MAX_DESCRIPTION: usize = 1024;

fn rule(meta: &RuleMeta) -> Value {
    let documentation = meta.documentation();
    let summary = within(&meta.summary(), MAX_DESCRIPTION);
    let description = within(&description_of(&documentation), MAX_DESCRIPTION);
    let mut properties = json!({
        "tags": [meta.family.as_str()],
        "precision": precision(meta),
        "problem.severity": problem_severity(meta.severity),
    });
    if let Some(score) = security_severity(meta) {
        properties["security-severity"] = json!(score);
        properties["tags"] = json!([meta.family.as_str(), "security"]);
    }
    json!({
        "id": meta.code,
        "name": meta.display_name(),
        "shortDescription": { "text": summary },
        "fullDescription": { "text": description, "markdown": description },
        "help": { "text": documentation, "markdown": documentation },
        "helpUri": meta.url(),
        "defaultConfiguration": { "level": level(meta.severity) },
        "properties": properties,
    })
}

/// The page's "What it does" and "Why is this bad?" sections (the whole page when it has
/// neither), for the full description.
fn description_of(documentation: &str) -> String {
    let mut kept = Vec::new();
    let mut keep = false;
    for line in documentation.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            keep = heading.starts_with("What it does") || heading.starts_with("Why");
            continue;
        }
        if keep {
            kept.push(line);
        }
    }
    let text = kept.join("\n").trim().to_string();
    if text.is_empty() {
        documentation.to_string()
    } else {
        text
    }
}

/// `text` cut to at most `limit` characters, at a word when it can be, with an ellipsis.
fn within(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let cut: String = text.chars().take(limit - 1).collect();
    let at_word = match cut.rfind(char::is_whitespace) {
        Some(i) if i > limit / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end())
}

/// How often a finding of the rule is right: ShellCheck and hadolint's rules are long
/// established, the others are dlint's own.
fn precision(meta: &RuleMeta) -> &'static str {
    match meta.family {
        crate::rules::Family::Syntax | crate::rules::Family::BuildCheck => "very-high",
        _ => "high",
    }
}

fn problem_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "recommendation",
    }
}

/// Code scanning's score (0–10) for the rules about secrets and privileges.
fn security_severity(meta: &RuleMeta) -> Option<&'static str> {
    let score = match meta.code {
        // Secrets in ARG/ENV (BuildKit's SecretsUsedInArgOrEnv); the last USER is root;
        // sudo in a RUN.
        "BK016" => "7.5",
        "DL3002" => "6.0",
        "DL3004" => "4.0",
        _ => return None,
    };
    Some(score)
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
