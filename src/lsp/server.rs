//! The message loop: one thread, one message at a time, in the order they came.
//!
//! Messages wait in a queue fed by the transport's reader thread. Before each message the loop
//! takes in everything that has arrived, so that `$/cancelRequest` can answer a request still
//! waiting with `RequestCancelled`. Pushed diagnostics are published once no message has come
//! for [`DEBOUNCE`]: a burst of keystrokes costs one lint, not one per keystroke. ShellCheck
//! runs on a worker ([`super::background`]); its findings follow dlint's own as a second
//! publication (or a refresh, for clients that pull). A handler that panics costs one answer
//! (an `InternalError`), never the server.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crossbeam_channel::{select, RecvTimeoutError};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    Cancel, DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument,
    DidOpenTextDocument, DidSaveTextDocument, LogMessage, Notification as _, PublishDiagnostics,
    ShowMessage,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentDiagnosticRequest, DocumentSymbolRequest,
    GotoDefinition, HoverRequest, RegisterCapability, Request as _, WorkspaceDiagnosticRefresh,
};
use lsp_types::{
    CancelParams, CodeActionParams, CompletionParams, CompletionResponse,
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWatchedFilesRegistrationOptions, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, DocumentDiagnosticParams,
    DocumentDiagnosticReport, DocumentDiagnosticReportResult, DocumentSymbolParams,
    DocumentSymbolResponse, FileSystemWatcher, FullDocumentDiagnosticReport, GlobPattern,
    GotoDefinitionParams, GotoDefinitionResponse, HoverParams, InitializeParams, InitializeResult,
    LogMessageParams, MessageType, NumberOrString, PublishDiagnosticsParams, Registration,
    RegistrationParams, RelatedFullDocumentDiagnosticReport,
    RelatedUnchangedDocumentDiagnosticReport, ServerInfo, ShowMessageParams,
    UnchangedDocumentDiagnosticReport, Url,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::actions::{code_actions, ActionContext};
use super::background::{lint_caught, Background, Done, Job, Revision};
use super::capabilities::{server_capabilities, ClientFeatures};
use super::completion::completion;
use super::diagnostics::to_lsp_all;
use super::document::{is_config_uri, Document};
use super::hover::hover;
use super::settings::{ServerOptions, Settings};
use super::stages::{definition, document_symbols};
use crate::diagnostic::Diagnostic;
use crate::linter::{lint_source, LintOptions};

/// How long the queue must stay empty before changed documents are linted and published.
pub const DEBOUNCE: Duration = Duration::from_millis(8);

/// How often an idle server checks the configuration files in use for changes, for clients
/// that do not watch files (Neovim on Linux, eglot): a few `stat`s.
const CONFIG_POLL: Duration = Duration::from_secs(1);

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
    run_with(connection, ServerOptions::default())
}

/// [`run`] with the command line's options (`dlint server --config … --shellcheck …`).
pub fn run_with(connection: Connection, options: ServerOptions) -> Result<(), ServerError> {
    let Some((id, raw)) = wait_for_initialize(&connection)? else {
        return Err(ServerError("`exit` before `initialize`".into()));
    };
    // A client sending odd capabilities still gets a server, with the defaults.
    let params: InitializeParams = serde_json::from_value(raw.clone()).unwrap_or_default();
    let client = ClientFeatures::from_params(&params, &raw);
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
        settings: Settings::new(client.roots.clone(), options),
        client,
        connection,
        queue: VecDeque::new(),
        background: Background::new(),
        documents: HashMap::new(),
        dirty: BTreeSet::new(),
        next_request: 0,
        next_revision: 0,
        shutdown: false,
        reported: HashSet::new(),
        told: HashSet::new(),
    };
    server.serve()
}

/// Waits for `initialize`, answering other requests with `ServerNotInitialized` (the
/// protocol's rule); `None` when the client sends `exit` first.
fn wait_for_initialize(connection: &Connection) -> Result<Option<(RequestId, Value)>, ServerError> {
    loop {
        match connection.receiver.recv() {
            Err(_) => {
                return Err(ServerError(
                    "the client went away before `initialize`".into(),
                ))
            }
            Ok(Message::Request(request)) if request.method == "initialize" => {
                return Ok(Some((request.id, request.params)))
            }
            Ok(Message::Request(request)) => send(
                connection,
                Response::new_err(
                    request.id,
                    ErrorCode::ServerNotInitialized as i32,
                    "the server is not initialized yet".into(),
                )
                .into(),
            ),
            Ok(Message::Notification(n)) if n.method == "exit" => return Ok(None),
            Ok(_) => {}
        }
    }
}

struct Server {
    connection: Connection,
    /// Messages received and not yet handled, oldest first.
    queue: VecDeque<Message>,
    background: Background,
    client: ClientFeatures,
    settings: Settings,
    documents: HashMap<Url, Document>,
    /// Documents changed since they were last linted: linted (and pushed) once the queue has
    /// stayed empty for [`DEBOUNCE`].
    dirty: BTreeSet<Url>,
    next_request: i32,
    /// Every open or change gets a new revision: pulled reports are identified by it.
    next_revision: u64,
    shutdown: bool,
    /// Configuration problems already shown, per settings generation.
    reported: HashSet<(u64, PathBuf)>,
    /// Lint failures already shown (ShellCheck failed, a refused `.dockerignore`), per
    /// settings generation.
    told: HashSet<(u64, String)>,
}

