//! Image purpose: each signal dlint reads from a file, the user's overrides (pragma and
//! `[lint.per-file-purpose]`), what the size rules do with it, and `dlint graph`.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use dlint::knowledge::Knowledge;
use dlint::rules::{check, Context, RuleSelector, RuleSettings, Selection};
use dlint::semantic::{classify_purposes, Model, Purpose, PurposeInput, PurposeSource};
use dlint::syntax::parse;

/// The purpose of the target stage of `source`, found at `path`, as rules see it (with the
/// knowledge base saying which bases are SDK images).
fn purpose_at(path: &str, source: &str) -> (Purpose, PurposeSource, String) {
    let parse = parse(source);
    let model = Model::build(&parse, None);
    let ctx = Context::new(Some(Path::new(path)), &parse, &model, Knowledge::builtin());
    let image = ctx.image_purpose().expect("a target stage").clone();
    (image.purpose, image.source, image.reason)
}

fn purpose(source: &str) -> Purpose {
    purpose_at("app/Dockerfile", source).0
}

/// Codes of the findings of `select` on `source` at `path`.
fn findings(path: &str, source: &str, select: &str) -> Vec<&'static str> {
    let settings = RuleSettings {
        selection: Selection {
            select: Some(vec![RuleSelector::parse(select).unwrap()]),
            ..Selection::default()
        },
        ..RuleSettings::default()
    };
    check(Some(Path::new(path)), &parse(source), &settings)
        .iter()
        .map(|f| f.rule.code)
        .collect()
}

const APP: &str = "FROM python:3.12\nCOPY . /app\nCMD [\"gunicorn\", \"app:app\"]\n";

#[test]
fn a_command_that_runs_a_program_is_an_application() {
    assert_eq!(purpose(APP), Purpose::Application);
    assert_eq!(
        purpose(
            "FROM node:22\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"node\", \"server.js\"]\n"
        ),
        Purpose::Application
    );
    // No CMD, but the build context is copied in: the command comes at run time.
    assert_eq!(
        purpose("FROM python:3.12\nCOPY . /app\n"),
        Purpose::Application
    );
    assert_eq!(findings("app/Dockerfile", APP, "IMG001"), ["IMG001"]);
}

#[test]
fn a_repl_or_shell_command_makes_a_base_image() {
    let official = "FROM buildpack-deps:bookworm\nENV PYTHON_VERSION 3.12.4\nRUN curl -fsSL https://python.org/x.tgz | tar xz && make install\nCMD [\"python3\"]\n";
    assert_eq!(purpose(official), Purpose::BaseImage);
    assert_eq!(
        purpose("FROM debian:bookworm\nRUN apt-get update\nCMD [\"bash\"]\n"),
        Purpose::BaseImage
    );
    assert_eq!(
        purpose("FROM node:22\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"node\"]\n"),
        Purpose::BaseImage
    );
    assert!(findings("app/Dockerfile", official, "IMG").is_empty());
    assert!(findings(
        "app/Dockerfile",
        "FROM python:3.12\nRUN pip install x\nCMD [\"python3\"]\n",
        "IMG001"
    )
    .is_empty());
}

#[test]
fn an_sdk_installed_by_version_makes_a_toolchain_image() {
    let golang = "FROM buildpack-deps:bookworm-scm\nENV GOLANG_VERSION 1.23.1\nRUN wget -O go.tgz https://go.dev/dl/go.tgz && tar -C /usr/local -xzf go.tgz\n";
    assert_eq!(purpose(golang), Purpose::Toolchain);
    assert_eq!(
        purpose("FROM debian:bookworm\nRUN apt-get install -y gcc make\n"),
        Purpose::Toolchain
    );
    assert_eq!(
        purpose("FROM golang:1.23\nRUN go install golang.org/x/tools/gopls@latest\n"),
        Purpose::Toolchain
    );
}

#[test]
fn building_without_a_program_to_run_is_a_build_environment() {
    assert_eq!(
        purpose("FROM ubuntu:24.04\nRUN git clone https://x/y . && make && make install\n"),
        Purpose::BuildEnvironment
    );
    // Copying sources onto an SDK image with nothing to run.
    assert_eq!(
        purpose("FROM golang:1.23\nCOPY . /src\n"),
        Purpose::BuildEnvironment
    );
    let lint = "FROM golang:1.23 AS lint\nCOPY . .\nRUN go vet ./...\nCMD [\"/app\"]\n";
    assert_eq!(purpose(lint), Purpose::BuildEnvironment, "named `lint`");
}

