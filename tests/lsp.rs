//! The language server in-process, over `lsp_server::Connection::memory()`: push and pull
//! diagnostics, position encodings, incremental sync, code actions, hover, settings reload,
//! robustness; and `dlint server` over stdio for the exit codes.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{json, Value};

const TIMEOUT: Duration = Duration::from_secs(60);

/// A Dockerfile with a safe fix (DL3042), an unsafe one (DL3015), a safe one with a multi-line
/// edit (DL3009), no fix (DL3006), and non-ASCII text before a finding on the same line.
const APP: &str = "FROM ubuntu\n\
RUN apt-get update && apt-get install -y curl\n\
RUN echo \"café 😀\" && pip install flask\n";

/// A minimal LSP client: sends requests and notifications, answers the server's requests,
/// and keeps the notifications it has not been asked about yet.
struct Client {
    connection: Connection,
    server: Option<JoinHandle<Result<(), dlint::lsp::ServerError>>>,
    next_id: i32,
    notifications: VecDeque<Notification>,
    /// Requests the server sent (method, params).
    server_requests: Vec<(String, Value)>,
    initialize_result: Value,
}

impl Client {
    fn start(capabilities: Value, root: Option<&Path>) -> Client {
        // Not a ShellCheck test: the server's `auto` finds no binary (every test sets the
        // same value, so setting it again is harmless).
        std::env::set_var("DLINT_SHELLCHECK", "/nonexistent/shellcheck");
        let (server_side, client_side) = Connection::memory();
        let server = std::thread::spawn(move || dlint::lsp::run(server_side));
        let mut client = Client {
            connection: client_side,
            server: Some(server),
            next_id: 0,
            notifications: VecDeque::new(),
            server_requests: Vec::new(),
            initialize_result: Value::Null,
        };
        let root_uri = root.map(|r| url(r).to_string());
        client.initialize_result = client.request(
            "initialize",
            json!({ "processId": null, "rootUri": root_uri, "capabilities": capabilities }),
        );
        client.notify("initialized", json!({}));
        client
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        if let Some(error) = response.error {
            panic!("{method} failed: {error:?}");
        }
        response.result.unwrap_or(Value::Null)
    }

    fn request_raw(&mut self, method: &str, params: Value) -> Response {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let request = Request::new(id.clone(), method.into(), params);
        self.connection.sender.send(request.into()).unwrap();
        loop {
            match self.receive() {
                Message::Response(response) if response.id == id => return response,
                Message::Response(other) => panic!("unexpected response {other:?}"),
                Message::Notification(n) => self.notifications.push_back(n),
                Message::Request(r) => self.answer(r),
            }
        }
    }

    fn notify(&self, method: &str, params: Value) {
        let notification = Notification::new(method.into(), params);
        self.connection.sender.send(notification.into()).unwrap();
    }

    /// The next notification with this method (earlier ones of other methods are kept).
    fn notification(&mut self, method: &str) -> Value {
        if let Some(at) = self.notifications.iter().position(|n| n.method == method) {
            return self.notifications.remove(at).unwrap().params;
        }
        loop {
            match self.receive() {
                Message::Notification(n) if n.method == method => return n.params,
                Message::Notification(n) => self.notifications.push_back(n),
                Message::Request(r) => self.answer(r),
                Message::Response(r) => panic!("unexpected response {r:?}"),
            }
        }
    }

    /// Whether a notification with this method arrives within `wait`.
    fn maybe_notification(&mut self, method: &str, wait: Duration) -> Option<Value> {
        if let Some(at) = self.notifications.iter().position(|n| n.method == method) {
            return Some(self.notifications.remove(at).unwrap().params);
        }
        let deadline = Instant::now() + wait;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.connection.receiver.recv_timeout(left) {
                Ok(Message::Notification(n)) if n.method == method => return Some(n.params),
                Ok(Message::Notification(n)) => self.notifications.push_back(n),
                Ok(Message::Request(r)) => self.answer(r),
                Ok(Message::Response(r)) => panic!("unexpected response {r:?}"),
                Err(_) => break,
            }
        }
        None
    }

    fn receive(&mut self) -> Message {
        self.connection
            .receiver
            .recv_timeout(TIMEOUT)
            .expect("the server answers in time")
    }

    fn answer(&mut self, request: Request) {
        self.server_requests
            .push((request.method.clone(), request.params.clone()));
        let response = Response::new_ok(request.id, Value::Null);
        self.connection.sender.send(response.into()).unwrap();
    }

    fn open(&self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "dockerfile", "version": 1, "text": text } }),
        );
    }

    /// The diagnostics pushed for `uri` next.
    fn published(&mut self, uri: &str) -> Vec<Value> {
        loop {
            let params = self.notification("textDocument/publishDiagnostics");
            if params["uri"] == uri {
                return params["diagnostics"].as_array().unwrap().clone();
            }
        }
    }

    fn pull(&mut self, uri: &str, previous: Option<&str>) -> Value {
        self.request(
            "textDocument/diagnostic",
            json!({ "textDocument": { "uri": uri }, "previousResultId": previous }),
        )
    }

    /// `shutdown`, `exit`, and what the server's `run` returned.
    fn shutdown(mut self) -> Result<(), dlint::lsp::ServerError> {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        self.server
            .take()
            .unwrap()
            .join()
            .expect("the server thread ends")
    }
}

