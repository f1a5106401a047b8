//! Running the selected rules over one parsed file.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::meta_rules::unused_suppression::UnusedSuppression;
use super::{all_rules, suppress, Context, ContextFiles, RuleMeta, Selection, Violation};
use crate::knowledge::Knowledge;
use crate::rules::shellcheck::Shellcheck;
use crate::semantic::Model;
use crate::syntax::Parse;

/// A violation with the rule that found it.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub violation: Violation,
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
    /// `.hadolint.yaml`'s `disable-ignore-pragma`: `# hadolint ignore=` comments silence
    /// nothing (`# dlint ignore=` still does).
    pub disable_ignore_pragma: bool,
}

/// Everything the rule engine needs besides the file.
#[derive(Debug, Clone, Default)]
pub struct RuleSettings {
    pub selection: Selection,
    /// `--target`: the stage that is the runtime stage (default: the last).
    pub target: Option<String>,
    /// The knowledge base with the user's overrides; the built-in one when `None`.
    pub knowledge: Option<Arc<Knowledge>>,
    /// Settings of individual rules (trusted registries, label schema).
    pub rule_options: Option<Arc<RuleOptions>>,
    /// The `shellcheck` binary to run on RUN scripts; `None`: no ShellCheck findings.
    pub shellcheck: Option<Shellcheck>,
    /// How build-context files (`.dockerignore`) are read; directly when `None`.
    pub context_files: Option<Arc<ContextFiles>>,
    /// The purpose the configuration states for the file (`[lint.per-file-purpose]`).
    pub purpose: Option<crate::semantic::Purpose>,
    /// The file's path relative to the configuration's directory, for the purpose's path
    /// signals (`.devcontainer/`, `tests/`); the path itself when `None`.
    pub project_path: Option<std::path::PathBuf>,
}

/// Runs every enabled rule on a parsed file. Findings come sorted by position, then code.
pub fn check(path: Option<&Path>, parse: &Parse, settings: &RuleSettings) -> Vec<Finding> {
    check_reporting(path, parse, settings).0
}

/// Why some of a file's findings are missing; the caller reports it, so that the file never
/// looks clean when it was checked only in part.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Incomplete {
    /// ShellCheck failed.
    pub shellcheck: Option<crate::rules::shellcheck::RunError>,
    /// Build-context files (`.dockerignore`) dlint refused to read: a FIFO or a device, too
    /// large, or a symlink out of the project. One message each.
    pub context_files: Vec<Arc<str>>,
}

impl Incomplete {
    pub fn is_empty(&self) -> bool {
        self.shellcheck.is_none() && self.context_files.is_empty()
    }
}

/// [`check`], with what made the findings incomplete.
pub fn check_reporting(
    path: Option<&Path>,
    parse: &Parse,
    settings: &RuleSettings,
) -> (Vec<Finding>, Incomplete) {
    let model = Model::build(parse, settings.target.as_deref());
    let knowledge = settings
        .knowledge
        .as_deref()
        .unwrap_or_else(|| Knowledge::builtin());
    let default_options = RuleOptions::default();
    let rule_options = settings.rule_options.as_deref().unwrap_or(&default_options);
    let direct = ContextFiles::direct();
    let files = settings.context_files.as_deref().unwrap_or(&direct);
    let ctx = Context::new(path, parse, &model, knowledge)
        .with_rule_options(rule_options)
        .with_context_files(files)
        .with_stated_purpose(settings.purpose)
        .with_purpose_path(settings.project_path.as_deref());
    let mut findings = Vec::new();
    let mut violations = Vec::new();
    for rule in all_rules() {
        let meta = rule.meta();
        if !settings.selection.is_enabled(meta) {
            continue;
        }
        rule.check(&ctx, &mut violations);
        findings.extend(violations.drain(..).map(|violation| Finding {
            rule: meta,
            violation,
        }));
    }
    let mut shellcheck_error = None;
    if let Some(shellcheck) = &settings.shellcheck {
        let (found, error) = shellcheck.findings(&parse.tree, &model, &settings.selection);
        findings.extend(found);
        shellcheck_error = error;
    }
    let shellcheck_ran = settings.shellcheck.is_some() && shellcheck_error.is_none();
    apply_suppressions(parse, settings, shellcheck_ran, &mut findings);
    findings.sort_by(|a, b| {
        (a.violation.span.start, a.rule.code).cmp(&(b.violation.span.start, b.rule.code))
    });
    let incomplete = Incomplete {
        shellcheck: shellcheck_error,
        context_files: ctx.take_unreadable(),
    };
    (findings, incomplete)
}

