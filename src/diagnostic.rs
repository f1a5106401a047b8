//! [`Diagnostic`]: one finding in one file, as every output (text, JSON, LSP, …) sees it.
//!
//! It is our own type, not a renderer's, so that outputs can be added or swapped without
//! touching the rules: the rule engine produces [`Finding`]s, the linter turns them into
//! diagnostics, and only `render` draws them.

use crate::fix::Fix;
use crate::rules::syntax::invalid_syntax::InvalidSyntax;
use crate::rules::{Finding, HasMeta, RuleMeta};
use crate::syntax::{ParseError, Span};

/// Severities are the rule engine's own: a diagnostic inherits its rule's severity.
pub use crate::rules::Severity;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable rule code (`DL3009`).
    pub code: &'static str,
    /// Rule name (`apt-lists-not-deleted`; Docker's name, `JSONArgsRecommended`, for a build
    /// check).
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Byte range in the file the finding is about.
    pub span: Span,
    /// Advice that goes beyond the message: what to do instead, when no edit can do it.
    pub help: Option<String>,
    /// The rule's documentation page.
    pub url: String,
    /// The edit that would resolve the finding, when the rule knows one.
    pub fix: Option<Fix>,
    /// Estimated bytes the image would lose if this were fixed, when known.
    pub saving_bytes: Option<u64>,
}

impl Diagnostic {
    /// A diagnostic for a rule with no fix and no help, the common case outside the engine.
    pub fn new(rule: &'static RuleMeta, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code: rule.code,
            name: rule.display_name(),
            severity: rule.severity,
            message: message.into(),
            span,
            help: None,
            url: rule.url(),
            fix: None,
            saving_bytes: None,
        }
    }

    /// Adopts what the rule engine found. Display-only suggestions become the help text, one
    /// per line: they are advice, not edits.
    pub fn from_finding(finding: Finding) -> Diagnostic {
        let violation = finding.violation;
        let help: Vec<String> = violation
            .suggestions
            .into_iter()
            .map(|suggestion| suggestion.message)
            .filter(|message| !message.is_empty())
            .collect();
        Diagnostic {
            help: (!help.is_empty()).then(|| help.join("\n")),
            fix: violation.fix,
            saving_bytes: violation.saving_bytes,
            ..Diagnostic::new(finding.rule, violation.span, violation.message)
        }
    }

    /// `DL1000 invalid-syntax` for a parse error, for commands that report syntax problems
    /// without running the rules (`dump`, `graph`).
    pub fn syntax_error(error: &ParseError) -> Diagnostic {
        Diagnostic::new(&InvalidSyntax::META, error.span.clone(), &error.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Violation;

    #[test]
    fn suggestions_become_help_and_the_fix_is_kept() {
        let violation = Violation::new(3..7, "leaves a cache")
            .with_fix(Fix::safe("clean it", vec![]))
            .with_suggestion(Fix::display_only("use a cache mount"))
            .with_suggestion(Fix::display_only("or a build stage"));
        let diagnostic = Diagnostic::from_finding(Finding {
            rule: &InvalidSyntax::META,
            violation,
        });
        assert_eq!(diagnostic.code, "DL1000");
        assert_eq!(diagnostic.name, "invalid-syntax");
        assert_eq!(diagnostic.severity, Severity::Error);
        assert_eq!(diagnostic.span, 3..7);
        assert_eq!(
            diagnostic.help.as_deref(),
            Some("use a cache mount\nor a build stage")
        );
        assert_eq!(diagnostic.fix.map(|f| f.message), Some("clean it".into()));
        assert!(diagnostic.url.ends_with("/rules/DL1000.md"));
    }
}
