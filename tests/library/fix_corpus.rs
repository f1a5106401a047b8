//! `--fix --unsafe-fixes` over every file of the real-world corpus: the fixes converge, the
//! result parses with no new errors, and a second run changes nothing.

use crate::common;

use std::path::Path;

use dlint::linter::{fix_source, LintOptions};
use dlint::syntax::{parse, ErrorSeverity};

fn errors(text: &str) -> usize {
    parse(text)
        .errors
        .iter()
        .filter(|e| e.severity == ErrorSeverity::Error)
        .count()
}

#[test]
fn fixing_the_corpus_converges_and_never_breaks_parsing() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let options = LintOptions::default();
    let mut files = Vec::new();
    collect(&shared.join("corpus/real"), &mut files);
    let (mut changed, mut applied) = (0, 0);
    let mut failures = Vec::new();
    for file in &files {
        let source = common::read_text(file);
        let outcome = fix_source(Some(file), &source, &options, true);
        if !outcome.converged {
            failures.push(format!("{}: did not converge", file.display()));
        }
        if !outcome.dropped.is_empty() {
            failures.push(format!(
                "{}: dropped fixes that broke parsing: {:?}",
                file.display(),
                outcome.dropped
            ));
        }
        if errors(&outcome.text) > errors(&source) {
            failures.push(format!("{}: new syntax errors", file.display()));
        }
        let again = fix_source(Some(file), &outcome.text, &options, true);
        if again.text != outcome.text {
            failures.push(format!("{}: second run changed the file", file.display()));
        }
        if outcome.text != source {
            changed += 1;
            applied += outcome.applied.len();
        }
    }
    eprintln!(
        "corpus: {} files, {changed} changed by {applied} fixes",
        files.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(changed > 0, "no fix applied anywhere in the corpus");
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}
