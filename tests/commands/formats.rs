//! Every `--format`: a snapshot per format over the same findings, the SARIF output validated
//! against the OASIS SARIF 2.1.0 schema, and the CLI accepting each format.

use crate::common;

use std::path::Path;
use std::process::Command;

use dlint::diagnostic::Diagnostic;
use dlint::linter::{lint_source, LintOptions};
use dlint::render::{
    render_checkstyle, render_concise, render_github, render_gitlab, render_json, render_junit,
    render_rdjson, render_sarif, render_sarif_run, FileReport,
};
use dlint::rules::find_rule;

/// Findings with fixes (safe and unsafe), a finding over two lines, non-ASCII text before a
/// finding (columns differ in characters, UTF-16 units and bytes), and a synthetic finding whose
/// message and path need every kind of escaping.
const APP: &str = "FROM ubuntu\n\
RUN apt-get update && apt-get install -y curl\n\
RUN echo \"café 😀\" && pip install \\\n    flask\n";

fn reports() -> Vec<FileReport> {
    // The rules whose findings the snapshots show; new rules must not churn them.
    let options = LintOptions {
        selection: dlint::rules::Selection {
            select: Some(
                ["DL3006", "DL3009", "DL3015", "DL3042", "IMG001", "DL1000"]
                    .iter()
                    .map(|c| dlint::rules::RuleSelector::parse(c).unwrap())
                    .collect(),
            ),
            ..Default::default()
        },
        ..LintOptions::default()
    };
    let app = lint_source(None, APP, &options);
    assert!(app.len() >= 4, "{app:#?}");
    let odd_source = "FROM alpine:3.20\nENV KEY\n";
    let at = odd_source.find("KEY").unwrap();
    let syntax = find_rule("DL1000").unwrap().meta();
    let mut odd = Diagnostic::new(syntax, at..at + 3, "50% of <lines>: a,b & \"c\"\r\nnext");
    odd.help = Some("give `KEY` a value: ENV KEY=value".into());
    vec![
        FileReport {
            path: "./svc/Dockerfile".into(),
            source: APP.into(),
            diagnostics: app,
        },
        FileReport {
            path: "clean/Containerfile".into(),
            source: "FROM alpine:3.20\n".into(),
            diagnostics: vec![],
        },
        FileReport {
            path: "odd dir/a,b:c.Dockerfile".into(),
            source: odd_source.into(),
            diagnostics: vec![odd],
        },
    ]
}

/// The version changes with every release; snapshots should not.
fn stable(out: String) -> String {
    out.replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
}

fn snapshot(name: &str, rendered: String) {
    insta::with_settings!({snapshot_path => "../../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!(format!("format_{name}"), stable(rendered));
    });
}

#[test]
fn concise() {
    snapshot("concise", render_concise(&reports()));
}

#[test]
fn json() {
    snapshot("json", render_json(&reports()));
}

#[test]
fn sarif() {
    // The rules' documentation is checked here and left out of the snapshot, so that editing
    // a rule's docs does not touch this format's snapshot.
    let mut sarif: serde_json::Value = serde_json::from_str(&render_sarif(&reports())).unwrap();
    for rule in sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array_mut()
        .unwrap()
    {
        let meta = find_rule(rule["id"].as_str().unwrap()).unwrap().meta();
        assert_eq!(rule["shortDescription"]["text"], meta.summary());
        for kind in ["text", "markdown"] {
            assert_eq!(rule["help"][kind], meta.documentation());
            rule["help"][kind] = format!("[documentation of {}]", meta.code).into();
            // The description is the page's opening sections, within GitHub's limit.
            let description = rule["fullDescription"][kind].as_str().unwrap();
            let opening: String = description.chars().take(60).collect();
            assert!(
                description.chars().count() <= 1024
                    && meta.documentation().contains(opening.as_str()),
                "{description}"
            );
            rule["fullDescription"][kind] = format!("[description of {}]", meta.code).into();
        }
        rule["shortDescription"]["text"] = format!("[summary of {}]", meta.code).into();
    }
    let mut out = serde_json::to_string_pretty(&sarif).unwrap();
    out.push('\n');
    snapshot("sarif", out);
}

