//! ShellCheck on RUN scripts, with the real `shellcheck` binary when it is installed (each
//! test says so and returns early when it is not; CI installs it). Positions are checked
//! exactly: the snapshots show each finding's file line and column range and the text there.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use dlint::fix::{fix_until_stable, unified_diff, Candidate};
use dlint::rules::{check, RuleSelector, RuleSettings, Selection};
use dlint::shellcheck::Shellcheck;
use dlint::syntax::parse;

fn shellcheck() -> Option<Shellcheck> {
    let found = Shellcheck::locate(None);
    if found.is_none() {
        eprintln!("skipping: no `shellcheck` binary on PATH (apt-get install shellcheck)");
    }
    found
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/shellcheck")
        .join(name)
}

fn sc_only(shellcheck: Shellcheck) -> RuleSettings {
    RuleSettings {
        selection: Selection {
            select: Some(vec![RuleSelector::parse("SC").unwrap()]),
            ..Selection::default()
        },
        shellcheck: Some(shellcheck),
        ..RuleSettings::default()
    }
}

fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// Each finding as `line:col-line:col CODE severity message «text»`, then the diff of the
/// unsafe fixes.
fn render(path: &Path, settings: &RuleSettings) -> String {
    let source = fs::read_to_string(path).unwrap();
    let mut out = String::new();
    for f in check(Some(path), &parse(&source), settings) {
        let span = f.violation.span.clone();
        let (l1, c1) = line_col(&source, span.start);
        let (l2, c2) = line_col(&source, span.end);
        out.push_str(&format!(
            "{l1}:{c1}-{l2}:{c2} {} {} {} «{}»\n",
            f.rule.code,
            f.rule.severity.as_str(),
            f.violation.message,
            source[span].escape_debug()
        ));
    }
    let outcome = fix_until_stable(&source, true, |text| {
        check(Some(path), &parse(text), settings)
            .into_iter()
            .filter_map(|f| {
                f.violation.fix.map(|fix| Candidate {
                    code: f.rule.code,
                    fix,
                })
            })
            .collect()
    });
    out.push_str("--- fix --unsafe-fixes\n");
    out.push_str(&unified_diff("Dockerfile", &source, &outcome.text));
    out
}

fn snapshot(name: &str) {
    let Some(shellcheck) = shellcheck() else {
        return;
    };
    let rendered = render(
        &fixture(&format!("{name}.Dockerfile")),
        &sc_only(shellcheck),
    );
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!(format!("shellcheck_{name}"), rendered);
    });
}

#[test]
fn continuation_lines_heredocs_and_suppressions() {
    snapshot("continuations");
}

#[test]
fn backtick_escape() {
    snapshot("backtick");
}

#[test]
fn crlf_line_endings() {
    snapshot("crlf");
}

#[test]
fn findings_point_at_the_variable_they_name() {
    let Some(shellcheck) = shellcheck() else {
        return;
    };
    let path = fixture("continuations.Dockerfile");
    let source = fs::read_to_string(&path).unwrap();
    let findings = check(Some(&path), &parse(&source), &sc_only(shellcheck));
    for (code, text) in [
        ("SC2154", "$undefined"),
        ("SC2086", "$version"),
        ("SC2154", "$from_heredoc"),
        ("SC2154", "$dir"),
    ] {
        assert!(
            findings
                .iter()
                .any(|f| f.rule.code == code && source[f.violation.span.clone()] == *text),
            "{code} at {text}: {findings:#?}"
        );
    }
    let at = |needle: &str| source.find(needle).unwrap();
    let silenced: Vec<&str> = findings
        .iter()
        .filter(|f| f.violation.span.start == at("$silenced"))
        .map(|f| f.rule.code)
        .collect();
    assert_eq!(silenced, ["SC2154"], "only SC2086 is suppressed there");
    assert!(
        !findings
            .iter()
            .any(|f| f.rule.code == "SC2154" && source[f.violation.span.clone()] == *"$version"),
        "ARG names are declared"
    );
    assert!(
        !findings
            .iter()
            .any(|f| f.violation.span.start >= at("# Exec form")),
        "exec form and pwsh are not checked"
    );
}

fn dlint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dlint"))
        .args(args)
        .current_dir(dir)
        .env_remove("DLINT_SHELLCHECK")
        .output()
        .expect("dlint runs")
}

fn concise_codes(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| l.split(": ").nth(1))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

const DOCKERFILE: &str = "FROM alpine:3.20\nRUN echo $x && cd /tmp\n";

