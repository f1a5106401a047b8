//! Pathological inputs never panic and still give the right structure (their timings are
//! figures in `benches/pathological.rs`, not assertions here).

use dlint::linter::{lint_source, LintOptions};
use dlint::shell::run_scripts;
use dlint::syntax::parse;

#[test]
fn a_1500_line_and_chain_gives_every_command() {
    let mut src = String::from("FROM debian:bookworm-slim\nRUN true");
    for i in 0..1500 {
        src.push_str(&format!(" \\\n    && echo step-{i}"));
    }
    src.push('\n');
    let parsed = parse(&src);
    let run = parsed.tree.instructions().nth(1).unwrap();
    assert_eq!(run.end_line, 1502);
    let commands: usize = run_scripts(run, &src)
        .iter()
        .map(|s| s.commands.len())
        .sum();
    assert_eq!(commands, 1501);
    lint_source(None, &src, &LintOptions::default());
}

#[test]
fn deep_nesting_long_lines_and_garbage_do_not_panic() {
    let nested = format!(
        "FROM alpine:3.20\nRUN {}echo x{}\n",
        "echo $(".repeat(300),
        ")".repeat(300)
    );
    let long = format!("FROM alpine:3.20\nRUN echo {}\n", "a".repeat(1_000_000));
    let mut x: u64 = 7;
    let garbage: Vec<u8> = (0..200_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    let garbage = String::from_utf8_lossy(&garbage).into_owned();
    for src in [&nested, &long, &garbage] {
        let parsed = parse(src);
        assert_eq!(parsed.tree.print(), *src);
        lint_source(None, src, &LintOptions::default());
    }
}

#[test]
fn two_thousand_stages_link_up() {
    let mut src = String::from("FROM alpine:3.20 AS s0\n");
    for i in 1..2000 {
        src.push_str(&format!("FROM s{} AS s{i}\nRUN echo {i}\n", i - 1));
    }
    let diagnostics = lint_source(None, &src, &LintOptions::default());
    assert!(diagnostics.iter().all(|d| d.code != "DL1000"));
}
