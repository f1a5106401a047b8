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
//! [lint.per-file-purpose]         # what the image is for; size rules act on applications
//! "images/base/**" = "base-image"
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

mod error;
pub mod hadolint;
mod trust;
mod yaml_aliases;

pub use error::ConfigError;
pub(crate) use error::{did_you_mean, find_key_span, find_span, one_of};
pub use trust::{inside_project, project_root};

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobMatcher};
use serde::Deserialize;
use toml::Spanned;

use crate::knowledge::Knowledge;
use crate::rules::shellcheck::ShellcheckMode;
pub use crate::rules::RuleOptions;
use crate::rules::{all_rules, RuleSelector, Selection, Severity};
use crate::semantic::Purpose;

pub const CONFIG_FILE_NAMES: [&str; 2] = ["dlint.toml", ".dlint.toml"];

/// How deep `extend` chains may go before we call it a cycle.
const MAX_EXTEND_DEPTH: usize = 16;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    extend: Option<Spanned<String>>,
    failure_threshold: Option<Spanned<String>>,
    trusted_registries: Option<Vec<String>>,
    label_schema: Option<BTreeMap<String, Spanned<String>>>,
    strict_labels: Option<bool>,
    #[serde(default)]
    lint: RawLint,
    images: Option<toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawLint {
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    extend_select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    per_file_ignores: BTreeMap<String, Vec<Spanned<String>>>,
    #[serde(default)]
    per_file_purpose: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<String, Spanned<String>>,
    shellcheck: Option<ShellcheckMode>,
}

/// Rules silenced for files matching a glob (relative to the configuration's directory).
#[derive(Debug, Clone)]
pub struct PerFileIgnore {
    pub pattern: String,
    pub matcher: GlobMatcher,
    pub selectors: Vec<RuleSelector>,
}

/// The purpose stated for files matching a glob (relative to the configuration's directory).
#[derive(Debug, Clone)]
pub struct PerFilePurpose {
    pub pattern: String,
    pub matcher: GlobMatcher,
    pub purpose: Purpose,
}

/// A loaded configuration file.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    pub selection: Selection,
    pub per_file_ignores: Vec<PerFileIgnore>,
    /// `[lint.per-file-purpose]`, most specific first (the first match wins).
    pub per_file_purpose: Vec<PerFilePurpose>,
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
    /// What the user should know about where this configuration came from (a file owned by
    /// another user).
    pub warnings: Vec<String>,
}

