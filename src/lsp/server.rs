//! The message loop: one thread, one message at a time.
//!
//! Linting a Dockerfile takes well under a millisecond, so nothing runs in the background:
//! requests are answered in order, and pushed diagnostics are computed when the queue is
//! empty, so a burst of keystrokes costs one lint, not one per keystroke. A handler that panics
//! costs one answer (an `InternalError`), never the server.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Arc;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, LogMessage, Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{
    CodeActionRequest, DocumentDiagnosticRequest, HoverRequest, RegisterCapability, Request as _,
    WorkspaceDiagnosticRefresh,
};
use lsp_types::{
    CodeActionParams, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWatchedFilesRegistrationOptions, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, DocumentDiagnosticParams,
    DocumentDiagnosticReport, DocumentDiagnosticReportResult, FileSystemWatcher,
    FullDocumentDiagnosticReport, GlobPattern, HoverParams, InitializeParams, InitializeResult,
    LogMessageParams, MessageType, PublishDiagnosticsParams, Registration, RegistrationParams,
    RelatedFullDocumentDiagnosticReport, RelatedUnchangedDocumentDiagnosticReport, ServerInfo,
    ShowMessageParams, UnchangedDocumentDiagnosticReport, Url,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::actions::{code_actions, ActionContext};
use super::capabilities::{server_capabilities, ClientFeatures};
use super::diagnostics::to_lsp;
use super::document::{is_config_uri, Document};
use super::hover::hover;
use super::settings::Settings;
use crate::diagnostic::Diagnostic;
use crate::linter::{lint_source, LintOptions};

/// Why the server stopped other than by `shutdown` then `exit`.
#[derive(Debug)]
pub struct ServerError(pub String);

impl std::fmt::Display for ServerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ServerError {}

/// Serves one client over `connection` until it sends `exit`. `Ok` after `shutdown` then
/// `exit` (exit code 0); an error when the client exits without `shutdown` or goes away.
pub fn run(connection: Connection) -> Result<(), ServerError> {
    let (id, params) = connection
        .initialize_start()
        .map_err(|e| ServerError(format!("initialization failed: {e}")))?;
    // A client sending odd capabilities still gets a server, with the defaults.
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let client = ClientFeatures::from_params(&params);
    let result = InitializeResult {
        capabilities: server_capabilities(&client),
        server_info: Some(ServerInfo {
            name: "dlint".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    let result = serde_json::to_value(result).map_err(|e| ServerError(e.to_string()))?;
    send(&connection, Response::new_ok(id, result).into());
    let mut server = Server {
        settings: Settings::new(client.roots.clone()),
        client,
        connection,
        documents: HashMap::new(),
        dirty: BTreeSet::new(),
        next_request: 0,
        next_revision: 0,
        shutdown: false,
        reported: HashSet::new(),
    };
    server.serve()
}

struct Server {
    connection: Connection,
    client: ClientFeatures,
    settings: Settings,
    documents: HashMap<Url, Document>,
    /// Documents whose diagnostics are to be pushed when the queue is empty.
    dirty: BTreeSet<Url>,
    next_request: i32,
    /// Every open or change gets a new revision: pulled reports are identified by it.
    next_revision: u64,
    shutdown: bool,
    /// Configuration problems already shown, per settings generation.
    reported: HashSet<(u64, PathBuf)>,
}

impl Server {
    fn serve(&mut self) -> Result<(), ServerError> {
        loop {
            let Ok(message) = self.connection.receiver.recv() else {
                return if self.shutdown {
                    Ok(())
                } else {
                    Err(ServerError("the client went away without `exit`".into()))
                };
            };
            match message {
                Message::Request(request) => self.on_request(request),
                Message::Notification(notification) if notification.method == "exit" => {
                    return if self.shutdown {
                        Ok(())
                    } else {
                        Err(ServerError("`exit` before `shutdown`".into()))
                    };
                }
                Message::Notification(notification) => {
                    let method = notification.method.clone();
                    if catch_unwind(AssertUnwindSafe(|| self.on_notification(notification)))
                        .is_err()
                    {
                        self.log(
                            MessageType::ERROR,
                            format!("dlint: internal error in {method}"),
                        );
                    }
                }
                // Answers to our own requests (registrations, refreshes): nothing to do.
                Message::Response(_) => {}
            }
            if self.connection.receiver.is_empty() {
                self.push_dirty();
            }
        }
    }

    fn on_request(&mut self, request: Request) {
        let id = request.id.clone();
        if self.shutdown {
            let message = "the server is shutting down".to_string();
            return self.respond(Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                message,
            ));
        }
        let method = request.method.clone();
        let response =
            catch_unwind(AssertUnwindSafe(|| self.dispatch(request))).unwrap_or_else(|_| {
                let message = format!("dlint: internal error in {method}");
                Response::new_err(id, ErrorCode::InternalError as i32, message)
            });
        self.respond(response);
    }

    fn dispatch(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        match request.method.as_str() {
            "shutdown" => {
                self.shutdown = true;
                Response::new_ok(id, Value::Null)
            }
            DocumentDiagnosticRequest::METHOD => {
                self.handle(request, |s, p: DocumentDiagnosticParams| Ok(s.pull(p)))
            }
            CodeActionRequest::METHOD => {
                self.handle(request, |s, p: CodeActionParams| Ok(s.code_actions(p)))
            }
            HoverRequest::METHOD => self.handle(request, |s, p: HoverParams| Ok(s.hover(p))),
            _ => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("dlint does not handle {}", request.method),
            ),
        }
    }

    /// Decodes a request's parameters, runs `handler`, encodes its result.
    fn handle<P: DeserializeOwned, R: serde::Serialize>(
        &mut self,
        request: Request,
        handler: impl FnOnce(&mut Server, P) -> Result<R, String>,
    ) -> Response {
        let params = match serde_json::from_value::<P>(request.params) {
            Ok(params) => params,
            Err(error) => {
                return Response::new_err(
                    request.id,
                    ErrorCode::InvalidParams as i32,
                    error.to_string(),
                )
            }
        };
        match handler(self, params).and_then(|r| serde_json::to_value(r).map_err(|e| e.to_string()))
        {
            Ok(result) => Response::new_ok(request.id, result),
            Err(message) => Response::new_err(request.id, ErrorCode::InternalError as i32, message),
        }
    }

    fn on_notification(&mut self, notification: Notification) {
        match notification.method.as_str() {
            "initialized" => self.register_watchers(),
            DidOpenTextDocument::METHOD => {
                if let Some(p) = decode::<DidOpenTextDocumentParams>(notification.params) {
                    let document = p.text_document;
                    let mut doc = Document::new(document.uri, document.version, document.text);
                    doc.revision = self.revision();
                    self.dirty.insert(doc.uri.clone());
                    self.documents.insert(doc.uri.clone(), doc);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Some(p) = decode::<DidChangeTextDocumentParams>(notification.params) {
                    let revision = self.revision();
                    let encoding = self.client.encoding;
                    let uri = p.text_document.uri;
                    if let Some(doc) = self.documents.get_mut(&uri) {
                        doc.apply_changes(p.text_document.version, p.content_changes, encoding);
                        doc.revision = revision;
                        self.dirty.insert(uri);
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Some(p) = decode::<DidCloseTextDocumentParams>(notification.params) {
                    let uri = p.text_document.uri;
                    self.documents.remove(&uri);
                    self.dirty.remove(&uri);
                    if !self.client.pull {
                        self.publish(uri, None, Vec::new());
                    }
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Some(p) = decode::<DidSaveTextDocumentParams>(notification.params) {
                    if is_config_uri(&p.text_document.uri) {
                        self.reload_settings();
                    }
                }
            }
            DidChangeWatchedFiles::METHOD => {
                if let Some(p) = decode::<DidChangeWatchedFilesParams>(notification.params) {
                    if p.changes.iter().any(|change| is_config_uri(&change.uri)) {
                        self.reload_settings();
                    }
                }
            }
            "workspace/didChangeConfiguration" => self.reload_settings(),
            _ => {}
        }
    }

    fn revision(&mut self) -> u64 {
        self.next_revision += 1;
        self.next_revision
    }

    /// Asks the client to watch configuration files, when it lets servers register watchers.
    fn register_watchers(&mut self) {
        if !self.client.watch_registration {
            return;
        }
        let watchers = crate::config::CONFIG_FILE_NAMES
            .iter()
            .map(|name| FileSystemWatcher {
                glob_pattern: GlobPattern::String(format!("**/{name}")),
                kind: None,
            })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "dlint-configuration-files".into(),
                method: DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.request::<RegisterCapability>(params);
    }

    /// Settings changed: every open document is linted again, pushed or re-pulled.
    fn reload_settings(&mut self) {
        self.settings.reload();
        self.settings_changed();
    }

    fn settings_changed(&mut self) {
        if self.client.pull {
            if self.client.refresh {
                self.request::<WorkspaceDiagnosticRefresh>(());
            }
        } else {
            self.dirty.extend(self.documents.keys().cloned());
        }
    }

    /// The findings for an open document, linted now unless cached.
    fn diagnostics(&mut self, uri: &Url) -> Option<Arc<Vec<Diagnostic>>> {
        if self.settings.reload_if_stale() {
            self.settings_changed();
        }
        let generation = self.settings.generation();
        let doc = self.documents.get(uri)?;
        if let Some(cached) = doc.cached(generation) {
            return Some(cached);
        }
        let diagnostics = if doc.is_config() {
            Vec::new()
        } else {
            let options = self.options_for(uri);
            let doc = self.documents.get(uri)?;
            let path = doc.path.as_deref();
            match catch_unwind(AssertUnwindSafe(|| lint_source(path, &doc.text, &options))) {
                Ok(diagnostics) => diagnostics,
                Err(_) => {
                    let message = format!("dlint: internal error while linting {uri}");
                    self.log(MessageType::ERROR, message);
                    Vec::new()
                }
            }
        };
        let diagnostics = Arc::new(diagnostics);
        let doc = self.documents.get_mut(uri)?;
        doc.store(generation, Arc::clone(&diagnostics));
        Some(diagnostics)
    }

    /// The options for a document; a broken configuration is shown once and the defaults used.
    fn options_for(&mut self, uri: &Url) -> Arc<LintOptions> {
        let path = self.documents.get(uri).and_then(|d| d.path.clone());
        let resolved = self.settings.options_for(path.as_deref());
        if let Some(error) = resolved.error {
            let key = (self.settings.generation(), error.path.clone());
            if self.reported.insert(key) {
                let message =
                    format!("dlint: invalid configuration, linting with the defaults: {error}");
                self.notify::<ShowMessage>(ShowMessageParams {
                    typ: MessageType::WARNING,
                    message,
                });
            }
        }
        resolved.options
    }

    /// Publishes the diagnostics of documents changed since the last push (push clients).
    fn push_dirty(&mut self) {
        let dirty = std::mem::take(&mut self.dirty);
        if self.client.pull {
            return;
        }
        for uri in dirty {
            let Some(diagnostics) = self.diagnostics(&uri) else {
                continue;
            };
            let Some(doc) = self.documents.get(&uri) else {
                continue;
            };
            let converter = doc.converter(self.client.encoding);
            let items = diagnostics.iter().map(|d| to_lsp(&converter, d)).collect();
            let version = Some(doc.version);
            self.publish(uri, version, items);
        }
    }

    fn publish(&self, uri: Url, version: Option<i32>, diagnostics: Vec<lsp_types::Diagnostic>) {
        self.notify::<PublishDiagnostics>(PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        });
    }

    /// `textDocument/diagnostic`: the document's findings, or "unchanged" when the client
    /// already has this revision's.
    fn pull(&mut self, params: DocumentDiagnosticParams) -> DocumentDiagnosticReportResult {
        let uri = params.text_document.uri;
        let diagnostics = self.diagnostics(&uri);
        let full = |result_id: Option<String>, items| {
            DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
                RelatedFullDocumentDiagnosticReport {
                    related_documents: None,
                    full_document_diagnostic_report: FullDocumentDiagnosticReport {
                        result_id,
                        items,
                    },
                },
            ))
        };
        let (Some(diagnostics), Some(doc)) = (diagnostics, self.documents.get(&uri)) else {
            return full(None, Vec::new());
        };
        let result_id = format!("{}:{}", self.settings.generation(), doc.revision);
        if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
            return DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Unchanged(
                RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                        result_id,
                    },
                },
            ));
        }
        let converter = doc.converter(self.client.encoding);
        full(
            Some(result_id),
            diagnostics.iter().map(|d| to_lsp(&converter, d)).collect(),
        )
    }

    fn code_actions(&mut self, params: CodeActionParams) -> Vec<lsp_types::CodeActionOrCommand> {
        let uri = params.text_document.uri;
        let Some(diagnostics) = self.diagnostics(&uri) else {
            return Vec::new();
        };
        let options = self.options_for(&uri);
        let Some(doc) = self.documents.get(&uri) else {
            return Vec::new();
        };
        let path = doc.path.clone();
        let lint = move |text: &str| lint_source(path.as_deref(), text, &options);
        let context = ActionContext {
            encoding: self.client.encoding,
            document_changes: self.client.document_changes,
            only: params.context.only.as_deref(),
            lint: &lint,
        };
        let range = doc.converter(self.client.encoding).span(&params.range);
        code_actions(doc, &diagnostics, range, &context)
    }

    fn hover(&mut self, params: HoverParams) -> Option<lsp_types::Hover> {
        let position = params.text_document_position_params;
        let uri = position.text_document.uri;
        let diagnostics = self.diagnostics(&uri)?;
        let doc = self.documents.get(&uri)?;
        hover(doc, &diagnostics, position.position, self.client.encoding)
    }

    fn respond(&self, response: Response) {
        send(&self.connection, response.into());
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        send(
            &self.connection,
            Notification::new(N::METHOD.into(), params).into(),
        );
    }

    fn request<R: lsp_types::request::Request>(&mut self, params: R::Params) {
        self.next_request += 1;
        let id = RequestId::from(format!("dlint-{}", self.next_request));
        send(
            &self.connection,
            Request::new(id, R::METHOD.into(), params).into(),
        );
    }

    fn log(&self, typ: MessageType, message: String) {
        self.notify::<LogMessage>(LogMessageParams { typ, message });
    }
}

/// Sends a message; a client that went away is noticed by the receiving side.
fn send(connection: &Connection, message: Message) {
    let _ = connection.sender.send(message);
}

fn decode<P: DeserializeOwned>(params: Value) -> Option<P> {
    serde_json::from_value(params).ok()
}
