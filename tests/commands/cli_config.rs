//! Configuration through the real binary: `.hadolint.yaml` honoured as written,
//! `dlint config migrate`, `failure-threshold`, per-file ignores and severity overrides.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn dlint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dlint"))
        // Not a ShellCheck test: `--shellcheck auto` finds no binary.
        .env("DLINT_SHELLCHECK", "/nonexistent/shellcheck")
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

#[test]
fn isolated_reads_no_configuration_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), FILE).unwrap();
    fs::write(dir.path().join(".hadolint.yaml"), "ignored:\n  - DL3059\n").unwrap();
    let configured = codes(&dlint(dir.path(), &["--format", "json", "Dockerfile"]));
    assert!(
        !configured.iter().any(|(c, _)| c == "DL3059"),
        "{configured:?}"
    );
    let isolated = codes(&dlint(
        dir.path(),
        &["check", "--isolated", "--format", "json", "Dockerfile"],
    ));
    assert!(isolated.iter().any(|(c, _)| c == "DL3059"), "{isolated:?}");
    let both = dlint(
        dir.path(),
        &["--isolated", "--config", "x.toml", "Dockerfile"],
    );
    assert_eq!(both.status.code(), Some(2));
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

/// Lints `a/` (broken configuration) and `b/` (none) in one run, without colour: stderr with
/// the temporary directory replaced by `<dir>`, and the run's output.
fn broken_config_run(name: &str, config: &str) -> (String, Output) {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["a", "b"] {
        fs::create_dir(dir.path().join(sub)).unwrap();
        fs::write(
            dir.path().join(sub).join("Dockerfile"),
            "FROM alpine:latest\n",
        )
        .unwrap();
    }
    fs::write(dir.path().join("a").join(name), config).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_dlint"))
        // Not a ShellCheck test: `--shellcheck auto` finds no binary.
        .env("DLINT_SHELLCHECK", "/nonexistent/shellcheck")
        .args(["--select", "DL3007", "a", "b"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("dlint runs");
    let root = dir.path().canonicalize().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr)
        .replace(&root.display().to_string(), "<dir>")
        .replace(&dir.path().display().to_string(), "<dir>");
    (stderr, output)
}

/// The error part of stderr (the summary line that follows is about the findings).
fn error_frame(stderr: &str) -> &str {
    let start = stderr.find("error: ").expect("an error is printed");
    &stderr[start..]
}

fn assert_config_error(name: &str, config: &str, expected: &str) {
    let (stderr, output) = broken_config_run(name, config);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(error_frame(&stderr), expected);
    assert!(
        !stderr.contains('\u{1b}'),
        "no colour off a terminal: {stderr}"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("b/Dockerfile") && stdout.contains("DL3007"),
        "the other file is still linted: {stdout}"
    );
}

#[test]
fn unknown_toml_key_is_a_code_frame_with_a_suggestion() {
    assert_config_error(
        "dlint.toml",
        "[lint]\nextnd-select = [\"DL3008\"]\n",
        "\
error: invalid configuration `<dir>/a/dlint.toml:2:1`
  × unknown key `extnd-select`
   ╭─[<dir>/a/dlint.toml:2:1]
 1 │ [lint]
 2 │ extnd-select = [\"DL3008\"]
   · ──────┬─────
   ·       ╰── here
   ╰────
  help: did you mean `extend-select`?
",
    );
}

#[test]
fn wrong_toml_type_names_the_key() {
    assert_config_error(
        "dlint.toml",
        "[lint]\nselect = \"DL3008\"\n",
        "\
error: invalid configuration `<dir>/a/dlint.toml:2:10`
  × `select`: invalid type: string \"DL3008\", expected a sequence
   ╭─[<dir>/a/dlint.toml:2:10]
 1 │ [lint]
 2 │ select = \"DL3008\"
   ·          ────┬───
   ·              ╰── here
   ╰────
  help: see the configuration section of the README for the accepted keys
",
    );
}

#[test]
fn bad_rule_code_points_at_the_code() {
    assert_config_error(
        "dlint.toml",
        "[lint]\nignore = [\"DL3008\", \"apk-no-cahce\"]\n",
        "\
error: invalid configuration `<dir>/a/dlint.toml:2:21`
  × lint.ignore: unknown rule selector `apk-no-cahce`: expected a rule code (DL3009), a code prefix (IMG, DL30), a rule name or a family (see `dlint rules`)
   ╭─[<dir>/a/dlint.toml:2:21]
 1 │ [lint]
 2 │ ignore = [\"DL3008\", \"apk-no-cahce\"]
   ·                     ───────┬──────
   ·                            ╰── here
   ╰────
  help: did you mean `apk-no-cache`? (`dlint rules` lists every code and name)
",
    );
}

#[test]
fn bad_yaml_value_lists_the_valid_ones() {
    assert_config_error(
        ".hadolint.yaml",
        "ignored:\n  - DL3008\nfailure-threshold: warnin\n",
        "\
error: invalid configuration `<dir>/a/.hadolint.yaml:3:20`
  × `failure-threshold`: `warnin` is not a severity
   ╭─[<dir>/a/.hadolint.yaml:3:20]
 2 │   - DL3008
 3 │ failure-threshold: warnin
   ·                    ───┬──
   ·                       ╰── here
   ╰────
  help: did you mean `warning`? (expected one of `error`, `warning`, `info`, `style`, `ignore`, `none`)
",
    );
}

/// The underline covers the key's display columns: `"日本"` is six columns wide, eight bytes.
#[test]
fn wide_characters_in_a_toml_key_are_underlined_by_their_width() {
    assert_config_error(
        "dlint.toml",
        "[lint]\n\"日本\" = [\"DL3008\"]\n",
        "\
error: invalid configuration `<dir>/a/dlint.toml:2:1`
  × unknown key `日本`
   ╭─[<dir>/a/dlint.toml:2:1]
 1 │ [lint]
 2 │ \"日本\" = [\"DL3008\"]
   · ───┬──
   ·    ╰── here
   ╰────
  help: expected one of `select`, `extend-select`, `ignore`, `per-file-ignores`, `per-file-purpose`, `severity`, `shellcheck`
",
    );
}

#[test]
fn non_ascii_yaml_value_is_underlined_by_its_width() {
    assert_config_error(
        ".hadolint.yaml",
        "ignored:\n  - DL3008\nfailure-threshold: \"wärnin\"\n",
        "\
error: invalid configuration `<dir>/a/.hadolint.yaml:3:20`
  × `failure-threshold`: `wärnin` is not a severity
   ╭─[<dir>/a/.hadolint.yaml:3:20]
 2 │   - DL3008
 3 │ failure-threshold: \"wärnin\"
   ·                    ────┬───
   ·                        ╰── here
   ╰────
  help: did you mean `warning`? (expected one of `error`, `warning`, `info`, `style`, `ignore`, `none`)
",
    );
}

#[test]
fn bad_label_type_and_unknown_yaml_key() {
    let (stderr, output) =
        broken_config_run(".hadolint.yaml", "label-schema:\n  maintainer: emial\n");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr.contains(".hadolint.yaml:2:15`"), "{stderr}");
    assert!(stderr.contains("did you mean `email`?"), "{stderr}");
    let (stderr, _) = broken_config_run(".hadolint.yaml", "ignord:\n  - DL3008\n");
    assert!(stderr.contains(".hadolint.yaml:1:1`"), "{stderr}");
    assert!(stderr.contains("did you mean `ignored`?"), "{stderr}");
    let (stderr, _) = broken_config_run("dlint.toml", "[label-schema]\nmaintainer = \"e-mail\"\n");
    assert!(stderr.contains("dlint.toml:2:14`"), "{stderr}");
    assert!(stderr.contains("did you mean `email`?"), "{stderr}");
}

#[test]
fn hadolint_failure_threshold_none_fails_on_any_finding() {
    // hadolint ranks `none` and `ignore` below `style`: any finding fails the run (hadolint
    // 2.15.1 exits 1 on a DL3003 warning with `failure-threshold: none`).
    for threshold in ["none", "ignore", "style"] {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("Dockerfile"),
            "FROM debian:bookworm-slim\nRUN cd /tmp && echo hi\n",
        )
        .unwrap();
        fs::write(
            dir.path().join(".hadolint.yaml"),
            format!("failure-threshold: {threshold}\n"),
        )
        .unwrap();
        let o = dlint(dir.path(), &["Dockerfile"]);
        assert_eq!(o.status.code(), Some(1), "{threshold}");
    }
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("Dockerfile"),
        "FROM debian:bookworm-slim\nRUN cd /tmp && echo hi\n",
    )
    .unwrap();
    fs::write(
        dir.path().join(".hadolint.yaml"),
        "failure-threshold: error\n",
    )
    .unwrap();
    assert_eq!(dlint(dir.path(), &["Dockerfile"]).status.code(), Some(0));
}

