//! hadolint's `.hadolint.yaml`, read as written so a team can switch to dlint with no changes,
//! and `dlint config migrate`, which writes the equivalent `dlint.toml`.
//!
//! Read: `ignored`, `override` (`error`/`warning`/`info`/`style` lists), `trustedRegistries`,
//! `label-schema`, `strict-labels`, `failure-threshold` (hadolint's `none` and `ignore` rank
//! below `style`: any finding fails), `no-fail`, `disable-ignore-pragma`. Accepted and without
//! effect on linting: `format`, `no-color`, `verbose`. Unlike hadolint, any
//! other key or a wrong type is an error naming the file, line and key.

use std::collections::BTreeMap;
use std::path::Path;

use yaml_rust2::{Yaml, YamlLoader};

use super::{
    check_label_type, did_you_mean, find_key_span, find_span, one_of, Config, ConfigError,
};
use crate::rules::{all_rules, RuleSelector, Severity};

pub const FILE_NAMES: [&str; 2] = [".hadolint.yaml", ".hadolint.yml"];

const KNOWN_KEYS: [&str; 11] = [
    "failure-threshold",
    "format",
    "ignored",
    "label-schema",
    "no-color",
    "no-fail",
    "override",
    "strict-labels",
    "disable-ignore-pragma",
    "trustedRegistries",
    "verbose",
];

pub fn is_hadolint_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| FILE_NAMES.contains(&n) || n.ends_with(".yaml") || n.ends_with(".yml"))
}

/// What a `.hadolint.yaml` says, before it becomes a [`Config`] or a `dlint.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HadolintConfig {
    pub ignored: Vec<String>,
    /// Severity → codes.
    pub overrides: BTreeMap<String, Vec<String>>,
    pub trusted_registries: Vec<String>,
    pub label_schema: BTreeMap<String, String>,
    pub strict_labels: bool,
    pub failure_threshold: Option<String>,
    pub no_fail: bool,
    pub disable_ignore_pragma: bool,
}

/// The values hadolint's `failure-threshold` accepts.
const THRESHOLDS: [&str; 6] = ["error", "warning", "info", "style", "ignore", "none"];

