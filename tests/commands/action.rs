//! The GitHub Action: its run step (scripts/github-action.sh) against the built binary, as
//! action.yml calls it, with a fake GITHUB_* environment: annotations, SARIF, outputs,
//! summary and exit status; everything from the repository treated as data; and its install
//! step (scripts/github-action-install.sh) against a fake release directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const APP: &str =
    "FROM ubuntu\nRUN apt-get update && apt-get install -y curl\nRUN pip install flask\n";

struct Run {
    output: Output,
    outputs: String,
    summary: String,
    /// How many times dlint ran.
    dlint_runs: usize,
}

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    /// The workflow commands GitHub would obey in the step's log, as its runner reads them:
    /// a line starting with `::` (after blanks), except between `::stop-commands::TOKEN` and
    /// `::TOKEN::`.
    fn commands(&self) -> Vec<String> {
        let mut commands = Vec::new();
        let mut stopped: Option<String> = None;
        for line in self.stdout().lines() {
            let line = line.trim();
            if let Some(token) = &stopped {
                if line == format!("::{token}::") {
                    stopped = None;
                }
                continue;
            }
            if let Some(token) = line.strip_prefix("::stop-commands::") {
                stopped = Some(token.to_string());
            } else if line.starts_with("::") || line.starts_with("##[") {
                commands.push(line.to_string());
            }
        }
        commands
    }

    fn output(&self, name: &str) -> Option<String> {
        output_value(&self.outputs, name)
    }
}

/// An output's value from a $GITHUB_OUTPUT file, in either of GitHub's two forms.
fn output_value(outputs: &str, name: &str) -> Option<String> {
    let mut lines = outputs.lines();
    while let Some(line) = lines.next() {
        if let Some(value) = line.strip_prefix(&format!("{name}=")) {
            return Some(value.to_string());
        }
        if let Some(delimiter) = line.strip_prefix(&format!("{name}<<")) {
            let value: Vec<&str> = lines.by_ref().take_while(|l| *l != delimiter).collect();
            return Some(value.join("\n"));
        }
    }
    None
}

fn have_bash() -> bool {
    if cfg!(windows) || Command::new("bash").arg("--version").output().is_err() {
        eprintln!("skipping: no bash");
        return false;
    }
    true
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run_action(dir: &Path, inputs: &[(&str, &str)]) -> Option<Run> {
    if !have_bash() {
        return None;
    }
    let ci = tempfile::tempdir().unwrap();
    // dlint behind a wrapper that counts its runs.
    let runs = ci.path().join("runs");
    let wrapper = ci.path().join("dlint");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\necho run >> '{}'\nexec '{}' \"$@\"\n",
            runs.display(),
            env!("CARGO_BIN_EXE_dlint")
        ),
    )
    .unwrap();
    make_executable(&wrapper);
    let outputs = ci.path().join("github-output");
    let summary = ci.path().join("step-summary");
    std::fs::write(&outputs, "").unwrap();
    std::fs::write(&summary, "").unwrap();
    let mut command = Command::new("bash");
    command
        .arg(repo().join("scripts/github-action.sh"))
        .current_dir(dir)
        .env("DLINT_BIN", &wrapper)
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
        dlint_runs: std::fs::read_to_string(runs)
            .map(|text| text.lines().count())
            .unwrap_or(0),
    })
}

fn make_executable(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    #[cfg(not(unix))]
    let _ = path;
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
fn one_dlint_run_gives_annotations_sarif_outputs_and_a_summary() {
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
    let stdout = run.stdout();
    assert_eq!(run.output.status.code(), Some(1), "{stdout}");
    assert_eq!(run.dlint_runs, 1, "dlint runs once per step");
    let annotations = run.commands();
    assert_eq!(annotations.len(), 4, "{stdout}");
    assert!(annotations[0].starts_with("::warning file=svc/Dockerfile,line=1,col=6,"));
    assert_eq!(
        run.output("exit-code").as_deref(),
        Some("1"),
        "{}",
        run.outputs
    );
    assert_eq!(
        run.output("findings").as_deref(),
        Some("4"),
        "{}",
        run.outputs
    );
    assert_eq!(
        run.output("sarif-file").as_deref(),
        Some("reports/dlint.sarif")
    );
    let sarif: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("reports/dlint.sarif")).unwrap(),
    )
    .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 4);
    assert!(
        run.summary
            .starts_with("### dlint\n\n4 finding(s):\n\n<pre>\n"),
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
            // One path per line; YAML's indentation and blank lines are not names.
            ("INPUT_PATHS", "  a\n\nb/Dockerfile  \n"),
            // Words on several lines, as a YAML block gives them.
            ("INPUT_ARGS", "--select\n  DL3042\n"),
            ("INPUT_FAIL_ON_FINDINGS", "false"),
        ],
    ) else {
        return;
    };
    let stdout = run.stdout();
    assert_eq!(run.output.status.code(), Some(0), "{stdout}");
    assert_eq!(run.commands().len(), 2, "{stdout}");
    assert!(
        run.commands().iter().all(|l| l.contains("DL3042")),
        "{stdout}"
    );
    assert_eq!(run.output("exit-code").as_deref(), Some("1"));
    assert_eq!(run.output("findings").as_deref(), Some("2"));
}

