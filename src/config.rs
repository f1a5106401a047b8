//! `dlint.toml` / `.dlint.toml`: found from a file's directory upward, the closest wins.
//!
//! Shape (ruff-like):
//! ```toml
//! [lint]
//! select = ["DL", "IMG"]        # codes, code prefixes, names or families
//! ignore = ["DL3008"]
//! extend-select = ["DL3057"]
//!
//! [images."registry.example.com/base/python"]   # knowledge-base overrides
//! like = "python"
//! default_class = "slim"
//! ```
//! Unknown keys and wrong types are errors that name the file, the line and the key.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::knowledge::Knowledge;
use crate::rules::{RuleSelector, Selection};

pub const CONFIG_FILE_NAMES: [&str; 2] = ["dlint.toml", ".dlint.toml"];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
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
}

/// A loaded configuration file.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    pub selection: Selection,
    /// The knowledge base with this file's `[images]` applied.
    pub knowledge: Option<Arc<Knowledge>>,
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

/// The closest configuration file at or above `dir`.
pub fn find_config(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().find_map(|d| {
        CONFIG_FILE_NAMES
            .iter()
            .map(|name| d.join(name))
            .find(|p| p.is_file())
    })
}

/// Reads and checks a configuration file.
pub fn load_config(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        position: None,
        message: format!("cannot read the configuration file: {e}"),
        hint: None,
    })?;
    parse_config(path, &text)
}

/// Parses configuration text (`path` is only used in messages).
pub fn parse_config(path: &Path, text: &str) -> Result<Config, ConfigError> {
    let error = |message: String, offset: Option<usize>, hint: Option<String>| ConfigError {
        path: path.to_path_buf(),
        position: offset.map(|o| line_col(text, o)),
        message,
        hint,
    };
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        error(
            e.message().to_string(),
            e.span().map(|s| s.start),
            Some("see the configuration section of the README for the accepted keys".into()),
        )
    })?;
    let selectors = |list: &[String], key: &str| -> Result<Vec<RuleSelector>, ConfigError> {
        list.iter()
            .map(|s| {
                RuleSelector::parse(s).map_err(|e| {
                    error(
                        format!("lint.{key}: {e}"),
                        find_offset(text, s),
                        Some("`dlint rules` lists every code and name".into()),
                    )
                })
            })
            .collect()
    };
    let selection = Selection {
        select: raw
            .lint
            .select
            .as_deref()
            .map(|s| selectors(s, "select"))
            .transpose()?,
        extend_select: selectors(&raw.lint.extend_select, "extend-select")?,
        ignore: selectors(&raw.lint.ignore, "ignore")?,
    };
    let knowledge = match &raw.images {
        Some(images) => {
            let merged = Knowledge::builtin().with_overrides(images).map_err(|e| {
                let message = e.to_string();
                let offset = message
                    .split('"')
                    .nth(1)
                    .and_then(|key| find_offset(text, key));
                error(message, offset, None)
            })?;
            Some(Arc::new(merged))
        }
        None => None,
    };
    Ok(Config {
        path: path.to_path_buf(),
        selection,
        knowledge,
    })
}

fn find_offset(text: &str, needle: &str) -> Option<usize> {
    (!needle.is_empty()).then(|| text.find(needle)).flatten()
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lint_selection() {
        let config = parse_config(
            Path::new("dlint.toml"),
            "[lint]\nselect = [\"DL\"]\nignore = [\"DL3009\"]\n",
        )
        .unwrap();
        assert_eq!(config.selection.select.as_ref().map(Vec::len), Some(1));
        assert_eq!(config.selection.ignore.len(), 1);
    }

    #[test]
    fn unknown_keys_name_file_line_and_key() {
        let err = parse_config(Path::new("dlint.toml"), "[lint]\nselekt = [\"DL\"]\n").unwrap_err();
        assert_eq!(err.position.map(|p| p.0), Some(2));
        assert!(err.message.contains("selekt"), "{}", err.message);
        let err =
            parse_config(Path::new("dlint.toml"), "[lint]\nignore = [\"NOPE9\"]\n").unwrap_err();
        assert!(err.message.contains("NOPE9"));
        assert_eq!(err.position.map(|p| p.0), Some(2));
    }

    #[test]
    fn images_overrides_reach_the_knowledge_base() {
        let config = parse_config(
            Path::new("dlint.toml"),
            "[images.\"registry.example.com/base/python\"]\nlike = \"python\"\n",
        );
        match config {
            Ok(c) => {
                let kb = c.knowledge.unwrap();
                assert!(kb
                    .classify("registry.example.com/base/python", Some("3.12"))
                    .is_some());
            }
            Err(e) => panic!("{e}"),
        }
    }
}
