//! The fix loop: lint, apply what does not overlap, re-lint, until nothing is left to fix (or
//! a bound is reached). A pass that would add a syntax error loses the fix responsible.

use super::{apply_fixes, Fix};
use crate::syntax::{parse, ErrorSeverity};

/// At most this many lint-and-apply passes; real files converge in two or three.
pub const MAX_PASSES: usize = 10;

/// A fix offered by a rule, with the rule's code.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub code: &'static str,
    pub fix: Fix,
}

/// A fix that was applied, or dropped, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixRecord {
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct FixOutcome {
    pub text: String,
    pub applied: Vec<FixRecord>,
    /// Fixes left out because applying them made the file fail to parse.
    pub dropped: Vec<FixRecord>,
    /// False when fixes were still pending after [`MAX_PASSES`].
    pub converged: bool,
}

/// Runs `collect` (lint the text, return the fixes on offer) and applies the applicable fixes
/// until none remain. Safe fixes only, unless `unsafe_allowed`.
pub fn fix_until_stable(
    source: &str,
    unsafe_allowed: bool,
    mut collect: impl FnMut(&str) -> Vec<Candidate>,
) -> FixOutcome {
    let mut text = source.to_string();
    let mut applied = Vec::new();
    let mut dropped: Vec<FixRecord> = Vec::new();
    let baseline = syntax_errors(source);
    for _ in 0..MAX_PASSES {
        let dropped_set: std::collections::HashSet<(&str, &str)> = dropped
            .iter()
            .map(|d| (d.code, d.message.as_str()))
            .collect();
        let candidates: Vec<Candidate> = collect(&text)
            .into_iter()
            .filter(|c| c.fix.is_applicable(unsafe_allowed))
            .filter(|c| !dropped_set.contains(&(c.code, c.fix.message.as_str())))
            .collect();
        if candidates.is_empty() {
            return FixOutcome {
                text,
                applied,
                dropped,
                converged: true,
            };
        }
        let fixes: Vec<&Fix> = candidates.iter().map(|c| &c.fix).collect();
        let pass = apply_fixes(&text, &fixes);
        if syntax_errors(&pass.text) <= baseline {
            applied.extend(pass.applied.iter().map(|&i| record(&candidates[i])));
            text = pass.text;
            continue;
        }
        // Something in this pass broke the file: keep the fixes that are fine on their own.
        let mut kept = Vec::new();
        let mut breaking = Vec::new();
        sort_out(
            &text,
            &candidates,
            &pass.applied,
            baseline,
            &mut kept,
            &mut breaking,
        );
        dropped.extend(breaking.iter().map(|&i| record(&candidates[i])));
        let kept_fixes: Vec<&Fix> = kept.iter().map(|&i| &candidates[i].fix).collect();
        let retry = apply_fixes(&text, &kept_fixes);
        if syntax_errors(&retry.text) <= baseline {
            applied.extend(retry.applied.iter().map(|&i| record(&candidates[kept[i]])));
            text = retry.text;
        } else {
            dropped.extend(kept.iter().map(|&i| record(&candidates[i])));
        }
    }
    let dropped_set: std::collections::HashSet<(&str, &str)> = dropped
        .iter()
        .map(|d| (d.code, d.message.as_str()))
        .collect();
    let pending = collect(&text).into_iter().any(|c| {
        c.fix.is_applicable(unsafe_allowed)
            && !dropped_set.contains(&(c.code, c.fix.message.as_str()))
    });
    FixOutcome {
        text,
        applied,
        dropped,
        converged: !pending,
    }
}

/// Splits `fixes` (indices into `candidates`) into those that keep `text` at `baseline`
/// syntax errors and those that break it, by halves: a group that is fine together is kept
/// whole, so a pass with a few breaking fixes among many re-parses the file a few times per
/// breaking fix, not once per fix.
fn sort_out(
    text: &str,
    candidates: &[Candidate],
    fixes: &[usize],
    baseline: usize,
    kept: &mut Vec<usize>,
    breaking: &mut Vec<usize>,
) {
    let group: Vec<&Fix> = fixes.iter().map(|&i| &candidates[i].fix).collect();
    if syntax_errors(&apply_fixes(text, &group).text) <= baseline {
        kept.extend_from_slice(fixes);
        return;
    }
    match fixes {
        [] => {}
        [one] => breaking.push(*one),
        _ => {
            let (left, right) = fixes.split_at(fixes.len() / 2);
            sort_out(text, candidates, left, baseline, kept, breaking);
            sort_out(text, candidates, right, baseline, kept, breaking);
        }
    }
}

fn record(candidate: &Candidate) -> FixRecord {
    FixRecord {
        code: candidate.code,
        message: candidate.fix.message.clone(),
    }
}

/// Number of error-severity parse problems: a fix may never raise it.
fn syntax_errors(text: &str) -> usize {
    parse(text)
        .errors
        .iter()
        .filter(|e| e.severity == ErrorSeverity::Error)
        .count()
}

#[cfg(test)]
mod tests {
    use super::super::Edit;
    use super::*;

    #[test]
    fn applies_until_nothing_is_left_and_drops_breaking_fixes() {
        // A fake linter: wants "apk add --no-cache" and offers a breaking fix once.
        let outcome = fix_until_stable("FROM a\nRUN apk add x\n", false, |text| {
            let mut out = Vec::new();
            if let Some(at) = text.find("apk add x") {
                out.push(Candidate {
                    code: "DL3019",
                    fix: Fix::safe("no-cache", vec![Edit::insert(at + 7, " --no-cache")]),
                });
            }
            out.push(Candidate {
                code: "BAD",
                fix: Fix::safe("breaks", vec![Edit::insert(0, "ENV x\n")]),
            });
            out
        });
        assert_eq!(outcome.text, "FROM a\nRUN apk add --no-cache x\n");
        assert_eq!(outcome.applied.len(), 1);
        assert_eq!(outcome.dropped[0].code, "BAD");
        assert!(outcome.converged);
    }
}
