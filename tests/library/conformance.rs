//! The parser against BuildKit: its own conformance files and an oracle recorded from its
//! parser over the conformance set and the real-world corpus.

use crate::common::{oracle, read_text, shared_dir};
use dlint::syntax::{dump, parse, ErrorSeverity, Node};

#[test]
fn buildkit_testfiles_dump_exactly_their_result() {
    let Some(shared) = shared_dir() else { return };
    let dir = shared.join("conformance/buildkit/testfiles");
    let mut checked = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let case = entry.unwrap().path();
        let source = read_text(&case.join("Dockerfile"));
        let expected = read_text(&case.join("result"));
        let parsed = parse(&source);
        let got = dump(&parsed.tree);
        if !parsed.is_ok() || got.trim_end() != expected.trim_end() {
            failures.push(format!(
                "{}:\n--- expected\n{}\n--- got\n{}\n--- errors {:?}",
                case.display(),
                expected.trim_end(),
                got,
                parsed.errors
            ));
        }
        checked += 1;
    }
    assert_eq!(checked, 33, "expected BuildKit's 33 conformance cases");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn buildkit_negative_files_are_rejected() {
    let Some(shared) = shared_dir() else { return };
    let dir = shared.join("conformance/buildkit/testfiles-negative");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let file = entry.unwrap().path().join("Dockerfile");
        let parsed = parse(&read_text(&file));
        assert!(!parsed.is_ok(), "{} should be rejected", file.display());
        checked += 1;
    }
    assert_eq!(checked, 4);
}

fn check_oracle(oracle_file: &str) {
    let Some(shared) = shared_dir() else { return };
    let entries = oracle(&shared.join(oracle_file));
    assert!(!entries.is_empty());
    let mut failures = Vec::new();
    for entry in &entries {
        let source = read_text(&shared.join(&entry.path));
        let parsed = parse(&source);
        if parsed.is_ok() != entry.ok {
            failures.push(format!(
                "{}: accept/reject differs: buildkit ok={} ({:?}), dlint errors {:?}",
                entry.path, entry.ok, entry.err, parsed.errors
            ));
            continue;
        }
        if !entry.ok {
            continue;
        }
        let instructions: Vec<_> = parsed.tree.instructions().collect();
        let keywords: Vec<String> = instructions
            .iter()
            .map(|i| i.keyword_text.to_lowercase())
            .collect();
        let lines: Vec<[usize; 2]> = instructions
            .iter()
            .map(|i| [i.start_line, i.end_line])
            .collect();
        let heredocs: usize = instructions.iter().map(|i| i.heredocs.len()).sum();
        let got_dump = dump(&parsed.tree);
        let warnings = parsed
            .errors
            .iter()
            .filter(|e| e.severity == ErrorSeverity::Warning)
            .count();
        if warnings != entry.warnings {
            failures.push(format!(
                "{}: warnings {} != {}",
                entry.path, warnings, entry.warnings
            ));
        }
        if keywords != entry.kw {
            failures.push(format!(
                "{}: keywords {:?} != {:?}",
                entry.path, keywords, entry.kw
            ));
        } else if lines != entry.lines {
            failures.push(format!(
                "{}: lines {:?} != {:?}",
                entry.path, lines, entry.lines
            ));
        } else if heredocs != entry.heredocs {
            failures.push(format!(
                "{}: heredocs {} != {}",
                entry.path, heredocs, entry.heredocs
            ));
        } else if got_dump != entry.dump {
            failures.push(format!(
                "{}: dump differs\n--- buildkit\n{}\n--- dlint\n{}",
                entry.path, entry.dump, got_dump
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} files disagree with BuildKit:\n{}",
        failures.len(),
        entries.len(),
        failures.join("\n")
    );
}

#[test]
fn conformance_files_agree_with_buildkit_oracle() {
    check_oracle("conformance/buildkit-oracle.jsonl");
}

#[test]
fn corpus_files_agree_with_buildkit_oracle() {
    check_oracle("corpus/buildkit-oracle.jsonl");
}

/// Every byte belongs to exactly one node, in order, so printing the tree gives the input back.
#[test]
fn every_file_round_trips_byte_for_byte() {
    let Some(shared) = shared_dir() else { return };
    let mut files = Vec::new();
    for sub in ["corpus/real", "conformance"] {
        collect_files(&shared.join(sub), &mut files);
    }
    assert!(files.len() > 1500);
    for file in files {
        let source = read_text(&file);
        let parsed = parse(&source);
        let mut at = 0;
        for node in &parsed.tree.nodes {
            let span = node.span();
            assert_eq!(
                span.start,
                at,
                "{}: gap or overlap at byte {at}",
                file.display()
            );
            at = span.end;
            if let Node::Instruction(i) = node {
                assert!(i.keyword_span.start >= span.start && i.keyword_span.end <= span.end);
                for arg in &i.args {
                    assert!(arg.span.start >= span.start && arg.span.end <= span.end);
                }
            }
        }
        assert_eq!(at, source.len(), "{}: tree stops early", file.display());
        assert_eq!(parsed.tree.print(), source, "{}", file.display());
    }
}

fn collect_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_files(&path, out);
        } else if !path.to_string_lossy().ends_with(".jsonl")
            && !matches!(
                path.file_name().and_then(|n| n.to_str()),
                Some("result" | "LICENSE" | "SOURCE")
            )
        {
            out.push(path);
        }
    }
}
