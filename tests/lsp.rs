//! The language server in-process, over `lsp_server::Connection::memory()`: push and pull
//! diagnostics, position encodings, incremental sync, code actions, hover, settings reload,
//! robustness; and `dlint server` over stdio for the exit codes.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

mod common;

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{json, Value};

/// Generous: a debug build on a busy machine. (Latency is measured by `benches/lsp.rs`.)
const TIMEOUT: Duration = Duration::from_secs(180);

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

    /// The codes of the first publication for `uri` that satisfies `wanted` (with ShellCheck
    /// on PATH, its findings follow dlint's own in a second publication, and a late one for an
    /// earlier state may come first).
    fn published_until(&mut self, uri: &str, wanted: impl Fn(&[String]) -> bool) -> Vec<String> {
        loop {
            let codes = codes(&self.published(uri));
            if wanted(&codes) {
                return codes;
            }
        }
    }

    /// The next publication for `uri` at `version`.
    fn published_version(&mut self, uri: &str, version: i64) -> Vec<Value> {
        loop {
            let params = self.notification("textDocument/publishDiagnostics");
            if params["uri"] == uri && params["version"] == version {
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
            "diagnostics": { "refreshSupport": true },
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
    // In the kind asked for: eglot keeps only actions of exactly that kind.
    assert_eq!(kinds, [&json!("source.fixAll")]);

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
    let has = |codes: &[String], code: &str| codes.iter().any(|c| c == code);
    client.published_until(&uri, |c| has(c, "DL3042") && !has(c, "DL3006"));

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
    client.published_until(&uri, |c| has(c, "DL3006"));

    // With no notification at all (a client that cannot watch files): the next lint notices
    // the new modification time.
    std::fs::write(&config, "[lint]\nignore = [\"DL3009\"]\n").unwrap();
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": APP }] }),
    );
    let last = codes(&client.published_version(&uri, 2));
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

#[test]
fn editor_features_hover_keywords_and_flags_complete_list_stages_and_go_to_them() {
    let mut client = Client::start(push_client(), None);
    let uri = "file:///features/Dockerfile";
    let text = "FROM golang:1.22 AS build\nRUN go build -o /app\n\
FROM alpine:3.20\nCOPY --from=build --chmod=755 /app /app\n# hadolint ignore=DL3018\nRUN apk add curl\n";
    client.open(uri, text);
    client.published(uri);
    let at = |line: u32, character: u32| json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } });
    let hover = |client: &mut Client, line, character| {
        let result = client.request("textDocument/hover", at(line, character));
        result["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    assert!(hover(&mut client, 3, 1).contains("**COPY**"));
    assert!(hover(&mut client, 3, 8).contains("earlier stage"), "--from");
    assert!(hover(&mut client, 3, 20).contains("Permissions"), "--chmod");
    assert!(hover(&mut client, 0, 2).contains("base image"), "FROM");

    let completion = client.request("textDocument/completion", at(3, 12));
    let labels: Vec<&str> = completion
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["build"], "stage names after --from=");

    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["build", "stage 1"]);

    let definition = client.request("textDocument/definition", at(3, 14));
    assert_eq!(definition["uri"], uri);
    assert_eq!(
        definition["range"],
        json!({ "start": { "line": 0, "character": 20 }, "end": { "line": 0, "character": 25 } })
    );
    assert_eq!(
        client.request("textDocument/definition", at(1, 5)),
        Value::Null
    );

    let capabilities = &client.initialize_result["capabilities"];
    assert_eq!(capabilities["documentSymbolProvider"], true);
    assert_eq!(capabilities["definitionProvider"], true);
    assert!(capabilities["completionProvider"].is_object());
    let kinds = &capabilities["codeActionProvider"]["codeActionKinds"];
    assert!(kinds.as_array().unwrap().contains(&json!("source.fixAll")));
    client.shutdown().unwrap();
}

