//! Language-server latency, printed as figures (not a test): the server time from a change
//! reaching the server to its diagnostics leaving it, for a 4 KB Dockerfile, plus pulls, code
//! actions and hover. The server runs in-process over `Connection::memory()`, so the channel
//! hop (microseconds) is the only thing measured besides the server's own work.
//!
//! Run with `cargo bench --bench lsp`. With `../shared/corpus/real` present it also measures
//! every corpus file between 3 and 5 KB.

use std::path::Path;
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

fn main() {
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
