//! Configuration through the real binary: `.hadolint.yaml` honoured as written,
//! `dlint config migrate`, `failure-threshold`, per-file ignores and severity overrides.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn dlint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dlint"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("dlint runs")
}

fn codes(output: &Output) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json output");
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const FILE: &str = "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\nRUN pip install --no-cache-dir flask==3.0.0\n";

#[test]
fn hadolint_yaml_is_read_when_there_is_no_dlint_toml() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), FILE).unwrap();
    let all = codes(&dlint(dir.path(), &["--format", "json", "Dockerfile"]));
    assert!(all.iter().any(|(c, _)| c == "DL3059"), "{all:?}");
    fs::write(
        dir.path().join(".hadolint.yaml"),
        "ignored:\n  - DL3059\noverride:\n  error:\n    - DL3013\n",
    )
    .unwrap();
    let configured = codes(&dlint(dir.path(), &["--format", "json", "Dockerfile"]));
    assert!(
        !configured.iter().any(|(c, _)| c == "DL3059"),
        "{configured:?}"
    );
    fs::write(
        dir.path().join(".hadolint.yaml"),
        "ignored: [DL3059]\nbogus: 1\n",
    )
    .unwrap();
    let o = dlint(dir.path(), &["Dockerfile"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(".hadolint.yaml:2") && err.contains("bogus"),
        "{err}"
    );
}

#[test]
fn migrate_writes_the_equivalent_dlint_toml() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join(".hadolint.yaml"),
        "ignored: [DL3059, SC2086]\noverride:\n  warning: [DL3009]\nfailure-threshold: error\n",
    )
    .unwrap();
    let o = dlint(dir.path(), &["config", "migrate"]);
    assert_eq!(o.status.code(), Some(0));
    let toml = String::from_utf8_lossy(&o.stdout).into_owned();
    // ShellCheck codes are dlint selectors too: they carry over.
    assert!(toml.contains("ignore = [\"DL3059\", \"SC2086\"]"), "{toml}");
    assert!(toml.contains("DL3009 = \"warning\""), "{toml}");
    assert!(toml.contains("failure-threshold = \"error\""), "{toml}");
    let o = dlint(dir.path(), &["config", "migrate", "--write"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        fs::read_to_string(dir.path().join("dlint.toml")).unwrap(),
        toml
    );
    let again = dlint(dir.path(), &["config", "migrate", "--write"]);
    assert_eq!(again.status.code(), Some(2), "never overwrites");
}

#[test]
fn failure_threshold_severity_and_per_file_ignores() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("legacy")).unwrap();
    fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3.20\nRUN apk add curl\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("legacy/Dockerfile"),
        "FROM alpine:3.20\nRUN apk add curl\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("dlint.toml"),
        "failure-threshold = \"error\"\n[lint]\nselect = [\"DL3019\", \"DL3018\"]\n[lint.severity]\nDL3019 = \"style\"\n[lint.per-file-ignores]\n\"legacy/*\" = [\"DL3019\"]\n",
    )
    .unwrap();
    let o = dlint(dir.path(), &["--format", "json", "."]);
    let found = codes(&o);
    assert!(
        found.contains(&("DL3019".into(), "style".into())),
        "{found:?}"
    );
    assert_eq!(
        found.iter().filter(|(c, _)| c == "DL3019").count(),
        1,
        "legacy/ is ignored"
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "nothing reaches the error threshold"
    );
    fs::write(
        dir.path().join("dlint.toml"),
        "[lint]\nselect = [\"DL3019\"]\n",
    )
    .unwrap();
    assert_eq!(dlint(dir.path(), &["."]).status.code(), Some(1));
}