#[test]
fn fix_all_answers_in_the_kind_asked_for_and_ignore_comments_keep_hadolints_in_place() {
    let mut client = Client::start(push_client(), None);
    let uri = "file:///kinds/Dockerfile";
    let text =
        "FROM alpine:3.20\n# hadolint ignore=DL3018\nRUN apk add curl && pip install flask\n";
    client.open(uri, text);
    let diagnostics = client.published(uri);
    let whole =
        json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 3, "character": 0 } });
    for (asked, kind) in [
        ("source.fixAll", "source.fixAll"),
        ("source.fixAll.dlint", "source.fixAll.dlint"),
        ("source", "source.fixAll.dlint"),
    ] {
        let actions = client.request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": whole,
                    "context": { "diagnostics": [], "only": [asked] } }),
        );
        assert_eq!(actions[0]["kind"], kind, "asked for {asked}: {actions}");
    }
    // "Ignore DL3042" goes above the hadolint comment, which stays right above its RUN.
    let pip = find(&diagnostics, "DL3042").clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": pip["range"],
                "context": { "diagnostics": [pip], "only": ["quickfix"] } }),
    );
    let ignore = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Ignore DL3042 for this instruction")
        .expect("an ignore action");
    let edited = apply_edits(text, &action_edits(ignore), false);
    assert_eq!(
        edited,
        "FROM alpine:3.20\n# dlint ignore=DL3042\n# hadolint ignore=DL3018\nRUN apk add curl && pip install flask\n"
    );
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
    let unknown = client.request_raw("textDocument/formatting", json!({}));
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
        // VS Code's client adds `--stdio`; other clients do not.
        let args: &[&str] = if graceful {
            &["server", "--stdio"]
        } else {
            &["server"]
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_dlint"))
            .args(args)
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
            Some(if graceful { 0 } else { 1 }),
            "graceful: {graceful}"
        );
    }
}

/// `dlint server --stdio` as a child process, its messages read on a thread (each with the
/// time it arrived), so that a test can wait with a timeout.
struct StdioServer {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    messages: std::sync::mpsc::Receiver<(Instant, Value)>,
    /// Messages read while waiting for others.
    kept: VecDeque<(Instant, Value)>,
}

impl StdioServer {
    /// Starts the server with ShellCheck at `shellcheck` (a path that does not exist: none).
    fn start(shellcheck: &Path, capabilities: Value) -> StdioServer {
        StdioServer::start_with(&[], shellcheck, capabilities)
    }

    fn start_with(args: &[&str], shellcheck: &Path, capabilities: Value) -> StdioServer {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dlint"))
            .args(["server", "--stdio"])
            .args(args)
            .env("DLINT_SHELLCHECK", shellcheck)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, messages) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            while let Some(message) = common::lsp_read(&mut stdout) {
                if sender.send((Instant::now(), message)).is_err() {
                    return;
                }
            }
        });
        let mut server = StdioServer {
            child,
            stdin,
            messages,
            kept: VecDeque::new(),
        };
        server.send(&json!({ "jsonrpc": "2.0", "id": 0, "method": "initialize",
            "params": { "processId": null, "rootUri": null, "capabilities": capabilities } }));
        server.response(0);
        server.send(&json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
        server
    }

    fn send(&mut self, message: &Value) {
        self.send_raw(&frame(message.clone()));
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    /// The next message satisfying `wanted` within `wait` (others are kept for later).
    fn next_where(
        &mut self,
        wait: Duration,
        wanted: impl Fn(&Value) -> bool,
    ) -> Option<(Instant, Value)> {
        if let Some(at) = self.kept.iter().position(|(_, m)| wanted(m)) {
            return self.kept.remove(at);
        }
        let deadline = Instant::now() + wait;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.messages.recv_timeout(left) {
                Ok((when, message)) if wanted(&message) => return Some((when, message)),
                Ok(other) => self.kept.push_back(other),
                Err(_) => break,
            }
        }
        None
    }

    fn response(&mut self, id: i64) -> Value {
        self.next_where(TIMEOUT, |m| m["id"] == id && m.get("method").is_none())
            .unwrap_or_else(|| panic!("no response to request {id}"))
            .1
    }

    /// The next publication for `uri`, with the time it arrived.
    fn publication(&mut self, uri: &str, wait: Duration) -> Option<(Instant, Value)> {
        self.next_where(wait, |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        })
        .map(|(when, m)| (when, m["params"].clone()))
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.send(&json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": { "uri": uri, "languageId": "dockerfile", "version": 1, "text": text } } }));
    }

    /// `shutdown` and `exit`: the status the server exits with.
    fn shutdown(mut self) -> Option<i32> {
        self.send(&json!({ "jsonrpc": "2.0", "id": 999_999, "method": "shutdown" }));
        assert_eq!(self.response(999_999)["result"], Value::Null);
        self.send(&json!({ "jsonrpc": "2.0", "method": "exit" }));
        drop(self.stdin);
        self.child.wait().unwrap().code()
    }
}

