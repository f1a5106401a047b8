//! Pathological inputs never panic and still give the right structure (their timings are
//! figures in `benches/pathological.rs`, not assertions here).

use std::process::Command;

use dlint::linter::{lint_source, LintOptions};
use dlint::shell::run_scripts;
use dlint::syntax::parse;

use crate::common;

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

/// `$(…)`, subshells, groups, `if`s, arithmetic and nested `sh -c` bodies: at 90 levels the
/// script is read (the innermost command of `$(…)` is found, no stack overflow); at 40,000
/// levels it is not parsed, LIM002 says so, and the text still round-trips.
#[test]
fn deep_nesting_is_read_up_to_the_bound_and_reported_past_it() {
    for n in [90, 40_000] {
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
            let deep = n > dlint::shell::MAX_SUBSTITUTION_DEPTH;
            assert_eq!(scripts[0].too_deep, deep, "shape {index} at {n}");
            if index == 0 && !deep {
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
            let found = findings(&src);
            assert_eq!(
                found.contains(&("LIM002", 2)),
                deep,
                "shape {index} at {n}: {found:?}"
            );
        }
    }
}

/// A file of RUNs each nested just under the bound is linted in linear time (each level of
/// `$(…)` keeps its text: the bound keeps that cost per byte small).
#[test]
fn many_runs_nested_near_the_bound_are_linear() {
    assert_near_linear("RUNs nested 100 deep", 30, |runs| {
        let d = dlint::shell::MAX_SUBSTITUTION_DEPTH;
        let src: String = (0..runs).fold(String::from("FROM alpine:3.20\n"), |mut s, i| {
            s.push_str(&format!(
                "RUN {}echo {i}{}\n",
                "echo $(".repeat(d),
                ")".repeat(d)
            ));
            s
        });
        lint_source(None, &src, &LintOptions::default());
    });
}

/// Other nesting: `${x:-${x:-…}}` 40,000 deep (left unknown past 64 levels, as before), a
/// JSON array 400,000 deep, thousands of heredocs on one RUN: no stack overflow, and the
/// file is linted.
#[test]
fn deep_defaults_json_arrays_and_many_heredocs_are_linted() {
    let n = 40_000;
    let defaults = format!(
        "FROM alpine:3.20\nENV v={}y{}\nLABEL l=$v\n",
        "${x:-".repeat(n),
        "}".repeat(n)
    );
    let json = format!(
        "FROM alpine:3.20\nCMD {}{}\n",
        "[".repeat(400_000),
        "]".repeat(400_000)
    );
    let heads: String = (0..5_000).map(|i| format!(" <<E{i}")).collect();
    let bodies: String = (0..5_000).map(|i| format!("echo {i}\nE{i}\n")).collect();
    let heredocs = format!("FROM alpine:3.20\nRUN cat{heads}\n{bodies}");
    for src in [&defaults, &json, &heredocs] {
        let parsed = parse(src);
        assert_eq!(parsed.tree.print(), *src);
        lint_source(None, src, &LintOptions::default());
    }
    assert_near_linear("nested defaults", 2_500, |n| {
        let src = format!(
            "FROM alpine:3.20\nENV v={}y{}\n",
            "${x:-".repeat(n),
            "}".repeat(n)
        );
        lint_source(None, &src, &LintOptions::default());
    });
}