#[test]
fn paths_may_hold_spaces_and_every_line_of_inputs_paths_is_linted() {
    let dir = project(&[
        ("my app/Dockerfile", APP),
        ("other/Dockerfile", APP),
        ("third/Dockerfile", APP),
    ]);
    let Some(run) = run_action(
        dir.path(),
        &[
            ("INPUT_PATHS", "my app/Dockerfile\nother\n"),
            ("INPUT_ARGS", "--select DL3042"),
        ],
    ) else {
        return;
    };
    let stdout = run.stdout();
    assert_eq!(run.output.status.code(), Some(1), "{stdout}");
    assert_eq!(run.output("findings").as_deref(), Some("2"), "{stdout}");
    assert!(stdout.contains("file=my app/Dockerfile,"), "{stdout}");
    assert!(stdout.contains("file=other/Dockerfile,"), "{stdout}");
    assert!(!stdout.contains("third/"), "{stdout}");
}

#[test]
fn a_clean_tree_passes_and_a_broken_configuration_fails_with_an_annotation() {
    let dir = project(&[("Dockerfile", "FROM alpine:3.20\nCOPY app /app\n")]);
    let Some(run) = run_action(dir.path(), &[]) else {
        return;
    };
    assert_eq!(run.output.status.code(), Some(0));
    assert_eq!(run.output("findings").as_deref(), Some("0"));
    assert!(run.summary.contains("No findings."), "{}", run.summary);
    assert!(run.commands().is_empty(), "{}", run.stdout());

    std::fs::write(dir.path().join("dlint.toml"), "[lint]\nselect = [\n").unwrap();
    let run = run_action(dir.path(), &[("INPUT_FAIL_ON_FINDINGS", "false")]).unwrap();
    assert_eq!(run.output.status.code(), Some(2));
    assert_eq!(run.output("exit-code").as_deref(), Some("2"));
    let commands = run.commands();
    assert_eq!(commands.len(), 1, "{}", run.stdout());
    assert!(
        commands[0].starts_with("::error title=dlint failed::dlint exited with status 2:%0A"),
        "{}",
        commands[0]
    );
    assert!(commands[0].contains("dlint.toml"), "{}", commands[0]);
    assert!(!run.summary.contains("No findings"), "{}", run.summary);
    assert!(run.summary.contains("**dlint failed**"), "{}", run.summary);
}

/// GitHub drops annotations past 10 of a kind per step: the rest must not vanish unnoticed.
#[test]
fn findings_past_githubs_annotation_limit_are_counted_and_listed() {
    let dockerfile: String = std::iter::once("FROM alpine:3.20\n".to_string())
        .chain((0..12).map(|i| format!("RUN pip install flask{i}\n")))
        .collect();
    let dir = project(&[("Dockerfile", &dockerfile)]);
    let Some(run) = run_action(dir.path(), &[("INPUT_ARGS", "--select DL3042")]) else {
        return;
    };
    let stdout = run.stdout();
    let commands = run.commands();
    assert_eq!(commands.len(), 10, "{stdout}");
    let annotated = commands
        .iter()
        .filter(|c| c.starts_with("::warning file="))
        .count();
    assert_eq!(annotated, 9, "{stdout}");
    assert!(
        commands[9].contains("3 more warning findings are not annotated"),
        "{}",
        commands[9]
    );
    let listed: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("dlint: "))
        .collect();
    assert_eq!(listed.len(), 3, "{stdout}");
    assert!(
        listed[0].starts_with("dlint: Dockerfile:11:5: DL3042 "),
        "{stdout}"
    );
    assert_eq!(run.output("findings").as_deref(), Some("12"));
    assert!(
        run.summary.contains("3 finding(s) are not annotations"),
        "{}",
        run.summary
    );
    assert_eq!(run.summary.matches("DL3042").count(), 12, "{}", run.summary);
}