/// Reads `.hadolint.yaml` text.
pub fn read(path: &Path, text: &str) -> Result<HadolintConfig, ConfigError> {
    let error = |message: String, span: Option<std::ops::Range<usize>>, hint: Option<String>| {
        ConfigError::at(path, text, span, message, hint)
    };
    // Markers count characters; spans are bytes.
    let char_span = |index: usize| {
        let at = text
            .char_indices()
            .nth(index)
            .map_or(text.len(), |(at, _)| at);
        let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        at..end
    };
    super::yaml_aliases::check(text).map_err(|e| {
        error(
            e.message,
            Some(char_span(e.char_index)),
            Some("write the values out instead of repeating anchors (`&name`, `*name`)".into()),
        )
    })?;
    let docs = YamlLoader::load_from_str(text).map_err(|e| {
        error(
            e.info().to_string(),
            Some(char_span(e.marker().index())),
            None,
        )
    })?;
    let mut config = HadolintConfig::default();
    let Some(root) = docs.first() else {
        return Ok(config);
    };
    let map = match root {
        Yaml::Hash(map) => map,
        Yaml::Null => return Ok(config),
        _ => {
            return Err(error(
                "expected a mapping of keys".into(),
                Some(0..text.len().min(1)),
                Some(format!("top-level keys: {}", one_of(&KNOWN_KEYS))),
            ))
        }
    };
    // The span of `key`'s value: what follows `key:` on its line, or the key itself.
    let value_span = |key: &str| {
        let key_span = find_key_span(text, key, 0)?;
        let rest = &text[key_span.end..];
        let colon = rest.find(':')? + 1;
        let line = rest[colon..].split('\n').next().unwrap_or_default();
        let value = line.trim();
        if value.is_empty() || value.starts_with('#') {
            return Some(key_span);
        }
        let start = key_span.end + colon + (line.len() - line.trim_start().len());
        Some(start..start + value.len())
    };
    let strings = |key: &str, value: &Yaml, expected: &str| -> Result<Vec<String>, ConfigError> {
        let wrong = || {
            error(
                format!("`{key}`: expected {expected}"),
                value_span(key),
                Some(format!("write `{key}:` then one `- item` per line")),
            )
        };
        match value {
            Yaml::Array(items) => items
                .iter()
                .map(|i| i.as_str().map(String::from).ok_or_else(wrong))
                .collect(),
            Yaml::String(s) => Ok(vec![s.clone()]),
            Yaml::Null => Ok(Vec::new()),
            _ => Err(wrong()),
        }
    };
    let boolean = |key: &str, value: &Yaml| -> Result<bool, ConfigError> {
        value.as_bool().ok_or_else(|| {
            error(
                format!("`{key}`: expected true or false"),
                value_span(key),
                Some(one_of(&["true", "false"])),
            )
        })
    };
    for (key, value) in map {
        let Some(key) = key.as_str() else {
            return Err(error("keys must be strings".into(), None, None));
        };
        match key {
            "ignored" => config.ignored = strings(key, value, "a list of rule codes")?,
            "trustedRegistries" => {
                config.trusted_registries = strings(key, value, "a list of registries")?
            }
            "strict-labels" => config.strict_labels = boolean(key, value)?,
            "no-fail" => config.no_fail = boolean(key, value)?,
            "disable-ignore-pragma" => config.disable_ignore_pragma = boolean(key, value)?,
            "failure-threshold" => {
                let threshold = value
                    .as_str()
                    .filter(|t| THRESHOLDS.contains(&t.to_ascii_lowercase().as_str()));
                let Some(threshold) = threshold else {
                    let written = value.as_str().unwrap_or_default();
                    let hint = did_you_mean(written, THRESHOLDS).map_or_else(
                        || one_of(&THRESHOLDS),
                        |d| format!("{d} ({})", one_of(&THRESHOLDS)),
                    );
                    return Err(error(
                        format!("`{key}`: `{written}` is not a severity"),
                        value_span(key),
                        Some(hint),
                    ));
                };
                config.failure_threshold = Some(threshold.to_string());
            }
            "override" => {
                let Yaml::Hash(levels) = value else {
                    return Err(error(
                        "`override`: expected error/warning/info/style lists".into(),
                        value_span(key),
                        Some("write `override:` then `error:` with a list of codes".into()),
                    ));
                };
                let from = find_key_span(text, key, 0).map_or(0, |s| s.end);
                for (level, codes) in levels {
                    let level = level.as_str().unwrap_or_default();
                    if Severity::parse(level).is_none() {
                        let levels = ["error", "warning", "info", "style"];
                        let hint = did_you_mean(level, levels).map_or_else(
                            || one_of(&levels),
                            |d| format!("{d} ({})", one_of(&levels)),
                        );
                        return Err(error(
                            format!("`override.{level}`: not a severity"),
                            find_key_span(text, level, from),
                            Some(hint),
                        ));
                    }
                    config.overrides.insert(
                        level.to_string(),
                        strings(level, codes, "a list of rule codes")?,
                    );
                }
            }
            "label-schema" => {
                let Yaml::Hash(labels) = value else {
                    return Err(error(
                        "`label-schema`: expected label: type pairs".into(),
                        value_span(key),
                        Some(format!(
                            "types: {}",
                            one_of(&crate::rules::hadolint::labels::LABEL_TYPES)
                        )),
                    ));
                };
                let from = find_key_span(text, key, 0).map_or(0, |s| s.end);
                for (label, kind) in labels {
                    let (Some(l), Some(k)) = (label.as_str(), kind.as_str()) else {
                        return Err(error(
                            "`label-schema`: labels and types must be strings".into(),
                            find_key_span(text, key, 0),
                            None,
                        ));
                    };
                    let label_at = find_key_span(text, l, from).map_or(from, |s| s.end);
                    check_label_type(path, text, l, k, find_span(text, k, label_at))?;
                    config.label_schema.insert(l.to_string(), k.to_string());
                }
            }
            k if KNOWN_KEYS.contains(&k) => {}
            other => {
                return Err(error(
                    format!("unknown key `{other}`"),
                    find_key_span(text, other, 0),
                    Some(did_you_mean(other, KNOWN_KEYS).unwrap_or_else(|| one_of(&KNOWN_KEYS))),
                ))
            }
        }
    }
    Ok(config)
}