/// 100,000 NUL bytes (no line break): one line BuildKit rejects, linted in linear time.
#[test]
fn nul_bytes_are_linted_in_linear_time() {
    let src = "\0".repeat(100_000);
    let found = findings(&src);
    assert!(!found.is_empty());
    assert_near_linear("NUL bytes", 25_000, |n| {
        lint_source(None, &"\0".repeat(n), &LintOptions::default());
    });
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

/// Findings (code, 1-based line) of `src` with default settings.
fn findings(src: &str) -> Vec<(&'static str, usize)> {
    lint_source(None, src, &LintOptions::default())
        .iter()
        .map(|d| {
            (
                d.code,
                src[..d.span.start.min(src.len())].matches('\n').count() + 1,
            )
        })
        .collect()
}

/// `ARG a{i}=${a{i-1}}${a{i-1}}`, 64 levels: a value of 2⁶⁴ × 16 bytes once expanded. The
/// expansion stops at its budget with LIM001 on the ARG where it ran out, and the rest of the
/// file is still linted.
#[test]
fn doubling_args_stop_at_the_expansion_budget() {
    let mut src = String::from("ARG a0=xxxxxxxxxxxxxxxx\n");
    for i in 1..=64 {
        src.push_str(&format!("ARG a{i}=${{a{}}}${{a{}}}\n", i - 1, i - 1));
    }
    src.push_str("FROM alpine:latest\nARG a64\nRUN echo $a64\n");
    let found = findings(&src);
    let limits: Vec<_> = found.iter().filter(|(c, _)| *c == "LIM001").collect();
    assert_eq!(limits.len(), 1, "{found:?}");
    // 16 MiB plus 16 bytes per byte of the file: the value of a21 is 32 MiB.
    let line = limits[0].1;
    assert!((19..=22).contains(&line), "LIM001 on line {line}");
    assert!(
        found.contains(&("DL3007", 66)),
        "linting goes on: {found:?}"
    );
}

/// The same doubling with ENV inside a stage, then the huge value read by rules that expand
/// words (labels, users, ports): bounded too.
#[test]
fn doubling_envs_and_their_readers_are_bounded() {
    let mut src = String::from("FROM alpine:3.20\nENV a0=xxxxxxxxxxxxxxxx\n");
    for i in 1..=64 {
        src.push_str(&format!("ENV a{i}=${{a{}}}${{a{}}}\n", i - 1, i - 1));
    }
    for _ in 0..200 {
        src.push_str("LABEL x=${a20}${a20}\nUSER ${a20}\nEXPOSE ${a20}\n");
    }
    let found = findings(&src);
    assert_eq!(
        found.iter().filter(|(c, _)| *c == "LIM001").count(),
        1,
        "{found:?}"
    );
}

/// A model's scopes share one budget: a 60 kB value read by thousands of words costs at
/// most the budget, after which values read as unknown.
#[test]
fn the_expansion_budget_is_shared_by_every_word() {
    let mut src = format!("FROM alpine:3.20\nARG big={}\n", "x".repeat(60_000));
    for i in 0..2_000 {
        src.push_str(&format!("ENV e{i}=$big$big$big$big\n"));
    }
    let parsed = parse(&src);
    let model = dlint::semantic::Model::build(&parsed, None);
    let spent_at = model
        .expansion_budget_spent_at
        .expect("the budget runs out");
    let last = model.final_state(0).unwrap();
    assert_eq!(last.vars.value("e0").map(str::len), Some(240_000));
    assert_eq!(
        last.vars.value("e1999"),
        None,
        "unknown once the budget is spent"
    );
    assert!(spent_at > 2 && spent_at < 2_000, "{spent_at}");
}

/// A `.hadolint.yaml` of aliases of aliases (10⁹ values once expanded) is refused as a
/// configuration error: exit 2, the file, line and column of the alias, and a hint.
#[test]
fn billion_laughs_in_hadolint_yaml_is_a_configuration_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut yaml = String::from("a0: &a0 [\"lol\"]\n");
    for level in 1..=9 {
        let items = vec![format!("*a{}", level - 1); 10].join(", ");
        yaml.push_str(&format!("a{level}: &a{level} [{items}]\n"));
    }
    yaml.push_str("ignored: *a9\n");
    std::fs::write(dir.path().join(".hadolint.yaml"), yaml).unwrap();
    std::fs::write(dir.path().join("Dockerfile"), "FROM alpine:3.20\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_dlint"))
        .args(["--no-color", "Dockerfile"])
        .current_dir(dir.path())
        .env("DLINT_SHELLCHECK", "/nonexistent/shellcheck")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(".hadolint.yaml:5:"), "{stderr}");
    assert!(stderr.contains("aliases"), "{stderr}");
    assert!(stderr.contains("write the values out"), "{stderr}");
}

