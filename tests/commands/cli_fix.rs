//! `--fix`, `--unsafe-fixes`, `--diff`, `--show-fixes`, `--select`/`--ignore`, `dlint rule`, and
//! `dlint dump` over BuildKit's conformance files, run through the real binary.

use crate::common;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn dlint(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dlint"))
        // Not a ShellCheck test: `--shellcheck auto` finds no binary.
        .env("DLINT_SHELLCHECK", "/nonexistent/shellcheck")
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dlint runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const BAD: &str = "FROM alpine:3.20\nRUN apk add curl\nRUN pip install flask\n";

#[test]
fn fix_writes_safe_fixes_and_a_second_run_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), BAD).unwrap();
    let o = dlint(
        dir.path(),
        &[
            "--fix",
            "--show-fixes",
            "--no-color",
            "--select",
            "DL3019,DL3042",
            "Dockerfile",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let fixed = fs::read_to_string(dir.path().join("Dockerfile")).unwrap();
    assert_eq!(
        fixed,
        "FROM alpine:3.20\nRUN apk add --no-cache curl\nRUN pip install --no-cache-dir flask\n"
    );
    assert!(err(&o).contains("Dockerfile: DL3019"), "{}", err(&o));
    assert!(err(&o).contains("Fixed 2 problems in 1 file"));
    let again = dlint(
        dir.path(),
        &["--fix", "--select", "DL3019,DL3042", "Dockerfile"],
        None,
    );
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(
        fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        fixed
    );
}

#[test]
fn fix_keeps_crlf_bom_missing_newline_and_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    fs::write(&path, "\u{feff}FROM alpine:3.20\r\nRUN apk add curl").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    }
    let o = dlint(
        dir.path(),
        &["--fix", "--select", "DL3019", "Dockerfile"],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "\u{feff}FROM alpine:3.20\r\nRUN apk add --no-cache curl"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }
}

#[test]
fn unsafe_fixes_need_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    fs::write(&path, "FROM python:3.12\nCMD [\"python\", \"app.py\"]\n").unwrap();
    let o = dlint(
        dir.path(),
        &["--fix", "--no-color", "--select", "IMG", "Dockerfile"],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "the heavy image remains");
    assert!(
        out(&o).contains("1 more with --unsafe-fixes"),
        "{}",
        out(&o)
    );
    assert!(fs::read_to_string(&path)
        .unwrap()
        .starts_with("FROM python:3.12\n"));
    let o = dlint(
        dir.path(),
        &["--fix", "--unsafe-fixes", "--select", "IMG", "Dockerfile"],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(fs::read_to_string(&path)
        .unwrap()
        .starts_with("FROM python:3.12-slim\n"));
}

#[test]
fn diff_prints_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), BAD).unwrap();
    let o = dlint(
        dir.path(),
        &["--diff", "--select", "DL3019,DL3042", "Dockerfile"],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o).starts_with("--- a/Dockerfile\n+++ b/Dockerfile\n"),
        "{}",
        out(&o)
    );
    assert!(out(&o).contains("+RUN apk add --no-cache curl\n"));
    assert_eq!(
        fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        BAD
    );
    fs::write(dir.path().join("Dockerfile"), "FROM alpine:3.20\n").unwrap();
    let clean = dlint(dir.path(), &["--diff", "Dockerfile"], None);
    assert_eq!(clean.status.code(), Some(0));
    assert_eq!(out(&clean), "");
}

#[test]
fn fix_on_stdin_prints_the_fixed_text() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), "FROM scratch\n").unwrap();
    let o = dlint(
        dir.path(),
        &[
            "--fix",
            "--select",
            "DL3019,DL3042",
            "-",
            "--stdin-filename",
            "Dockerfile",
        ],
        Some(BAD),
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("RUN apk add --no-cache curl\n"));
    // The file the input is named after is not touched.
    assert_eq!(
        fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        "FROM scratch\n"
    );
}

#[cfg(unix)]
#[test]
fn a_file_that_cannot_be_written_is_an_error_and_others_are_still_fixed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.Dockerfile"), BAD).unwrap();
    fs::write(dir.path().join("b.Dockerfile"), BAD).unwrap();
    let ro = dir.path().join("a.Dockerfile");
    fs::set_permissions(&ro, fs::Permissions::from_mode(0o444)).unwrap();
    let o = dlint(
        dir.path(),
        &[
            "--fix",
            "--select",
            "DL3019",
            "a.Dockerfile",
            "b.Dockerfile",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("a.Dockerfile"), "{}", err(&o));
    assert_eq!(fs::read_to_string(&ro).unwrap(), BAD);
    assert!(fs::read_to_string(dir.path().join("b.Dockerfile"))
        .unwrap()
        .contains("--no-cache curl"));
}

#[test]
fn select_and_ignore_choose_rules() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), BAD).unwrap();
    let codes = |args: &[&str]| -> Vec<String> {
        let o = dlint(dir.path(), args, None);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        codes(&["--format", "json", "--select", "DL3019", "Dockerfile"]),
        ["DL3019"]
    );
    assert_eq!(
        codes(&[
            "--format",
            "json",
            "--select",
            "cache",
            "--ignore",
            "DL3019",
            "Dockerfile"
        ]),
        ["DL3042"]
    );
    assert_eq!(
        codes(&[
            "--format",
            "json",
            "--select",
            "cache",
            "--ignore",
            "pip-no-cache-dir",
            "Dockerfile"
        ]),
        ["DL3019"]
    );
    let o = dlint(dir.path(), &["--select", "XX9", "Dockerfile"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("XX9"));
}

#[test]
fn rule_prints_its_documentation() {
    let dir = tempfile::tempdir().unwrap();
    for key in ["DL3009", "apt-lists-not-deleted", "dl3009"] {
        let o = dlint(dir.path(), &["rule", key], None);
        assert_eq!(o.status.code(), Some(0));
        assert!(out(&o).contains("## Why is this bad?"), "{}", out(&o));
        assert!(out(&o).contains("rm -rf /var/lib/apt/lists"));
    }
    let o = dlint(dir.path(), &["rules", "--format", "json"], None);
    let rules: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(rules
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["code"] == "IMG001"));
}

#[test]
fn dump_matches_every_buildkit_result_file() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let dir = shared.join("conformance/buildkit/testfiles");
    let mut checked = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let case = entry.unwrap().path();
        let o = dlint(&case, &["dump", "Dockerfile"], None);
        let expected = fs::read_to_string(case.join("result")).unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", case.display());
        assert_eq!(
            out(&o).trim_end(),
            expected.trim_end(),
            "{}",
            case.display()
        );
        checked += 1;
    }
    assert_eq!(checked, 33);
    for name in [
        "empty_dockerfile",
        "env_no_value",
        "only_comments",
        "shykes-nested-json",
    ] {
        let case = shared
            .join("conformance/buildkit/testfiles-negative")
            .join(name);
        let o = dlint(&case, &["dump", "--no-color", "Dockerfile"], None);
        assert_ne!(o.status.code(), Some(0), "{name}");
        assert!(err(&o).contains("DL1000"), "{name}: {}", err(&o));
    }
}
