//! ShellCheck on RUN scripts, with findings at their exact place in the Dockerfile.
//!
//! hadolint runs ShellCheck on every shell-form RUN and reports on the RUN's first line;
//! dlint runs the `shellcheck` binary (when there is one) on the same scripts, prepared the
//! same way ([`script`]: the stage's SHELL as `#!`, the ARG and ENV names exported, SC2187
//! and SC1090 excluded), and maps each comment's line and column back through BuildKit's
//! joined line to the file ([`position`]). Scripts are checked in batches of many per
//! `shellcheck` process, on all cores, each distinct script once per run, with results kept in
//! a persistent cache keyed by ShellCheck's version, options and the script ([`results`],
//! [`cache`]). A ShellCheck that fails or runs past its time limit is an error the caller
//! reports, never "no findings" ([`process`]).
//!
//! Findings carry ShellCheck's code (`SC2086`, name `shellcheck-2086`, family `shellcheck`),
//! its level as severity, its message, the wiki page as URL, and its edit as an unsafe fix.
//! They go through the same selection, per-file ignores and suppression comments as every
//! rule ([`codes`]).

pub mod cache;
pub mod codes;
mod position;
mod process;
mod results;
mod script;

use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use codes::{meta_for, parse_code, selector_may_match};
pub use position::ScriptText;
pub use process::{check_scripts, Comment, RunError, EXCLUDED, TIMEOUT_ENV};
pub use results::{activity, check_texts, use_cache, Activity};
pub use script::{dialect, prepare, PreparedScript};

use crate::fix::{Edit, Fix};
use crate::rules::{Finding, Selection, Violation};
use crate::semantic::Model;
use crate::syntax::Tree;

/// The environment variable naming the binary to run (`--shellcheck-path` wins over it).
pub const PATH_ENV: &str = "DLINT_SHELLCHECK";

/// Whether to run ShellCheck: `auto` when the binary is found, `always` (a missing binary
/// is an error), `never`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ShellcheckMode {
    #[default]
    Auto,
    Always,
    Never,
}

impl ShellcheckMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ShellcheckMode::Auto => "auto",
            ShellcheckMode::Always => "always",
            ShellcheckMode::Never => "never",
        }
    }
}

/// `always` was asked for and no binary was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingShellcheck {
    /// The path that was asked for, when one was.
    pub asked: Option<PathBuf>,
}

impl MissingShellcheck {
    pub const HINT: &'static str =
        "install it (`apt-get install shellcheck`, `brew install shellcheck`), point \
         `--shellcheck-path` or DLINT_SHELLCHECK at it, or use `--shellcheck auto`";
}

impl std::fmt::Display for MissingShellcheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.asked {
            Some(path) => write!(
                f,
                "shellcheck is required (`--shellcheck always`) but `{}` is not an executable file",
                path.display()
            ),
            None => f.write_str(
                "shellcheck is required (`--shellcheck always`) but no `shellcheck` binary is on PATH",
            ),
        }
    }
}

impl std::error::Error for MissingShellcheck {}

/// A `shellcheck` binary to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shellcheck {
    binary: PathBuf,
}

impl Shellcheck {
    pub fn new(binary: impl Into<PathBuf>) -> Shellcheck {
        Shellcheck {
            binary: binary.into(),
        }
    }

    pub fn binary(&self) -> &Path {
        &self.binary
    }

    /// Finds the binary: `explicit` (`--shellcheck-path`), else `$DLINT_SHELLCHECK`, else
    /// `shellcheck` on PATH. A name without a `/` is looked up on PATH.
    pub fn locate(explicit: Option<&Path>) -> Option<Shellcheck> {
        let from_env = std::env::var_os(PATH_ENV).filter(|v| !v.is_empty());
        let wanted = explicit
            .map(Path::to_path_buf)
            .or_else(|| from_env.map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("shellcheck"));
        find_executable(&wanted).map(Shellcheck::new)
    }