/// A `.hadolint.yaml` as a dlint [`Config`]. ShellCheck's SC codes are dlint's too (when
/// `shellcheck` runs); codes dlint does not have (removed DL codes) are skipped: hadolint
/// accepts them too.
pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
    let hadolint = read(path, text)?;
    let mut config = Config::empty(path);
    let known = |codes: &[String]| -> Vec<RuleSelector> {
        codes
            .iter()
            .filter_map(|c| RuleSelector::parse(c).ok())
            .collect()
    };
    config.selection.ignore = known(&hadolint.ignored);
    for (level, codes) in &hadolint.overrides {
        let Some(severity) = Severity::parse(level) else {
            continue;
        };
        for selector in known(codes) {
            for rule in all_rules() {
                if selector.matches(rule.meta()) {
                    config.severity.insert(rule.meta().code, severity);
                }
            }
        }
        for code in codes
            .iter()
            .filter_map(|c| crate::rules::shellcheck::parse_code(c))
        {
            let meta = crate::rules::shellcheck::meta_for(code, severity);
            config.severity.insert(meta.code, severity);
        }
    }
    config.rule_options.trusted_registries = hadolint.trusted_registries;
    config.rule_options.label_schema = hadolint.label_schema;
    config.rule_options.strict_labels = hadolint.strict_labels;
    config.rule_options.disable_ignore_pragma = hadolint.disable_ignore_pragma;
    config.never_fail = hadolint.no_fail;
    match hadolint
        .failure_threshold
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None => {}
        // hadolint fails when a finding is at least as severe as the threshold, and `none`
        // and `ignore` rank below `style`: every finding fails the run.
        Some("none" | "ignore") => config.failure_threshold = Some(Severity::Style),
        Some(level) => config.failure_threshold = Severity::parse(level),
    }
    Ok(config)
}

