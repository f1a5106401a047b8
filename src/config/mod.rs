//! Configuration: `dlint.toml` / `.dlint.toml`, found from a file's directory upward (the
//! closest wins); with none, an existing `.hadolint.yaml` is read so a team can switch with no
//! changes ([`hadolint`]).
//!
//! Shape (ruff-like):
//! ```toml
//! extend = "../dlint.toml"       # inherit, then override
//! failure-threshold = "warning"  # findings below this severity do not fail the run
//! trusted-registries = ["docker.io", "registry.example.com"]
//!
//! [lint]
//! select = ["DL", "IMG"]        # codes, code prefixes, names or families
//! ignore = ["DL3008"]
//! extend-select = ["SUP001"]
//! shellcheck = "auto"          # ShellCheck on RUN scripts: auto | always | never
//!
//! [lint.per-file-ignores]
//! "legacy/**" = ["IMG001"]
//!
//! [lint.severity]
//! DL3009 = "error"
//!
//! [label-schema]
//! maintainer = "email"
//!
//! [images."registry.example.com/base/python"]   # knowledge-base overrides
//! like = "python"
//! ```
//! Unknown keys and wrong types are errors that name the file, the line and the key.

pub mod hadolint;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobMatcher};
use serde::Deserialize;

use crate::knowledge::Knowledge;
use crate::rules::{all_rules, RuleSelector, Selection, Severity};
use crate::shellcheck::ShellcheckMode;

pub const CONFIG_FILE_NAMES: [&str; 2] = ["dlint.toml", ".dlint.toml"];

/// How deep `extend` chains may go before we call it a cycle.
const MAX_EXTEND_DEPTH: usize = 16;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    extend: Option<String>,
    failure_threshold: Option<String>,
    trusted_registries: Option<Vec<String>>,
    label_schema: Option<BTreeMap<String, String>>,
    strict_labels: Option<bool>,
    #[serde(default)]
    lint: RawLint,
    images: Option<toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawLint {
    select: Option<Vec<String>>,
    #[serde(default)]
    extend_select: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    per_file_ignores: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    severity: BTreeMap<String, String>,
    shellcheck: Option<ShellcheckMode>,
}

/// Rules silenced for files matching a glob (relative to the configuration's directory).
#[derive(Debug, Clone)]
pub struct PerFileIgnore {
    pub pattern: String,
    pub matcher: GlobMatcher,
    pub selectors: Vec<RuleSelector>,
}

/// Settings individual rules read (trusted registries, label schema).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleOptions {
    /// `DL3026`: registries images may come from; empty means the rule is off.
    pub trusted_registries: Vec<String>,
    /// Label name → type (`text`, `url`, `email`, `rfc3339`, `semver`, `hash`, `spdx`).
    pub label_schema: BTreeMap<String, String>,
    /// Labels outside the schema are findings.
    pub strict_labels: bool,
}

/// A loaded configuration file.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    pub selection: Selection,
    pub per_file_ignores: Vec<PerFileIgnore>,
    /// Severity overrides by rule code.
    pub severity: HashMap<&'static str, Severity>,
    /// Findings less severe than this do not make the run fail; `None`: every finding does.
    /// `Some(None)`-like "never fail" is expressed by [`Config::never_fail`].
    pub failure_threshold: Option<Severity>,
    pub never_fail: bool,
    pub rule_options: RuleOptions,
    /// The knowledge base with this file's `[images]` applied.
    pub knowledge: Option<Arc<Knowledge>>,
    /// `[lint] shellcheck = "auto" | "always" | "never"`; `None` when not set.
    pub shellcheck: Option<ShellcheckMode>,
}

impl Config {
    fn empty(path: &Path) -> Config {
        Config {
            path: path.to_path_buf(),
            selection: Selection::default(),
            per_file_ignores: Vec::new(),
            severity: HashMap::new(),
            failure_threshold: None,
            never_fail: false,
            rule_options: RuleOptions::default(),
            knowledge: None,
            shellcheck: None,
        }
    }

    /// The directory globs in `per-file-ignores` are relative to.
    pub fn root(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// Is `code` silenced for the file at `path` by `per-file-ignores`?
    pub fn ignored_for(&self, path: &Path, meta: &crate::rules::RuleMeta) -> bool {
        let relative = path.strip_prefix(self.root()).unwrap_or(path);
        self.per_file_ignores.iter().any(|p| {
            (p.matcher.is_match(relative) || p.matcher.is_match(path))
                && p.selectors.iter().any(|s| s.matches(meta))
        })
    }
}

/// A configuration problem, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based line and column, when known.
    pub position: Option<(usize, usize)>,
    pub message: String,
    pub hint: Option<String>,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

/// The configuration that governs files in `dir`: the closest `dlint.toml`/`.dlint.toml` at or
/// above it; failing that, the closest `.hadolint.yaml`/`.hadolint.yml`.
pub fn find_config(dir: &Path) -> Option<PathBuf> {
    let find = |names: &[&str]| {
        dir.ancestors()
            .find_map(|d| names.iter().map(|name| d.join(name)).find(|p| p.is_file()))
    };
    find(&CONFIG_FILE_NAMES).or_else(|| find(&hadolint::FILE_NAMES))
}

/// Reads and checks a configuration file (dlint's TOML or hadolint's YAML, by name).
pub fn load_config(path: &Path) -> Result<Config, ConfigError> {
    load_with_depth(path, 0)
}

fn load_with_depth(path: &Path, depth: usize) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        position: None,
        message: format!("cannot read the configuration file: {e}"),
        hint: None,
    })?;
    if hadolint::is_hadolint_file(path) {
        return hadolint::parse(path, &text);
    }
    parse_with_depth(path, &text, depth)
}

