//! dlint's [`Diagnostic`] as an LSP diagnostic: exact range in the negotiated encoding,
//! severity, the rule code with a link to its documentation, and the rule's advice after the
//! message.

use lsp_types::{CodeDescription, DiagnosticSeverity, NumberOrString, Url};

use super::encoding::Converter;
use crate::diagnostic::{Diagnostic, Severity};

pub const SOURCE: &str = "dlint";

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
