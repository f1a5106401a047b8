//! Which options a file is linted with: the closest `dlint.toml` / `.dlint.toml` at or above
//! the file's directory (or one forced with `--config`), on top of the command line's options.
//!
//! Each directory is looked up once and each configuration file loaded once, so linting a
//! large tree costs a few `stat`s per directory, not per file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::LintOptions;
use crate::config::{find_config, load_config, load_named_config, ConfigError};
use crate::rules::shellcheck::{MissingShellcheck, Shellcheck, ShellcheckMode};

/// Resolves lint options per file. Not shared across threads: resolve first, then lint.
#[derive(Debug)]
pub struct OptionsResolver {
    base: Arc<LintOptions>,
    forced: Option<PathBuf>,
    /// `false` with `--isolated`: no configuration file is looked for or read.
    discover: bool,
    config_of_dir: HashMap<PathBuf, Option<PathBuf>>,
    loaded: HashMap<PathBuf, Result<Arc<LintOptions>, ConfigError>>,
    /// `--shellcheck` (wins over a configuration's `[lint] shellcheck`) and
    /// `--shellcheck-path`.
    shellcheck_mode: Option<ShellcheckMode>,
    shellcheck_path: Option<PathBuf>,
    /// Warnings of the configurations loaded since [`OptionsResolver::take_warnings`].
    warnings: Vec<String>,
}

impl OptionsResolver {
    /// `base` holds the command line's options (`--target`); `forced` is `--config FILE`,
    /// which then applies to every file instead of the discovered ones.
    pub fn new(base: LintOptions, forced: Option<PathBuf>) -> OptionsResolver {
        OptionsResolver {
            base: Arc::new(base),
            forced,
            discover: true,
            config_of_dir: HashMap::new(),
            loaded: HashMap::new(),
            shellcheck_mode: None,
            shellcheck_path: None,
            warnings: Vec::new(),
        }
    }

    /// Every file gets `base` alone: no `dlint.toml`, `.dlint.toml` or `.hadolint.yaml` is
    /// read (the command line's `--isolated`, for reproducible runs such as comparisons).
    pub fn isolated(base: LintOptions) -> OptionsResolver {
        OptionsResolver {
            discover: false,
            ..OptionsResolver::new(base, None)
        }
    }

    /// The command line's `--shellcheck` and `--shellcheck-path`. `base.shellcheck` is what
    /// files get when no configuration says `[lint] shellcheck`; a configuration that does
    /// is obeyed unless `mode` is given.
    pub fn with_shellcheck(mut self, mode: Option<ShellcheckMode>, path: Option<PathBuf>) -> Self {
        self.shellcheck_mode = mode;
        self.shellcheck_path = path;
        self
    }

    /// The options for a file at `path`; `None` (stdin with no name) looks from the current
    /// directory. A broken configuration file is an error for every file it governs.
    pub fn options_for(&mut self, path: Option<&Path>) -> Result<Arc<LintOptions>, ConfigError> {
        let named = self.forced.is_some();
        let config = match self.forced.clone() {
            Some(forced) => Some(forced),
            None if self.discover => self.config_for(path),
            None => None,
        };
        let Some(config) = config else {
            return Ok(Arc::clone(&self.base));
        };
        let base = &self.base;
        let (cli_mode, sc_path) = (self.shellcheck_mode, self.shellcheck_path.as_deref());
        let warnings = &mut self.warnings;
        self.loaded
            .entry(config.clone())
            .or_insert_with(|| {
                let loaded = if named {
                    load_named_config(&config)?
                } else {
                    load_config(&config)?
                };
                warnings.extend(loaded.warnings.iter().cloned());
                let shellcheck = match cli_mode.or(loaded.shellcheck) {
                    None => base.shellcheck.clone(),
                    Some(mode) => {
                        Shellcheck::for_mode(mode, sc_path).map_err(|missing| ConfigError {
                            hint: Some(MissingShellcheck::HINT.to_string()),
                            ..ConfigError::whole_file(
                                &config,
                                format!("[lint] shellcheck = \"always\": {missing}"),
                            )
                        })?
                    }
                };
                Ok(Arc::new(LintOptions {
                    // The command line's selectors apply on top of the file's.
                    selection: loaded.selection.overlaid_with(&base.selection),
                    knowledge: loaded.knowledge.clone(),
                    config: Some(Arc::new(loaded)),
                    shellcheck,
                    ..(**base).clone()
                }))
            })
            .clone()
    }

    /// Warnings of the configurations loaded since the last call (each file's once).
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    fn config_for(&mut self, path: Option<&Path>) -> Option<PathBuf> {
        let dir = match path.and_then(Path::parent) {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        // Absolute, so that the search goes above the current directory.
        let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        self.config_of_dir
            .entry(dir)
            .or_insert_with_key(|dir| find_config(dir))
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closest_configuration_wins_and_is_loaded_once() {
        let root = tempfile::tempdir().unwrap();
        let nested = root.path().join("svc");
        std::fs::create_dir_all(nested.join("deep")).unwrap();
        std::fs::write(
            root.path().join("dlint.toml"),
            "[lint]\nselect = [\"DL\"]\n",
        )
        .unwrap();
        std::fs::write(
            nested.join(".dlint.toml"),
            "[lint]\nignore = [\"DL3009\"]\n",
        )
        .unwrap();

        let mut resolver = OptionsResolver::new(LintOptions::default(), None);
        let top = resolver
            .options_for(Some(&root.path().join("Dockerfile")))
            .unwrap();
        assert!(top.selection.select.is_some());
        let deep = resolver
            .options_for(Some(&nested.join("deep/Dockerfile")))
            .unwrap();
        assert!(deep.selection.select.is_none());
        assert_eq!(deep.selection.ignore.len(), 1);
        let again = resolver
            .options_for(Some(&nested.join("Dockerfile")))
            .unwrap();
        assert!(Arc::ptr_eq(&deep, &again), "loaded once");
    }

    #[test]
    fn a_forced_configuration_applies_everywhere_and_keeps_the_target() {
        let root = tempfile::tempdir().unwrap();
        let forced = root.path().join("custom.toml");
        std::fs::write(&forced, "[lint]\nignore = [\"DL\"\n").unwrap();
        let base = LintOptions {
            target: Some("runtime".into()),
            ..LintOptions::default()
        };
        let mut resolver = OptionsResolver::new(base, Some(forced.clone()));
        let error = resolver.options_for(None).unwrap_err();
        assert_eq!(error.path, forced);

        std::fs::write(&forced, "[lint]\nignore = [\"DL\"]\n").unwrap();
        let mut resolver = OptionsResolver::new(
            LintOptions {
                target: Some("runtime".into()),
                ..LintOptions::default()
            },
            Some(forced),
        );
        let options = resolver
            .options_for(Some(Path::new("x/Dockerfile")))
            .unwrap();
        assert_eq!(options.target.as_deref(), Some("runtime"));
        assert_eq!(options.selection.ignore.len(), 1);
    }

    #[test]
    fn an_isolated_resolver_reads_no_configuration() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("dlint.toml"), "[lint]\nbroken = [\n").unwrap();
        let mut resolver = OptionsResolver::isolated(LintOptions::default());
        let options = resolver
            .options_for(Some(&root.path().join("Dockerfile")))
            .unwrap();
        assert!(options.config.is_none());
        assert!(OptionsResolver::new(LintOptions::default(), None)
            .options_for(Some(&root.path().join("Dockerfile")))
            .is_err());
    }
}
