//! Docker's build checks through the binary: lookup by Docker's name, selection by either
//! name, and BuildKit's `# check=` directive (`skip=Name`, `skip=all`, `error=true`).

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// Docker's 22 build checks, in the order of Docker's table (BK001…BK022).
const DOCKER_NAMES: [&str; 22] = [
    "StageNameCasing",
    "FromAsCasing",
    "NoEmptyContinuation",
    "ConsistentInstructionCasing",
    "DuplicateStageName",
    "ReservedStageName",
    "JSONArgsRecommended",
    "MaintainerDeprecated",
    "UndefinedArgInFrom",
    "WorkdirRelativePath",
    "UndefinedVar",
    "MultipleInstructionsDisallowed",
    "LegacyKeyValueFormat",
    "InvalidBaseImagePlatform",
    "RedundantTargetPlatform",
    "SecretsUsedInArgOrEnv",
    "InvalidDefaultArgInFrom",
    "FromPlatformFlagConstDisallowed",
    "CopyIgnoredFile",
    "InvalidDefinitionDescription",
    "ExposeProtoCasing",
    "ExposeInvalidFormat",
];

fn dlint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dlint"))
        // Not a ShellCheck test: `--shellcheck auto` finds no binary.
        .env("DLINT_SHELLCHECK", "/nonexistent/shellcheck")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("dlint runs")
}

fn findings(dir: &Path, args: &[&str]) -> Vec<(String, String)> {
    let output = dlint(dir, args);
    let value: Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    value["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or("").to_string(),
                f["severity"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn dlint_rule_knows_every_docker_name() {
    let dir = tempfile::tempdir().unwrap();
    for (i, name) in DOCKER_NAMES.iter().enumerate() {
        let code = format!("BK{:03}", i + 1);
        for query in [name.to_string(), name.to_lowercase()] {
            let output = dlint(dir.path(), &["rule", &query]);
            assert!(output.status.success(), "dlint rule {query}");
            let text = String::from_utf8_lossy(&output.stdout);
            assert!(text.contains(&format!("({code})")), "{query}: {text}");
            assert!(
                text.contains(&format!("Docker's build check {name}")),
                "{query}"
            );
            assert!(
                text.contains("https://docs.docker.com/go/dockerfile/rule/"),
                "{query} links Docker's page"
            );
        }
    }
}

const FILE: &str = "FROM alpine:3.20 as base\nCMD echo hi\nENV A $UNDEFINED_VAR\n";

#[test]
fn select_and_ignore_by_docker_or_kebab_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), FILE).unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["check", "--format", "json"];
        args.extend_from_slice(extra);
        args.push("Dockerfile");
        let mut codes: Vec<String> = findings(dir.path(), &args)
            .into_iter()
            .map(|(c, _)| c)
            .filter(|c| c.starts_with("BK"))
            .collect();
        codes.dedup();
        codes
    };
    assert_eq!(run(&["--select", "JSONArgsRecommended"]), ["BK007"]);
    assert_eq!(
        run(&["--select", "json-args-recommended,FromAsCasing"]),
        ["BK002", "BK007"]
    );
    assert_eq!(
        run(&[
            "--select",
            "BK",
            "--ignore",
            "json-args-recommended,LegacyKeyValueFormat"
        ]),
        ["BK002"]
    );
}

#[test]
fn check_directive_skips_and_raises_build_checks() {
    let dir = tempfile::tempdir().unwrap();
    let lint = |text: &str| {
        std::fs::write(dir.path().join("Dockerfile"), text).unwrap();
        findings(
            dir.path(),
            &[
                "check",
                "--format",
                "json",
                "--select",
                "BK002,BK013,DL3025",
                "Dockerfile",
            ],
        )
    };
    let plain = lint(FILE);
    assert!(
        plain.contains(&("BK002".into(), "warning".into())),
        "{plain:?}"
    );
    assert!(plain.iter().any(|(c, _)| c == "BK013"));

    let skipped = lint(&format!(
        "# check=skip=FromAsCasing,legacy-key-value-format\n{FILE}"
    ));
    assert!(
        !skipped.iter().any(|(c, _)| c.starts_with("BK")),
        "{skipped:?}"
    );
    assert!(
        skipped.iter().any(|(c, _)| c == "DL3025"),
        "skip names only build checks"
    );

    let all = lint(&format!("# check=skip=all\n{FILE}"));
    assert!(!all.iter().any(|(c, _)| c.starts_with("BK")), "{all:?}");
    assert!(all.iter().any(|(c, _)| c == "DL3025"));

    let errors = lint(&format!("# check=error=true\n{FILE}"));
    assert!(
        errors.contains(&("BK002".into(), "error".into())),
        "{errors:?}"
    );
    assert!(
        errors.contains(&("DL3025".into(), "warning".into())),
        "{errors:?}"
    );
}

#[test]
fn findings_carry_dockers_name_in_text_json_and_sarif() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), FILE).unwrap();
    let output = |format: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_dlint"))
            // Not a ShellCheck test: `--shellcheck auto` finds no binary.
            .env("DLINT_SHELLCHECK", "/nonexistent/shellcheck")
            .current_dir(dir.path())
            .args(["check", "--isolated", "--shellcheck", "never", "--no-color"])
            .args(["--select", "BK007", "--format", format, "Dockerfile"])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(
        output("text").contains("BK007 JSONArgsRecommended"),
        "{}",
        output("text")
    );
    let json: serde_json::Value = serde_json::from_str(&output("json")).unwrap();
    assert_eq!(
        json["findings"][0]["name"], "JSONArgsRecommended",
        "{json:#}"
    );
    let sarif: serde_json::Value = serde_json::from_str(&output("sarif")).unwrap();
    let rules = &sarif["runs"][0]["tool"]["driver"]["rules"];
    assert!(
        rules
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == "JSONArgsRecommended"),
        "{rules:#}"
    );
}