fn url(path: &Path) -> lsp_types::Url {
    lsp_types::Url::from_file_path(path).unwrap()
}

/// Capabilities of a client that only takes pushed diagnostics and UTF-16 (Neovim 0.7-like).
fn push_client() -> Value {
    json!({ "textDocument": { "publishDiagnostics": {} } })
}

/// A client that pulls, refreshes, registers watchers and takes versioned edits in UTF-8
/// (Neovim 0.11-like).
fn pull_client() -> Value {
    json!({
        "general": { "positionEncodings": ["utf-8", "utf-16"] },
        "textDocument": { "diagnostic": { "dynamicRegistration": false } },
        "workspace": {
            "diagnostic": { "refreshSupport": true },
            "didChangeWatchedFiles": { "dynamicRegistration": true },
            "workspaceEdit": { "documentChanges": true }
        }
    })
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

fn find<'a>(diagnostics: &'a [Value], code: &str) -> &'a Value {
    diagnostics
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diagnostics:#?}"))
}

/// Applies LSP text edits (ranges in the original text, UTF-16 or UTF-8 columns) to a text.
fn apply_edits(text: &str, edits: &[Value], utf8: bool) -> String {
    let index = dlint::line_index::LineIndex::new(text);
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let character = p["character"].as_u64().unwrap() as usize;
        if utf8 {
            index.line_content(text, line).start + character
        } else {
            index.offset_of_utf16(
                text,
                dlint::line_index::Utf16Position {
                    line: line as u32,
                    character: character as u32,
                },
            )
        }
    };
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, new);
    }
    out
}

/// The text edits of a code action's workspace edit, whichever shape it has.
fn action_edits(action: &Value) -> Vec<Value> {
    let edit = &action["edit"];
    if let Some(changes) = edit["documentChanges"].as_array() {
        changes[0]["edits"].as_array().unwrap().clone()
    } else {
        let changes = edit["changes"].as_object().unwrap();
        changes.values().next().unwrap().as_array().unwrap().clone()
    }
}

fn find_rule_docs(code: &str) -> String {
    dlint::rules::find_rule(code)
        .unwrap()
        .meta()
        .documentation()
}

fn snapshot(name: &str, value: &Value) {
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_json_snapshot!(format!("lsp_{name}"), value);
    });
}

