//! Which options each document is linted with: the closest `dlint.toml` / `.dlint.toml`, as
//! for the command line ([`OptionsResolver`]), reloaded when a configuration file changes.
//!
//! The client reports changes with `workspace/didChangeWatchedFiles` (the server registers a
//! watcher when the client allows it) or by saving a configuration file it has open. Clients
//! that can do neither are covered too: before linting, the configuration files in use are
//! checked for a new modification time, a few `stat`s per lint.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::config::{find_config, ConfigError};
use crate::linter::{LintOptions, OptionsResolver};
use crate::rules::shellcheck::{Shellcheck, ShellcheckMode};

/// What the command line says about linting: `dlint server --config FILE --shellcheck WHEN
/// --shellcheck-path FILE` (the editor extensions' settings).
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    pub config: Option<PathBuf>,
    pub shellcheck: Option<ShellcheckMode>,
    pub shellcheck_path: Option<PathBuf>,
}

pub struct Settings {
    options: ServerOptions,
    resolver: OptionsResolver,
    /// Bumped on every reload; lint results remember the generation they were computed under.
    generation: u64,
    /// Configuration files in use, with their modification time when loaded.
    seen: HashMap<PathBuf, Option<SystemTime>>,
    /// Directories of linted documents, with the configuration file that governs them.
    dirs: HashMap<PathBuf, Option<PathBuf>>,
    /// Workspace folders, for documents that are not files (`untitled:`).
    roots: Vec<PathBuf>,
}

/// The options for one document, and the configuration problem to tell the user about, if any
/// (the document is then linted with the defaults).
pub struct Resolved {
    pub options: Arc<LintOptions>,
    pub error: Option<ConfigError>,
    /// Warnings about configurations loaded for it (another user's file).
    pub warnings: Vec<String>,
}

impl Settings {
    pub fn new(roots: Vec<PathBuf>, options: ServerOptions) -> Settings {
        Settings {
            resolver: resolver(&options),
            options,
            generation: 0,
            seen: HashMap::new(),
            dirs: HashMap::new(),
            roots,
        }
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Forgets every loaded configuration.
    pub fn reload(&mut self) {
        self.resolver = resolver(&self.options);
        self.seen.clear();
        self.dirs.clear();
        self.generation += 1;
    }

    /// Reloads when a configuration file in use changed on disk or disappeared, or one
    /// appeared closer to a document. Returns whether it did.
    pub fn reload_if_stale(&mut self) -> bool {
        let stale = self
            .seen
            .iter()
            .any(|(path, modified)| modified_time(path) != *modified)
            || self
                .dirs
                .iter()
                .any(|(dir, config)| find_config(dir) != *config);
        if stale {
            self.reload();
        }
        stale
    }

    pub fn options_for(&mut self, path: Option<&Path>) -> Resolved {
        let fallback;
        let path = match path {
            Some(path) => Some(path),
            None => {
                fallback = self.roots.first().map(|root| root.join("Dockerfile"));
                fallback.as_deref()
            }
        };
        if let Some(forced) = &self.options.config {
            self.seen
                .entry(forced.clone())
                .or_insert_with_key(|config| modified_time(config));
        }
        if let Some(dir) = path.and_then(Path::parent) {
            if !self.dirs.contains_key(dir) {
                let config = find_config(dir);
                if let Some(config) = &config {
                    self.seen
                        .entry(config.clone())
                        .or_insert_with_key(|config| modified_time(config));
                }
                self.dirs.insert(dir.to_path_buf(), config);
            }
        }
        let resolved = self.resolver.options_for(path);
        let warnings = self.resolver.take_warnings();
        match resolved {
            Ok(options) => Resolved {
                options,
                error: None,
                warnings,
            },
            Err(error) => Resolved {
                options: Arc::new(LintOptions::default()),
                error: Some(error),
                warnings,
            },
        }
    }
}

/// As `dlint check` with the same options: by default ShellCheck runs when a binary is found
/// (`$DLINT_SHELLCHECK` or `shellcheck` on PATH), unless a configuration says otherwise.
fn resolver(options: &ServerOptions) -> OptionsResolver {
    let path = options.shellcheck_path.as_deref();
    // `always` with no binary: the editor gets dlint's own findings rather than no server.
    let shellcheck = match options.shellcheck {
        Some(ShellcheckMode::Never) => None,
        _ => Shellcheck::locate(path),
    };
    let base = LintOptions {
        shellcheck,
        ..LintOptions::default()
    };
    OptionsResolver::new(base, options.config.clone())
        .with_shellcheck(options.shellcheck, options.shellcheck_path.clone())
}

fn modified_time(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}