    /// What `mode` asks for: `None` for `never`, or for `auto` with no binary.
    pub fn for_mode(
        mode: ShellcheckMode,
        explicit: Option<&Path>,
    ) -> Result<Option<Shellcheck>, MissingShellcheck> {
        match mode {
            ShellcheckMode::Never => Ok(None),
            ShellcheckMode::Auto => Ok(Shellcheck::locate(explicit)),
            ShellcheckMode::Always => match Shellcheck::locate(explicit) {
                Some(found) => Ok(Some(found)),
                None => Err(MissingShellcheck {
                    asked: explicit
                        .map(Path::to_path_buf)
                        .or_else(|| std::env::var_os(PATH_ENV).map(PathBuf::from)),
                }),
            },
        }
    }

    /// The binary's version (`0.9.0`), asked once per process (and kept in the cache).
    pub fn version(&self) -> Result<String, RunError> {
        results::version(&self.binary)
    }

    /// Checks the scripts of a file ahead of its linting, so that [`Shellcheck::findings`]
    /// finds their results in memory: a run prepares every file's scripts first, then checks
    /// them all at once, many to a process and on all cores.
    pub fn check_ahead(&self, tree: &Tree, model: &Model, selection: &Selection) -> Vec<String> {
        if !selection.may_enable_shellcheck() {
            return Vec::new();
        }
        prepare(tree, model)
            .into_iter()
            .map(|s| s.script.text)
            .collect()
    }

    /// ShellCheck's findings for a file, as rule findings. Nothing when the selection can
    /// enable no ShellCheck code or when there is nothing to check; the error when
    /// ShellCheck could not check a script (the findings of the scripts it did check still
    /// come back).
    pub fn findings(
        &self,
        tree: &Tree,
        model: &Model,
        selection: &Selection,
    ) -> (Vec<Finding>, Option<RunError>) {
        if !selection.may_enable_shellcheck() {
            return (Vec::new(), None);
        }
        let scripts = prepare(tree, model);
        let texts: Vec<&str> = scripts.iter().map(|s| s.script.text.as_str()).collect();
        let mut error = None;
        let mut findings = Vec::new();
        for (script, outcome) in scripts.iter().zip(check_texts(&self.binary, &texts)) {
            let comments = match outcome {
                Ok(comments) => comments,
                Err(e) => {
                    error.get_or_insert(e);
                    continue;
                }
            };
            for comment in comments.iter() {
                let meta = meta_for(comment.code, codes::severity_of(&comment.level));
                if !selection.is_enabled(meta) {
                    continue;
                }
                if let Some(violation) = to_violation(&script.script, comment.clone()) {
                    findings.push(Finding {
                        rule: meta,
                        violation,
                    });
                }
            }
        }
        (findings, error)
    }
}

/// A comment at its file span, with ShellCheck's edit as an unsafe fix when every
/// replacement maps to the file exactly.
fn to_violation(script: &ScriptText, comment: Comment) -> Option<Violation> {
    let span = script.file_span(
        (comment.line, comment.column),
        (comment.end_line, comment.end_column),
    )?;
    let mut violation = Violation::new(span, comment.message);
    if let Some(fix) = comment
        .fix
        .and_then(|fix| to_fix(script, comment.code, fix))
    {
        violation = violation.with_fix(fix);
    }
    Some(violation)
}

fn to_fix(script: &ScriptText, code: u32, fix: process::CommentFix) -> Option<Fix> {
    let mut edits = Vec::with_capacity(fix.replacements.len());
    for r in fix.replacements {
        // A new line would end the RUN instruction in the middle of the script.
        if r.replacement.contains(['\n', '\r']) {
            return None;
        }
        let range = script.edit_span((r.line, r.column), (r.end_line, r.end_column))?;
        edits.push(Edit::replace(range, r.replacement));
    }
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    // Two edits at one place would depend on an order ShellCheck expresses otherwise.
    let overlapping = edits
        .windows(2)
        .any(|w| w[1].range.start < w[0].range.end || w[1].range.start == w[0].range.start);
    if edits.is_empty() || overlapping {
        return None;
    }
    Some(Fix::unsafe_edit(
        format!("Apply ShellCheck's fix for SC{code}"),
        edits,
    ))
}

/// `name` itself when it has a `/`, else the first executable `name` on PATH.
fn find_executable(name: &Path) -> Option<PathBuf> {
    if name.components().count() > 1 || name.is_absolute() {
        return is_executable(name).then(|| name.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    let Ok(metadata) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        metadata.is_file() && metadata.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        metadata.is_file()
    }
}