/// Times `run` on inputs of size `n` and `4 n` (best of three each) and fails when the
/// larger takes more than 8 times as long (linear time gives about 4, quadratic 16). A few
/// milliseconds of slack keep tiny timings from deciding. A loaded machine can slow one
/// measurement down, so up to three rounds are taken: a quadratic walk fails every one.
fn assert_near_linear(what: &str, n: usize, run: impl Fn(usize)) {
    let best = |size: usize| {
        (0..3)
            .map(|_| {
                let started = std::time::Instant::now();
                run(size);
                started.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    };
    let mut rounds = Vec::new();
    for _ in 0..3 {
        let (small, large) = (best(n), best(4 * n));
        if large < 8.0 * small + 0.02 {
            return;
        }
        rounds.push(format!(
            "{small:.3} s at {n}, {large:.3} s at {} ({:.1}×)",
            4 * n,
            large / small
        ));
    }
    panic!("{what}: not linear in three rounds: {}", rounds.join("; "));
}

fn lint_with(src: &str, codes: &[&str], toml: &str) {
    let config = dlint::config::parse_config(std::path::Path::new("dlint.toml"), toml).unwrap();
    let mut options = LintOptions {
        config: Some(std::sync::Arc::new(config)),
        ..LintOptions::default()
    };
    options.selection.select = Some(
        codes
            .iter()
            .map(|c| dlint::rules::RuleSelector::parse(c).unwrap())
            .collect(),
    );
    lint_source(None, src, &options);
}

/// Rules over stages (BK005 duplicate names, BK007 with SHELL up the FROM chain, DL3049
/// labels up the chain) take linear time on a long chain of stages.
#[test]
fn rules_over_stages_are_linear() {
    let make = |stages: usize| {
        let mut src = String::from("FROM alpine:3.20 AS s0\nSHELL [\"/bin/sh\", \"-c\"]\n");
        for i in 1..stages {
            src.push_str(&format!(
                "FROM s{} AS s{i}\nLABEL a=b\nCMD echo {i}\nFROM alpine:3.20 AS s{i}\n",
                i - 1
            ));
        }
        src
    };
    let schema = "[label-schema]\nmaintainer = \"text\"\n";
    for code in ["BK005", "BK007", "DL3049"] {
        assert_near_linear(code, 1_500, |n| lint_with(&make(n), &[code], schema));
    }
}

/// Suppression comments are matched to findings in n·log n (SUP001 on, every comment used
/// or not).
#[test]
fn suppressions_are_matched_in_n_log_n() {
    let make = |count: usize| {
        let mut src = String::from("FROM alpine:3.20\n# dlint global ignore=DL3019\n");
        for i in 0..count {
            src.push_str(&format!(
                "# dlint ignore=DL3018,BK007\nRUN apk add curl{i}\n"
            ));
        }
        src
    };
    assert_near_linear("suppressions", 2_000, |n| {
        lint_with(&make(n), &["DL3018", "DL3019", "SUP001"], "")
    });
}

/// `--diff` of a fix with one edit per line: applying the edits and drawing the diff are
/// linear, and the diff is right.
#[test]
fn a_diff_of_thousands_of_edits_is_linear_and_right() {
    use dlint::fix::{apply_fixes, unified_diff, Edit, Fix};
    let make = |lines: usize| {
        let src: String = (0..lines).map(|i| format!("run echo {i}\n")).collect();
        let fixes: Vec<Fix> = (0..lines)
            .map(|i| {
                let at = src.match_indices("run").nth(i).unwrap().0;
                Fix::safe("upper", vec![Edit::replace(at..at + 3, "RUN")])
            })
            .collect();
        (src, fixes)
    };
    let (src, fixes) = make(3_000);
    let refs: Vec<&Fix> = fixes.iter().collect();
    let applied = apply_fixes(&src, &refs);
    assert_eq!(applied.applied.len(), 3_000);
    assert_eq!(applied.text, src.replace("run", "RUN"));
    let diff = unified_diff("Dockerfile", &src, &applied.text);
    assert_eq!(
        diff.lines().filter(|l| l.starts_with("-run")).count(),
        3_000
    );
    assert_eq!(
        diff.lines().filter(|l| l.starts_with("+RUN")).count(),
        3_000
    );
    let (a, b) = (make(2_500), make(10_000));
    let cases = [(2_500, a), (10_000, b)];
    assert_near_linear("apply and diff", 2_500, |n| {
        let (src, fixes) = &cases.iter().find(|(size, _)| *size == n).unwrap().1;
        let refs: Vec<&Fix> = fixes.iter().collect();
        let applied = apply_fixes(src, &refs);
        unified_diff("Dockerfile", src, &applied.text);
    });
}

/// `dlint server` over real stdio gets every bomb above in turn, beside a `.hadolint.yaml`
/// of aliases: it publishes diagnostics for each (LIM001 and LIM002 where they apply; at
/// most 2,000 of the 4,000 findings of the stages), then still answers `shutdown` and exits
/// 0.
#[test]
fn the_language_server_survives_every_bomb() {
    use serde_json::json;
    use std::io::{BufReader, Write};
    let dir = tempfile::tempdir().unwrap();
    let mut yaml = String::from("a0: &a0 [\"lol\"]\n");
    for level in 1..=9 {
        let items = vec![format!("*a{}", level - 1); 10].join(", ");
        yaml.push_str(&format!("a{level}: &a{level} [{items}]\n"));
    }
    std::fs::write(dir.path().join(".hadolint.yaml"), yaml).unwrap();
    let mut doubling = String::from("ARG a0=xxxxxxxxxxxxxxxx\n");
    for i in 1..=64 {
        doubling.push_str(&format!("ARG a{i}=${{a{}}}${{a{}}}\n", i - 1, i - 1));
    }
    doubling.push_str("FROM alpine:3.20\n");
    let n = 40_000;
    let bombs = [
        ("doubling", doubling, Some("LIM001")),
        (
            "substitutions",
            format!(
                "FROM alpine:3.20\nRUN {}echo x{}\n",
                "echo $(".repeat(n),
                ")".repeat(n)
            ),
            Some("LIM002"),
        ),
        (
            "defaults",
            format!(
                "FROM alpine:3.20\nENV v={}y{}\n",
                "${x:-".repeat(n),
                "}".repeat(n)
            ),
            None,
        ),
        ("nul", "\0".repeat(100_000), None),
        (
            "stages",
            (1..4_000).fold(String::from("FROM alpine:3.20 AS s0\n"), |mut s, i| {
                s.push_str(&format!("FROM s{} AS s{i}\nCMD echo {i}\n", i - 1));
                s
            }),
            None,
        ),
    ];
    let mut child = Command::new(env!("CARGO_BIN_EXE_dlint"))
        .args(["server", "--stdio"])
        .env("DLINT_SHELLCHECK", "/nonexistent/shellcheck")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut send = |message: serde_json::Value| {
        stdin.write_all(&common::lsp_frame(&message)).unwrap();
        stdin.flush().unwrap();
    };
    send(json!({ "jsonrpc": "2.0", "id": 0, "method": "initialize",
        "params": { "processId": null, "rootUri": null, "capabilities": {} } }));
    send(json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
    // Each document's diagnostics are waited for before the next is opened: a server that
    // died would close its stdout instead.
    for (name, text, code) in &bombs {
        let uri = format!("file://{}/{name}.Dockerfile", dir.path().display());
        send(
            json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": { "uri": uri, "languageId": "dockerfile", "version": 1, "text": text } } }),
        );
        let diagnostics: Vec<serde_json::Value> = loop {
            let message = common::lsp_read(&mut stdout)
                .unwrap_or_else(|| panic!("the server stopped on {name}"));
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri.as_str()
            {
                break message["params"]["diagnostics"].as_array().unwrap().clone();
            }
        };
        let codes: Vec<String> = diagnostics
            .iter()
            .filter_map(|d| d["code"].as_str().map(String::from))
            .collect();
        // At most 2,000 findings, then one diagnostic counting the rest.
        assert!(diagnostics.len() <= 2_001, "{name}: {}", diagnostics.len());
        if *name == "stages" {
            let last = diagnostics.last().unwrap()["message"].as_str().unwrap();
            assert!(last.contains("more findings"), "{last}");
        }
        if let Some(code) = code {
            assert!(codes.iter().any(|c| c == code), "{name}: {codes:?}");
        }
    }
    send(json!({ "jsonrpc": "2.0", "id": 1, "method": "shutdown" }));
    send(json!({ "jsonrpc": "2.0", "method": "exit" }));
    let mut shut_down = false;
    while let Some(message) = common::lsp_read(&mut stdout) {
        shut_down |= message["id"] == 1 && message["result"].is_null();
    }
    assert!(shut_down, "shutdown answered");
    assert_eq!(child.wait().unwrap().code(), Some(0));
}
