//! Pathological inputs, timed (figures, not tests): each case prints wall time and the size
//! of its input, and how much longer it takes than the same case at half the size (about 2
//! when the time is linear, 4 when quadratic). Run with `cargo bench --bench pathological`
//! (`-- stages` runs the cases whose name contains `stages`). The same inputs are checked
//! for panics and correctness in `tests/library/pathological.rs`.

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

/// Lints `source` and returns the wall time in milliseconds and the number of findings.
fn time_lint(source: &str, options: &LintOptions) -> (f64, usize) {
    let started = Instant::now();
    let findings = lint_source(None, source, options).len();
    (started.elapsed().as_secs_f64() * 1e3, findings)
}

fn main() {
    let options = LintOptions::default();
    // Each case at half size and at full size: a time ratio near 2 means linear time, near 4
    // quadratic.
    type Make = fn(usize) -> String;
    let cases: [(&str, Make, usize); 6] = [
        ("RUN with a 1,500-line && chain", and_chain, 1_500),
        ("10,000 stages", many_stages, 10_000),
        ("$(…) nested 200 deep", nested_substitutions, 200),
        ("10 MB Dockerfile", big_file, 10_000_000),
        ("1 MB line", long_line, 1_000_000),
        ("1 MB of binary garbage", garbage, 1_000_000),
    ];
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    for (name, make, size) in cases {
        if filter.as_deref().is_some_and(|f| !name.contains(f)) {
            continue;
        }
        let half = make(size / 2);
        let full = make(size);
        let (half_ms, _) = time_lint(&half, &options);
        let (full_ms, findings) = time_lint(&full, &options);
        println!(
            "{name:<34} {:>10} bytes  {full_ms:>9.1} ms  ({findings} findings)  x{:.2} for twice the size",
            full.len(),
            full_ms / half_ms.max(1e-3)
        );
    }
}