impl Server {
    fn serve(&mut self) -> Result<(), ServerError> {
        loop {
            self.take_arrived();
            if let Some(message) = self.queue.pop_front() {
                if let Some(end) = self.handle_message(message) {
                    return end;
                }
                continue;
            }
            self.start_background();
            let receiver = self.connection.receiver.clone();
            let finished = self.background.receiver.clone();
            let received = if self.dirty.is_empty() {
                select! {
                    recv(receiver) -> message => message.map_err(|_| RecvTimeoutError::Disconnected),
                    recv(finished) -> done => {
                        if let Ok(done) = done {
                            self.on_background(done);
                        }
                        continue;
                    }
                    default(CONFIG_POLL) => {
                        if self.settings.reload_if_stale() {
                            self.settings_changed();
                        }
                        continue;
                    }
                }
            } else {
                receiver.recv_timeout(DEBOUNCE)
            };
            match received {
                Ok(message) => self.queue.push_back(message),
                Err(RecvTimeoutError::Timeout) => self.lint_dirty(),
                Err(RecvTimeoutError::Disconnected) => {
                    return if self.shutdown {
                        Ok(())
                    } else {
                        Err(ServerError("the client went away without `exit`".into()))
                    };
                }
            }
        }
    }

    /// Moves every message that has arrived into the queue; a `$/cancelRequest` for a request
    /// still waiting answers it with `RequestCancelled` (one already answered: nothing to do).
    fn take_arrived(&mut self) {
        while let Ok(message) = self.connection.receiver.try_recv() {
            match message {
                Message::Notification(n) if n.method == Cancel::METHOD => {
                    let Some(params) = decode::<CancelParams>(n.params) else {
                        continue;
                    };
                    let id = match params.id {
                        NumberOrString::Number(id) => RequestId::from(id),
                        NumberOrString::String(id) => RequestId::from(id),
                    };
                    let waiting = self
                        .queue
                        .iter()
                        .position(|m| matches!(m, Message::Request(r) if r.id == id));
                    if let Some(at) = waiting {
                        self.queue.remove(at);
                        self.respond(Response::new_err(
                            id,
                            ErrorCode::RequestCanceled as i32,
                            "cancelled by the client".into(),
                        ));
                    }
                }
                message => self.queue.push_back(message),
            }
        }
    }

    /// Handles one message; `Some` when the client said `exit`.
    fn handle_message(&mut self, message: Message) -> Option<Result<(), ServerError>> {
        match message {
            Message::Request(request) => self.on_request(request),
            Message::Notification(notification) if notification.method == "exit" => {
                return Some(if self.shutdown {
                    Ok(())
                } else {
                    Err(ServerError("`exit` before `shutdown`".into()))
                });
            }
            Message::Notification(notification) => {
                let method = notification.method.clone();
                if catch_unwind(AssertUnwindSafe(|| self.on_notification(notification))).is_err() {
                    self.log(
                        MessageType::ERROR,
                        format!("dlint: internal error in {method}"),
                    );
                }
            }
            // Answers to our own requests (registrations, refreshes): nothing to do.
            Message::Response(_) => {}
        }
        None
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
            Completion::METHOD => {
                self.handle(request, |s, p: CompletionParams| Ok(s.completion(p)))
            }
            DocumentSymbolRequest::METHOD => self.handle(request, |s, p: DocumentSymbolParams| {
                Ok(s.document_symbols(p))
            }),
            GotoDefinition::METHOD => {
                self.handle(request, |s, p: GotoDefinitionParams| Ok(s.definition(p)))
            }
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
                    self.background.forget(&uri);
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
        if self.client.pull && self.client.refresh {
            self.request::<WorkspaceDiagnosticRefresh>(());
        }
        self.dirty.extend(self.documents.keys().cloned());
    }