#[test]
fn github() {
    let out = render_github(&reports());
    // One command per finding, each on one line; columns only on single-line findings.
    for line in out.lines() {
        assert!(line.starts_with("::"), "{line}");
    }
    let multi_line = out.lines().find(|l| l.contains("DL3042")).unwrap();
    assert!(
        multi_line.contains("line=3,endLine=4,title="),
        "{multi_line}"
    );
    assert!(!multi_line.contains("col="), "{multi_line}");
    snapshot("github", out);
}

#[test]
fn checkstyle() {
    snapshot("checkstyle", render_checkstyle(&reports()));
}

#[test]
fn gitlab() {
    let out = render_gitlab(&reports());
    let issues: serde_json::Value = serde_json::from_str(&out).unwrap();
    let fingerprints: std::collections::HashSet<&str> = issues
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fingerprints.len(), issues.as_array().unwrap().len());
    snapshot("gitlab", out);
}

#[test]
fn junit() {
    snapshot("junit", render_junit(&reports()));
}

#[test]
fn rdjson() {
    snapshot("rdjson", render_rdjson(&reports()));
}

#[test]
fn sarif_is_valid_against_the_sarif_2_1_0_schema() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let schema_text = common::read_text(&shared.join("schemas/sarif-schema-2.1.0.json"));
    let schema: serde_json::Value = serde_json::from_str(&schema_text).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let empty = render_sarif(&[]);
    for out in [render_sarif(&reports()), empty] {
        let instance: serde_json::Value = serde_json::from_str(&out).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}\n{out}");
    }
    // The checks the schema cannot make: rule metadata is complete and every result has a rule.
    let sarif: serde_json::Value = serde_json::from_str(&render_sarif(&reports())).unwrap();
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for rule in rules {
        for field in ["id", "name", "helpUri"] {
            assert!(rule[field].is_string(), "{field}: {rule:#}");
        }
        assert!(rule["shortDescription"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()));
        assert!(rule["fullDescription"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()));
        assert!(rule["defaultConfiguration"]["level"].is_string());
    }
    let results = run["results"].as_array().unwrap();
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(result["partialFingerprints"]["dlint/v1"].is_string());
    }
    assert!(results.iter().any(|r| r["fixes"].is_array()));
}

/// A report with one finding of every registered rule and one of ShellCheck's codes.
fn every_rule_report() -> Vec<FileReport> {
    let source = "FROM alpine:3.20\nRUN echo $x\n";
    let mut diagnostics: Vec<Diagnostic> = dlint::rules::all_rules()
        .iter()
        .map(|rule| Diagnostic::new(rule.meta(), 0..4, "a finding"))
        .collect();
    let sc = dlint::rules::shellcheck::meta_for(2086, dlint::rules::Severity::Info);
    let at = source.find("$x").unwrap();
    diagnostics.push(Diagnostic::new(
        sc,
        at..at + 2,
        "Double quote to prevent globbing",
    ));
    vec![FileReport {
        path: "Dockerfile".into(),
        source: source.into(),
        diagnostics,
    }]
}

fn sarif_validator() -> Option<jsonschema::Validator> {
    let shared = common::shared_dir()?;
    let schema_text = common::read_text(&shared.join("schemas/sarif-schema-2.1.0.json"));
    let schema: serde_json::Value = serde_json::from_str(&schema_text).unwrap();
    Some(jsonschema::validator_for(&schema).expect("the schema compiles"))
}

fn assert_valid(validator: &jsonschema::Validator, out: &str) -> serde_json::Value {
    let instance: serde_json::Value = serde_json::from_str(out).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    instance
}

