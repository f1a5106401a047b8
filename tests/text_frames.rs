//! The hand-written code frame renderer draws exactly what miette draws, colour off and on:
//! every finding over the shared corpus and conformance files, and hand-made frames with the
//! awkward shapes (empty spans, EOF, tabs, CRLF, wide characters, long spans, ...). Each
//! frame is either drawn fast and equal, or left to miette by the renderer's predicate.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use dlint::diagnostic::{Diagnostic, Severity};
use dlint::linter::{lint_parse, LintOptions};
use dlint::render::text::frame_both_ways;
use dlint::render::{FileReport, TextOptions};
use dlint::syntax::parse;

/// Frames drawn fast, and frames in all, after checking every frame of `report`.
#[derive(Default, Debug)]
struct Tally {
    fast: usize,
    total: usize,
    /// Frames left to miette although their text needs no wrapping.
    declined: Vec<String>,
}

/// Whether miette wraps the frame's message or help: some line is near the width (198
/// columns less the indent). Those frames are miette's by design.
fn needs_wrapping(diagnostic: &Diagnostic) -> bool {
    let fix = diagnostic
        .fix
        .as_ref()
        .map(|f| format!("fix (display-only): {}", f.message));
    let texts = [
        Some(&diagnostic.message),
        diagnostic.help.as_ref(),
        fix.as_ref(),
    ];
    let wraps = texts
        .into_iter()
        .flatten()
        .flat_map(|text| text.split('\n'))
        .any(|line| line.len() >= 160);
    wraps
}

fn check_report(report: &FileReport, tally: &mut Tally) {
    for index in 0..report.diagnostics.len() {
        for color in [false, true] {
            let (fast, slow) = frame_both_ways(report, index, TextOptions { color });
            tally.total += 1;
            match fast {
                Some(fast) => {
                    tally.fast += 1;
                    assert_eq!(
                        fast, slow,
                        "{} finding {index} (colour {color}): {:?}\nfast:\n{fast}\nmiette:\n{slow}",
                        report.path, report.diagnostics[index]
                    );
                }
                None => {
                    let diagnostic = &report.diagnostics[index];
                    if !needs_wrapping(diagnostic) {
                        tally
                            .declined
                            .push(format!("{} {:?}", report.path, diagnostic));
                    }
                }
            }
        }
    }
}

/// Every finding of every file under `dir`, checked.
fn check_dir(dir: &std::path::Path) -> Tally {
    let mut files: Vec<PathBuf> = Vec::new();
    common::collect_files(dir, &mut files);
    files.sort();
    let options = LintOptions::default();
    let mut tally = Tally::default();
    for path in &files {
        let text = common::read_text(path);
        let diagnostics = lint_parse(Some(path), &parse(&text), &options);
        let report = FileReport {
            path: path.display().to_string(),
            source: Arc::from(text.as_str()),
            diagnostics,
        };
        check_report(&report, &mut tally);
    }
    tally
}

#[test]
fn corpus_frames_match_miette() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let tally = check_dir(&shared.join("corpus/real"));
    eprintln!(
        "corpus frames drawn fast: {} of {}",
        tally.fast, tally.total
    );
    assert!(tally.total > 5000, "{tally:?}");
    // Every frame but those whose text miette wraps is drawn fast: 98.9% today.
    assert!(tally.declined.is_empty(), "{:#?}", tally.declined);
    assert!(tally.fast * 1000 >= tally.total * 985, "{tally:?}");
}

#[test]
fn conformance_frames_match_miette() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    // Not all Dockerfiles (oracle files, odd encodings): coverage is lower, equality is not.
    let tally = check_dir(&shared.join("conformance"));
    eprintln!(
        "conformance frames drawn fast: {} of {}",
        tally.fast, tally.total
    );
    assert!(tally.total > 100, "{tally:?}");
    assert!(tally.fast * 100 >= tally.total * 80, "{tally:?}");
}

/// A report with one finding spanning `start..end` of `source`.
fn report(source: &str, span: std::ops::Range<usize>) -> FileReport {
    let mut diagnostic = Diagnostic::new(
        &<dlint::rules::syntax::invalid_syntax::InvalidSyntax as dlint::rules::HasMeta>::META,
        span,
        "bad thing",
    );
    diagnostic.severity = Severity::Warning;
    FileReport {
        path: "Dockerfile".into(),
        source: Arc::from(source),
        diagnostics: vec![diagnostic],
    }
}