/// Parses configuration text (`path` is used in messages and to resolve `extend`).
pub fn parse_config(path: &Path, text: &str) -> Result<Config, ConfigError> {
    parse_with_depth(path, text, 0)
}

fn parse_with_depth(path: &Path, text: &str, depth: usize) -> Result<Config, ConfigError> {
    let error = |message: String, offset: Option<usize>, hint: Option<&str>| ConfigError {
        path: path.to_path_buf(),
        position: offset.map(|o| line_col(text, o)),
        message,
        hint: hint.map(String::from),
    };
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        error(
            e.message().to_string(),
            e.span().map(|s| s.start),
            Some("see the configuration section of the README for the accepted keys"),
        )
    })?;
    let mut config = match &raw.extend {
        Some(base) if depth >= MAX_EXTEND_DEPTH => {
            return Err(error(
                format!("`extend = \"{base}\"`: too many levels (a cycle?)"),
                find_offset(text, base),
                None,
            ))
        }
        Some(base) => {
            let base_path = path.parent().unwrap_or(Path::new(".")).join(base);
            let mut inherited = load_with_depth(&base_path, depth + 1).map_err(|e| {
                error(
                    format!("`extend = \"{base}\"`: {e}"),
                    find_offset(text, base),
                    None,
                )
            })?;
            inherited.path = path.to_path_buf();
            inherited
        }
        None => Config::empty(path),
    };
    let selectors = |list: &[String], key: &str| -> Result<Vec<RuleSelector>, ConfigError> {
        list.iter()
            .map(|s| {
                RuleSelector::parse(s).map_err(|e| {
                    error(
                        format!("{key}: {e}"),
                        find_offset(text, s),
                        Some("`dlint rules` lists every code and name"),
                    )
                })
            })
            .collect()
    };
    let own = Selection {
        select: raw
            .lint
            .select
            .as_deref()
            .map(|s| selectors(s, "lint.select"))
            .transpose()?,
        extend_select: selectors(&raw.lint.extend_select, "lint.extend-select")?,
        ignore: selectors(&raw.lint.ignore, "lint.ignore")?,
    };
    config.selection = config.selection.overlaid_with(&own);
    for (pattern, codes) in &raw.lint.per_file_ignores {
        let matcher = Glob::new(pattern)
            .map_err(|e| {
                error(
                    format!("lint.per-file-ignores: `{pattern}` is not a glob: {e}"),
                    find_offset(text, pattern),
                    None,
                )
            })?
            .compile_matcher();
        config.per_file_ignores.push(PerFileIgnore {
            pattern: pattern.clone(),
            matcher,
            selectors: selectors(codes, "lint.per-file-ignores")?,
        });
    }
    for (code, level) in &raw.lint.severity {
        let severity = Severity::parse(level).ok_or_else(|| {
            error(
                format!("lint.severity.{code}: `{level}` is not a severity"),
                find_offset(text, level),
                Some("use error, warning, info or style"),
            )
        })?;
        let selector = selectors(std::slice::from_ref(code), "lint.severity")?;
        for rule in all_rules() {
            if selector[0].matches(rule.meta()) {
                config.severity.insert(rule.meta().code, severity);
            }
        }
        if let Some(sc) = crate::shellcheck::parse_code(code) {
            let meta = crate::shellcheck::meta_for(sc, severity);
            config.severity.insert(meta.code, severity);
        }
    }
    if let Some(threshold) = &raw.failure_threshold {
        match threshold.to_ascii_lowercase().as_str() {
            "none" => config.never_fail = true,
            level => {
                config.failure_threshold = Some(Severity::parse(level).ok_or_else(|| {
                    error(
                        format!("failure-threshold: `{threshold}` is not a severity"),
                        find_offset(text, threshold),
                        Some("use error, warning, info, style or none"),
                    )
                })?);
            }
        }
    }
    if let Some(mode) = raw.lint.shellcheck {
        config.shellcheck = Some(mode);
    }
    if let Some(registries) = raw.trusted_registries {
        config.rule_options.trusted_registries = registries;
    }
    if let Some(schema) = raw.label_schema {
        config.rule_options.label_schema = schema;
    }
    if let Some(strict) = raw.strict_labels {
        config.rule_options.strict_labels = strict;
    }
    if let Some(images) = &raw.images {
        let base = config
            .knowledge
            .clone()
            .unwrap_or_else(|| Arc::new(Knowledge::builtin().clone()));
        let merged = base.with_overrides(images).map_err(|e| {
            let message = e.to_string();
            let offset = message
                .split('"')
                .nth(1)
                .and_then(|key| find_offset(text, key));
            error(message, offset, None)
        })?;
        config.knowledge = Some(Arc::new(merged));
    }
    Ok(config)
}

pub(crate) fn find_offset(text: &str, needle: &str) -> Option<usize> {
    (!needle.is_empty()).then(|| text.find(needle)).flatten()
}

pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests;
