//! What `docker build` rejects once BuildKit's parser accepted the file (the `REJ` rules).
//!
//! `tests/conformance/rejects/<case>.Dockerfile` are files BuildKit rejects, each with a
//! `<case>.expected` line `LINE CODE MESSAGE`: BuildKit's message and the rule that reports
//! it (a `DL` rule where hadolint's code already covers the class). Every case must be
//! reported there, with BuildKit's message in a `REJ` finding's text.
//!
//! Files BuildKit accepts get no `REJ` finding: every file of `../shared/corpus/real` and
//! every conformance file BuildKit's parser accepts is linted, and the findings must be
//! exactly those in `shared-rejected.txt`, the files of that material BuildKit rejects
//! after parsing (templates, test files written to fail), each listed with its reason.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::{collect_files, oracle, read_text, shared_dir};
use dlint::rules::{all_rules, check, RuleSelector, RuleSettings, Selection};
use dlint::syntax::parse;

fn settings(selector: &str) -> RuleSettings {
    RuleSettings {
        selection: Selection {
            select: Some(vec![RuleSelector::parse(selector).expect("selector")]),
            ..Selection::default()
        },
        ..RuleSettings::default()
    }
}

fn line_of(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())].matches('\n').count() + 1
}

/// `(line, code, message)` of every finding of the selected rules.
fn findings(path: &Path, source: &str, selector: &str) -> Vec<(usize, String, String)> {
    check(Some(path), &parse(source), &settings(selector))
        .into_iter()
        .map(|f| {
            (
                line_of(source, f.violation.span.start),
                f.rule.code.to_string(),
                f.violation.message,
            )
        })
        .collect()
}

fn cases_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/rejects")
}

#[test]
fn every_reject_case_is_reported() {
    let mut cases: Vec<_> = std::fs::read_dir(cases_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 80, "only {} reject cases", cases.len());
    let mut covered = BTreeSet::new();
    let mut failures = Vec::new();
    for case in &cases {
        let expected = read_text(&case.with_extension("expected"));
        let expected = expected.trim_end();
        let mut parts = expected.splitn(3, ' ');
        let line: usize = parts.next().unwrap().parse().expect("line number");
        let code = parts.next().expect("code").to_string();
        let message = parts.next().expect("BuildKit's message");
        let source = read_text(case);
        let got = findings(case, &source, &code);
        let reported = got.iter().any(|(l, c, m)| {
            *l == line && *c == code && (!code.starts_with("REJ") || m.contains(message))
        });
        if reported {
            covered.insert(code.clone());
        } else {
            failures.push(format!(
                "{}: expected `{expected}`, got {got:?}",
                case.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for rule in all_rules() {
        let code = rule.meta().code;
        if code.starts_with("REJ") {
            assert!(covered.contains(code), "{code} has no reject case");
        }
    }
}

#[test]
fn reject_cases_have_no_other_rejection() {
    // A case shows one class: no other REJ finding on it, so a rule that fires on
    // everything cannot pass the test above.
    for entry in std::fs::read_dir(cases_dir()).unwrap() {
        let case = entry.unwrap().path();
        if case.extension().is_none_or(|e| e != "Dockerfile") {
            continue;
        }
        let expected = read_text(&case.with_extension("expected"));
        let code = expected.split(' ').nth(1).unwrap().to_string();
        let source = read_text(&case);
        let others: Vec<_> = findings(&case, &source, "REJ")
            .into_iter()
            .filter(|(_, c, _)| *c != code)
            .collect();
        assert!(others.is_empty(), "{}: {others:?}", case.display());
    }
}

#[test]
fn files_buildkit_accepts_get_no_rejection() {
    let Some(shared) = shared_dir() else { return };
    let mut files = Vec::new();
    collect_files(&shared.join("corpus/real"), &mut files);
    for entry in oracle(&shared.join("conformance/buildkit-oracle.jsonl")) {
        if entry.ok {
            files.push(shared.join(&entry.path));
        }
    }
    files.sort();
    assert!(files.len() > 1500, "only {} files", files.len());
    let mut got = BTreeSet::new();
    for path in &files {
        let source = read_text(path);
        let relative = path.strip_prefix(&shared).unwrap().display().to_string();
        for (line, code, _) in findings(path, &source, "REJ") {
            got.insert(format!("{relative}:{line} {code}"));
        }
    }
    let known: BTreeSet<String> = read_text(&cases_dir().join("shared-rejected.txt"))
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split(" # ").next().unwrap().trim().to_string())
        .collect();
    let unexpected: Vec<_> = got.difference(&known).collect();
    let missing: Vec<_> = known.difference(&got).collect();
    assert!(
        unexpected.is_empty() && missing.is_empty(),
        "REJ findings on shared files differ from shared-rejected.txt\nnew: {unexpected:#?}\n\
         no longer reported: {missing:#?}"
    );
}