#[test]
fn devcontainers_from_path_base_label_and_stage_name() {
    let (kind, source, reason) = purpose_at(".devcontainer/Dockerfile", APP);
    assert_eq!(
        (kind, source),
        (Purpose::Devcontainer, PurposeSource::Inferred)
    );
    assert!(reason.contains(".devcontainer"), "{reason}");
    assert!(findings(".devcontainer/Dockerfile", APP, "IMG001").is_empty());
    assert_eq!(
        purpose("FROM mcr.microsoft.com/devcontainers/python:3.12\nRUN pip install x\n"),
        Purpose::Devcontainer
    );
    assert_eq!(
        purpose(
            "FROM python:3.12\nLABEL devcontainer.metadata='[]'\nCMD [\"sleep\", \"infinity\"]\n"
        ),
        Purpose::Devcontainer
    );
    assert_eq!(
        purpose("FROM python:3.12 AS dev\nCMD [\"/app/run\"]\n"),
        Purpose::Devcontainer
    );
}

#[test]
fn onbuild_and_test_directories() {
    assert_eq!(
        purpose("FROM golang:1.23\nONBUILD COPY . /go/src/app\nONBUILD RUN go install\n"),
        Purpose::OnbuildTemplate
    );
    assert_eq!(
        purpose_at("tests/fixtures/Dockerfile", APP).0,
        Purpose::TestFixture
    );
    assert_eq!(
        purpose_at("integration/testdata/Dockerfile", APP).0,
        Purpose::TestFixture
    );
    assert!(findings("tests/Dockerfile", APP, "IMG001").is_empty());
    // Cache rules stay quiet for images nobody ships.
    let npm = "FROM node:22\nRUN npm install\nCMD [\"node\", \"x.js\"]\n";
    assert_eq!(findings("app/Dockerfile", npm, "CCH001"), ["CCH001"]);
    assert!(findings("tests/Dockerfile", npm, "CCH001").is_empty());
}

#[test]
fn a_stage_is_classified_with_the_stages_it_is_built_from() {
    let source = "FROM node:22 AS base\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD [\"node\"]\n\nFROM base AS app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n";
    let parse = parse(source);
    let model = Model::build(&parse, None);
    let purposes = classify_purposes(&parse, &model, &PurposeInput::default());
    assert_eq!(purposes.stage(0).unwrap().purpose, Purpose::BaseImage);
    assert_eq!(purposes.stage(1).unwrap().purpose, Purpose::Application);
    let model = Model::build(&parse, Some("base"));
    let purposes = classify_purposes(&parse, &model, &PurposeInput::default());
    assert_eq!(purposes.image().unwrap().purpose, Purpose::BaseImage);
}

#[test]
fn a_pragma_states_the_purpose_for_the_file_or_a_stage() {
    let file = format!("# dlint purpose=base-image\n{APP}");
    let (kind, source, _) = purpose_at("app/Dockerfile", &file);
    assert_eq!((kind, source), (Purpose::BaseImage, PurposeSource::Pragma));
    assert!(findings("app/Dockerfile", &file, "IMG001").is_empty());
    // After a FROM it speaks for that stage (and the stages built FROM it) only.
    let staged = "FROM python:3.12 AS a\n# dlint purpose=toolchain\nCMD [\"python3\", \"x.py\"]\n\nFROM python:3.12 AS b\nCMD [\"python3\", \"y.py\"]\n\nFROM a\n";
    let parse = parse(staged);
    let model = Model::build(&parse, None);
    let purposes = classify_purposes(&parse, &model, &PurposeInput::default());
    let kinds: Vec<Purpose> = purposes.stages.iter().map(|s| s.purpose).collect();
    assert_eq!(
        kinds,
        [Purpose::Toolchain, Purpose::Application, Purpose::Toolchain]
    );
    // A devcontainer path loses to a pragma.
    let app = format!("# dlint purpose=application\n{APP}");
    assert_eq!(
        findings(".devcontainer/Dockerfile", &app, "IMG001"),
        ["IMG001"]
    );
}

