//! Pathological inputs, timed (figures, not tests): each case prints wall time and the size
//! of its input. Run with `cargo bench --bench pathological`. The same inputs are checked for
//! panics and correctness in `tests/pathological.rs`.

use std::time::Instant;

use dlint::linter::{lint_source, LintOptions};

fn and_chain(commands: usize) -> String {
    let mut s = String::from("FROM debian:bookworm-slim\nRUN true");
    for i in 0..commands {
        s.push_str(&format!(" \\\n    && echo step-{i} > /tmp/f{i}"));
    }
    s.push('\n');
    s
}

fn many_stages(stages: usize) -> String {
    let mut s = String::from("FROM alpine:3.20 AS s0\n");
    for i in 1..stages {
        s.push_str(&format!("FROM s{} AS s{i}\nRUN echo {i}\n", i - 1));
    }
    s
}

fn nested_substitutions(depth: usize) -> String {
    let mut inner = String::from("echo x");
    for _ in 0..depth {
        inner = format!("echo $({inner})");
    }
    format!("FROM alpine:3.20\nRUN {inner}\n")
}

fn big_file(bytes: usize) -> String {
    let block = "RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n";
    let mut s = String::from("FROM debian:bookworm-slim\n");
    while s.len() < bytes {
        s.push_str(block);
    }
    s
}

fn long_line(bytes: usize) -> String {
    format!("FROM alpine:3.20\nRUN echo {}\n", "a".repeat(bytes))
}

fn garbage(bytes: usize) -> String {
    let mut x: u64 = 0x2545F4914F6CDD1D;
    let raw: Vec<u8> = (0..bytes)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    String::from_utf8_lossy(&raw).into_owned()
}

fn main() {
    let options = LintOptions::default();
    let cases: Vec<(&str, String)> = vec![
        ("RUN with a 1,500-line && chain", and_chain(1_500)),
        ("10,000 stages", many_stages(10_000)),
        ("$(…) nested 200 deep", nested_substitutions(200)),
        ("10 MB Dockerfile", big_file(10_000_000)),
        ("1 MB line", long_line(1_000_000)),
        ("1 MB of binary garbage", garbage(1_000_000)),
    ];
    for (name, source) in &cases {
        let started = Instant::now();
        let findings = lint_source(None, source, &options).len();
        let elapsed = started.elapsed();
        println!(
            "{name:<34} {:>10} bytes  {:>9.1} ms  ({findings} findings)",
            source.len(),
            elapsed.as_secs_f64() * 1e3
        );
    }
}