/// The `dlint.toml` equivalent of a `.hadolint.yaml` (`dlint config migrate`).
pub fn to_dlint_toml(config: &HadolintConfig) -> String {
    let list = |items: &[String]| {
        let quoted: Vec<String> = items.iter().map(|i| toml_string(i)).collect();
        format!("[{}]", quoted.join(", "))
    };
    let mut top = String::from("# Migrated from .hadolint.yaml by `dlint config migrate`.\n");
    if config.no_fail {
        top.push_str("failure-threshold = \"none\"\n");
    } else if let Some(threshold) = &config.failure_threshold {
        let threshold = match threshold.to_ascii_lowercase().as_str() {
            "ignore" | "none" => "style".to_string(),
            other => other.to_string(),
        };
        top.push_str(&format!(
            "failure-threshold = {}\n",
            toml_string(&threshold)
        ));
    }
    if config.disable_ignore_pragma {
        top.push_str(
            "# disable-ignore-pragma: dlint.toml has no equivalent; `# hadolint ignore=` \
             comments silence findings again.\n",
        );
    }
    if !config.trusted_registries.is_empty() {
        top.push_str(&format!(
            "trusted-registries = {}\n",
            list(&config.trusted_registries)
        ));
    }
    if config.strict_labels {
        top.push_str("strict-labels = true\n");
    }
    // Codes dlint has no rule for (removed DL codes) cannot go into a
    // dlint.toml, which rejects unknown codes: list them in a comment instead.
    let known = |code: &String| RuleSelector::parse(code).is_ok();
    let mut left_out: Vec<&String> = config.ignored.iter().filter(|c| !known(c)).collect();
    left_out.extend(config.overrides.values().flatten().filter(|c| !known(c)));
    if !left_out.is_empty() {
        let names: Vec<&str> = left_out.iter().map(|c| c.as_str()).collect();
        top.push_str(&format!(
            "# Not dlint rules, left out: {}\n",
            names.join(", ")
        ));
    }
    let mut out = top;
    let ignored: Vec<String> = config
        .ignored
        .iter()
        .filter(|c| known(c))
        .cloned()
        .collect();
    if !ignored.is_empty() {
        out.push_str(&format!("\n[lint]\nignore = {}\n", list(&ignored)));
    }
    let severities: Vec<(String, String)> = config
        .overrides
        .iter()
        .flat_map(|(level, codes)| codes.iter().map(move |c| (c.clone(), level.clone())))
        .filter(|(code, _)| known(code))
        .collect();
    if !severities.is_empty() {
        out.push_str("\n[lint.severity]\n");
        for (code, level) in severities {
            out.push_str(&format!("{} = {}\n", toml_key(&code), toml_string(&level)));
        }
    }
    if !config.label_schema.is_empty() {
        out.push_str("\n[label-schema]\n");
        for (label, kind) in &config.label_schema {
            out.push_str(&format!("{} = {}\n", toml_key(label), toml_string(kind)));
        }
    }
    out
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn toml_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        key.to_string()
    } else {
        toml_string(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "ignored:\n  - DL3008\n  - SC2086\noverride:\n  error:\n    - DL3009\n  info:\n    - DL3015\ntrustedRegistries:\n  - docker.io\n  - my.registry\nlabel-schema:\n  maintainer: email\n  org.opencontainers.image.version: semver\nstrict-labels: true\nfailure-threshold: warning\nformat: json\n";

    #[test]
    fn reads_hadolint_keys() {
        let config = parse(Path::new(".hadolint.yaml"), YAML).unwrap();
        assert_eq!(config.selection.ignore.len(), 2, "SC2086 is ShellCheck's");
        assert_eq!(config.severity.get("DL3009"), Some(&Severity::Error));
        assert_eq!(config.severity.get("DL3015"), Some(&Severity::Info));
        assert_eq!(
            config.rule_options.trusted_registries,
            ["docker.io", "my.registry"]
        );
        assert!(config.rule_options.strict_labels);
        assert_eq!(config.failure_threshold, Some(Severity::Warning));
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_errors_with_a_line() {
        let err = parse(
            Path::new(".hadolint.yaml"),
            "ignored: [DL3008]\nignord: [DL3009]\n",
        )
        .unwrap_err();
        assert!(err.message.contains("ignord"));
        assert_eq!(err.position().map(|p| p.0), Some(2));
        let err = parse(Path::new(".hadolint.yaml"), "strict-labels: maybe\n").unwrap_err();
        assert!(err.message.contains("strict-labels"));
        let err = parse(Path::new(".hadolint.yaml"), "ignored: [\n").unwrap_err();
        assert!(err.position().is_some());
    }

    #[test]
    fn migration_round_trips_through_dlint_toml() {
        let hadolint = read(Path::new(".hadolint.yaml"), YAML).unwrap();
        let toml_text = to_dlint_toml(&hadolint);
        assert!(
            toml_text.contains("ignore = [\"DL3008\", \"SC2086\"]"),
            "{toml_text}"
        );
        assert!(!toml_text.contains("left out"), "{toml_text}");
        let config = super::super::parse_config(Path::new("dlint.toml"), &toml_text).unwrap();
        let without_sc = YAML;
        let direct = parse(Path::new(".hadolint.yaml"), without_sc).unwrap();
        assert_eq!(config.severity, direct.severity);
        assert_eq!(config.rule_options, direct.rule_options);
        assert_eq!(config.failure_threshold, direct.failure_threshold);
        assert_eq!(config.selection.ignore, direct.selection.ignore);
    }
}