/// Drops findings silenced by suppression comments; reports unused suppressions when
/// `SUP001` is enabled.
fn apply_suppressions(
    parse: &Parse,
    settings: &RuleSettings,
    shellcheck_ran: bool,
    findings: &mut Vec<Finding>,
) {
    let mut suppressions = suppress::suppressions(&parse.tree);
    if settings
        .rule_options
        .as_ref()
        .is_some_and(|o| o.disable_ignore_pragma)
    {
        let tree = &parse.tree;
        suppressions.retain(|s| {
            suppress::parse_pragma(&tree.source[s.comment.clone()])
                .is_none_or(|p| p.tool != "hadolint")
        });
    }
    if suppressions.is_empty() {
        return;
    }
    let matches = SuppressionMatches::new(&suppressions, findings);
    let mut index = 0;
    findings.retain(|_| {
        index += 1;
        !matches.silenced[index - 1]
    });
    let used = matches.used;
    let unused_rule = &<UnusedSuppression as super::HasMeta>::META;
    if !settings.selection.is_enabled(unused_rule) {
        return;
    }
    let rule_keys: Vec<(&RuleMeta, Vec<MatchKey>)> = all_rules()
        .iter()
        .map(|r| (r.meta(), rule_match_keys(r.meta())))
        .collect();
    for (s, used) in suppressions.iter().zip(&used) {
        for (code, used) in s.codes.iter().zip(used) {
            if *used {
                continue;
            }
            let written = code_keys(code);
            let mut named: Vec<&RuleMeta> = rule_keys
                .iter()
                .filter(|(_, keys)| written.iter().any(|k| keys.contains(k)))
                .map(|(meta, _)| *meta)
                .collect();
            if let Some(sc) = crate::rules::shellcheck::parse_code(code) {
                if !shellcheck_ran {
                    continue; // ShellCheck did not run (or failed): we cannot tell
                }
                named.push(crate::rules::shellcheck::meta_for(
                    sc,
                    super::Severity::Warning,
                ));
            }
            let message = if named.is_empty() {
                format!("`{code}` names no rule: this suppression does nothing")
            } else if named.iter().any(|m| settings.selection.is_enabled(m)) {
                format!("`{code}` is suppressed here, but nothing of it is reported")
            } else {
                continue; // the rule is not running: the comment may be for another setup
            };
            let comment = s.comment.start..s.comment.end.saturating_sub(1).max(s.comment.start);
            findings.push(Finding {
                rule: unused_rule,
                violation: Violation::new(comment, message),
            });
        }
    }
}

/// What a written code and a rule are compared by: [`suppress::names_rule`] as keys, so
/// findings and suppressions meet in a map instead of each finding trying every comment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum MatchKey {
    /// A code, lowercased.
    Code(String),
    /// A name without `-`/`_`, lowercased.
    Name(String),
    /// `all`: every build check.
    AllBuildChecks,
}

fn squash(text: &str) -> String {
    text.replace(['-', '_'], "").to_ascii_lowercase()
}

/// The keys a code written in a comment matches rules by.
fn code_keys(code: &str) -> Vec<MatchKey> {
    let mut keys = vec![
        MatchKey::Code(code.to_ascii_lowercase()),
        MatchKey::Name(squash(code)),
    ];
    if code.eq_ignore_ascii_case("all") {
        keys.push(MatchKey::AllBuildChecks);
    }
    keys
}

/// The keys a rule is named by.
fn rule_match_keys(meta: &RuleMeta) -> Vec<MatchKey> {
    let mut keys = vec![
        MatchKey::Code(meta.code.to_ascii_lowercase()),
        MatchKey::Name(squash(meta.name)),
    ];
    if meta.family == super::Family::BuildCheck {
        keys.push(MatchKey::AllBuildChecks);
    }
    keys
}

/// Which findings a file's suppressions silence and which of their codes silence something,
/// in n·log n: per key, the findings' positions sorted (a code is used when one falls in its
/// scope) and the union of the scopes (a finding is silenced when it falls in one).
struct SuppressionMatches {
    /// Per finding, in order.
    silenced: Vec<bool>,
    /// Per suppression, per code.
    used: Vec<Vec<bool>>,
}

impl SuppressionMatches {
    fn new(suppressions: &[suppress::Suppression], findings: &[Finding]) -> SuppressionMatches {
        use std::collections::HashMap;
        let mut scopes: HashMap<MatchKey, Vec<std::ops::Range<usize>>> = HashMap::new();
        for s in suppressions {
            for code in &s.codes {
                for key in code_keys(code) {
                    scopes.entry(key).or_default().push(s.scope.clone());
                }
            }
        }
        let mut rule_keys: HashMap<&str, Vec<MatchKey>> = HashMap::new();
        let mut positions: HashMap<MatchKey, Vec<usize>> = HashMap::new();
        for f in findings {
            let keys = rule_keys
                .entry(f.rule.code)
                .or_insert_with(|| rule_match_keys(f.rule));
            for key in keys.iter().filter(|k| scopes.contains_key(k)) {
                positions
                    .entry(key.clone())
                    .or_default()
                    .push(f.violation.span.start);
            }
        }
        for list in positions.values_mut() {
            list.sort_unstable();
        }
        // Each key's scopes merged into sorted, disjoint ranges.
        for ranges in scopes.values_mut() {
            ranges.sort_unstable_by_key(|r| r.start);
            let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(ranges.len());
            for r in ranges.drain(..).filter(|r| !r.is_empty()) {
                match merged.last_mut() {
                    Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                    _ => merged.push(r),
                }
            }
            *ranges = merged;
        }
        let inside = |ranges: &[std::ops::Range<usize>], at: usize| {
            let after = ranges.partition_point(|r| r.start <= at);
            after > 0 && ranges[after - 1].contains(&at)
        };
        let silenced = findings
            .iter()
            .map(|f| {
                let keys = &rule_keys[f.rule.code];
                keys.iter().any(|k| {
                    scopes
                        .get(k)
                        .is_some_and(|r| inside(r, f.violation.span.start))
                })
            })
            .collect();
        let used = suppressions
            .iter()
            .map(|s| {
                s.codes
                    .iter()
                    .map(|code| {
                        code_keys(code).iter().any(|k| {
                            positions.get(k).is_some_and(|at| {
                                let first = at.partition_point(|&p| p < s.scope.start);
                                at.get(first).is_some_and(|&p| p < s.scope.end)
                            })
                        })
                    })
                    .collect()
            })
            .collect();
        SuppressionMatches { silenced, used }
    }
}
