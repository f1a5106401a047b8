//! Language-server latency, printed as figures (not a test).
//!
//! First over real stdio, as an editor sees it: `dlint server --stdio` as a child process,
//! a user typing (one keystroke every 30 ms, 10 in a row), and the time from the last
//! keystroke sent to the diagnostics of that version arriving, for a 4 KB and a 100 KB file;
//! with ShellCheck on PATH, also to ShellCheck's findings, which arrive in a later update. The
//! budget: dlint's own diagnostics < 30 ms (4 KB) and < 100 ms (100 KB) after the last edit.
//!
//! Then in-process over `Connection::memory()` (ShellCheck off), so the channel hop
//! (microseconds) is the only thing measured besides the server's own work: changes, pulls,
//! code actions and hover for the 4 KB file, and every corpus file between 3 and 5 KB when
//! `../shared/corpus/real` is present.
//!
//! Run with `cargo bench --bench lsp`.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};

/// A realistic multi-stage Dockerfile of about 4 KB with findings and fixes throughout.
fn sample_4k() -> String {
    let mut text = String::from(
        "# syntax=docker/dockerfile:1\nARG PYTHON_VERSION=3.12\n\n\
         FROM python:${PYTHON_VERSION} AS build\nWORKDIR /src\n\
         RUN apt-get update && apt-get install -y build-essential libpq-dev git curl\n\
         COPY requirements.txt .\nRUN pip install -r requirements.txt\n",
    );
    let mut n = 0;
    while text.len() < 3600 {
        n += 1;
        text.push_str(&format!(
            "RUN set -eux; \\\n    curl -fsSL https://example.com/tool-{n}.tar.gz -o /tmp/tool.tgz \\\n    && tar -xzf /tmp/tool.tgz -C /usr/local/bin \\\n    && rm /tmp/tool.tgz\n\
             ENV TOOL_{n}_HOME=/opt/tool-{n}\nCOPY --chown=app:app config/{n}.yaml /etc/app/{n}.yaml\n"
        ));
    }
    text.push_str(
        "\nFROM ubuntu AS runtime\nRUN apt-get update && apt-get install -y ca-certificates libpq5\n\
         RUN pip install gunicorn\nCOPY --from=build /usr/local /usr/local\nUSER app\n\
         CMD [\"gunicorn\", \"app:app\"]\n",
    );
    text
}

struct Client {
    connection: Connection,
    next_id: i32,
}

impl Client {
    fn start(capabilities: Value) -> (Client, std::thread::JoinHandle<()>) {
        let (server, client) = Connection::memory();
        let handle = std::thread::spawn(move || {
            dlint::lsp::run(server).expect("clean exit");
        });
        let mut client = Client {
            connection: client,
            next_id: 0,
        };
        client.request(
            "initialize",
            json!({ "processId": null, "capabilities": capabilities }),
        );
        client.notify("initialized", json!({}));
        (client, handle)
    }

    fn notify(&self, method: &str, params: Value) {
        let message = Notification::new(method.into(), params);
        self.connection.sender.send(message.into()).unwrap();
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let message = Request::new(id.clone(), method.into(), params);
        self.connection.sender.send(message.into()).unwrap();
        loop {
            match self.connection.receiver.recv().unwrap() {
                Message::Response(r) if r.id == id => return r.result.unwrap_or(Value::Null),
                _ => {}
            }
        }
    }

    fn wait_publish(&self) -> usize {
        loop {
            if let Message::Notification(n) = self.connection.receiver.recv().unwrap() {
                if n.method == "textDocument/publishDiagnostics" {
                    return n.params["diagnostics"].as_array().map_or(0, Vec::len);
                }
            }
        }
    }

    fn stop(mut self, handle: std::thread::JoinHandle<()>) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        handle.join().unwrap();
    }
}

