//! The text renderer's code frames, checked from the outside: every corpus and conformance
//! finding is drawn (one frame each, its rule and position in the header), and underlines sit
//! under their span's display columns — recomputed here from a table of samples whose widths
//! are known (ASCII, `é` composed and decomposed, CJK, emoji, a ZWJ sequence, tabs, control
//! characters), not from the renderer's own width function.

mod common;

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use dlint::diagnostic::{Diagnostic, Severity};
use dlint::linter::{lint_parse, LintOptions};
use dlint::render::{render_text, FileReport, TextOptions};
use dlint::syntax::parse;

/// A report with one finding spanning `span` of `source`.
fn report(source: &str, span: Range<usize>) -> FileReport {
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

fn draw(report: &FileReport) -> String {
    render_text(std::slice::from_ref(report), TextOptions { color: false })
}

/// The frame's underline below source line `line` (one-based): its first column and its
/// width, counted from the first column of the source text.
fn underline(frame: &str, line: usize) -> (usize, usize) {
    let rows: Vec<&str> = frame.lines().collect();
    let text_row = rows
        .iter()
        .position(|row| {
            row.split_once(" │ ")
                .is_some_and(|(number, _)| number.trim() == line.to_string())
        })
        .unwrap_or_else(|| panic!("no line {line} in\n{frame}"));
    let under = rows[text_row + 1];
    let (gutter, marks) = under
        .split_once("· ")
        .unwrap_or_else(|| panic!("no underline below line {line} in\n{frame}"));
    assert_eq!(gutter.trim(), "", "{frame}");
    let start = marks.chars().take_while(|&c| c == ' ').count();
    let drawn: String = marks.chars().skip(start).collect();
    assert!(
        drawn.chars().all(|c| matches!(c, '─' | '┬' | '▲')),
        "{drawn:?} in\n{frame}"
    );
    (start, drawn.chars().count())
}

/// The source text shown for line `line` (one-based), after its ` N │ `.
fn shown_line(frame: &str, line: usize) -> String {
    frame
        .lines()
        .find_map(|row| {
            let (number, text) = row.split_once(" │ ")?;
            (number.trim() == line.to_string()).then(|| text.to_string())
        })
        .unwrap_or_else(|| panic!("no line {line} in\n{frame}"))
}

/// Text with a known display width in a terminal, and how it is shown. A tab's width depends
/// on its column and is worked out where it is placed.
const SAMPLES: &[(&str, usize, &str)] = &[
    ("abc", 3, "abc"),
    ("é", 1, "é"),                                           // composed
    ("e\u{301}", 1, "e\u{301}"),                             // e + combining acute
    ("日本", 4, "日本"),                                     // wide CJK
    ("🚀", 2, "🚀"),                                         // wide emoji
    ("👨\u{200d}👩\u{200d}👧", 2, "👨\u{200d}👩\u{200d}👧"), // one ZWJ sequence
    ("\u{7}", 1, "?"),                                       // a C0 control, shown as `?`
    ("\u{9b}", 2, "??"), // a C1 control (two bytes), shown as `??`
    ("\t", 0, ""),       // a tab: up to the next multiple of four
    ("x", 1, "x"),
];

/// One `RUN` line made of the samples in `order`, separated by spaces: the text, the byte
/// range of each sample, its display columns, and the line as a terminal should show it.
struct Line {
    text: String,
    bytes: Vec<Range<usize>>,
    columns: Vec<Range<usize>>,
    shown: String,
}

fn line_of(order: &[usize]) -> Line {
    let mut line = Line {
        text: "RUN ".to_string(),
        bytes: Vec::new(),
        columns: Vec::new(),
        shown: "RUN ".to_string(),
    };
    let mut column = 4;
    for (i, &sample) in order.iter().enumerate() {
        if i > 0 {
            line.text.push(' ');
            line.shown.push(' ');
            column += 1;
        }
        let (text, width, shown) = SAMPLES[sample];
        let width = if text == "\t" { 4 - column % 4 } else { width };
        let shown = if text == "\t" {
            " ".repeat(width)
        } else {
            shown.to_string()
        };
        line.bytes
            .push(line.text.len()..line.text.len() + text.len());
        line.columns.push(column..column + width);
        line.text.push_str(text);
        line.shown.push_str(&shown);
        column += width;
    }
    line
}

/// Every rotation of the samples, so that each sits after text of every width (a tab at
/// every column), underlined alone, together with the next one, and as an empty span.
#[test]
fn underlines_sit_under_the_display_columns_of_their_span() {
    let n = SAMPLES.len();
    let mut checked = 0;
    for rotation in 0..n {
        let order: Vec<usize> = (0..n).map(|i| (i + rotation) % n).collect();
        let line = line_of(&order);
        let source = format!("FROM alpine\n{}\nUSER app\n", line.text);
        let base = "FROM alpine\n".len();
        let at = |r: &Range<usize>| base + r.start..base + r.end;
        for k in 0..n {
            let bytes = at(&line.bytes[k]);
            let columns = &line.columns[k];
            let frame = draw(&report(&source, bytes.clone()));
            assert_eq!(shown_line(&frame, 2), line.shown, "{frame}");
            let expected = (columns.start, columns.len().max(1));
            assert_eq!(underline(&frame, 2), expected, "sample {k}:\n{frame}");
            // An empty span: `▲` at its column.
            let frame = draw(&report(&source, bytes.start..bytes.start));
            assert_eq!(underline(&frame, 2), (columns.start, 1), "{frame}");
            if k + 1 < n {
                let two = bytes.start..at(&line.bytes[k + 1]).end;
                let frame = draw(&report(&source, two));
                let end = line.columns[k + 1].end.max(columns.start + 1);
                let expected = (columns.start, end - columns.start);
                assert_eq!(
                    underline(&frame, 2),
                    expected,
                    "samples {k}, {}:\n{frame}",
                    k + 1
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, n * n);
}

/// A span that ends in the line break is drawn one column past the text.
#[test]
fn a_span_into_the_line_break_reaches_one_past_the_text() {
    let source = "FROM alpine\nRUN 日本\r\nUSER app\n";
    let start = source.find("日").unwrap();
    let frame = draw(&report(source, start..source.find("USER").unwrap()));
    assert_eq!(shown_line(&frame, 2), "RUN 日本");
    assert_eq!(underline(&frame, 2), (4, 5), "{frame}");
}

/// Display columns of a line of printable ASCII and tabs; None for anything else.
fn ascii_columns(text: &str) -> Option<usize> {
    let mut column = 0;
    for byte in text.bytes() {
        column += match byte {
            b'\t' => 4 - column % 4,
            b' '..=b'~' => 1,
            _ => return None,
        };
    }
    Some(column)
}

/// What every finding of every file under `dir` looked like.
#[derive(Default, Debug)]
struct Tally {
    frames: usize,
    underlines_checked: usize,
}

fn check_dir(dir: &std::path::Path) -> Tally {
    let mut files: Vec<PathBuf> = Vec::new();
    common::collect_files(dir, &mut files);
    files.sort();
    let options = LintOptions::default();
    let mut tally = Tally::default();
    for path in &files {
        let text = common::read_text(path);
        let diagnostics = lint_parse(Some(path), &parse(&text), &options);
        let whole = FileReport {
            path: "Dockerfile".into(),
            source: Arc::from(text.as_str()),
            diagnostics,
        };
        // All of the file's frames at once, colour on and off: one frame per finding.
        for color in [false, true] {
            let out = render_text(std::slice::from_ref(&whole), TextOptions { color });
            let closers = out.lines().filter(|l| l.trim() == "╰────").count();
            assert_eq!(closers, whole.diagnostics.len(), "{}", path.display());
        }
        for diagnostic in &whole.diagnostics {
            let one = FileReport {
                diagnostics: vec![diagnostic.clone()],
                ..whole.clone()
            };
            let frame = draw(&one);
            tally.frames += 1;
            let header = format!("{} {}\n", diagnostic.code, diagnostic.name);
            assert!(frame.starts_with(&header), "{}: {frame}", path.display());
            // The position, worked out here: line breaks are `\n`.
            let start = diagnostic.span.start.min(text.len());
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let line = text[..start].matches('\n').count() + 1;
            let position = format!("[Dockerfile:{line}:{}]", start - line_start + 1);
            assert!(frame.contains(&position), "{}: {frame}", path.display());
            // Underlines of one-line spans over ASCII text sit under their columns.
            let end = diagnostic.span.end.min(text.len());
            let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            let line_text = text[line_start..line_end].trim_end_matches('\r');
            if end > line_end || end == start || start > line_start + line_text.len() {
                continue;
            }
            let (Some(from), Some(to)) = (
                ascii_columns(&text[line_start..start]),
                ascii_columns(&text[line_start..end.min(line_start + line_text.len())]),
            ) else {
                continue;
            };
            let to = if end > line_start + line_text.len() {
                ascii_columns(line_text).map_or(to, |c| c + 1)
            } else {
                to
            };
            let expected = (from, (to - from).max(1));
            assert_eq!(
                underline(&frame, line),
                expected,
                "{}: {frame}",
                path.display()
            );
            tally.underlines_checked += 1;
        }
    }
    tally
}

#[test]
fn every_corpus_finding_is_drawn_where_it_is() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let tally = check_dir(&shared.join("corpus/real"));
    eprintln!("corpus: {tally:?}");
    assert!(tally.frames > 5000, "{tally:?}");
    assert!(tally.underlines_checked > tally.frames / 2, "{tally:?}");
}

#[test]
fn every_conformance_finding_is_drawn_where_it_is() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    // Not all Dockerfiles (oracle files, odd encodings, control characters).
    let tally = check_dir(&shared.join("conformance"));
    eprintln!("conformance: {tally:?}");
    assert!(tally.frames > 100, "{tally:?}");
}

/// A finding over several lines is marked in the gutter, start to end, with no underline.
#[test]
fn spans_over_lines_are_drawn_in_the_gutter() {
    let source = "FROM alpine\nRUN a \\\n  b \\\n  c\nUSER app\n";
    let start = source.find("RUN").unwrap();
    let frame = draw(&report(source, start..source.find("USER").unwrap() - 1));
    assert!(frame.contains(" 2 │ ╭─▶ RUN a \\\n"), "{frame}");
    assert!(frame.contains(" 3 │ │     b \\\n"), "{frame}");
    assert!(frame.contains(" 4 │ ╰─▶   c\n"), "{frame}");
    assert!(!frame.contains('·'), "{frame}");
}