#[test]
fn sarif_rules_fit_github_code_scanning() {
    let Some(validator) = sarif_validator() else {
        return;
    };
    let sarif = assert_valid(&validator, &render_sarif(&every_rule_report()));
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), dlint::rules::all_rules().len() + 1);
    for rule in rules {
        for description in ["shortDescription", "fullDescription"] {
            let text = rule[description]["text"].as_str().unwrap();
            assert!(
                !text.is_empty() && text.chars().count() <= 1024,
                "{} {description}: {} characters",
                rule["id"],
                text.chars().count()
            );
        }
        let properties = &rule["properties"];
        assert!(
            ["very-high", "high", "medium", "low"]
                .contains(&properties["precision"].as_str().unwrap()),
            "{rule:#}"
        );
        assert!(
            ["error", "warning", "recommendation"]
                .contains(&properties["problem.severity"].as_str().unwrap()),
            "{rule:#}"
        );
        if let Some(score) = properties.get("security-severity") {
            let score: f64 = score.as_str().unwrap().parse().unwrap();
            assert!((0.0..=10.0).contains(&score), "{rule:#}");
        }
    }
    assert!(rules
        .iter()
        .any(|r| r["properties"]["security-severity"].is_string()));
    // ShellCheck's finding points at a rule of its own, with its wiki page.
    let results = run["results"].as_array().unwrap();
    let sc = results.iter().find(|r| r["ruleId"] == "SC2086").unwrap();
    let rule = &rules[sc["ruleIndex"].as_u64().unwrap() as usize];
    assert_eq!(rule["id"], "SC2086");
    assert_eq!(rule["helpUri"], "https://www.shellcheck.net/wiki/SC2086");
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn a_sarif_run_with_errors_is_not_successful() {
    let Some(validator) = sarif_validator() else {
        return;
    };
    let errors = ["invalid configuration `dlint.toml:2:1`: unknown key".to_string()];
    let sarif = assert_valid(&validator, &render_sarif_run(&reports(), &errors));
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false, "{invocation:#}");
    assert_eq!(
        invocation["toolExecutionNotifications"][0]["message"]["text"],
        errors[0].as_str()
    );
    assert_eq!(
        invocation["toolExecutionNotifications"][0]["level"],
        "error"
    );

    // Through the command line: a broken configuration.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), APP).unwrap();
    std::fs::write(dir.path().join("dlint.toml"), "[lint]\nselekt = []\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_dlint"))
        // Not a ShellCheck test: `--shellcheck auto` finds no binary.
        .env("DLINT_SHELLCHECK", "/nonexistent/shellcheck")
        .args(["--format", "sarif", "--shellcheck", "never", "Dockerfile"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let sarif = assert_valid(&validator, &String::from_utf8_lossy(&output.stdout));
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false, "{invocation:#}");
    assert!(
        invocation["toolExecutionNotifications"][0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("selekt")
    );
}

#[test]
fn the_cli_speaks_every_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), APP).unwrap();
    let run = |format: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_dlint"))
            // Not a ShellCheck test: `--shellcheck auto` finds no binary.
            .env("DLINT_SHELLCHECK", "/nonexistent/shellcheck")
            .args([
                "check",
                "--format",
                format,
                "--select",
                "DL3006,DL3009,DL3015,DL3042,IMG001,DL1000",
                "Dockerfile",
            ])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{format}");
        String::from_utf8(output.stdout).unwrap()
    };
    for format in ["json", "sarif", "gitlab", "rdjson"] {
        let out = run(format);
        serde_json::from_str::<serde_json::Value>(&out)
            .unwrap_or_else(|e| panic!("{format}: {e}\n{out}"));
    }
    for format in ["checkstyle", "junit"] {
        assert!(run(format).starts_with("<?xml"), "{format}");
    }
    let concise = run("concise");
    assert!(concise.starts_with("Dockerfile:1:6: DL3006 "), "{concise}");
    assert!(
        concise.lines().all(|l| l.starts_with("Dockerfile:")),
        "{concise}"
    );
    assert!(run("github").starts_with("::warning file=Dockerfile,line=1,col=6,"));
    assert!(Path::new(dir.path()).join("Dockerfile").exists());
}