fn no_shellcheck() -> &'static Path {
    Path::new("/nonexistent/shellcheck")
}

fn did_change(uri: &str, version: i64, line: u32, text: &str) -> Value {
    json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": { "uri": uri, "version": version },
        "contentChanges": [{ "range": {
            "start": { "line": line, "character": 0 }, "end": { "line": line, "character": 0 } },
            "text": text }] } })
}

#[test]
fn over_stdio_a_burst_of_edits_is_linted_once() {
    let mut server = StdioServer::start(no_shellcheck(), push_client());
    let uri = "file:///burst/Dockerfile";
    server.open(uri, APP);
    server
        .publication(uri, TIMEOUT)
        .expect("diagnostics after opening");
    // 50 keystrokes, as fast as a client sends them: one write.
    let burst: Vec<u8> = (2..=51)
        .flat_map(|version| frame(did_change(uri, version, 3, "#")))
        .collect();
    server.send_raw(&burst);
    let (_, first) = server
        .publication(uri, TIMEOUT)
        .expect("diagnostics after the burst");
    assert_eq!(
        first["version"], 51,
        "the first lint after the burst saw all of it"
    );
    let extra = server.publication(uri, Duration::from_millis(500));
    assert!(extra.is_none(), "one lint per burst, not {extra:?}");
    assert_eq!(server.shutdown(), Some(0));
}

#[test]
fn over_stdio_a_cancelled_request_still_waiting_is_answered_cancelled() {
    let mut server = StdioServer::start(no_shellcheck(), push_client());
    let big_uri = "file:///big/Dockerfile";
    let unit = "RUN apt-get update && apt-get install -y curl\nCOPY . /app\n";
    let big = format!("FROM ubuntu\n{}", unit.repeat(300_000 / unit.len()));
    let whole =
        json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 99999, "character": 0 } });
    // A slow request (fix-all over 300 KB), then a hover and its cancellation, in one write.
    let mut bytes = frame(
        json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": { "uri": big_uri, "languageId": "dockerfile", "version": 1, "text": big } } }),
    );
    bytes.extend(frame(
        json!({ "jsonrpc": "2.0", "id": 10, "method": "textDocument/codeAction",
        "params": { "textDocument": { "uri": big_uri }, "range": whole,
                    "context": { "diagnostics": [], "only": ["source.fixAll"] } } }),
    ));
    bytes.extend(frame(json!({ "jsonrpc": "2.0", "id": 11, "method": "textDocument/hover",
        "params": { "textDocument": { "uri": big_uri }, "position": { "line": 1, "character": 1 } } })));
    bytes.extend(frame(
        json!({ "jsonrpc": "2.0", "method": "$/cancelRequest", "params": { "id": 11 } }),
    ));
    server.send_raw(&bytes);
    let fix_all = server.response(10);
    assert!(
        fix_all["result"].is_array(),
        "{}",
        fix_all.to_string().chars().take(300).collect::<String>()
    );
    let hover = server.response(11);
    assert_eq!(hover["error"]["code"], -32800, "{hover}");
    // A cancellation of a request already answered changes nothing.
    server.send(&json!({ "jsonrpc": "2.0", "method": "$/cancelRequest", "params": { "id": 10 } }));
    assert_eq!(server.shutdown(), Some(0));
}