/// Every span (start and end on char boundaries) of each text, checked; returns the tally.
fn check_all_spans(texts: &[&str]) -> Tally {
    let mut tally = Tally::default();
    for text in texts {
        let bounds: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        for (i, &start) in bounds.iter().enumerate() {
            for &end in &bounds[i..] {
                check_report(&report(text, start..end), &mut tally);
            }
        }
    }
    tally
}

#[test]
fn plain_ascii_spans_are_all_drawn_fast_and_match() {
    let tally = check_all_spans(&[
        "FROM alpine\nRUN apk add curl\nUSER app\n",
        "FROM alpine\nRUN a\n",
        "FROM alpine",
        "\n\n\nFROM x\n\n",
        "FROM alpine\r\nRUN apk add \\\r\n    curl\r\nUSER app\r\n",
        "RUN\ta\tb\n\tc\t\td\n  \te\n",
        "RUN x   \nUSER y \t\n",
        "",
        "\n",
    ]);
    assert!(tally.total > 1000, "{tally:?}");
    assert_eq!(tally.fast, tally.total, "{tally:?}");
}

#[test]
fn odd_characters_match_or_go_to_miette() {
    let tally = check_all_spans(&[
        "FROM a\rRUN b\r\rUSER c\n",
        "LABEL x=\"日本語\"\nRUN echo 😀 ok\n",
        "LABEL e=\"e\u{301}\" f=é\n\tRUN é\tx\n",
        "RUN a\u{1b}[31mb\n",
        "RUN a\u{0}b\u{7f}c\n",
        "FROM a\r\n\r\nRUN b\r",
    ]);
    // Spans away from the odd characters are still drawn fast.
    assert!(tally.fast > tally.total / 4, "{tally:?}");
    assert!(tally.fast < tally.total, "{tally:?}");
}

#[test]
fn line_numbers_crossing_widths_and_long_spans_match() {
    let mut text = String::new();
    for n in 1..=120 {
        text.push_str(&format!("RUN step{n} && \\\n"));
    }
    text.push_str("    done\n");
    let line_start =
        |n: usize| -> usize { text.split_inclusive('\n').take(n - 1).map(str::len).sum() };
    let mut tally = Tally::default();
    for (first, last) in [
        (8, 8),
        (9, 9),
        (10, 10),
        (9, 10),
        (8, 9),
        (98, 99),
        (99, 99),
        (100, 100),
        (99, 100),
        (5, 6),
        (5, 44),
        (70, 121),
        (121, 121),
    ] {
        for (from_col, to_trim) in [(0, 1), (4, 0), (2, 3)] {
            let start = line_start(first) + from_col;
            let end = (line_start(last + 1) - to_trim).max(start);
            check_report(&report(&text, start..end), &mut tally);
        }
    }
    assert_eq!(tally.fast, tally.total, "{tally:?}");
}

#[test]
fn long_lines_messages_and_help_match() {
    let long = format!("RUN {}\n", "x".repeat(500));
    let mut tally = Tally::default();
    for span in [0..3, 4..504, 300..301, 505..505, 504..505] {
        let mut report = report(&long, span);
        let diagnostic = &mut report.diagnostics[0];
        diagnostic.message = "first line\nsecond line".into();
        diagnostic.help = Some("do this\nthen that\nand more".into());
        diagnostic.fix = Some(dlint::fix::Fix::safe("set a value", vec![]));
        for severity in [
            Severity::Error,
            Severity::Warning,
            Severity::Info,
            Severity::Style,
        ] {
            report.diagnostics[0].severity = severity;
            check_report(&report, &mut tally);
        }
    }
    assert_eq!(tally.fast, tally.total, "{tally:?}");
    // A message that needs wrapping goes to miette.
    let mut wrapped = report("FROM a\n", 0..4);
    wrapped.diagnostics[0].message = "word ".repeat(60);
    let (fast, _) = frame_both_ways(&wrapped, 0, TextOptions::default());
    assert!(fast.is_none());
}
