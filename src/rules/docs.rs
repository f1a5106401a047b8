//! Rule documentation for `dlint rule CODE` and `dlint rules`, and the generated
//! `docs/rules/CODE.md` pages every diagnostic links to.

use serde_json::{json, Value};

use super::{all_rules, RuleMeta, Source};

/// The page for one rule: a heading with its code and name, its properties, then its doc
/// comment.
pub fn rule_page(meta: &RuleMeta) -> String {
    let fix = match meta.fix {
        super::FixKind::None => "no automatic fix",
        super::FixKind::Sometimes => "fix available for some findings",
        super::FixKind::Always => "fix available",
    };
    let mut page = format!(
        "# {} ({})\n\nFamily: {} · Default severity: {} · {}{}\n",
        meta.display_name(),
        meta.code,
        meta.family.as_str(),
        meta.severity.as_str(),
        fix,
        if meta.default_enabled {
            ""
        } else {
            " · off by default"
        }
    );
    for source in meta.sources {
        page.push_str(&match source {
            Source::Hadolint(code) => format!("Derived from hadolint's {code}.\n"),
            Source::BuildKit(name) => format!("Derived from Docker's build check {name}.\n"),
        });
    }
    page.push('\n');
    page.push_str(&meta.documentation());
    page.push('\n');
    page
}

/// One line per rule: code, name, family, severity, fix.
pub fn rules_table() -> String {
    let mut out = String::new();
    for rule in all_rules() {
        let m = rule.meta();
        let fix = match m.fix {
            super::FixKind::None => "",
            _ => "fix",
        };
        out.push_str(&format!(
            "{:<8} {:<32} {:<12} {:<8} {:<4} {}\n",
            m.code,
            m.name,
            m.family.as_str(),
            m.severity.as_str(),
            fix,
            m.summary()
        ));
    }
    out
}

/// Every rule's metadata as JSON (`dlint rules --format json`).
pub fn rules_json() -> Value {
    Value::Array(
        all_rules()
            .iter()
            .map(|r| {
                let m = r.meta();
                json!({
                    "code": m.code,
                    "name": m.name,
                    "family": m.family,
                    "severity": m.severity,
                    "fix": m.fix,
                    "default_enabled": m.default_enabled,
                    "sources": m.sources,
                    "summary": m.summary(),
                    "url": m.url(),
                })
            })
            .collect(),
    )
}