/// Runs `work` at least `rounds` times and for at least `budget`; prints min, median, p95.
fn measure(label: &str, rounds: usize, budget: Duration, mut work: impl FnMut()) {
    let mut times = Vec::new();
    let started = Instant::now();
    while times.len() < rounds || started.elapsed() < budget {
        let t = Instant::now();
        work();
        times.push(t.elapsed());
    }
    times.sort();
    let pick = |q: f64| times[((times.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e3;
    println!(
        "{label:<44} min {:7.3} ms   median {:7.3} ms   p95 {:7.3} ms   ({} runs)",
        pick(0.0),
        pick(0.5),
        pick(0.95),
        times.len()
    );
}

fn bench_file(label: &str, text: &str, budget: Duration) {
    let uri = "file:///bench/Dockerfile";
    // Push client (UTF-16, like Neovim 0.7 or Helix).
    let (mut client, handle) = Client::start(json!({}));
    let mut version = 1;
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "dockerfile", "version": 1, "text": text } }),
    );
    let count = client.wait_publish();
    println!("{label}: {} bytes, {count} diagnostics", text.len());
    measure(
        "  didChange (full text) -> publishDiagnostics",
        200,
        budget,
        || {
            version += 1;
            client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
            client.wait_publish();
        },
    );
    let mut toggle = false;
    measure(
        "  didChange (one keystroke) -> publish",
        200,
        budget,
        || {
            version += 1;
            toggle = !toggle;
            let (range, new_text) = if toggle {
                (
                    json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }),
                    "#",
                )
            } else {
                (
                    json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 1 } }),
                    "",
                )
            };
            client.notify(
                "textDocument/didChange",
                json!({ "textDocument": { "uri": uri, "version": version },
                    "contentChanges": [{ "range": range, "text": new_text }] }),
            );
            client.wait_publish();
        },
    );
    let whole =
        json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 9999, "character": 0 } });
    measure(
        "  codeAction, whole file (incl. fix-all)",
        50,
        budget,
        || {
            client.request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": whole, "context": { "diagnostics": [] } }),
        );
        },
    );
    measure("  hover", 200, budget, || {
        client.request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": 5, "character": 6 } }),
        );
    });
    client.stop(handle);

    // Pull client (Neovim 0.10+, VS Code): a change, then the pull that lints it.
    let (mut client, handle) = Client::start(
        json!({ "textDocument": { "diagnostic": {} }, "general": { "positionEncodings": ["utf-8"] } }),
    );
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "dockerfile", "version": 1, "text": text } }),
    );
    let mut version = 1;
    measure(
        "  didChange + textDocument/diagnostic (utf-8)",
        200,
        budget,
        || {
            version += 1;
            client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
            client.request(
                "textDocument/diagnostic",
                json!({ "textDocument": { "uri": uri } }),
            );
        },
    );
    client.stop(handle);
}

/// `dlint server --stdio`, its messages read on a thread with their arrival time.
struct StdioServer {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    messages: mpsc::Receiver<(Instant, Value)>,
}

