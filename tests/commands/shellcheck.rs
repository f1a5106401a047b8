//! ShellCheck on RUN scripts, with the real `shellcheck` binary when it is installed (each
//! test says so and returns early when it is not; CI installs it). Positions are checked
//! exactly: the snapshots show each finding's file line and column range and the text there.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use dlint::fix::{fix_until_stable, unified_diff, Candidate};
use dlint::rules::shellcheck::Shellcheck;
use dlint::rules::{check, RuleSelector, RuleSettings, Selection};
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
    insta::with_settings!({snapshot_path => "../../snapshots", prepend_module_to_snapshot => false}, {
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
        .env_remove(dlint::rules::shellcheck::TIMEOUT_ENV)
        // Never the user's own cache: each test starts empty.
        .env(
            dlint::rules::shellcheck::cache::DIR_ENV,
            dir.join(".test-cache"),
        )
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

/// A stand-in `shellcheck`: a shell script with `body` for checking, answering `--version`
/// with 9.9.9, and logging each check's arguments (one line a process) to `calls.log`.
#[cfg(unix)]
fn fake_shellcheck(dir: &Path, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("fake-shellcheck");
    let log = dir.join("calls.log");
    fs::write(
        &path,
        format!(
            "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'version: 9.9.9'; exit 0; fi\n\
             echo \"$*\" >> '{}'\n{body}\n",
            log.display()
        ),
    )
    .unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[cfg(unix)]
fn calls(dir: &Path) -> Vec<String> {
    fs::read_to_string(dir.join("calls.log"))
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

/// `count` Dockerfiles with `distinct` different RUN scripts among them.
fn dockerfiles(dir: &Path, count: usize, distinct: usize) -> Vec<String> {
    (0..count)
        .map(|i| {
            let name = format!("{i}.Dockerfile");
            let text = format!(
                "FROM alpine:3.20\nRUN echo $x{} && cd /tmp\nRUN echo same\n",
                i % distinct
            );
            fs::write(dir.join(&name), text).unwrap();
            name
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn many_scripts_per_process_each_distinct_script_once() {
    let dir = tempfile::tempdir().unwrap();
    let fake = fake_shellcheck(dir.path(), r#"echo '{"comments":[]}'"#);
    let mut args = vec![
        "--format".to_string(),
        "concise".into(),
        "--shellcheck-path".into(),
        fake.display().to_string(),
    ];
    args.extend(dockerfiles(dir.path(), 60, 7));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = dlint(dir.path(), &args);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let calls = calls(dir.path());
    let scripts: usize = calls
        .iter()
        .map(|c| c.split_whitespace().filter(|a| a.ends_with(".sh")).count())
        .sum();
    // 7 `echo $xN && cd /tmp` scripts and one `echo same`, each checked once.
    assert_eq!(scripts, 8, "{calls:#?}");
    assert!(calls.len() <= 2, "many scripts to a process: {calls:#?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains("SC"), "{stdout}");

    // A second run finds every result in the cache and starts no process.
    let text = dlint(dir.path(), &args[2..]);
    assert_eq!(calls.len(), self::calls(dir.path()).len(), "no new process");
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.contains("; ShellCheck 9.9.9 checked 8 scripts (all from the cache)"),
        "{stdout}"
    );
    // `--no-cache` checks them again.
    dlint(dir.path(), &[&["--no-cache"], &args[..]].concat());
    assert!(self::calls(dir.path()).len() > calls.len());
}

#[cfg(unix)]
#[test]
fn the_summary_says_whether_shellcheck_ran() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), DOCKERFILE).unwrap();
    let summary = |args: &[&str]| {
        let output = dlint(dir.path(), &[args, &["Dockerfile"]].concat());
        let stdout = String::from_utf8_lossy(&output.stdout).to_string();
        stdout.lines().last().unwrap_or("").to_string()
    };
    let never = summary(&["--shellcheck", "never"]);
    assert!(
        never.ends_with("; ShellCheck off (--shellcheck never)"),
        "{never}"
    );
    let missing = summary(&["--shellcheck-path", "/nonexistent/sc"]);
    assert!(
        missing.ends_with("; ShellCheck not run (no `shellcheck` binary found)"),
        "{missing}"
    );
    let fake = fake_shellcheck(dir.path(), r#"echo '{"comments":[]}'"#);
    let ran = summary(&["--shellcheck-path", &fake.display().to_string()]);
    assert!(
        ran.ends_with("; ShellCheck 9.9.9 checked 1 script"),
        "{ran}"
    );
}

#[cfg(unix)]
#[test]
fn a_failing_or_hanging_shellcheck_is_an_error_not_a_clean_run() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3.20\nRUN true\n",
    )
    .unwrap();
    let crashing = fake_shellcheck(dir.path(), "echo 'segmentation fault' >&2; exit 139");
    let output = dlint(
        dir.path(),
        &[
            "--shellcheck-path",
            &crashing.display().to_string(),
            "Dockerfile",
        ],
    );
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert_eq!(output.status.code(), Some(2), "{stdout}{stderr}");
    assert!(!stdout.contains("All checks passed"), "{stdout}");
    assert!(
        stderr.contains("ShellCheck failed") && stderr.contains("segmentation fault"),
        "{stderr}"
    );

    let hanging = dir.path().join("hanging");
    fs::create_dir(&hanging).unwrap();
    let fake = fake_shellcheck(&hanging, "sleep 60");
    let started = std::time::Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_dlint"))
        .args(["--no-cache", "--shellcheck-path"])
        .arg(&fake)
        .arg("Dockerfile")
        .current_dir(dir.path())
        .env(dlint::rules::shellcheck::TIMEOUT_ENV, "1")
        .output()
        .unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("ran longer than 1 s"), "{stderr}");
}

#[cfg(target_os = "linux")]
#[test]
fn killing_dlint_kills_shellcheck() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3.20\nRUN true\n",
    )
    .unwrap();
    let pid_file = dir.path().join("shellcheck.pid");
    let fake = fake_shellcheck(
        dir.path(),
        &format!("echo $$ > '{}'\nexec sleep 60", pid_file.display()),
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_dlint"))
        .args(["--no-cache", "--shellcheck-path"])
        .arg(&fake)
        .arg("Dockerfile")
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let pid = loop {
        if let Some(pid) = fs::read_to_string(&pid_file)
            .ok()
            .and_then(|p| p.trim().parse::<u32>().ok())
        {
            break pid;
        }
        assert!(started.elapsed().as_secs() < 20, "the fake never started");
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    child.kill().unwrap(); // SIGKILL: dlint gets no chance to clean up
    child.wait().unwrap();
    let alive = || {
        fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|stat| stat.split_whitespace().nth(2).is_none_or(|s| s != "Z"))
    };
    let waited = std::time::Instant::now();
    while alive() && waited.elapsed().as_secs() < 5 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(!alive(), "shellcheck (pid {pid}) outlived dlint");
}

/// Over real Dockerfiles: a run from an empty cache, then a warm run, give exactly the
/// findings of a run without the cache; so do concurrent runs sharing one cache.
#[test]
fn cached_findings_are_the_uncached_findings() {
    if shellcheck().is_none() {
        return;
    }
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real");
    let mut files: Vec<PathBuf> = Vec::new();
    let Ok(repos) = fs::read_dir(&corpus) else {
        eprintln!("skipping: ../shared/corpus/real is absent");
        return;
    };
    let mut repos: Vec<PathBuf> = repos.flatten().map(|e| e.path()).collect();
    repos.sort();
    // Every other repository's first file: enough scripts, in little time.
    for repo in repos.into_iter().step_by(2) {
        let mut in_repo: Vec<PathBuf> = fs::read_dir(&repo)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        in_repo.sort();
        files.extend(in_repo.into_iter().take(1));
    }
    let dir = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_dlint"));
        command
            .args(["--isolated", "--format", "json", "--shellcheck", "always"])
            .args(extra)
            .args(&files)
            .env(dlint::rules::shellcheck::cache::DIR_ENV, dir.path())
            .env_remove("DLINT_SHELLCHECK");
        command
    };
    let json = |output: Output| -> serde_json::Value {
        assert!(output.status.code() != Some(2), "{output:?}");
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let uncached = json(run(&["--no-cache"]).output().unwrap());
    let sc_findings = uncached["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"].as_str().unwrap().starts_with("SC"))
        .count();
    assert!(sc_findings > 10, "{sc_findings} ShellCheck findings");
    let cold = json(run(&[]).output().unwrap());
    assert_eq!(cold, uncached, "from an empty cache");
    let warm = json(run(&[]).output().unwrap());
    assert_eq!(warm, uncached, "from a warm cache");
    // Concurrent runs on a cache being filled.
    fs::remove_dir_all(dir.path()).unwrap();
    let children: Vec<_> = (0..2)
        .map(|_| {
            run(&[])
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        assert_eq!(
            json(child.wait_with_output().unwrap()),
            uncached,
            "concurrent"
        );
    }
}
