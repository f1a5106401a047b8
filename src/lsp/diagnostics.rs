//! dlint's [`Diagnostic`] as an LSP diagnostic: exact range in the negotiated encoding,
//! severity, the rule code with a link to its documentation, and the rule's advice after the
//! message.

use lsp_types::{CodeDescription, DiagnosticSeverity, NumberOrString, Url};

use super::encoding::Converter;
use crate::diagnostic::{Diagnostic, Severity};

pub const SOURCE: &str = "dlint";

/// At most this many findings go to the editor per document, which shows no more: a file with
/// tens of thousands (generated or hostile) took hundreds of megabytes in messages. The rest
/// are counted in one more diagnostic where the first of them is.
pub const MAX_PUBLISHED: usize = 2_000;

/// [`to_lsp`] of each finding, up to [`MAX_PUBLISHED`], then the count of the rest.
pub fn to_lsp_all(
    converter: &Converter<'_>,
    diagnostics: &[Diagnostic],
) -> Vec<lsp_types::Diagnostic> {
    let mut items: Vec<lsp_types::Diagnostic> = diagnostics
        .iter()
        .take(MAX_PUBLISHED)
        .map(|d| to_lsp(converter, d))
        .collect();
    if let Some(first_left) = diagnostics.get(MAX_PUBLISHED) {
        let left = diagnostics.len() - MAX_PUBLISHED;
        items.push(lsp_types::Diagnostic {
            range: converter.range(&first_left.span),
            severity: Some(DiagnosticSeverity::INFORMATION),
            source: Some(SOURCE.to_string()),
            message: format!(
                "{left} more findings from here on are not shown (at most {MAX_PUBLISHED} a \
                 file): `dlint check` lists them all"
            ),
            ..lsp_types::Diagnostic::default()
        });
    }
    items
}

pub fn to_lsp(converter: &Converter<'_>, diagnostic: &Diagnostic) -> lsp_types::Diagnostic {
    let message = match &diagnostic.help {
        Some(help) => format!("{}\n{help}", diagnostic.message),
        None => diagnostic.message.clone(),
    };
    lsp_types::Diagnostic {
        range: converter.range(&diagnostic.span),
        severity: Some(severity(diagnostic.severity)),
        code: Some(NumberOrString::String(diagnostic.code.to_string())),
        code_description: Url::parse(&diagnostic.url)
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message,
        related_information: None,
        tags: None,
        data: Some(serde_json::json!({ "name": diagnostic.name })),
    }
}

/// `style` findings are hints: editors show them, quietly.
pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Style => DiagnosticSeverity::HINT,
    }
}