    /// The findings for an open document: cached, or dlint's own linted now (ShellCheck's
    /// are then asked of the worker).
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
            if options.shellcheck.is_some() {
                self.background.want(uri.clone());
            }
            let own = without_shellcheck(&options);
            let doc = self.documents.get(uri)?;
            let path = doc.path.as_deref();
            match lint_caught(path, &doc.text, &own) {
                Some((diagnostics, incomplete)) => {
                    self.tell_incomplete(generation, &incomplete);
                    diagnostics
                }
                None => {
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

    /// Starts the worker on the next document waiting for ShellCheck, if it is free.
    fn start_background(&mut self) {
        while let Some(uri) = self.background.next() {
            let generation = self.settings.generation();
            let Some(doc) = self.documents.get(&uri) else {
                continue;
            };
            if doc.is_complete(generation) {
                continue;
            }
            let (revision, path, text) = (doc.revision, doc.path.clone(), doc.text.clone());
            let options = self.options_for(&uri);
            self.background.start(Job {
                of: Revision {
                    uri,
                    revision,
                    generation,
                },
                path,
                text,
                options,
            });
            return;
        }
    }

    /// ShellCheck's findings are in: kept if the document is as it was, then published (or
    /// the client asked to pull again).
    fn on_background(&mut self, done: Done) {
        self.background.finished();
        let generation = self.settings.generation();
        self.tell_incomplete(generation, &done.incomplete);
        let Done {
            of, diagnostics, ..
        } = done;
        let Some(doc) = self.documents.get_mut(&of.uri) else {
            return;
        };
        let (Some(diagnostics), true) = (
            diagnostics,
            doc.revision == of.revision && of.generation == generation,
        ) else {
            return;
        };
        doc.store_complete(generation, Arc::new(diagnostics));
        if !self.client.pull {
            self.publish_current(of.uri);
        } else if self.client.refresh {
            self.request::<WorkspaceDiagnosticRefresh>(());
        }
    }

    /// Findings are missing (ShellCheck failed, a `.dockerignore` was refused): the user is
    /// told once per settings generation, never left with a silently partial lint.
    fn tell_incomplete(&mut self, generation: u64, incomplete: &crate::rules::Incomplete) {
        let shellcheck = incomplete.shellcheck.iter().map(|error| {
            (
                "shellcheck".to_string(),
                format!("dlint: ShellCheck failed, so its findings are missing: {error}"),
            )
        });
        let refused = incomplete
            .context_files
            .iter()
            .map(|message| (message.to_string(), format!("dlint: {message}")));
        for (key, message) in shellcheck.chain(refused).collect::<Vec<_>>() {
            if self.told.insert((generation, key)) {
                self.notify::<ShowMessage>(ShowMessageParams {
                    typ: MessageType::WARNING,
                    message,
                });
            }
        }
    }

    /// The options for a document; a broken configuration is shown once and the defaults used.
    fn options_for(&mut self, uri: &Url) -> Arc<LintOptions> {
        let path = self.documents.get(uri).and_then(|d| d.path.clone());
        let resolved = self.settings.options_for(path.as_deref());
        let generation = self.settings.generation();
        for warning in resolved.warnings {
            if self.told.insert((generation, warning.clone())) {
                self.notify::<ShowMessage>(ShowMessageParams {
                    typ: MessageType::WARNING,
                    message: format!("dlint: {warning}"),
                });
            }
        }
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

    /// Lints the documents changed since the last time (after [`DEBOUNCE`]), and publishes
    /// their findings to clients that take them pushed.
    fn lint_dirty(&mut self) {
        for uri in std::mem::take(&mut self.dirty) {
            if self.client.pull {
                // Linted now, so that ShellCheck starts before the client pulls.
                self.diagnostics(&uri);
            } else {
                self.publish_current(uri);
            }
        }
    }

    fn publish_current(&mut self, uri: Url) {
        let Some(diagnostics) = self.diagnostics(&uri) else {
            return;
        };
        let Some(doc) = self.documents.get(&uri) else {
            return;
        };
        let converter = doc.converter(self.client.encoding);
        let items = to_lsp_all(&converter, &diagnostics);
        let version = Some(doc.version);
        self.publish(uri, version, items);
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
        let generation = self.settings.generation();
        let complete = u8::from(doc.is_complete(generation));
        let result_id = format!("{generation}:{}:{complete}", doc.revision);
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
        full(Some(result_id), to_lsp_all(&converter, &diagnostics))
    }

    fn code_actions(&mut self, params: CodeActionParams) -> Vec<lsp_types::CodeActionOrCommand> {
        let uri = params.text_document.uri;
        let Some(diagnostics) = self.diagnostics(&uri) else {
            return Vec::new();
        };
        // ShellCheck's fixes are all unsafe: the fix-all loop (safe fixes) needs none of it.
        let options = without_shellcheck(&self.options_for(&uri));
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

    fn completion(&mut self, params: CompletionParams) -> Option<CompletionResponse> {
        let position = params.text_document_position;
        let doc = self.documents.get(&position.text_document.uri)?;
        let offset = doc
            .converter(self.client.encoding)
            .offset(position.position);
        let items = completion(doc, offset, self.client.encoding);
        Some(CompletionResponse::Array(items))
    }

    fn document_symbols(&mut self, params: DocumentSymbolParams) -> Option<DocumentSymbolResponse> {
        let doc = self.documents.get(&params.text_document.uri)?;
        let symbols = document_symbols(doc, self.client.encoding);
        Some(DocumentSymbolResponse::Nested(symbols))
    }

    fn definition(&mut self, params: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
        let position = params.text_document_position_params;
        let doc = self.documents.get(&position.text_document.uri)?;
        let offset = doc
            .converter(self.client.encoding)
            .offset(position.position);
        definition(doc, offset, self.client.encoding).map(GotoDefinitionResponse::Scalar)
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

/// The options without ShellCheck: dlint's own findings.
fn without_shellcheck(options: &LintOptions) -> LintOptions {
    LintOptions {
        shellcheck: None,
        ..options.clone()
    }
}

fn decode<P: DeserializeOwned>(params: Value) -> Option<P> {
    serde_json::from_value(params).ok()
}