/// The peak virtual memory of a process, in kB (Linux).
fn peak_memory_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmPeak:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn over_stdio_malformed_messages_get_error_replies_and_the_server_keeps_serving() {
    let mut server = StdioServer::start(no_shellcheck(), push_client());
    let uri = "file:///ok/Dockerfile";
    server.open(uri, APP);
    server.publication(uri, TIMEOUT).unwrap();
    let hover = |id: i64| {
        json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
                "params": { "textDocument": { "uri": uri }, "position": { "line": 2, "character": 30 } } })
    };
    let error_reply = |server: &mut StdioServer| {
        server
            .next_where(TIMEOUT, |m| m.get("error").is_some() && m["id"].is_null())
            .expect("an error reply")
            .1
    };
    let pid = server.child.id();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "invalid JSON",
            b"Content-Length: 9\r\n\r\n{not json".to_vec(),
        ),
        (
            "garbage",
            b"hello there, this is not a header\r\n\r\n".to_vec(),
        ),
        (
            "a length that is not a number",
            b"Content-Length: many\r\n\r\n{}".to_vec(),
        ),
        ("no Content-Length", b"Content-Type: x\r\n\r\n{}".to_vec()),
        (
            "a 4 GB Content-Length",
            b"Content-Length: 4000000000\r\n\r\n{\"jsonrpc\":\"2.0\"}".to_vec(),
        ),
    ];
    for (id, (what, bytes)) in (1..).zip(cases) {
        server.send_raw(&bytes);
        let reply = error_reply(&mut server);
        assert_eq!(reply["error"]["code"], -32700, "{what}: {reply}");
        server.send(&hover(id));
        let answer = server.response(id);
        assert!(
            answer["result"]["contents"]["value"].as_str().is_some(),
            "{what}: {answer}"
        );
    }
    // JSON that is not a message: `InvalidRequest`, with its id.
    server.send(&json!({ "jsonrpc": "2.0", "id": 77, "method": 5 }));
    assert_eq!(server.response(77)["error"]["code"], -32600);
    if let Some(peak) = peak_memory_kb(pid) {
        assert!(peak < 2_000_000, "the server reserved {peak} kB");
    }
    assert_eq!(server.shutdown(), Some(0));
}

#[test]
fn over_stdio_a_5_mb_document_stays_responsive() {
    let mut server = StdioServer::start(no_shellcheck(), push_client());
    // Few findings: what is measured is the server, not the size of their JSON.
    let unit =
        "COPY . /app\n# a comment, é, that makes the file bigger without findings\nENV A=1 B=2\n";
    let big = format!(
        "FROM ubuntu:24.04\nWORKDIR /app\n{}RUN pip install flask\n",
        unit.repeat(5_000_000 / unit.len() + 1)
    );
    assert!(big.len() > 5_000_000);
    let (big_uri, small_uri) = ("file:///big/Dockerfile", "file:///small/Dockerfile");
    server.open(big_uri, &big);
    server.open(small_uri, APP);
    server
        .publication(big_uri, TIMEOUT)
        .expect("the big file is linted");
    server
        .publication(small_uri, TIMEOUT)
        .expect("the small file is linted");
    // Typing in the big file: each edit is a small change, not a resend.
    for version in 2..=6 {
        server.send(&did_change(big_uri, version, 1, "# typed\n"));
    }
    server.send(&json!({ "jsonrpc": "2.0", "id": 5, "method": "textDocument/hover",
        "params": { "textDocument": { "uri": small_uri }, "position": { "line": 2, "character": 30 } } }));
    assert!(server.response(5)["result"].is_object());
    let (_, last) = server
        .publication(big_uri, TIMEOUT)
        .expect("the edits are linted");
    assert_eq!(last["version"], 6);
    assert_eq!(server.shutdown(), Some(0));
}