#[test]
fn a_directory_name_cannot_inject_a_workflow_command() {
    let evil = "evil\n::error title=X::y";
    let dir = project(&[("Dockerfile", "FROM alpine:3.20\nCOPY app /app\n")]);
    let nested = dir.path().join(evil);
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::write(nested.join("dlint.toml"), "[lint]\nselect = [\n").unwrap();
    std::fs::write(nested.join("Dockerfile"), APP).unwrap();
    let Some(run) = run_action(dir.path(), &[]) else {
        return;
    };
    let stdout = run.stdout();
    assert_eq!(run.output.status.code(), Some(2), "{stdout}");
    // The error is there, as data: one `dlint failed` error, no `title=X`.
    assert!(stdout.contains("::error title=X::y"), "{stdout}");
    let commands = run.commands();
    assert!(
        commands.iter().all(|c| !c.starts_with("::error title=X")),
        "{commands:?}"
    );
    assert_eq!(
        commands
            .iter()
            .filter(|c| c.starts_with("::error title=dlint failed::"))
            .count(),
        1,
        "{commands:?}"
    );
}

#[test]
fn file_names_with_line_breaks_and_backticks_stay_data() {
    let name = "x\n```\n<pre><b>y\n::warning::z.Dockerfile";
    let dir = project(&[]);
    let names = dir.path().join("names");
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src").join(name), APP).unwrap();
    std::fs::write(dir.path().join("src/Dockerfile"), APP).unwrap();
    // NUL-separated, as `git ls-files -z` writes them.
    std::fs::write(&names, format!("src/{name}\0src/Dockerfile\0")).unwrap();
    let names = names.display().to_string();
    let Some(run) = run_action(
        dir.path(),
        &[
            ("INPUT_PATHS_FILE", names.as_str()),
            ("INPUT_PATHS", ""),
            ("INPUT_ARGS", "--select DL3042"),
        ],
    ) else {
        return;
    };
    let stdout = run.stdout();
    assert_eq!(run.output.status.code(), Some(1), "{stdout}");
    assert_eq!(
        run.output("findings").as_deref(),
        Some("2"),
        "{}",
        run.outputs
    );
    let commands = run.commands();
    assert_eq!(commands.len(), 2, "{stdout}");
    assert!(
        commands
            .iter()
            .any(|c| c.contains("file=src/x%0A```%0A<pre><b>y%0A%3A%3Awarning%3A%3Az.Dockerfile,")),
        "{commands:?}"
    );
    // The summary: one <pre> block, its text escaped, the name on one line.
    assert_eq!(run.summary.matches("<pre>").count(), 1, "{}", run.summary);
    assert_eq!(run.summary.matches("</pre>").count(), 1, "{}", run.summary);
    assert!(!run.summary.contains("<b>"), "{}", run.summary);
    assert!(
        run.summary
            .contains("src/x?```?&lt;pre&gt;&lt;b&gt;y?::warning::z.Dockerfile:3:5: DL3042"),
        "{}",
        run.summary
    );
}

#[test]
fn action_yml_passes_every_input_to_the_scripts() {
    let action = std::fs::read_to_string(repo().join("action.yml")).unwrap();
    let script = std::fs::read_to_string(repo().join("scripts/github-action.sh")).unwrap();
    assert!(action.contains("using: composite"));
    assert!(action.contains("\"$GITHUB_ACTION_PATH/scripts/github-action-install.sh\""));
    assert!(action.contains("\"$GITHUB_ACTION_PATH/scripts/github-action.sh\""));
    assert!(action.contains("DLINT_BIN: ${{ steps.install.outputs.bin }}/dlint"));
    for (input, variable) in [
        ("paths", "INPUT_PATHS"),
        ("paths-file", "INPUT_PATHS_FILE"),
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
        assert!(
            action.contains(&format!("steps.run.outputs.{output}")),
            "{output}"
        );
    }
}

/// A fake release of this version: `dlint-<target>.tar.gz` holding the built binary, and
/// SHA256SUMS (its sum replaced by `sum` when given).
fn fake_release(sum: Option<&str>) -> Option<tempfile::TempDir> {
    let dir = tempfile::tempdir().unwrap();
    let release = dir.path().join(format!("v{}", env!("CARGO_PKG_VERSION")));
    let package = dir.path().join("dlint-x86_64-unknown-linux-gnu");
    std::fs::create_dir_all(&release).unwrap();
    std::fs::create_dir_all(&package).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_dlint"), package.join("dlint")).unwrap();
    let asset = release.join("dlint-x86_64-unknown-linux-gnu.tar.gz");
    let packed = Command::new("tar")
        .arg("-czf")
        .arg(&asset)
        .arg("-C")
        .arg(dir.path())
        .arg("dlint-x86_64-unknown-linux-gnu")
        .status()
        .ok()?;
    assert!(packed.success());
    let summed = Command::new("sha256sum").arg(&asset).output().ok()?;
    let actual = String::from_utf8_lossy(&summed.stdout)
        .split(' ')
        .next()?
        .to_string();
    let sum = sum.map_or(actual, str::to_string);
    std::fs::write(
        release.join("SHA256SUMS"),
        format!("{sum}  dlint-x86_64-unknown-linux-gnu.tar.gz\n{sum}  other.zip\n"),
    )
    .unwrap();
    Some(dir)
}

