//! The lint pipeline as a library call: text in, diagnostics out.
//!
//! The CLI and the LSP server both lint through here, so a file gives the same findings in
//! the terminal and in the editor. Reading files, choosing them and printing results are the
//! callers' business; [`OptionsResolver`] says which configuration applies to which file.

mod resolver;

pub use resolver::OptionsResolver;

use std::path::Path;
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::knowledge::Knowledge;
use crate::rules::shellcheck::Shellcheck;
use crate::rules::{check_reporting, ContextFiles, Incomplete, RuleSettings, Selection};
use crate::syntax::{parse, Parse};

/// What to lint for, independent of where the text came from.
#[derive(Debug, Clone, Default)]
pub struct LintOptions {
    /// Which rules run.
    pub selection: Selection,
    /// `--target`: the runtime stage (default: the last stage).
    pub target: Option<String>,
    /// The knowledge base with the user's `[images]` overrides; the built-in one when `None`.
    pub knowledge: Option<Arc<Knowledge>>,
    /// The configuration file in force: per-file ignores, severity overrides, the failure
    /// threshold and the rules' own settings.
    pub config: Option<Arc<Config>>,
    /// The `shellcheck` binary to run on RUN scripts (`--shellcheck`, `[lint] shellcheck`);
    /// `None`: no ShellCheck findings.
    pub shellcheck: Option<Shellcheck>,
    /// How rules read build-context files: through a cache shared by one run's files, or
    /// directly when `None` (the LSP server, whose files change while it runs).
    pub context_files: Option<Arc<ContextFiles>>,
}

impl LintOptions {
    fn rule_settings(&self) -> RuleSettings {
        RuleSettings {
            selection: self.selection.clone(),
            target: self.target.clone(),
            knowledge: self.knowledge.clone(),
            rule_options: self
                .config
                .as_ref()
                .map(|c| Arc::new(c.rule_options.clone())),
            shellcheck: self.shellcheck.clone(),
            context_files: self.context_files.clone(),
            purpose: None,
            project_path: None,
        }
    }

    /// Does a diagnostic make the run fail (`failure-threshold`, `no-fail`)?
    pub fn fails(&self, diagnostic: &Diagnostic) -> bool {
        match self.config.as_deref() {
            Some(c) if c.never_fail => false,
            Some(Config {
                failure_threshold: Some(threshold),
                ..
            }) => diagnostic.severity.reaches(*threshold),
            _ => true,
        }
    }
}

/// Parses and lints one file. `path` is where the file lives, when it has one (stdin may
/// not): rules that look at the build context read next to it. Diagnostics come sorted by
/// position, then code.
pub fn lint_source(path: Option<&Path>, source: &str, options: &LintOptions) -> Vec<Diagnostic> {
    lint_parse(path, &parse(source), options)
}

/// Lints a file that is already parsed (the LSP server keeps the parse of open documents).
pub fn lint_parse(path: Option<&Path>, parse: &Parse, options: &LintOptions) -> Vec<Diagnostic> {
    lint_parse_reporting(path, parse, options).0
}

/// [`lint_parse`], with what made the findings incomplete (ShellCheck failed, a build-context
/// file dlint would not read).
pub fn lint_parse_reporting(
    path: Option<&Path>,
    parse: &Parse,
    options: &LintOptions,
) -> (Vec<Diagnostic>, Incomplete) {
    let config = options.config.as_deref();
    let build_checks_fail = crate::rules::suppress::check_errors(&parse.tree);
    let mut settings = options.rule_settings();
    if let Some((config, path)) = config.zip(path) {
        settings.purpose = config.purpose_for(path);
        settings.project_path = path.strip_prefix(config.root()).ok().map(Path::to_path_buf);
    }
    let (findings, incomplete) = check_reporting(path, parse, &settings);
    let diagnostics = findings
        .into_iter()
        .filter(|f| match (config, path) {
            (Some(config), Some(path)) => !config.ignored_for(path, f.rule),
            _ => true,
        })
        .map(|f| {
            let build_check = f.rule.family == crate::rules::Family::BuildCheck;
            let mut diagnostic = Diagnostic::from_finding(f);
            // BuildKit's `# check=error=true`; a configured severity still wins.
            if build_checks_fail && build_check {
                diagnostic.severity = crate::rules::Severity::Error;
            }
            if let Some(severity) = config.and_then(|c| c.severity.get(diagnostic.code)) {
                diagnostic.severity = *severity;
            }
            diagnostic
        })
        .collect();
    (diagnostics, incomplete)
}

/// Lints and fixes `source` until nothing applicable is left (`--fix`; with `unsafe_allowed`,
/// `--unsafe-fixes`). The CLI, the LSP's fix-all and the tests all fix through here.
pub fn fix_source(
    path: Option<&Path>,
    source: &str,
    options: &LintOptions,
    unsafe_allowed: bool,
) -> crate::fix::FixOutcome {
    crate::fix::fix_until_stable(source, unsafe_allowed, |text| {
        lint_source(path, text, options)
            .into_iter()
            .filter_map(|d| d.fix.map(|fix| crate::fix::Candidate { code: d.code, fix }))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    #[test]
    fn parse_errors_are_dl1000_findings() {
        let source = "FROM alpine\nENV ONLY_A_KEY\n";
        let diagnostics = lint_source(None, source, &LintOptions::default());
        let syntax: Vec<_> = diagnostics.iter().filter(|d| d.code == "DL1000").collect();
        assert_eq!(syntax.len(), 1, "{diagnostics:#?}");
        assert_eq!(syntax[0].severity, Severity::Error);
        let env_line = source.find("ENV").unwrap()..source.len();
        assert!(env_line.contains(&syntax[0].span.start), "{diagnostics:#?}");
    }

    #[test]
    fn a_clean_file_has_no_findings() {
        let source = "FROM alpine:3.20\nCOPY app /app\nCMD [\"/app\"]\n";
        assert_eq!(lint_source(None, source, &LintOptions::default()), vec![]);
    }
}