#[test]
fn push_clients_get_diagnostics_with_utf16_ranges_and_docs_links() {
    let mut client = Client::start(push_client(), None);
    assert_eq!(
        client.initialize_result["capabilities"]["positionEncoding"],
        "utf-16"
    );
    assert!(client.initialize_result["capabilities"]["diagnosticProvider"].is_null());
    assert_eq!(client.initialize_result["serverInfo"]["name"], "dlint");
    let uri = "file:///project/Dockerfile";
    client.open(uri, APP);
    let diagnostics = client.published(uri);
    assert_eq!(
        codes(&diagnostics),
        ["DL3006", "DL3009", "DL3008", "DL3015", "DL3013", "DL3042"]
    );
    let pip = find(&diagnostics, "DL3042");
    // `RUN echo "café 😀" && ` is 21 characters, 22 UTF-16 units (the emoji counts twice).
    assert_eq!(pip["range"]["start"], json!({ "line": 2, "character": 22 }));
    assert!(pip["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("/rules/DL3042.md"));
    snapshot("push_diagnostics", &Value::Array(diagnostics));
    client.shutdown().expect("clean exit");
}

#[test]
fn utf8_is_negotiated_when_offered() {
    let mut client = Client::start(
        json!({ "general": { "positionEncodings": ["utf-16", "utf-8"] } }),
        None,
    );
    assert_eq!(
        client.initialize_result["capabilities"]["positionEncoding"],
        "utf-8"
    );
    let uri = "file:///project/Dockerfile";
    client.open(uri, APP);
    let diagnostics = client.published(uri);
    let pip = find(&diagnostics, "DL3042");
    // In bytes: é is two, the emoji four.
    assert_eq!(pip["range"]["start"], json!({ "line": 2, "character": 25 }));
    client.shutdown().unwrap();
}

#[test]
fn pull_clients_pull_and_get_unchanged_reports_until_an_edit() {
    let mut client = Client::start(pull_client(), None);
    let caps = &client.initialize_result["capabilities"];
    assert_eq!(caps["diagnosticProvider"]["identifier"], "dlint");
    assert_eq!(caps["diagnosticProvider"]["interFileDependencies"], false);
    let uri = "file:///project/Dockerfile";
    client.open(uri, APP);
    let report = client.pull(uri, None);
    assert_eq!(report["kind"], "full");
    let items = report["items"].as_array().unwrap().clone();
    assert_eq!(
        codes(&items),
        ["DL3006", "DL3009", "DL3008", "DL3015", "DL3013", "DL3042"]
    );
    let result_id = report["resultId"].as_str().unwrap().to_string();
    let again = client.pull(uri, Some(&result_id));
    assert_eq!(again, json!({ "kind": "unchanged", "resultId": result_id }));

    // Incremental edit: type ` --no-cache-dir` after `pip install` (UTF-8 columns).
    let at = APP.lines().nth(2).unwrap().find(" flask").unwrap() as u32;
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{
                "range": { "start": { "line": 2, "character": at }, "end": { "line": 2, "character": at } },
                "text": " --no-cache-dir"
            }]
        }),
    );
    let report = client.pull(uri, Some(&result_id));
    assert_eq!(report["kind"], "full");
    assert_eq!(
        codes(report["items"].as_array().unwrap()),
        ["DL3006", "DL3009", "DL3008", "DL3015", "DL3013"]
    );
    // Pull clients are never pushed to.
    assert_eq!(
        client.maybe_notification(
            "textDocument/publishDiagnostics",
            Duration::from_millis(200)
        ),
        None
    );
    // An unknown document is an empty report, not an error.
    let unknown = client.pull("file:///elsewhere/Dockerfile", None);
    assert_eq!(unknown["items"], json!([]));
    client.shutdown().unwrap();
}

#[test]
fn code_actions_fix_ignore_and_fix_all() {
    let mut client = Client::start(push_client(), None);
    let uri = "file:///project/Dockerfile";
    client.open(uri, APP);
    let diagnostics = client.published(uri);
    let whole =
        json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 3, "character": 0 } });
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": whole, "context": { "diagnostics": diagnostics } }),
    );
    let actions = actions.as_array().unwrap().clone();
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    snapshot("code_action_titles", &json!(titles));

    let unsafe_fix = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Fix DL3015"))
        .unwrap();
    assert!(unsafe_fix["title"].as_str().unwrap().ends_with("(unsafe)"));
    assert_eq!(unsafe_fix["isPreferred"], false);
    assert_eq!(unsafe_fix["kind"], "quickfix");
    assert_eq!(unsafe_fix["diagnostics"][0]["code"], "DL3015");
    let safe_fix = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Fix DL3042"))
        .unwrap();
    assert_eq!(safe_fix["isPreferred"], true);
    let fixed = apply_edits(APP, &action_edits(safe_fix), false);
    assert!(
        fixed.contains("pip install --no-cache-dir flask"),
        "{fixed}"
    );

    let ignore = actions
        .iter()
        .find(|a| a["title"] == "Ignore DL3042 for this instruction")
        .unwrap();
    let ignored = apply_edits(APP, &action_edits(ignore), false);
    assert!(
        ignored.contains("\n# dlint ignore=DL3042\nRUN echo"),
        "{ignored}"
    );

    // Fix all: the same text as `dlint --fix` (safe fixes through the fix loop).
    let fix_all = actions
        .iter()
        .find(|a| a["kind"] == "source.fixAll.dlint")
        .unwrap();
    let all_fixed = apply_edits(APP, &action_edits(fix_all), false);
    let expected = dlint::fix::fix_until_stable(APP, false, |text| {
        dlint::linter::lint_source(None, text, &Default::default())
            .into_iter()
            .filter_map(|d| d.fix.map(|fix| dlint::fix::Candidate { code: d.code, fix }))
            .collect()
    });
    assert_eq!(all_fixed, expected.text);
    assert!(!all_fixed.contains("--no-install-recommends"), "safe only");

    // Asking for fix-all only (as editors do on save).
    let only = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": whole,
                "context": { "diagnostics": [], "only": ["source.fixAll"] } }),
    );
    let kinds: Vec<&Value> = only
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["kind"])
        .collect();
    assert_eq!(kinds, [&json!("source.fixAll.dlint")]);

    // A cursor on line 1 (DL3006 only): no fixes, one ignore action.
    let cursor =
        json!({ "start": { "line": 0, "character": 7 }, "end": { "line": 0, "character": 7 } });
    let at_from = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": cursor, "context": { "diagnostics": [], "only": ["quickfix"] } }),
    );
    let titles: Vec<&str> = at_from
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Ignore DL3006 for this instruction"]);
    client.shutdown().unwrap();
}

