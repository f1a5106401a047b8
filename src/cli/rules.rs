//! `dlint rule CODE` and `dlint rules`: a rule's documentation (its doc comment, the same text
//! as `docs/rules/CODE.md`) and the table of every rule.

use super::args::{DocsFormat, RuleArgs, RulesArgs};
use super::input::FileError;
use super::output::{eprint, format_file_error, print, stderr_color};
use super::ExitStatus;
use crate::rules::docs::{rule_page, rules_json, rules_table};
use crate::rules::find_rule;

pub fn run_rule(args: &RuleArgs, no_color: bool) -> ExitStatus {
    if let Some(code) = crate::rules::shellcheck::parse_code(&args.rule) {
        let meta = crate::rules::shellcheck::meta_for(code, crate::rules::Severity::Warning);
        match args.format {
            DocsFormat::Text => print(&format!(
                "# {} {}\n\n{}\n",
                meta.code,
                meta.name,
                meta.documentation()
            )),
            DocsFormat::Json => print(&pretty(&serde_json::json!({
                "code": meta.code,
                "name": meta.name,
                "family": meta.family,
                "url": meta.url(),
                "summary": meta.summary(),
            }))),
        }
        return ExitStatus::Success;
    }
    let Some(rule) = find_rule(&args.rule) else {
        let error = FileError {
            path: args.rule.clone(),
            message: format!("no rule has the code or name `{}`", args.rule),
            hint: Some("`dlint rules` lists every code and name".to_string()),
        };
        eprint(&format_file_error(&error, stderr_color(no_color)));
        return ExitStatus::Error;
    };
    let meta = rule.meta();
    match args.format {
        DocsFormat::Text => print(&rule_page(meta)),
        DocsFormat::Json => {
            let all = rules_json();
            let entry = all
                .as_array()
                .and_then(|rules| rules.iter().find(|r| r["code"] == meta.code))
                .cloned()
                .unwrap_or_default();
            print(&pretty(&entry));
        }
    }
    ExitStatus::Success
}

pub fn run_rules(args: &RulesArgs) -> ExitStatus {
    match args.format {
        DocsFormat::Text => print(&rules_table()),
        DocsFormat::Json => print(&pretty(&rules_json())),
    }
    ExitStatus::Success
}

fn pretty(value: &serde_json::Value) -> String {
    let mut out = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    out.push('\n');
    out
}