#[test]
fn cli_modes_selection_and_config() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), DOCKERFILE).unwrap();
    let run = |args: &[&str]| {
        let mut all = vec!["--format", "concise"];
        all.extend_from_slice(args);
        all.push("Dockerfile");
        dlint(dir.path(), &all)
    };

    // A binary that does not exist: `always` fails with a hint, `auto` skips quietly.
    let missing = run(&[
        "--shellcheck",
        "always",
        "--shellcheck-path",
        "/nonexistent/sc",
    ]);
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        stderr.contains("/nonexistent/sc") && stderr.contains("apt-get install shellcheck"),
        "{stderr}"
    );
    let auto = run(&["--shellcheck-path", "/nonexistent/sc"]);
    assert!(!concise_codes(&auto).iter().any(|c| c.starts_with("SC")));

    let never = run(&["--shellcheck", "never"]);
    assert!(!concise_codes(&never).iter().any(|c| c.starts_with("SC")));

    if shellcheck().is_none() {
        return;
    }
    let codes = concise_codes(&run(&[]));
    for code in ["SC2086", "SC2154", "SC2164", "DL3003"] {
        assert!(codes.iter().any(|c| c == code), "{code}: {codes:?}");
    }
    let codes = concise_codes(&run(&["--select", "SC"]));
    assert!(
        codes.iter().all(|c| c.starts_with("SC")) && codes.len() == 3,
        "{codes:?}"
    );
    let codes = concise_codes(&run(&["--ignore", "SC2086,shellcheck-2164"]));
    assert!(codes.iter().any(|c| c == "SC2154"), "{codes:?}");
    assert!(
        !codes.iter().any(|c| c == "SC2086" || c == "SC2164"),
        "{codes:?}"
    );

    // The configuration: `[lint] shellcheck` and SC codes in `ignore`; the command line wins.
    fs::write(
        dir.path().join("dlint.toml"),
        "[lint]\nshellcheck = \"never\"\n",
    )
    .unwrap();
    assert!(!concise_codes(&run(&[])).iter().any(|c| c.starts_with("SC")));
    let forced = concise_codes(&run(&["--shellcheck", "auto"]));
    assert!(forced.iter().any(|c| c == "SC2086"), "{forced:?}");
    fs::write(
        dir.path().join("dlint.toml"),
        "[lint]\nignore = [\"SC2154\"]\n\n[lint.severity]\nSC2086 = \"error\"\n",
    )
    .unwrap();
    let json = run_json(dir.path());
    let findings = json["findings"].as_array().unwrap().clone();
    assert!(!findings.iter().any(|f| f["code"] == "SC2154"), "{json}");
    let sc2086 = findings
        .iter()
        .find(|f| f["code"] == "SC2086")
        .expect("SC2086");
    assert_eq!(sc2086["severity"], "error", "{sc2086}");
    assert_eq!(
        sc2086["url"], "https://www.shellcheck.net/wiki/SC2086",
        "{sc2086}"
    );
    fs::write(
        dir.path().join("dlint.toml"),
        "[lint]\nshellcheck = \"sometimes\"\n",
    )
    .unwrap();
    let bad = run(&[]);
    assert_eq!(bad.status.code(), Some(2));
    fs::write(
        dir.path().join("dlint.toml"),
        "[lint]\nshellchek = \"never\"\n",
    )
    .unwrap();
    let unknown = run(&[]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("shellchek"));
}

fn run_json(dir: &Path) -> serde_json::Value {
    let output = dlint(dir, &["--format", "json", "Dockerfile"]);
    serde_json::from_slice(&output.stdout).expect("json output")
}

#[test]
fn rule_page_points_to_the_wiki() {
    let dir = tempfile::tempdir().unwrap();
    let output = dlint(dir.path(), &["rule", "SC2086"]);
    assert_eq!(output.status.code(), Some(0));
    let page = String::from_utf8_lossy(&output.stdout);
    assert!(
        page.contains("https://www.shellcheck.net/wiki/SC2086"),
        "{page}"
    );
}

#[test]
fn suppression_comments_and_unused_ones() {
    let Some(shellcheck) = shellcheck() else {
        return;
    };
    let source = "FROM alpine:3.20\n# hadolint ignore=SC2086,SC2154\nRUN echo $x\n# dlint ignore=SC2016\nRUN echo $y\n";
    let settings = RuleSettings {
        selection: Selection {
            select: Some(vec![
                RuleSelector::parse("SC").unwrap(),
                RuleSelector::parse("SUP001").unwrap(),
            ]),
            ..Selection::default()
        },
        shellcheck: Some(shellcheck),
        ..RuleSettings::default()
    };
    let findings = check(None, &parse(source), &settings);
    let codes: Vec<(&str, usize)> = findings
        .iter()
        .map(|f| (f.rule.code, line_col(source, f.violation.span.start).0))
        .collect();
    assert_eq!(
        codes,
        [("SUP001", 4), ("SC2086", 5), ("SC2154", 5)],
        "{findings:#?}"
    );
}