#[test]
fn quick_fix_edits_are_versioned_for_clients_that_take_document_changes() {
    let mut client = Client::start(pull_client(), None);
    let uri = "file:///project/Dockerfile";
    client.open(uri, APP);
    // The cursor inside `pip install` (UTF-8 column 30).
    let range =
        json!({ "start": { "line": 2, "character": 30 }, "end": { "line": 2, "character": 30 } });
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": range, "context": { "diagnostics": [] } }),
    );
    let fix = &actions.as_array().unwrap()[0];
    assert_eq!(fix["title"], "Fix DL3042: Add `--no-cache-dir`");
    snapshot("quick_fix_utf8", fix);
    let change = &fix["edit"]["documentChanges"][0];
    assert_eq!(change["textDocument"], json!({ "uri": uri, "version": 1 }));
    let fixed = apply_edits(APP, &action_edits(fix), true);
    assert!(
        fixed.contains("pip install --no-cache-dir flask"),
        "{fixed}"
    );
    client.shutdown().unwrap();
}

#[test]
fn hover_shows_rule_documentation() {
    let mut client = Client::start(push_client(), None);
    let uri = "file:///project/Dockerfile";
    let text = "FROM ubuntu\n# hadolint ignore=DL3009, DL3015\nRUN apt-get update\n";
    client.open(uri, text);
    client.published(uri);
    let hover_at = |client: &mut Client, line: u32, character: u32| {
        client.request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }),
        )
    };
    // On a finding (the untagged image).
    let on_finding = hover_at(&mut client, 0, 7);
    let value = on_finding["contents"]["value"].as_str().unwrap();
    assert_eq!(on_finding["contents"]["kind"], "markdown");
    assert!(value.starts_with("**DL3006** `untagged-image`"), "{value}");
    assert!(value.contains("## What it does"), "{value}");
    assert_eq!(
        on_finding["range"]["start"],
        json!({ "line": 0, "character": 5 })
    );
    // On the second code of an ignore comment.
    let on_code = hover_at(&mut client, 1, 28);
    let value = on_code["contents"]["value"].as_str().unwrap();
    assert!(value.starts_with("**DL3015**"), "{value}");
    assert!(!value.contains("DL3009"), "{value}");
    assert_eq!(
        on_code["range"],
        json!({ "start": { "line": 1, "character": 26 }, "end": { "line": 1, "character": 32 } })
    );
    // Elsewhere on the comment: every listed rule.
    let on_comment = hover_at(&mut client, 1, 3);
    let value = on_comment["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("**DL3009**") && value.contains("**DL3015**"),
        "{value}"
    );
    // Nowhere special: nothing.
    let nothing = hover_at(&mut client, 9, 0);
    assert_eq!(nothing, Value::Null);
    // The rule's documentation is left out of the snapshot (it has its own).
    let mut redacted = on_finding.clone();
    let docs = find_rule_docs("DL3006");
    let value = redacted["contents"]["value"].as_str().unwrap().to_string();
    assert!(value.contains(&docs), "{value}");
    redacted["contents"]["value"] = value.replace(&docs, "[documentation of DL3006]").into();
    snapshot("hover_finding", &redacted);
    client.shutdown().unwrap();
}

