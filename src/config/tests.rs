use std::path::Path;

use super::*;

fn parse(text: &str) -> Result<Config, ConfigError> {
    parse_config(Path::new("dlint.toml"), text)
}

#[test]
fn reads_lint_selection() {
    let config = parse("[lint]\nselect = [\"DL\"]\nignore = [\"DL3009\"]\n").unwrap();
    assert_eq!(config.selection.select.as_ref().map(Vec::len), Some(1));
    assert_eq!(config.selection.ignore.len(), 1);
}

#[test]
fn unknown_keys_name_file_line_and_key() {
    let err = parse("[lint]\nselekt = [\"DL\"]\n").unwrap_err();
    assert_eq!(err.position().map(|p| p.0), Some(2));
    assert!(err.message.contains("selekt"), "{}", err.message);
    let err = parse("[lint]\nignore = [\"NOPE9\"]\n").unwrap_err();
    assert!(err.message.contains("NOPE9"));
    assert_eq!(err.position().map(|p| p.0), Some(2));
    let err = parse("failure-threshold = 3\n").unwrap_err();
    assert_eq!(err.position().map(|p| p.0), Some(1));
}

#[test]
fn severity_threshold_and_per_file_ignores() {
    let config = parse(
        "failure-threshold = \"warning\"\ntrusted-registries = [\"docker.io\"]\n[lint.severity]\nDL3009 = \"error\"\n[lint.per-file-ignores]\n\"legacy/**\" = [\"IMG\"]\n",
    )
    .unwrap();
    assert_eq!(config.severity.get("DL3009"), Some(&Severity::Error));
    assert_eq!(config.failure_threshold, Some(Severity::Warning));
    assert_eq!(config.rule_options.trusted_registries, ["docker.io"]);
    let img001 = crate::rules::find_rule("IMG001").unwrap().meta();
    let dl3009 = crate::rules::find_rule("DL3009").unwrap().meta();
    assert!(config.ignored_for(Path::new("legacy/Dockerfile"), img001));
    assert!(!config.ignored_for(Path::new("legacy/Dockerfile"), dl3009));
    assert!(!config.ignored_for(Path::new("app/Dockerfile"), img001));
    let err = parse("[lint.severity]\nDL3009 = \"loud\"\n").unwrap_err();
    assert_eq!(err.position().map(|p| p.0), Some(2));
}

#[test]
fn extend_inherits_then_overrides() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("base.toml"),
        "[lint]\nignore = [\"DL3008\"]\n[lint.severity]\nDL3009 = \"error\"\n",
    )
    .unwrap();
    let child = dir.path().join("dlint.toml");
    let config = parse_config(
        &child,
        "extend = \"base.toml\"\n[lint]\nignore = [\"DL3015\"]\n",
    )
    .unwrap();
    assert_eq!(config.selection.ignore.len(), 2);
    assert_eq!(config.severity.get("DL3009"), Some(&Severity::Error));
    let err = parse_config(&child, "extend = \"missing.toml\"\n").unwrap_err();
    assert!(err.message.contains("missing.toml"));
    assert_eq!(err.position().map(|p| p.0), Some(1));
}

#[test]
fn images_overrides_reach_the_knowledge_base() {
    let config =
        parse("[images.\"registry.example.com/base/python\"]\nlike = \"python\"\n").unwrap();
    let kb = config.knowledge.unwrap();
    assert!(kb
        .classify("registry.example.com/base/python", Some("3.12"))
        .is_some());
}