#[test]
fn a_pragma_naming_no_purpose_is_reported() {
    let source = "# dlint purpose=base\nFROM debian:bookworm\n";
    let settings = RuleSettings::default();
    let found: Vec<_> = check(Some(Path::new("Dockerfile")), &parse(source), &settings)
        .into_iter()
        .filter(|f| f.rule.code == "SUP002")
        .collect();
    assert_eq!(found.len(), 1);
    assert_eq!(&source[found[0].violation.span.clone()], "base");
    assert!(
        found[0].violation.message.contains("base-image"),
        "{}",
        found[0].violation.message
    );
}

fn dlint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dlint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("dlint runs")
}

#[test]
fn the_configuration_states_the_purpose_per_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("images/base")).unwrap();
    fs::create_dir_all(dir.path().join("app")).unwrap();
    fs::write(dir.path().join("images/base/Dockerfile"), APP).unwrap();
    fs::write(dir.path().join("app/Dockerfile"), APP).unwrap();
    fs::write(
        dir.path().join("dlint.toml"),
        "[lint.per-file-purpose]\n\"images/**\" = \"base-image\"\n",
    )
    .unwrap();
    let output = dlint(
        dir.path(),
        &["--select", "IMG001", "--format", "concise", "."],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("app/Dockerfile"), "{stdout}");
    assert!(!stdout.contains("images/base/Dockerfile"), "{stdout}");
    let graph = dlint(dir.path(), &["graph", "images/base/Dockerfile"]);
    let text = String::from_utf8_lossy(&graph.stdout);
    assert!(
        text.contains("purpose: base-image (config: stated by `[lint.per-file-purpose]`)"),
        "{text}"
    );
}

#[test]
fn an_unknown_purpose_in_the_configuration_is_an_error_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), APP).unwrap();
    fs::write(
        dir.path().join("dlint.toml"),
        "[lint.per-file-purpose]\n\"**\" = \"base-imag\"\n",
    )
    .unwrap();
    let output = dlint(dir.path(), &["Dockerfile"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("dlint.toml:2:8"), "{stderr}");
    assert!(
        stderr.contains("`base-imag` is not an image purpose"),
        "{stderr}"
    );
    assert!(
        stderr.contains("base-image"),
        "a hint names the purposes: {stderr}"
    );
}

#[test]
fn graph_shows_the_purpose_in_text_and_json() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("Dockerfile"),
        "FROM golang:1.23 AS build\nRUN go build -o /app .\n\nFROM gcr.io/distroless/static-debian13\nCOPY --from=build /app /app\nCMD [\"/app\"]\n",
    )
    .unwrap();
    let text = dlint(dir.path(), &["graph", "Dockerfile"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.starts_with("purpose: application (inferred: "),
        "{text}"
    );
    assert!(
        text.contains("#0 build: golang:1.23 purpose=build-environment"),
        "{text}"
    );
    let json = dlint(dir.path(), &["graph", "--format", "json", "Dockerfile"]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).expect("graph JSON");
    assert_eq!(json["purpose"]["kind"], "application");
    assert_eq!(json["purpose"]["source"], "inferred");
    assert_eq!(json["stages"][0]["purpose"]["kind"], "build-environment");
    assert!(json["stages"][1]["purpose"]["reason"]
        .as_str()
        .unwrap()
        .contains("/app"));
}

#[test]
fn path_signals_read_the_path_inside_the_project() {
    // A project checked out under a directory named `tests`, with its configuration at the
    // project's root: the path signals read `app/Dockerfile`, not the checkout's location.
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("tests/project");
    fs::create_dir_all(project.join("app")).unwrap();
    fs::write(project.join("app/Dockerfile"), APP).unwrap();
    fs::write(project.join("dlint.toml"), "[lint]\n").unwrap();
    let graph = dlint(&project, &["graph", "app/Dockerfile"]);
    let text = String::from_utf8_lossy(&graph.stdout);
    assert!(text.starts_with("purpose: application"), "{text}");
    let absolute = project.join("app/Dockerfile");
    let graph = dlint(dir.path(), &["graph", absolute.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&graph.stdout);
    assert!(text.starts_with("purpose: application"), "{text}");
}
