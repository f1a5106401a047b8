//! What the client can do (read once from `initialize`) and what the server offers in return.

use std::path::PathBuf;

use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    DiagnosticOptions, DiagnosticServerCapabilities, HoverProviderCapability, InitializeParams,
    OneOf, ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
};

use super::actions::FIX_ALL_KIND;
use super::document::file_path;
use super::encoding::Encoding;

#[derive(Debug, Clone, Default)]
pub struct ClientFeatures {
    pub encoding: Encoding,
    /// The client pulls diagnostics (`textDocument/diagnostic`) and can be asked to pull again
    /// (`workspace/diagnostic/refresh`): the server then never pushes. A client that pulls but
    /// cannot be asked again (Neovim 0.11) gets diagnostics pushed: otherwise ShellCheck's
    /// findings and configuration changes would wait for its next edit.
    pub pull: bool,
    /// The client accepts `workspace/diagnostic/refresh` (re-pull after a settings change, or
    /// once ShellCheck's findings are in).
    pub refresh: bool,
    /// The client lets the server register file watchers.
    pub watch_registration: bool,
    /// The client takes versioned `documentChanges` in workspace edits.
    pub document_changes: bool,
    /// Workspace folders that are directories on disk.
    pub roots: Vec<PathBuf>,
}

impl ClientFeatures {
    /// `raw` is the `initialize` request's parameters as sent, for what `lsp-types` misreads.
    pub fn from_params(params: &InitializeParams, raw: &serde_json::Value) -> ClientFeatures {
        let caps = &params.capabilities;
        let workspace = caps.workspace.as_ref();
        let offered = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref());
        #[allow(deprecated)]
        // `root_path`/`root_uri`: what clients older than workspace folders send.
        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|folder| file_path(&folder.uri))
            .chain(params.root_uri.as_ref().and_then(file_path))
            .chain(params.root_path.as_ref().map(PathBuf::from))
            .collect();
        roots.dedup();
        let refresh = refresh_support(raw);
        ClientFeatures {
            encoding: Encoding::negotiate(offered),
            pull: refresh
                && caps
                    .text_document
                    .as_ref()
                    .is_some_and(|t| t.diagnostic.is_some()),
            refresh,
            watch_registration: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            document_changes: workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                .unwrap_or(false),
            roots,
        }
    }
}

/// `workspace.diagnostics.refreshSupport`, the specification's key (what VS Code and Neovim
/// send); `lsp-types` 0.95 reads `workspace.diagnostic`, which is not in the specification.
fn refresh_support(raw: &serde_json::Value) -> bool {
    raw["capabilities"]["workspace"]["diagnostics"]["refreshSupport"] == true
}

pub fn server_capabilities(client: &ClientFeatures) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(client.encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["-".into(), "=".into(), ",".into(), " ".into()]),
            ..CompletionOptions::default()
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        definition_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::SOURCE_FIX_ALL,
                CodeActionKind::new(FIX_ALL_KIND),
            ]),
            resolve_provider: Some(false),
            ..CodeActionOptions::default()
        })),
        // Offered only to clients that pull: the others get diagnostics pushed.
        diagnostic_provider: client.pull.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("dlint".into()),
                inter_file_dependencies: false,
                workspace_diagnostics: false,
                ..DiagnosticOptions::default()
            })
        }),
        ..ServerCapabilities::default()
    }
}