#[test]
fn hadolint_disable_ignore_pragma_ignores_hadolint_comments_only() {
    let dockerfile =
        "FROM debian:bookworm-slim\n# hadolint ignore=DL3003\nRUN cd /tmp && echo hi\n\
                      # dlint ignore=DL3003\nRUN cd /var && echo hi\n";
    let run = |config: &str| {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("Dockerfile"), dockerfile).unwrap();
        fs::write(dir.path().join(".hadolint.yaml"), config).unwrap();
        let o = dlint(dir.path(), &["--format", "json", "Dockerfile"]);
        codes(&o)
    };
    assert!(run("disable-ignore-pragma: false\n").is_empty());
    let found = run("disable-ignore-pragma: true\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "DL3003");
}

#[test]
fn hadolint_user_config_is_read_when_the_project_has_none() {
    let project = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let xdg = tempfile::tempdir().unwrap();
    fs::write(
        project.path().join("Dockerfile"),
        "FROM debian:bookworm-slim\nRUN cd /tmp && echo hi\n",
    )
    .unwrap();
    let run = || {
        let o = Command::new(env!("CARGO_BIN_EXE_dlint"))
            .args(["--format", "json", "Dockerfile"])
            .current_dir(project.path())
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", xdg.path())
            .stdin(Stdio::null())
            .output()
            .expect("dlint runs");
        codes(&o)
    };
    assert!(run().iter().any(|(c, _)| c == "DL3003"));
    fs::write(xdg.path().join("hadolint.yaml"), "ignored: [DL3003]\n").unwrap();
    assert!(!run().iter().any(|(c, _)| c == "DL3003"));
    // The project's own configuration wins over the user's.
    fs::write(project.path().join(".hadolint.yaml"), "ignored: [DL3008]\n").unwrap();
    assert!(run().iter().any(|(c, _)| c == "DL3003"));
}