/// A ShellCheck that takes its time: dlint's own findings must not wait for it.
#[cfg(unix)]
#[test]
fn over_stdio_shellcheck_findings_follow_dlints_own_without_delaying_them() {
    use std::os::unix::fs::PermissionsExt;
    let Some(real) = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join("shellcheck"))
        .find(|p| p.is_file())
    else {
        eprintln!("skipping: no shellcheck on PATH");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let slow = dir.path().join("slow-shellcheck");
    std::fs::write(
        &slow,
        format!("#!/bin/sh\nsleep 1\nexec '{}' \"$@\"\n", real.display()),
    )
    .unwrap();
    std::fs::set_permissions(&slow, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut server = StdioServer::start(&slow, push_client());
    let uri = "file:///sc/Dockerfile";
    let sent = Instant::now();
    server.open(uri, "FROM alpine:3.20\nRUN echo $HOME\n");
    let (own_at, own) = server.publication(uri, TIMEOUT).unwrap();
    let own_codes = codes(own["diagnostics"].as_array().unwrap());
    assert!(
        !own_codes.iter().any(|c| c.starts_with("SC")),
        "{own_codes:?}"
    );
    assert!(
        own_at - sent < Duration::from_millis(900),
        "dlint's own waited for ShellCheck"
    );
    let (sc_at, all) = server
        .publication(uri, TIMEOUT)
        .expect("ShellCheck's findings follow");
    let all_codes = codes(all["diagnostics"].as_array().unwrap());
    assert!(all_codes.contains(&"SC2086".to_string()), "{all_codes:?}");
    assert!(all_codes
        .iter()
        .all(|c| c.starts_with("SC") || own_codes.contains(c)));
    assert!(sc_at >= own_at);
    assert_eq!(all["version"], 1);
    assert_eq!(server.shutdown(), Some(0));
}

#[test]
fn the_server_takes_a_configuration_file_from_its_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("editor.toml");
    std::fs::write(&config, "[lint]\nignore = [\"DL3042\"]\n").unwrap();
    let config_arg = config.to_str().unwrap();
    let mut server = StdioServer::start_with(
        &["--config", config_arg, "--shellcheck", "never"],
        no_shellcheck(),
        push_client(),
    );
    let uri = "file:///elsewhere/Dockerfile";
    server.open(uri, APP);
    let (_, published) = server.publication(uri, TIMEOUT).unwrap();
    let codes = codes(published["diagnostics"].as_array().unwrap());
    assert!(codes.contains(&"DL3009".to_string()), "{codes:?}");
    assert!(!codes.contains(&"DL3042".to_string()), "{codes:?}");
    assert_eq!(server.shutdown(), Some(0));
}

#[test]
fn a_configuration_change_on_disk_takes_effect_without_an_edit_or_a_notification() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let uri = url(&root.join("Dockerfile")).to_string();
    // A client that watches no files and sends nothing after opening the document.
    let mut client = Client::start(push_client(), Some(&root));
    client.open(&uri, APP);
    assert!(codes(&client.published(&uri)).contains(&"DL3006".to_string()));
    std::fs::write(root.join("dlint.toml"), "[lint]\nignore = [\"DL3006\"]\n").unwrap();
    let has = |codes: &[String], code: &str| codes.iter().any(|c| c == code);
    client.published_until(&uri, |c| !has(c, "DL3006") && has(c, "DL3008"));
    client.shutdown().unwrap();
}

#[test]
fn a_client_that_pulls_but_cannot_be_asked_to_pull_again_gets_diagnostics_pushed() {
    // Neovim 0.11: `textDocument.diagnostic`, no `workspace.diagnostics.refreshSupport`.
    let mut capabilities = pull_client();
    capabilities["workspace"]
        .as_object_mut()
        .unwrap()
        .remove("diagnostics");
    let mut client = Client::start(capabilities, None);
    assert!(client.initialize_result["capabilities"]["diagnosticProvider"].is_null());
    let uri = "file:///no-refresh/Dockerfile";
    client.open(uri, APP);
    assert_eq!(client.published(uri).len(), 6);
    client.shutdown().unwrap();
}
