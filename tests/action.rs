//! The GitHub Action: its run step (scripts/github-action.sh) against the built binary, as
//! action.yml calls it: annotations, SARIF, outputs, summary and exit status.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const APP: &str =
    "FROM ubuntu\nRUN apt-get update && apt-get install -y curl\nRUN pip install flask\n";

struct Run {
    output: Output,
    outputs: String,
    summary: String,
}

fn run_action(dir: &Path, inputs: &[(&str, &str)]) -> Option<Run> {
    if cfg!(windows) || Command::new("bash").arg("--version").output().is_err() {
        eprintln!("skipping: no bash");
        return None;
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_dlint")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(PathBuf::from(bin_dir)).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let outputs = dir.join("github-output");
    let summary = dir.join("step-summary");
    std::fs::write(&outputs, "").unwrap();
    std::fs::write(&summary, "").unwrap();
    let mut command = Command::new("bash");
    command
        .arg(repo.join("scripts/github-action.sh"))
        .current_dir(dir)
        .env("PATH", path)
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("NO_COLOR", "1");
    for (name, value) in inputs {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    Some(Run {
        output,
        outputs: std::fs::read_to_string(outputs).unwrap(),
        summary: std::fs::read_to_string(summary).unwrap(),
    })
}

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn findings_become_annotations_sarif_outputs_and_a_summary() {
    let dir = project(&[("svc/Dockerfile", APP), ("README.md", "FROM x\n")]);
    let Some(run) = run_action(
        dir.path(),
        &[
            ("INPUT_PATHS", "."),
            ("INPUT_SARIF_FILE", "reports/dlint.sarif"),
            // The rules this test is about; others would only change the counts.
            ("INPUT_ARGS", "--select DL3006,DL3009,DL3015,DL3042"),
        ],
    ) else {
        return;
    };
    let stdout = String::from_utf8_lossy(&run.output.stdout);
    assert_eq!(run.output.status.code(), Some(1), "{stdout}");
    let annotations: Vec<&str> = stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(annotations.len(), 4, "{stdout}");
    assert!(annotations[0].starts_with("::warning file=svc/Dockerfile,line=1,col=6,"));
    assert!(run.outputs.contains("exit-code=1\n"), "{}", run.outputs);
    assert!(run.outputs.contains("findings=4\n"), "{}", run.outputs);
    assert!(run.outputs.contains("sarif-file=reports/dlint.sarif\n"));
    let sarif: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("reports/dlint.sarif")).unwrap(),
    )
    .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 4);
    assert!(
        run.summary.starts_with("### dlint\n4 finding(s):\n```\n"),
        "{}",
        run.summary
    );
    assert!(
        run.summary.contains("svc/Dockerfile:3:5: DL3042"),
        "{}",
        run.summary
    );
}

#[test]
fn inputs_select_paths_args_and_whether_findings_fail_the_step() {
    let dir = project(&[("a/Dockerfile", APP), ("b/Dockerfile", APP)]);
    let Some(run) = run_action(
        dir.path(),
        &[
            ("INPUT_PATHS", "a  b/Dockerfile"),
            ("INPUT_ARGS", "--select DL3042"),
            ("INPUT_FAIL_ON_FINDINGS", "false"),
        ],
    ) else {
        return;
    };
    let stdout = String::from_utf8_lossy(&run.output.stdout);
    assert_eq!(run.output.status.code(), Some(0), "{stdout}");
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert!(stdout.lines().all(|l| l.contains("DL3042")), "{stdout}");
    assert!(run.outputs.contains("exit-code=1\n"));
    assert!(run.outputs.contains("findings=2\n"));
}

#[test]
fn a_clean_tree_passes_and_a_broken_configuration_always_fails() {
    let dir = project(&[("Dockerfile", "FROM alpine:3.20\nCOPY app /app\n")]);
    let Some(run) = run_action(dir.path(), &[]) else {
        return;
    };
    assert_eq!(run.output.status.code(), Some(0));
    assert!(run.outputs.contains("findings=0\n"));
    assert!(run.summary.contains("No findings."), "{}", run.summary);

    std::fs::write(dir.path().join("dlint.toml"), "[lint]\nselect = [\n").unwrap();
    let run = run_action(dir.path(), &[("INPUT_FAIL_ON_FINDINGS", "false")]).unwrap();
    assert_eq!(run.output.status.code(), Some(2));
    assert!(run.outputs.contains("exit-code=2\n"));
}

#[test]
fn action_yml_passes_every_input_to_the_script() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let action = std::fs::read_to_string(repo.join("action.yml")).unwrap();
    let script = std::fs::read_to_string(repo.join("scripts/github-action.sh")).unwrap();
    assert!(action.contains("using: composite"));
    assert!(action.contains("cargo install --locked --path \"$GITHUB_ACTION_PATH\""));
    assert!(action.contains("\"$GITHUB_ACTION_PATH/scripts/github-action.sh\""));
    for (input, variable) in [
        ("paths", "INPUT_PATHS"),
        ("args", "INPUT_ARGS"),
        ("sarif-file", "INPUT_SARIF_FILE"),
        ("fail-on-findings", "INPUT_FAIL_ON_FINDINGS"),
    ] {
        assert!(action.contains(&format!("  {input}:\n")), "{input}");
        assert!(
            action.contains(&format!("{variable}: ${{{{ inputs.{input} }}}}")),
            "{variable}"
        );
        assert!(script.contains(variable), "{variable}");
    }
    for output in ["exit-code", "findings", "sarif-file"] {
        assert!(script.contains(&format!("echo \"{output}=")), "{output}");
    }
}