struct Install {
    output: Output,
    outputs: String,
    dir: PathBuf,
    _temp: tempfile::TempDir,
}

fn install(releases: &Path, os: &str, arch: &str) -> Install {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("bin");
    let outputs = temp.path().join("github-output");
    std::fs::write(&outputs, "").unwrap();
    // A PATH without cargo: a fallback to a source build shows as its error.
    let output = Command::new("bash")
        .arg(repo().join("scripts/github-action-install.sh"))
        .arg(&dir)
        .env("PATH", "/usr/bin:/bin")
        .env("RUNNER_OS", os)
        .env("RUNNER_ARCH", arch)
        .env("GITHUB_OUTPUT", &outputs)
        .env("DLINT_RELEASES", format!("file://{}", releases.display()))
        .output()
        .unwrap();
    Install {
        output,
        outputs: std::fs::read_to_string(outputs).unwrap(),
        dir,
        _temp: temp,
    }
}

fn have_install_tools() -> bool {
    have_bash()
        && cfg!(all(target_os = "linux", target_arch = "x86_64"))
        && ["curl", "tar", "sha256sum"].iter().all(|tool| {
            let found = Command::new(tool).arg("--version").output().is_ok();
            if !found {
                eprintln!("skipping: no {tool}");
            }
            found
        })
}

#[test]
fn install_takes_the_release_binary_after_checking_its_sum() {
    if !have_install_tools() {
        return;
    }
    let Some(release) = fake_release(None) else {
        return;
    };
    let run = install(release.path(), "Linux", "X64");
    let stdout = String::from_utf8_lossy(&run.output.stdout);
    assert_eq!(run.output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("installed v"), "{stdout}");
    assert!(
        stdout.contains(&format!("dlint {}", env!("CARGO_PKG_VERSION"))),
        "{stdout}"
    );
    assert_eq!(
        output_value(&run.outputs, "bin").as_deref(),
        Some(run.dir.to_str().unwrap())
    );
    assert!(run.dir.join("dlint").is_file());
}

#[test]
fn install_refuses_a_binary_whose_sum_does_not_match() {
    if !have_install_tools() {
        return;
    }
    let Some(release) = fake_release(Some(&"0".repeat(64))) else {
        return;
    };
    let run = install(release.path(), "Linux", "X64");
    let stdout = String::from_utf8_lossy(&run.output.stdout);
    assert_eq!(run.output.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains("::error title=dlint::checksum mismatch"),
        "{stdout}"
    );
    assert!(!run.dir.join("dlint").exists(), "{stdout}");
    assert!(output_value(&run.outputs, "bin").is_none());
}

#[test]
fn install_builds_from_source_only_without_a_release_binary() {
    if !have_install_tools() {
        return;
    }
    let Some(release) = fake_release(None) else {
        return;
    };
    // No binary for the platform, then no release at all: both fall back to cargo, which this
    // PATH lacks.
    for (os, arch, reason) in [
        ("FreeBSD", "X64", "no release binary for FreeBSD/X64"),
        (
            "Linux",
            "ARM64",
            "has no dlint-aarch64-unknown-linux-gnu.tar.gz",
        ),
    ] {
        let run = install(release.path(), os, arch);
        let stdout = String::from_utf8_lossy(&run.output.stdout);
        assert_eq!(run.output.status.code(), Some(2), "{stdout}");
        assert!(stdout.contains(reason), "{stdout}");
        assert!(stdout.contains("cargo install --locked"), "{stdout}");
        assert!(stdout.contains("cargo is not installed"), "{stdout}");
    }
}

#[test]
fn reports_in_more_formats_come_from_the_same_run() {
    let dir = project(&[("Dockerfile", APP)]);
    let dlint = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_dlint"))
            .args(["check", "--no-color", "--select", "DL3042"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let run = dlint(&[
        "--format",
        "github",
        "--report",
        "concise=list.txt",
        "--report",
        "json=out.json",
        "Dockerfile",
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stdout).starts_with("::warning file=Dockerfile,"));
    let list = std::fs::read_to_string(dir.path().join("list.txt")).unwrap();
    assert!(list.starts_with("Dockerfile:3:5: DL3042 "), "{list}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.json")).unwrap())
            .unwrap();
    assert_eq!(json["findings"].as_array().unwrap().len(), 1);

    // A report that cannot be written is an error; a format that does not exist, a usage error.
    let run = dlint(&["--report", "sarif=missing/dir/out.sarif", "Dockerfile"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("cannot write the report"));
    let run = dlint(&["--report", "yaml=out.yaml", "Dockerfile"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("unknown format `yaml`"));
}
