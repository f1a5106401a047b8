//! Counts of findings per rule over the real-world corpus, for reviewing a rule's precision:
//! `cargo test --test library rule_counts:: -- --ignored --nocapture`. `DLINT_SHOW=CODE` also prints each
//! finding of that rule with its file and line.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dlint::rules::{all_rules, check, RuleSettings};
use dlint::syntax::parse;

#[test]
#[ignore = "a report, not a check: run with --ignored --nocapture"]
fn findings_per_rule_over_the_corpus() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let show = std::env::var("DLINT_SHOW").ok();
    let mut files = Vec::new();
    collect(&shared.join("corpus/real"), &mut files);
    files.sort();
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for rule in all_rules() {
        counts.insert(rule.meta().code, (0, 0));
    }
    for file in &files {
        let source = common::read_text(file);
        let findings = check(Some(file), &parse(&source), &RuleSettings::default());
        let mut seen = std::collections::HashSet::new();
        for f in &findings {
            let entry = counts.entry(f.rule.code).or_default();
            entry.0 += 1;
            if seen.insert(f.rule.code) {
                entry.1 += 1;
            }
            if show
                .as_deref()
                .is_some_and(|s| s.split(',').any(|c| c == f.rule.code))
            {
                let line = source[..f.violation.span.start].matches('\n').count() + 1;
                let name = file.strip_prefix(&shared).unwrap_or(file);
                eprintln!(
                    "{}:{line} {} {}",
                    name.display(),
                    f.rule.code,
                    f.violation.message
                );
            }
        }
    }
    eprintln!("{} files", files.len());
    eprintln!("{:<8} {:>8} {:>6}", "rule", "findings", "files");
    for (code, (n, in_files)) in &counts {
        eprintln!("{code:<8} {n:>8} {in_files:>6}");
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}