#[test]
fn settings_come_from_dlint_toml_and_reload_when_it_changes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let config = root.join("dlint.toml");
    std::fs::write(&config, "[lint]\nignore = [\"DL3042\"]\n").unwrap();
    let dockerfile = root.join("svc/Dockerfile");
    std::fs::create_dir_all(dockerfile.parent().unwrap()).unwrap();
    let uri = url(&dockerfile).to_string();

    let mut capabilities = push_client();
    capabilities["workspace"] = json!({ "didChangeWatchedFiles": { "dynamicRegistration": true } });
    let mut client = Client::start(capabilities, Some(&root));
    client.open(&uri, APP);
    assert!(!codes(&client.published(&uri)).contains(&"DL3042".to_string()));
    // The server asked to watch configuration files.
    let (method, params) = client
        .server_requests
        .iter()
        .find(|(m, _)| m == "client/registerCapability")
        .expect("a watcher registration");
    assert_eq!(method, "client/registerCapability");
    let watchers = &params["registrations"][0]["registerOptions"]["watchers"];
    assert_eq!(watchers[0]["globPattern"], "**/dlint.toml");
    assert_eq!(watchers[1]["globPattern"], "**/.dlint.toml");

    // The file changes and the client says so: everything open is linted again.
    std::fs::write(&config, "[lint]\nignore = [\"DL3006\"]\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": url(&config), "type": 2 }] }),
    );
    let after = codes(&client.published(&uri));
    assert!(after.contains(&"DL3042".to_string()), "{after:?}");
    assert!(!after.contains(&"DL3006".to_string()), "{after:?}");

    // A broken configuration: one warning, and the defaults meanwhile.
    std::fs::write(&config, "[lint]\nignore = [\"DL3006\"\n").unwrap();
    client.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": url(&config) } }),
    );
    let warning = client.notification("window/showMessage");
    assert_eq!(warning["type"], 2);
    assert!(
        warning["message"].as_str().unwrap().contains("dlint.toml"),
        "{warning}"
    );
    assert!(codes(&client.published(&uri)).contains(&"DL3006".to_string()));

    // With no notification at all (a client that cannot watch files): the next lint notices
    // the new modification time.
    std::fs::write(&config, "[lint]\nignore = [\"DL3009\"]\n").unwrap();
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": APP }] }),
    );
    let last = codes(&client.published(&uri));
    assert!(!last.contains(&"DL3009".to_string()), "{last:?}");
    client.shutdown().unwrap();
}

#[test]
fn pull_clients_are_asked_to_refresh_when_settings_change() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let config = root.join(".dlint.toml");
    std::fs::write(&config, "[lint]\nignore = [\"DL3042\"]\n").unwrap();
    let uri = url(&root.join("Dockerfile")).to_string();
    let mut client = Client::start(pull_client(), Some(&root));
    client.open(&uri, APP);
    let first = client.pull(&uri, None);
    std::fs::write(&config, "[lint]\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": url(&config), "type": 2 }] }),
    );
    let second = client.pull(&uri, first["resultId"].as_str());
    assert_eq!(second["kind"], "full");
    assert!(codes(second["items"].as_array().unwrap()).contains(&"DL3042".to_string()));
    assert!(client
        .server_requests
        .iter()
        .any(|(m, _)| m == "workspace/diagnostic/refresh"));
    client.shutdown().unwrap();
}