impl StdioServer {
    fn start(shellcheck: &Path) -> StdioServer {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dlint"))
            .args(["server", "--stdio"])
            .env("DLINT_SHELLCHECK", shellcheck)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dlint server starts");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || loop {
            let mut length = 0;
            loop {
                let mut header = String::new();
                if stdout.read_line(&mut header).unwrap_or(0) == 0 {
                    return;
                }
                let header = header.trim_end();
                if header.is_empty() {
                    break;
                }
                if let Some(value) = header.strip_prefix("Content-Length: ") {
                    length = value.parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            if stdout.read_exact(&mut body).is_err() {
                return;
            }
            let message = serde_json::from_slice(&body).unwrap();
            if sender.send((Instant::now(), message)).is_err() {
                return;
            }
        });
        let mut server = StdioServer {
            child,
            stdin,
            messages,
        };
        server.send(json!({ "jsonrpc": "2.0", "id": 0, "method": "initialize",
            "params": { "processId": null, "capabilities": {} } }));
        server.wait(|m| m["id"] == 0);
        server.send(json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
        server
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn wait(&self, wanted: impl Fn(&Value) -> bool) -> (Instant, Value) {
        loop {
            let (at, message) = self
                .messages
                .recv_timeout(Duration::from_secs(120))
                .expect("the server answers");
            if wanted(&message) {
                return (at, message);
            }
        }
    }

    fn stop(mut self) {
        self.send(json!({ "jsonrpc": "2.0", "id": 999, "method": "shutdown" }));
        self.wait(|m| m["id"] == 999);
        self.send(json!({ "jsonrpc": "2.0", "method": "exit" }));
        self.child.wait().unwrap();
    }
}

/// A user typing over stdio: the time from the last keystroke of each burst to dlint's
/// diagnostics for it, and to ShellCheck's when `shellcheck` is a real binary.
fn stdio_typing(label: &str, text: &str, shellcheck: &Path, budget_ms: f64, rounds: usize) {
    let uri = "file:///bench/Dockerfile";
    let publication = |version: i64| {
        move |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == version
        }
    };
    let mut server = StdioServer::start(shellcheck);
    server.send(
        json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": { "uri": uri, "languageId": "dockerfile", "version": 1, "text": text } } }),
    );
    server.wait(publication(1));
    let with_shellcheck = shellcheck.is_file();
    if with_shellcheck {
        server.wait(publication(1));
    }
    let (mut own, mut complete) = (Vec::new(), Vec::new());
    let mut version = 1;
    for round in 0..rounds {
        let mut last = Instant::now();
        for keystroke in 0..10 {
            version += 1;
            // Type a comment line's characters, then delete them again next round.
            let (range, new_text) = if round % 2 == 0 {
                (
                    json!({ "start": { "line": 0, "character": keystroke }, "end": { "line": 0, "character": keystroke } }),
                    "#",
                )
            } else {
                (
                    json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 1 } }),
                    "",
                )
            };
            server.send(
                json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "range": range, "text": new_text }] } }),
            );
            last = Instant::now();
            std::thread::sleep(Duration::from_millis(30));
        }
        let (at, _) = server.wait(publication(version));
        own.push(at.saturating_duration_since(last));
        if with_shellcheck {
            let (at, _) = server.wait(publication(version));
            complete.push(at.saturating_duration_since(last));
        }
    }
    server.stop();
    let report = |what: &str, times: &mut Vec<Duration>, budget: Option<f64>| {
        times.sort();
        let pick = |q: f64| times[((times.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e3;
        let verdict = match budget {
            Some(b) if pick(0.95) < b => format!("   (budget {b} ms: met)"),
            Some(b) => format!("   (budget {b} ms: MISSED)"),
            None => String::new(),
        };
        println!(
            "  {what:<42} median {:7.1} ms   p95 {:7.1} ms   max {:7.1} ms{verdict}",
            pick(0.5),
            pick(0.95),
            pick(1.0)
        );
    };
    println!(
        "{label}: {} bytes, over stdio, {rounds} bursts of 10 keystrokes",
        text.len()
    );
    report(
        "last keystroke -> dlint's diagnostics",
        &mut own,
        Some(budget_ms),
    );
    if with_shellcheck {
        report("last keystroke -> with ShellCheck's", &mut complete, None);
    } else {
        println!("  (no shellcheck on PATH: ShellCheck's update not measured)");
    }
}

fn shellcheck_on_path() -> PathBuf {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join("shellcheck"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from("/nonexistent/shellcheck"))
}

fn main() {
    let shellcheck = shellcheck_on_path();
    let small = sample_4k();
    let mut large = small.clone();
    while large.len() < 100_000 {
        large.push_str(&small[small.find("RUN set -eux").unwrap()..]);
    }
    stdio_typing("4 KB", &small, &shellcheck, 30.0, 20);
    stdio_typing("100 KB", &large, &shellcheck, 100.0, 20);

    // In-process figures: the server's own work, without ShellCheck. (Single-threaded here.)
    std::env::set_var("DLINT_SHELLCHECK", "/nonexistent/shellcheck");
    let budget = Duration::from_secs(2);
    bench_file("built-in sample", &sample_4k(), budget);

    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real");
    let Ok(repos) = std::fs::read_dir(&corpus) else {
        println!("(../shared/corpus/real not present: corpus figures skipped)");
        return;
    };
    let mut files: Vec<_> = repos
        .flatten()
        .flat_map(|repo| {
            std::fs::read_dir(repo.path())
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|f| f.path())
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| (3000..=5000).contains(&m.len())))
        .collect();
    files.sort();
    let texts: Vec<String> = files
        .iter()
        .map(|p| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned())
        .collect();
    let (client, handle) = Client::start(json!({}));
    let mut times = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let uri = format!("file:///corpus/{i}/Dockerfile");
        client.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "dockerfile", "version": 1, "text": text } }),
        );
        client.wait_publish();
        // Measure warm: the same text again as a change.
        let t = Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": text }] }),
        );
        client.wait_publish();
        times.push(t.elapsed());
    }
    client.stop(handle);
    if times.is_empty() {
        return;
    }
    times.sort();
    let pick = |q: f64| times[((times.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e3;
    println!(
        "corpus files of 3-5 KB ({}): didChange -> publish   median {:.3} ms   p95 {:.3} ms   max {:.3} ms",
        times.len(),
        pick(0.5),
        pick(0.95),
        pick(1.0)
    );
}
