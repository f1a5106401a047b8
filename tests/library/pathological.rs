//! Pathological inputs never panic and still give the right structure (their timings are
//! figures in `benches/pathological.rs`, not assertions here).

use std::process::Command;

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

/// 10,000 levels of `$(…)`, subshells, groups, `if`s and nested `sh -c` bodies: no stack
/// overflow, the text round-trips, and the innermost command of `$(…)` is found.
#[test]
fn ten_thousand_levels_of_nesting_do_not_overflow_the_stack() {
    let n = 10_000;
    let shapes = [
        format!("{}echo x{}", "echo $(".repeat(n), ")".repeat(n)),
        format!("{}true{}", "(".repeat(n), ")".repeat(n)),
        format!("{}true;{}", "{ ".repeat(n), " }".repeat(n)),
        format!("{}true{}", "if true; then ".repeat(n), "; fi".repeat(n)),
        format!("echo $(({}1{}))", "(".repeat(n), ")".repeat(n)),
        format!("sh -c \"{}x{}\"", "$(echo ".repeat(n), ")".repeat(n)),
    ];
    for (index, body) in shapes.iter().enumerate() {
        let src = format!("FROM alpine:3.20\nRUN {body}\n");
        let parsed = parse(&src);
        assert_eq!(parsed.tree.print(), src);
        let run = parsed.tree.instructions().nth(1).unwrap();
        let scripts = run_scripts(run, &src);
        if index == 0 {
            let commands = &scripts[0].commands;
            assert_eq!(commands.len(), n + 1);
            let innermost = commands.iter().max_by_key(|c| c.span.start).unwrap();
            assert!(
                &src[innermost.span.clone()] == "echo x",
                "{:?}",
                innermost.span
            );
        }
        for command in scripts.iter().flat_map(|s| &s.commands) {
            assert!(command.span.end <= src.len());
        }
        lint_source(None, &src, &LintOptions::default());
    }
}

/// A file with invalid UTF-8 is read lossily, and a finding after an invalid byte still
/// points at the right line and column (in characters, one per replacement character, as
/// editors decode the file).
#[test]
fn findings_after_invalid_utf8_point_at_the_right_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Dockerfile");
    std::fs::write(
        &file,
        b"FROM alpine:3.20\nRUN echo \xff\xfe && apk add curl\n# \xc3\n\nRUN echo \xe2\x82 && apk add git\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_dlint"))
        .args(["--no-color", "--format", "concise", "--select", "DL3019"])
        .arg(&file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let positions: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.split(": DL3019").next()?.rsplit_once("Dockerfile:"))
        .map(|(_, at)| at)
        .collect();
    // `RUN echo ` is 9 characters, each invalid byte one more, then ` && `: `apk` at 16.
    // `\xe2\x82` is one truncated character: one replacement character, `apk` at 15.
    assert_eq!(positions, ["2:16", "5:15"], "{stdout}");
}