/// xorshift: deterministic noise without a dependency.
fn noise(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

#[test]
fn garbage_huge_files_half_typed_heredocs_and_bad_requests_do_not_crash_it() {
    let mut client = Client::start(push_client(), None);
    // Random bytes (as text: JSON carries strings), control characters and lone CRs included.
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    for round in 0..20 {
        let bytes: Vec<u8> = (0..2000).map(|_| noise(&mut seed) as u8).collect();
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        if round % 2 == 0 {
            text = format!("FROM alpine\nRUN {text}\n");
        }
        let uri = format!("file:///noise/{round}/Dockerfile");
        client.open(&uri, &text);
        client.published(&uri);
        let hover = client.request_raw(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": 1, "character": 5 } }),
        );
        assert!(hover.error.is_none(), "{hover:?}");
    }

    // A half-typed heredoc, one keystroke at a time, with incremental changes.
    let uri = "file:///typing/Dockerfile";
    client.open(uri, "FROM alpine\n");
    let typed = "RUN <<EOF\napk add curl\nEO";
    let (mut line, mut character) = (1u32, 0u32);
    for (version, ch) in typed.chars().enumerate() {
        client.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version + 2 },
                "contentChanges": [{
                    "range": { "start": { "line": line, "character": character },
                               "end": { "line": line, "character": character } },
                    "text": ch.to_string()
                }]
            }),
        );
        if ch == '\n' {
            line += 1;
            character = 0;
        } else {
            character += 1;
        }
    }
    let whole =
        json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 9, "character": 0 } });
    let actions = client.request_raw(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": whole, "context": { "diagnostics": [] } }),
    );
    assert!(actions.error.is_none(), "{actions:?}");
    // Out-of-range edits are clamped, not fatal.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 99 },
            "contentChanges": [{
                "range": { "start": { "line": 50, "character": 3 }, "end": { "line": 2, "character": 0 } },
                "text": "\u{0}😀"
            }]
        }),
    );

    // A 5 MB file.
    let unit = "RUN apt-get update && apt-get install -y curl\nCOPY . /app\n# comment é\n";
    let big = format!(
        "FROM ubuntu:24.04\n{}",
        unit.repeat(5_000_000 / unit.len() + 1)
    );
    assert!(big.len() > 5_000_000);
    let uri_big = "file:///big/Dockerfile";
    client.open(uri_big, &big);
    let diagnostics = client.published(uri_big);
    assert!(!diagnostics.is_empty());

    // Requests the server does not know, and malformed parameters.
    let unknown = client.request_raw("textDocument/completion", json!({}));
    assert_eq!(
        unknown.error.unwrap().code,
        lsp_server::ErrorCode::MethodNotFound as i32
    );
    let malformed = client.request_raw("textDocument/hover", json!({ "textDocument": 3 }));
    assert_eq!(
        malformed.error.unwrap().code,
        lsp_server::ErrorCode::InvalidParams as i32
    );
    client.notify("textDocument/didOpen", json!({ "nonsense": true }));
    client.notify("$/cancelRequest", json!({ "id": 1 }));

    // Still alive and well.
    client.open("file:///after/Dockerfile", APP);
    assert_eq!(client.published("file:///after/Dockerfile").len(), 6);
    client.shutdown().expect("clean exit after all that");
}

#[test]
fn exit_without_shutdown_is_an_error() {
    let client = Client::start(push_client(), None);
    client.notify("exit", Value::Null);
    let mut client = client;
    let result = client.server.take().unwrap().join().unwrap();
    assert!(result.is_err());
}

/// Frames a message for stdio: `Content-Length` header, blank line, JSON.
fn frame(value: Value) -> Vec<u8> {
    let body = value.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// Reads framed messages until one has this id.
fn read_response(reader: &mut impl BufRead, id: i64) -> Value {
    loop {
        let mut length = 0;
        loop {
            let mut header = String::new();
            assert!(
                reader.read_line(&mut header).unwrap() > 0,
                "server closed stdout"
            );
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some(value) = header.strip_prefix("Content-Length: ") {
                length = value.parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let message: Value = serde_json::from_slice(&body).unwrap();
        if message["id"] == id {
            return message;
        }
    }
}

#[test]
fn the_server_command_exits_0_after_shutdown_and_exit() {
    for graceful in [true, false] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dlint"))
            .arg("server")
            .env("DLINT_SHELLCHECK", "/nonexistent/shellcheck")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        stdin
            .write_all(&frame(
                json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": { "processId": null, "rootUri": null, "capabilities": {} } }),
            ))
            .unwrap();
        let init = read_response(&mut stdout, 1);
        assert_eq!(init["result"]["serverInfo"]["name"], "dlint");
        stdin
            .write_all(&frame(
                json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
            ))
            .unwrap();
        if graceful {
            stdin
                .write_all(&frame(
                    json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown" }),
                ))
                .unwrap();
            assert_eq!(read_response(&mut stdout, 2)["result"], Value::Null);
        }
        stdin
            .write_all(&frame(json!({ "jsonrpc": "2.0", "method": "exit" })))
            .unwrap();
        drop(stdin);
        let status = child.wait().unwrap();
        assert_eq!(
            status.code(),
            Some(if graceful { 0 } else { 2 }),
            "graceful: {graceful}"
        );
    }
}
