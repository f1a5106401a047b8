//! The `dlint` binary end to end: exit codes, inputs (files, directories, stdin, unreadable
//! paths), output formats, and the `dump` and `graph` subcommands.

use crate::common;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// A file BuildKit rejects: `ENV` needs a value.
const BROKEN: &str = "FROM alpine:3.20\nENV ONLY_A_KEY\n";
const CLEAN: &str = "FROM alpine:3.20\nCOPY app /app\nCMD [\"/app\"]\n";

fn dlint(dir: &Path, args: &[&str]) -> Output {
    dlint_with_stdin(dir, args, None)
}

fn dlint_with_stdin(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dlint"))
        // Not a ShellCheck test: `--shellcheck auto` finds no binary.
        .env("DLINT_SHELLCHECK", "/nonexistent/shellcheck")
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dlint runs");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    if let Some(text) = stdin {
        pipe.write_all(text.as_bytes()).expect("write stdin");
    }
    drop(pipe);
    child.wait_with_output().expect("dlint finishes")
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("dlint exits normally")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("stdout is JSON ({e}):\n{}", stdout(output)))
}

/// The `file` of every finding, in output order.
fn files_in(value: &Value) -> Vec<String> {
    value["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| f["file"].as_str().expect("file is a string").to_string())
        .collect()
}

/// The one `DL1000` finding of a JSON document (other rules may report more).
fn syntax_finding(value: &Value) -> &Value {
    let found: Vec<&Value> = value["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .filter(|f| f["code"] == "DL1000")
        .collect();
    assert_eq!(found.len(), 1, "{value:#}");
    found[0]
}

fn write(dir: &Path, relative: &str, text: &[u8]) {
    let path = dir.join(relative);
    fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
    fs::write(path, text).expect("write fixture");
}

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

#[test]
fn exit_codes_distinguish_clean_findings_and_errors() {
    let dir = temp();
    write(dir.path(), "clean/Dockerfile", CLEAN.as_bytes());
    write(dir.path(), "broken/Dockerfile", BROKEN.as_bytes());

    let clean = dlint(dir.path(), &["clean/Dockerfile"]);
    assert_eq!(code(&clean), 0, "{}", stderr(&clean));
    assert!(stdout(&clean).contains("All checks passed"));

    let broken = dlint(dir.path(), &["broken/Dockerfile"]);
    assert_eq!(code(&broken), 1, "{}", stderr(&broken));
    assert!(stdout(&broken).contains("Found 1 problem in 1 file"));

    let usage = dlint(dir.path(), &["--format", "yaml", "clean/Dockerfile"]);
    assert_eq!(code(&usage), 2);
    assert!(stderr(&usage).contains("yaml"), "{}", stderr(&usage));

    let missing = dlint(dir.path(), &["nowhere/Dockerfile"]);
    assert_eq!(code(&missing), 2);
}

#[test]
fn check_is_the_default_subcommand() {
    let dir = temp();
    write(dir.path(), "Dockerfile", BROKEN.as_bytes());
    let implicit = dlint(dir.path(), &["--no-color", "Dockerfile"]);
    let explicit = dlint(dir.path(), &["check", "--no-color", "Dockerfile"]);
    let global_first = dlint(dir.path(), &["--no-color", "check", "Dockerfile"]);
    assert_eq!(code(&implicit), 1);
    assert_eq!(stdout(&implicit), stdout(&explicit));
    assert_eq!(stdout(&implicit), stdout(&global_first));
    assert_eq!(code(&global_first), 1);

    // No paths at all: the current directory.
    let here = dlint(dir.path(), &["--format", "json"]);
    assert_eq!(files_in(&json(&here)), vec!["Dockerfile"]);
}

#[test]
fn lint_options_before_a_subcommand_are_a_usage_error() {
    let dir = temp();
    write(dir.path(), "Dockerfile", CLEAN.as_bytes());
    let output = dlint(dir.path(), &["--format", "json", "check", "Dockerfile"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("after the subcommand"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_unreadable_path_is_reported_and_the_other_files_still_linted() {
    let dir = temp();
    write(dir.path(), "good/Dockerfile", BROKEN.as_bytes());
    let output = dlint(
        dir.path(),
        &["--no-color", "missing/Dockerfile", "good/Dockerfile"],
    );
    assert_eq!(code(&output), 2, "I/O errors win over findings");
    let err = stderr(&output);
    assert!(err.contains("cannot read `missing/Dockerfile`"), "{err}");
    assert!(err.contains("help:"), "a hint follows the error: {err}");
    let out = stdout(&output);
    assert!(
        out.contains("DL1000"),
        "the good file is still linted: {out}"
    );
    assert!(out.contains("1 file could not be checked"), "{out}");

    let as_json = dlint(
        dir.path(),
        &["--format", "json", "missing/Dockerfile", "good/Dockerfile"],
    );
    assert_eq!(code(&as_json), 2);
    assert_eq!(files_in(&json(&as_json)), vec!["good/Dockerfile"]);
}

#[cfg(unix)]
#[test]
fn a_permission_denied_file_is_reported_with_its_path() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp();
    write(dir.path(), "locked/Dockerfile", CLEAN.as_bytes());
    write(dir.path(), "open/Dockerfile", BROKEN.as_bytes());
    let locked = dir.path().join("locked/Dockerfile");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
    if fs::read(&locked).is_ok() {
        eprintln!("skipping: running as a user who can read mode-000 files (root)");
        return;
    }
    let output = dlint(dir.path(), &["--no-color", "."]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("locked/Dockerfile"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("ermission"), "{}", stderr(&output));
    assert!(stdout(&output).contains("open/Dockerfile"));
}

#[test]
fn stdin_is_read_for_dash_and_named_by_stdin_filename() {
    let dir = temp();
    let named = dlint_with_stdin(
        dir.path(),
        &[
            "--format",
            "json",
            "--stdin-filename",
            "web/Dockerfile",
            "-",
        ],
        Some(BROKEN),
    );
    assert_eq!(code(&named), 1);
    assert_eq!(files_in(&json(&named)), vec!["web/Dockerfile"]);

    let unnamed = dlint_with_stdin(dir.path(), &["--format", "json", "-"], Some(BROKEN));
    assert_eq!(files_in(&json(&unnamed)), vec!["-"]);

    let implied = dlint_with_stdin(
        dir.path(),
        &["--format", "json", "--stdin-filename", "Dockerfile"],
        Some(BROKEN),
    );
    assert_eq!(
        files_in(&json(&implied)),
        vec!["Dockerfile"],
        "no paths: stdin"
    );

    let clean = dlint_with_stdin(dir.path(), &["check", "-"], Some(CLEAN));
    assert_eq!(code(&clean), 0);
}

#[test]
fn directories_are_walked_for_dockerfile_names_honouring_gitignore() {
    let dir = temp();
    let root = dir.path();
    // Every candidate is broken, so every linted file shows up in the findings.
    for name in [
        "Dockerfile",
        "Dockerfile.dev",
        "api.Dockerfile",
        "worker.dockerfile",
        "Containerfile",
        "Containerfile.fedora",
        "sub/deep/Dockerfile",
        ".devcontainer/Dockerfile",
        // Not Dockerfiles by name:
        "README.md",
        "Dockerfile.dockerignore",
        "dockerfile-notes.txt",
        // Ignored:
        "ignored/Dockerfile",
        "generated.Dockerfile",
    ] {
        write(root, name, BROKEN.as_bytes());
    }
    write(root, ".gitignore", b"ignored/\ngenerated.Dockerfile\n");
    write(root, ".git/Dockerfile", BROKEN.as_bytes());

    let output = dlint(root, &["--format", "json", "."]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let expected = [
        ".devcontainer/Dockerfile",
        "Containerfile",
        "Containerfile.fedora",
        "Dockerfile",
        "Dockerfile.dev",
        "api.Dockerfile",
        "sub/deep/Dockerfile",
        "worker.dockerfile",
    ];
    assert_eq!(files_in(&json(&output)), expected, "sorted by path");

    // A file named on the command line is linted whatever its name, even when ignored.
    let explicit = dlint(
        root,
        &["--format", "json", "README.md", "ignored/Dockerfile", "sub"],
    );
    assert_eq!(
        files_in(&json(&explicit)),
        ["README.md", "ignored/Dockerfile", "sub/deep/Dockerfile"]
    );
}

#[test]
fn target_must_name_a_stage() {
    let dir = temp();
    write(
        dir.path(),
        "Dockerfile",
        b"FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM scratch AS runtime\nCOPY --from=build /app /app\n",
    );
    let known = dlint(dir.path(), &["--target", "runtime", "Dockerfile"]);
    assert!(matches!(code(&known), 0 | 1), "{}", stderr(&known));
    assert!(stderr(&known).is_empty(), "{}", stderr(&known));

    let unknown = dlint(
        dir.path(),
        &["--no-color", "--target", "tests", "Dockerfile"],
    );
    assert_eq!(code(&unknown), 2);
    let err = stderr(&unknown);
    assert!(
        err.contains("`--target tests` names no stage in `Dockerfile`"),
        "{err}"
    );
    assert!(err.contains("build, runtime"), "{err}");

    let graph = dlint(dir.path(), &["graph", "--target", "tests", "Dockerfile"]);
    assert_eq!(code(&graph), 2);
    assert!(
        stderr(&graph).contains("--target tests"),
        "{}",
        stderr(&graph)
    );
}

#[test]
fn the_closest_configuration_file_selects_the_rules() {
    let dir = temp();
    let root = dir.path();
    write(root, "quiet/dlint.toml", b"[lint]\nignore = [\"DL1000\"]\n");
    write(root, "quiet/Dockerfile", BROKEN.as_bytes());
    write(root, "loud/Dockerfile", BROKEN.as_bytes());
    write(
        root,
        "broken-config/.dlint.toml",
        b"[lint]\nselekt = [\"DL\"]\n",
    );
    write(root, "broken-config/Dockerfile", BROKEN.as_bytes());

    let output = dlint(root, &["--format", "json", "quiet", "loud"]);
    assert_eq!(files_in(&json(&output)), ["loud/Dockerfile"]);
    assert_eq!(code(&output), 1);

    let output = dlint(root, &["--no-color", "."]);
    assert_eq!(code(&output), 2, "a broken configuration is an error");
    let err = stderr(&output);
    assert!(err.contains("broken-config/.dlint.toml:2:"), "{err}");
    assert!(err.contains("selekt"), "{err}");
    let out = stdout(&output);
    assert!(
        out.contains("loud/Dockerfile"),
        "other files are still linted: {out}"
    );
    assert!(!out.contains("broken-config/Dockerfile"), "{out}");

    // `--config` applies one file to everything.
    let forced = dlint(
        root,
        &["--format", "json", "--config", "quiet/dlint.toml", "loud"],
    );
    assert_eq!(code(&forced), 0, "{}", stderr(&forced));
}

#[test]
fn an_empty_directory_is_not_an_error() {
    let dir = temp();
    let output = dlint(dir.path(), &["--no-color"]);
    assert_eq!(code(&output), 0);
    assert!(
        stderr(&output).contains("no Dockerfiles found"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn invalid_utf8_is_linted_lossily() {
    let dir = temp();
    write(
        dir.path(),
        "Dockerfile",
        b"FROM alpine:3.20\n# caf\xe9\nENV K\n",
    );
    let output = dlint(dir.path(), &["--format", "json", "Dockerfile"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let value = json(&output);
    let finding = syntax_finding(&value);
    assert_eq!(finding["range"]["start"]["line"], 3);
}

#[test]
fn json_columns_count_characters_after_a_bom_and_crlf() {
    let dir = temp();
    // A BOM and CRLF line endings, and the finding ends after a two-byte character.
    let text = "\u{feff}FROM alpine:3.20\r\nLABEL a=b\r\nENV é\r\n";
    write(dir.path(), "Dockerfile", text.as_bytes());
    let output = dlint(dir.path(), &["--format", "json", "Dockerfile"]);
    let value = json(&output);
    let finding = syntax_finding(&value);
    assert_eq!(finding["range"]["start"]["line"], 3);
    // Whether the parser points at `é` or at `ENV é`, the end is just after `é`: column 6 in
    // characters (it would be 7 in bytes), and the `\r` is not part of the line.
    assert_eq!(finding["range"]["end"]["line"], 3, "{value:#}");
    assert_eq!(finding["range"]["end"]["column"], 6, "{value:#}");
}

/// A file with findings of several rules and severities, for the output snapshots.
const SNAPSHOT_FILE: &str = "FROM debian:12
# é
RUN apt-get update && apt-get install -y curl
ENV ONLY_A_KEY
RUN pip install flask
";

#[test]
fn json_output_shape() {
    let dir = temp();
    write(dir.path(), "Dockerfile", SNAPSHOT_FILE.as_bytes());
    let output = dlint(dir.path(), &["check", "--format", "json", "Dockerfile"]);
    assert_eq!(code(&output), 1);
    let value = json(&output);
    for finding in value["findings"].as_array().expect("findings") {
        let keys: Vec<&str> = finding
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        for key in [
            "file", "code", "name", "severity", "message", "range", "fix",
        ] {
            assert!(keys.contains(&key), "missing {key}: {finding:#}");
        }
        let severity = finding["severity"].as_str().expect("severity");
        assert!(["error", "warning", "info", "style"].contains(&severity));
    }
    insta::with_settings!({snapshot_path => "../../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("cli__json_output", stdout(&output));
    });
}

#[test]
fn text_output_without_colour() {
    let dir = temp();
    write(dir.path(), "Dockerfile", SNAPSHOT_FILE.as_bytes());
    let output = dlint(dir.path(), &["--no-color", "Dockerfile"]);
    assert_eq!(code(&output), 1);
    let text = stdout(&output);
    assert!(!text.contains('\u{1b}'), "no escape codes without colour");
    insta::with_settings!({snapshot_path => "../../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("cli__text_output", text);
    });
}

#[test]
fn dump_matches_buildkit_on_a_conformance_file() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let case = shared.join("conformance/buildkit/testfiles/brimstone-consuldock");
    let expected = common::read_text(&case.join("result"));
    let output = dlint(&case, &["dump", "Dockerfile"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(stdout(&output).trim_end(), expected.trim_end());

    let as_json = dlint(&case, &["dump", "--format", "json", "Dockerfile"]);
    assert_eq!(code(&as_json), 0);
    assert!(json(&as_json).is_object());
}

#[test]
fn dump_of_a_broken_file_fails_with_a_diagnostic() {
    let dir = temp();
    write(dir.path(), "Dockerfile", BROKEN.as_bytes());
    let output = dlint(dir.path(), &["dump", "--no-color", "Dockerfile"]);
    assert_eq!(code(&output), 1);
    let err = stderr(&output);
    assert!(err.contains("DL1000 invalid-syntax"), "{err}");
    assert!(err.contains("[Dockerfile:2:"), "{err}");
    assert!(stdout(&output).contains("(from \"alpine:3.20\")"));

    let directory = dlint(dir.path(), &["dump", "."]);
    assert_eq!(code(&directory), 2);
    assert!(
        stderr(&directory).contains("dlint check"),
        "{}",
        stderr(&directory)
    );
}

#[test]
fn graph_runs_for_every_format_and_reports_syntax_errors() {
    let dir = temp();
    write(
        dir.path(),
        "Dockerfile",
        b"FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n",
    );
    write(dir.path(), "broken.Dockerfile", BROKEN.as_bytes());
    for format in ["text", "json", "dot", "mermaid"] {
        let output = dlint(dir.path(), &["graph", "--format", format, "Dockerfile"]);
        assert_eq!(code(&output), 0, "{format}: {}", stderr(&output));
    }
    let targeted = dlint(dir.path(), &["graph", "--target", "build", "Dockerfile"]);
    assert_eq!(code(&targeted), 0);
    let broken = dlint(dir.path(), &["graph", "broken.Dockerfile"]);
    assert_eq!(code(&broken), 1);
    assert!(stderr(&broken).contains("DL1000"));
}

#[test]
fn never_panics_on_the_corpus_and_conformance_files() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let mut files = Vec::new();
    for root in ["corpus/real", "conformance"] {
        common::collect_files(&shared.join(root), &mut files);
    }
    assert!(files.len() > 1000, "found only {} files", files.len());
    let args: Vec<&str> = files.iter().filter_map(|p| p.to_str()).collect();
    // ShellCheck's findings are mapped back too, once (with a cache kept under target/ that
    // makes later runs fast); the text run is about dlint alone.
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("shellcheck-cache");
    for (format, shellcheck) in [("text", "never"), ("json", "auto")] {
        let mut all = vec!["--format", format, "--shellcheck", shellcheck];
        all.extend(&args);
        let output = Command::new(env!("CARGO_BIN_EXE_dlint"))
            // Not a ShellCheck test: `--shellcheck auto` finds no binary.
            .env("DLINT_SHELLCHECK", "/nonexistent/shellcheck")
            .args(&all)
            .current_dir(&shared)
            .env_remove("DLINT_SHELLCHECK")
            .env("DLINT_CACHE_DIR", &cache)
            .output()
            .unwrap();
        assert!(
            matches!(code(&output), 0 | 1),
            "{format}: exit {}: {}",
            code(&output),
            stderr(&output)
        );
    }
}

#[test]
fn rule_explains_a_rule_by_code_or_name() {
    let dir = temp();
    let by_code = dlint(dir.path(), &["rule", "dl1000"]);
    assert_eq!(code(&by_code), 0);
    let page = stdout(&by_code);
    assert!(page.contains("invalid-syntax (DL1000)"), "{page}");
    assert!(page.contains("## What it does"), "{page}");
    let by_name = dlint(dir.path(), &["rule", "invalid-syntax"]);
    assert_eq!(stdout(&by_name), page);

    let as_json = dlint(dir.path(), &["rule", "DL1000", "--format", "json"]);
    assert_eq!(json(&as_json)["name"], "invalid-syntax");

    let unknown = dlint(dir.path(), &["rule", "NOPE42"]);
    assert_eq!(code(&unknown), 2);
    assert!(
        stderr(&unknown).contains("dlint rules"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn rules_lists_every_rule() {
    let dir = temp();
    let table = dlint(dir.path(), &["rules"]);
    assert_eq!(code(&table), 0);
    let listed = json(&dlint(dir.path(), &["rules", "--format", "json"]));
    let rules = listed.as_array().expect("an array of rules");
    assert!(rules.len() > 1);
    let text = stdout(&table);
    assert_eq!(text.lines().count(), rules.len());
    for rule in rules {
        let code = rule["code"].as_str().expect("code");
        assert!(text.contains(code), "{code} missing from the table");
    }
}

#[test]
fn a_file_named_twice_or_inside_a_named_directory_is_linted_once() {
    let dir = temp();
    for name in ["Dockerfile", "sub/Dockerfile", "sub/deep/api.Dockerfile"] {
        write(dir.path(), name, BROKEN.as_bytes());
    }
    let output = dlint(
        dir.path(),
        &[
            "--format",
            "json",
            "Dockerfile",
            "./Dockerfile",
            "sub/Dockerfile",
            "sub",
            ".",
            "./sub/deep",
        ],
    );
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    assert_eq!(
        files_in(&json(&output)),
        ["Dockerfile", "sub/Dockerfile", "sub/deep/api.Dockerfile"]
    );
}

/// `check` draws each file's findings on the thread that linted it and joins the pieces; the
/// result must be what the renderers give for the whole run at once.
#[test]
fn output_drawn_file_by_file_equals_the_whole_rendering() {
    use dlint::linter::{lint_source, LintOptions};
    use dlint::render::{render_concise, render_text, summary_line, FileReport, TextOptions};

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".Dockerfile"))
        .collect();
    names.sort();
    assert!(names.len() > 100, "enough files for several workers");
    // The same paths for both: the image purpose reads the path (`tests/fixtures/…`).
    let paths: Vec<String> = names
        .iter()
        .map(|name| dir.join(name).display().to_string())
        .collect();
    let options = LintOptions::default();
    let reports: Vec<FileReport> = paths
        .iter()
        .map(|path| {
            let text = String::from_utf8_lossy(&fs::read(path).unwrap()).into_owned();
            FileReport {
                diagnostics: lint_source(Some(Path::new(path)), &text, &options),
                path: path.clone(),
                source: text.into(),
            }
        })
        .collect();
    let mut args = vec!["--isolated", "--no-color", "--shellcheck", "never"];
    args.extend(paths.iter().map(String::as_str));

    let text = dlint(&dir, &args);
    assert_eq!(code(&text), 1, "{}", stderr(&text));
    let whole = render_text(&reports, TextOptions { color: false });
    assert_eq!(
        stdout(&text),
        format!(
            "{whole}{}; ShellCheck off (--shellcheck never)\n",
            summary_line(&reports, 0)
        )
    );

    args.extend(["--format", "concise"]);
    let concise = dlint(&dir, &args);
    assert_eq!(stdout(&concise), render_concise(&reports));
}