impl Config {
    fn empty(path: &Path) -> Config {
        Config {
            path: path.to_path_buf(),
            selection: Selection::default(),
            per_file_ignores: Vec::new(),
            per_file_purpose: Vec::new(),
            severity: HashMap::new(),
            failure_threshold: None,
            never_fail: false,
            rule_options: RuleOptions::default(),
            knowledge: None,
            shellcheck: None,
            warnings: Vec::new(),
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

impl Config {
    /// The purpose `[lint.per-file-purpose]` states for the file at `path`: of the globs that
    /// match, the longest wins (an extending file's globs before the ones it extends).
    pub fn purpose_for(&self, path: &Path) -> Option<Purpose> {
        let relative = path.strip_prefix(self.root()).unwrap_or(path);
        self.per_file_purpose
            .iter()
            .find(|p| p.matcher.is_match(relative) || p.matcher.is_match(path))
            .map(|p| p.purpose)
    }
}

/// The configuration that governs files in `dir`: the closest `dlint.toml`/`.dlint.toml` at or
/// above it; failing that, the closest `.hadolint.yaml`/`.hadolint.yml`; failing that,
/// hadolint's user-level configuration. Whatever holds the name counts (a FIFO, a broken
/// symlink): loading it then reports why it cannot be used, rather than it being skipped.
pub fn find_config(dir: &Path) -> Option<PathBuf> {
    let find = |names: &[&str]| {
        dir.ancestors()
            .find_map(|d| names.iter().map(|name| d.join(name)).find(|p| exists(p)))
    };
    find(&CONFIG_FILE_NAMES)
        .or_else(|| find(&hadolint::FILE_NAMES))
        .or_else(user_hadolint_config)
}

/// hadolint's user-level configuration, in the order hadolint looks for it:
/// `$XDG_CONFIG_HOME/hadolint.yaml` (`~/.config` when unset), `~/.hadolint/hadolint.yaml`,
/// `~/hadolint/config.yaml`, `~/.hadolint.yaml`.
fn user_hadolint_config() -> Option<PathBuf> {
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from);
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| home.as_ref().map(|h| h.join(".config")));
    let mut candidates: Vec<PathBuf> = xdg.map(|x| x.join("hadolint.yaml")).into_iter().collect();
    if let Some(home) = home {
        candidates.push(home.join(".hadolint/hadolint.yaml"));
        candidates.push(home.join("hadolint/config.yaml"));
        candidates.push(home.join(".hadolint.yaml"));
    }
    candidates.into_iter().find(|p| exists(p))
}

fn exists(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}

/// Reads and checks a configuration file that was found (dlint's TOML or hadolint's YAML, by
/// name): it must lie inside its project, symlinks resolved (the user's own hadolint
/// configuration excepted), and so must every file it `extend`s.
pub fn load_config(path: &Path) -> Result<Config, ConfigError> {
    let own = user_hadolint_config().is_some_and(|user| user == path);
    if !own {
        inside_project(path).map_err(|why| trust::outside_error(path, why))?;
    }
    load_named_config(path)
}

/// Reads and checks a configuration file the user named (`--config`): read wherever it is;
/// the files it `extend`s must lie inside its project.
pub fn load_named_config(path: &Path) -> Result<Config, ConfigError> {
    load_with_depth(path, &trust::root_for(path), 0)
}

fn load_with_depth(path: &Path, root: &Path, depth: usize) -> Result<Config, ConfigError> {
    let text = trust::read_config_file(path)?;
    let mut config = if hadolint::is_hadolint_file(path) {
        hadolint::parse(path, &text)?
    } else {
        parse_with_depth(path, &text, root, depth)?
    };
    config.warnings.extend(trust::ownership_warning(path));
    Ok(config)
}

/// Parses configuration text (`path` is used in messages and to resolve `extend`).
pub fn parse_config(path: &Path, text: &str) -> Result<Config, ConfigError> {
    parse_with_depth(path, text, &trust::root_for(path), 0)
}

fn parse_with_depth(
    path: &Path,
    text: &str,
    root: &Path,
    depth: usize,
) -> Result<Config, ConfigError> {
    let error = |message: String, span: Option<std::ops::Range<usize>>, hint: Option<String>| {
        ConfigError::at(path, text, span, message, hint)
    };
    let raw: RawConfig = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
    let mut config = match &raw.extend {
        Some(base) if depth >= MAX_EXTEND_DEPTH => {
            return Err(error(
                format!(
                    "`extend = \"{}\"`: too many levels (a cycle?)",
                    base.get_ref()
                ),
                Some(base.span()),
                None,
            ))
        }
        Some(base) => {
            let base_path = path.parent().unwrap_or(Path::new(".")).join(base.get_ref());
            trust::inside(&base_path, root).map_err(|why| {
                error(
                    format!("`extend = \"{}\"`: {why}", base.get_ref()),
                    Some(base.span()),
                    Some(
                        "`extend` names a file inside the project; to use one elsewhere, pass it with `--config FILE`"
                            .into(),
                    ),
                )
            })?;
            let mut inherited = load_with_depth(&base_path, root, depth + 1).map_err(|e| {
                error(
                    format!("`extend = \"{}\"`: {e}", base.get_ref()),
                    Some(base.span()),
                    e.hint.clone(),
                )
            })?;
            inherited.path = path.to_path_buf();
            inherited
        }
        None => Config::empty(path),
    };
    let selectors =
        |list: &[Spanned<String>], key: &str| -> Result<Vec<RuleSelector>, ConfigError> {
            list.iter()
                .map(|s| selector(path, text, s.get_ref(), Some(s.span()), key))
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
    let per_file_table = find_key_span(text, "per-file-ignores", 0).map_or(0, |s| s.end);
    for (pattern, codes) in &raw.lint.per_file_ignores {
        let matcher = Glob::new(pattern)
            .map_err(|e| {
                error(
                    format!(
                        "lint.per-file-ignores: `{pattern}` is not a glob: {}",
                        e.kind()
                    ),
                    find_key_span(text, pattern, per_file_table),
                    Some("globs use `*`, `**`, `?`, `[abc]` and `{a,b}`".into()),
                )
            })?
            .compile_matcher();
        config.per_file_ignores.push(PerFileIgnore {
            pattern: pattern.clone(),
            matcher,
            selectors: selectors(codes, "lint.per-file-ignores")?,
        });
    }
    let purpose_table = find_key_span(text, "per-file-purpose", 0).map_or(0, |s| s.end);
    let mut own_purposes = Vec::new();
    for (pattern, purpose) in &raw.lint.per_file_purpose {
        let matcher = Glob::new(pattern)
            .map_err(|e| {
                error(
                    format!(
                        "lint.per-file-purpose: `{pattern}` is not a glob: {}",
                        e.kind()
                    ),
                    find_key_span(text, pattern, purpose_table),
                    Some("globs use `*`, `**`, `?`, `[abc]` and `{a,b}`".into()),
                )
            })?
            .compile_matcher();
        let written = purpose.get_ref();
        let parsed = Purpose::parse(written).ok_or_else(|| {
            let names = Purpose::names();
            let hint = did_you_mean(written, names.iter().copied())
                .map(|d| format!("{d} ({})", one_of(&names)))
                .unwrap_or_else(|| one_of(&names));
            error(
                format!("lint.per-file-purpose.\"{pattern}\": `{written}` is not an image purpose"),
                Some(purpose.span()),
                Some(hint),
            )
        })?;
        own_purposes.push(PerFilePurpose {
            pattern: pattern.clone(),
            matcher,
            purpose: parsed,
        });
    }
    // The longest glob is the most specific; this file's globs come before the ones it extends.
    own_purposes.sort_by_key(|p| std::cmp::Reverse(p.pattern.len()));
    own_purposes.append(&mut config.per_file_purpose);
    config.per_file_purpose = own_purposes;
    let severity_table = find_key_span(text, "severity", 0).map_or(0, |s| s.end);
    for (code, level) in &raw.lint.severity {
        let severity = Severity::parse(level.get_ref()).ok_or_else(|| {
            error(
                format!(
                    "lint.severity.{code}: `{}` is not a severity",
                    level.get_ref()
                ),
                Some(level.span()),
                Some(one_of(&SEVERITIES)),
            )
        })?;
        let key_span = find_key_span(text, code, severity_table);
        let selector = selector(path, text, code, key_span, "lint.severity")?;
        for rule in all_rules() {
            if selector.matches(rule.meta()) {
                config.severity.insert(rule.meta().code, severity);
            }
        }
        if let Some(sc) = crate::rules::shellcheck::parse_code(code) {
            let meta = crate::rules::shellcheck::meta_for(sc, severity);
            config.severity.insert(meta.code, severity);
        }
    }
    if let Some(threshold) = &raw.failure_threshold {
        match threshold.get_ref().to_ascii_lowercase().as_str() {
            "none" => config.never_fail = true,
            level => {
                config.failure_threshold = Some(Severity::parse(level).ok_or_else(|| {
                    error(
                        format!(
                            "failure-threshold: `{}` is not a severity",
                            threshold.get_ref()
                        ),
                        Some(threshold.span()),
                        Some(one_of(&[SEVERITIES.as_slice(), &["none"]].concat())),
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
        let mut checked = BTreeMap::new();
        for (label, kind) in schema {
            let (span, kind) = (kind.span(), kind.into_inner());
            check_label_type(path, text, &label, &kind, Some(span))?;
            checked.insert(label, kind);
        }
        config.rule_options.label_schema = checked;
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
            let span = message
                .split('"')
                .nth(1)
                .and_then(|key| find_span(text, key, 0));
            error(message, span, None)
        })?;
        config.knowledge = Some(Arc::new(merged));
    }
    Ok(config)
}

/// The severity names, for hints.
const SEVERITIES: [&str; 4] = ["error", "warning", "info", "style"];

/// The keys `dlint.toml` accepts at the top and in `[lint]`, for "did you mean".
const TOML_KEYS: [&str; 13] = [
    "extend",
    "failure-threshold",
    "trusted-registries",
    "label-schema",
    "strict-labels",
    "lint",
    "images",
    "select",
    "extend-select",
    "ignore",
    "per-file-ignores",
    "per-file-purpose",
    "severity",
];

/// A rule selector from the configuration, or an error pointing at it.
fn selector(
    path: &Path,
    text: &str,
    written: &str,
    span: Option<std::ops::Range<usize>>,
    key: &str,
) -> Result<RuleSelector, ConfigError> {
    RuleSelector::parse(written).map_err(|e| {
        let names = all_rules()
            .iter()
            .flat_map(|r| [r.meta().code, r.meta().name]);
        let hint = did_you_mean(written, names)
            .map(|d| format!("{d} (`dlint rules` lists every code and name)"))
            .unwrap_or_else(|| "`dlint rules` lists every code and name".into());
        ConfigError::at(path, text, span, format!("{key}: {e}"), Some(hint))
    })
}

/// A label-schema type must be one hadolint knows.
pub(crate) fn check_label_type(
    path: &Path,
    text: &str,
    label: &str,
    kind: &str,
    span: Option<std::ops::Range<usize>>,
) -> Result<(), ConfigError> {
    use crate::rules::hadolint::labels::LABEL_TYPES;
    if LABEL_TYPES.iter().any(|t| t.eq_ignore_ascii_case(kind)) {
        return Ok(());
    }
    let hint = did_you_mean(kind, LABEL_TYPES).map_or_else(
        || one_of(&LABEL_TYPES),
        |d| format!("{d} ({})", one_of(&LABEL_TYPES)),
    );
    Err(ConfigError::at(
        path,
        text,
        span,
        format!("label-schema.{label}: `{kind}` is not a label type"),
        Some(hint),
    ))
}

/// A TOML syntax or shape error, with the key it is about and a hint.
fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> ConfigError {
    let message = e.message().trim_end();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or_default();
        // serde lists the fields of the table the key is in.
        let expected: Vec<&str> = rest
            .split_once("expected")
            .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let candidates = if expected.is_empty() {
            TOML_KEYS.to_vec()
        } else {
            expected.clone()
        };
        let hint = did_you_mean(field, candidates.iter().copied())
            .or_else(|| (!expected.is_empty()).then(|| one_of(&expected)));
        return ConfigError::at(path, text, e.span(), format!("unknown key `{field}`"), hint);
    }
    // Name the key whose value is wrong: the text before `=` on the error's line.
    let key = e.span().and_then(|span| {
        let line_start = text[..span.start.min(text.len())]
            .rfind('\n')
            .map_or(0, |at| at + 1);
        let line = &text[line_start..];
        let line = line.split('\n').next().unwrap_or_default();
        let (key, _) = line.split_once('=')?;
        let key = key.trim().trim_matches('"');
        (!key.is_empty() && !key.starts_with('[')).then(|| key.to_string())
    });
    let message = match key {
        Some(key) => format!("`{key}`: {message}"),
        None => message.to_string(),
    };
    ConfigError::at(
        path,
        text,
        e.span(),
        message,
        Some("see the configuration section of the README for the accepted keys".into()),
    )
}

#[cfg(test)]
mod tests;
