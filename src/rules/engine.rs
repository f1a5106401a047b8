//! Running the selected rules over one parsed file.

use std::path::Path;
use std::sync::Arc;

use super::{all_rules, Context, RuleMeta, Selection, Violation};
use crate::knowledge::Knowledge;
use crate::semantic::Model;
use crate::syntax::Parse;

/// A violation with the rule that found it.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub violation: Violation,
}

/// Everything the rule engine needs besides the file.
#[derive(Debug, Clone, Default)]
pub struct RuleSettings {
    pub selection: Selection,
    /// `--target`: the stage that is the runtime stage (default: the last).
    pub target: Option<String>,
    /// The knowledge base with the user's overrides; the built-in one when `None`.
    pub knowledge: Option<Arc<Knowledge>>,
}

/// Runs every enabled rule on a parsed file. Findings come sorted by position, then code.
pub fn check(path: Option<&Path>, parse: &Parse, settings: &RuleSettings) -> Vec<Finding> {
    let model = Model::build(parse, settings.target.as_deref());
    let knowledge = settings
        .knowledge
        .as_deref()
        .unwrap_or_else(|| Knowledge::builtin());
    let ctx = Context::new(path, parse, &model, knowledge);
    let mut findings = Vec::new();
    let mut violations = Vec::new();
    for rule in all_rules() {
        let meta = rule.meta();
        if !settings.selection.is_enabled(meta) {
            continue;
        }
        rule.check(&ctx, &mut violations);
        findings.extend(violations.drain(..).map(|violation| Finding {
            rule: meta,
            violation,
        }));
    }
    findings.sort_by(|a, b| {
        (a.violation.span.start, a.rule.code).cmp(&(b.violation.span.start, b.rule.code))
    });
    findings
}
