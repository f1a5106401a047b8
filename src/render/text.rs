//! Human output: one code frame per finding (drawn by [`text_frame`]), then a one-line
//! summary.
//!
//! Colour is the caller's decision ([`TextOptions::color`]); without it the frames use plain
//! Unicode box drawing and no escape codes, so logs and snapshots stay readable. With colour
//! the rule code is a terminal hyperlink to the rule's documentation. Control characters in
//! file names, text and messages are shown as `?` ([`terminal_safe_report`]).

use super::support::terminal_safe_report;
use super::text_frame::{self, FrameParts, Header, Level};
use super::FileReport;
use crate::diagnostic::{Diagnostic, Severity};
use crate::knowledge::ESTIMATE_MEASURE;
use crate::line_index::floor_char_boundary;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextOptions {
    /// ANSI colours and hyperlinks.
    pub color: bool,
}

/// Below this many findings the frames are drawn on the calling thread.
const PARALLEL_FROM: usize = 256;

/// Code frames for every finding of every report, each followed by a blank line.
///
/// Drawing a frame can cost as much as finding it, so a large run draws its frames on all
/// cores, in chunks of reports, and joins the chunks in order.
pub fn render_text(reports: &[FileReport], options: TextOptions) -> String {
    let findings: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if findings < PARALLEL_FROM || threads < 2 || reports.len() < 2 {
        return render_chunk(reports, options);
    }
    // Chunks of about equal numbers of findings, several per thread to even out the load.
    let target = findings.div_ceil(threads * 4).max(1);
    let mut chunks: Vec<&[FileReport]> = Vec::new();
    let (mut start, mut count) = (0, 0);
    for (i, report) in reports.iter().enumerate() {
        count += report.diagnostics.len();
        if count >= target {
            chunks.push(&reports[start..=i]);
            (start, count) = (i + 1, 0);
        }
    }
    if start < reports.len() {
        chunks.push(&reports[start..]);
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut rendered: Vec<(usize, String)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(chunk) = chunks.get(i) else {
                            break done;
                        };
                        done.push((i, render_chunk(chunk, options)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    if rendered.len() != chunks.len() {
        // A worker panicked: draw everything here rather than lose findings.
        return render_chunk(reports, options);
    }
    rendered.sort_by_key(|(i, _)| *i);
    rendered.into_iter().map(|(_, text)| text).collect()
}

/// One report's frames, as [`render_text`] draws them: the text output of many reports is
/// these pieces joined in order, then the [`summary_line`]. `check` draws each file's piece on
/// the thread that linted it.
pub fn render_text_report(report: &FileReport, options: TextOptions) -> String {
    render_chunk(std::slice::from_ref(report), options)
}

fn render_chunk(reports: &[FileReport], options: TextOptions) -> String {
    // A frame is about 550 bytes; growing by doubling would copy the output over and over.
    let findings: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
    let mut out = String::with_capacity(findings * 640);
    for report in reports {
        if report.diagnostics.is_empty() {
            continue;
        }
        let safe = terminal_safe_report(report);
        let break_ends = text_frame::line_break_ends(&safe.source);
        for diagnostic in &safe.diagnostics {
            render_finding(&mut out, &safe, &break_ends, diagnostic, options);
            out.push('\n');
        }
    }
    out
}

/// One finding's frame; `report` is terminal-safe and `break_ends` are its line breaks.
fn render_finding(
    out: &mut String,
    report: &FileReport,
    break_ends: &[usize],
    diagnostic: &Diagnostic,
    options: TextOptions,
) {
    let text: &str = &report.source;
    // Spans come from the parser and should be in bounds; clamp anyway, because a code frame
    // must never be the thing that crashes.
    let start = floor_char_boundary(text, diagnostic.span.start);
    let end = floor_char_boundary(text, diagnostic.span.end).max(start);
    let help = help_text(diagnostic);
    let parts = FrameParts {
        header: Some(Header {
            code: diagnostic.code,
            rule_name: diagnostic.name,
            url: &diagnostic.url,
        }),
        level: match diagnostic.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
            Severity::Info | Severity::Style => Level::Advice,
        },
        message: &diagnostic.message,
        help: help.as_deref(),
        name: &report.path,
        text,
        break_ends,
        span: start..end,
        label: None,
    };
    text_frame::render_frame(out, &parts, options.color);
}

/// "Found 3 problems in 2 files", or "All checks passed"; files that `failed` (unreadable, or
/// a usage error) are mentioned so that such a run never looks clean.
pub fn summary_line(reports: &[FileReport], failed: usize) -> String {
    let mut line = findings_summary(reports, failed);
    line.push_str(&fixable_summary(reports));
    line
}

/// `(2 fixable with --fix, 1 more with --unsafe-fixes); fixing them would make the image an
/// estimated ~368 MB smaller (compressed size)`, or nothing when there is nothing to say. Every
/// saving is of one measure ([`ESTIMATE_MEASURE`]), so they add up; "images" when the savings
/// come from several files.
fn fixable_summary(reports: &[FileReport]) -> String {
    let diagnostics = || reports.iter().flat_map(|r| r.diagnostics.iter());
    let fixable = |unsafe_allowed: bool| {
        diagnostics()
            .filter(|d| {
                d.fix
                    .as_ref()
                    .is_some_and(|f| f.is_applicable(unsafe_allowed))
            })
            .count()
    };
    let (safe, with_unsafe) = (fixable(false), fixable(true));
    let saving: u64 = diagnostics().filter_map(|d| d.saving_bytes).sum();
    let files_saving = reports
        .iter()
        .filter(|r| r.diagnostics.iter().any(|d| d.saving_bytes.is_some()))
        .count();
    let mut parts = Vec::new();
    if safe > 0 {
        parts.push(format!("{safe} fixable with --fix"));
    }
    if with_unsafe > safe {
        parts.push(format!("{} more with --unsafe-fixes", with_unsafe - safe));
    }
    let mut out = String::new();
    if !parts.is_empty() {
        out.push_str(&format!(" ({})", parts.join(", ")));
    }
    if saving > 0 {
        out.push_str(&format!(
            "; fixing them would make the {} an estimated {} smaller ({} size)",
            if files_saving > 1 { "images" } else { "image" },
            crate::knowledge::format_megabytes(saving as f64 / 1e6),
            ESTIMATE_MEASURE.describe()
        ));
    }
    out
}

fn findings_summary(reports: &[FileReport], failed: usize) -> String {
    let problems: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
    let files = reports.iter().filter(|r| !r.diagnostics.is_empty()).count();
    let failures = format!("{} could not be checked", plural(failed, "file"));
    match (problems, failed) {
        (0, 0) => "All checks passed".to_string(),
        (0, _) if reports.is_empty() => failures,
        (0, _) => format!(
            "No problems found in {}; {failures}",
            plural(reports.len(), "file")
        ),
        (_, 0) => format!(
            "Found {} in {}",
            plural(problems, "problem"),
            plural(files, "file")
        ),
        _ => format!(
            "Found {} in {}; {failures}",
            plural(problems, "problem"),
            plural(files, "file")
        ),
    }
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// The rule's advice, then the fix on offer, each on its own line.
fn help_text(diagnostic: &Diagnostic) -> Option<String> {
    let fix = diagnostic
        .fix
        .as_ref()
        .map(|fix| format!("fix ({}): {}", fix.applicability.as_str(), fix.message));
    match (&diagnostic.help, fix) {
        (Some(help), Some(fix)) => Some(format!("{help}\n{fix}")),
        (Some(help), None) => Some(help.clone()),
        (None, fix) => fix,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::syntax::invalid_syntax::InvalidSyntax;
    use crate::rules::HasMeta;

    /// A report with one finding per `needle`, spanning its first occurrence.
    fn report(path: &str, source: &str, needles: &[&str]) -> FileReport {
        let diagnostics = needles
            .iter()
            .map(|needle| {
                let at = source.find(needle).expect("needle in source");
                Diagnostic::new(&InvalidSyntax::META, at..at + needle.len(), "bad thing")
            })
            .collect();
        FileReport {
            path: path.into(),
            source: source.into(),
            diagnostics,
        }
    }

    #[test]
    fn frames_name_the_file_line_and_rule_without_escape_codes() {
        let reports = [report("Dockerfile", "FROM alpine\nENV KÉY\n", &["KÉY"])];
        let text = render_text(&reports, TextOptions { color: false });
        assert!(text.contains("DL1000 invalid-syntax"), "{text}");
        assert!(text.contains("bad thing"), "{text}");
        assert!(text.contains("[Dockerfile:2:5]"), "{text}");
        assert!(text.contains("ENV KÉY"), "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
    }

    #[test]
    fn colour_adds_escape_codes() {
        let reports = [report("Dockerfile", "FROM alpine\nENV K\n", &["K\n"])];
        let text = render_text(&reports, TextOptions { color: true });
        assert!(text.contains('\u{1b}'), "{text}");
    }

    #[test]
    fn help_lists_advice_then_the_fix() {
        let mut reports = [report("Dockerfile", "FROM alpine\nENV K\n", &["ENV"])];
        let diagnostic = &mut reports[0].diagnostics[0];
        diagnostic.help = Some("use a cache mount".into());
        diagnostic.fix = Some(crate::fix::Fix::safe("set a value", vec![]));
        let text = render_text(&reports, TextOptions::default());
        let advice = text.find("use a cache mount").expect("advice shown");
        let fix = text.find("fix (safe): set a value").expect("fix shown");
        assert!(advice < fix, "{text}");
    }

    /// `line` without escape sequences (colour codes and the header's hyperlink).
    fn without_escapes(line: &str) -> String {
        let mut out = String::new();
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '\u{1b}' {
                out.push(c);
                continue;
            }
            match chars.next() {
                // CSI: up to a final byte.
                Some('[') => while chars.next().is_some_and(|c| !c.is_ascii_alphabetic()) {},
                // OSC: up to ST (`ESC \\`).
                Some(']') => while chars.next().is_some_and(|c| c != '\u{1b}') {},
                _ => {}
            }
        }
        out
    }

    /// Messages and help are wrapped to the width, never beyond, and keep every word in
    /// order; short ones are left as they are.
    #[test]
    fn wrapping_never_exceeds_the_width_and_keeps_the_words() {
        let near = |n: usize| "w ".repeat(n / 2).trim_end().to_string();
        let messages = [
            "bad thing".to_string(),
            "heavy base image: debian:jessie (~48 MB) → debian:jessie-slim (~28 MB)".to_string(),
            "two  spaces, `ticks`, “quotes”, 日本語 and émoji 🚀 inside".to_string(),
            "first line\nsecond line".to_string(),
            near(text_frame::WRAP_WIDTH + 40),
            format!("{} end", near(text_frame::WRAP_WIDTH - 7)),
            "x".repeat(text_frame::WRAP_WIDTH + 5),
            "x".repeat(3 * text_frame::WRAP_WIDTH),
            "日本語の".repeat(60),
            format!("wide {}", "🚀 ".repeat(120)),
            "trailing space ".to_string(),
            "blank\n\nline".to_string(),
            format!("first\n{}", "y".repeat(text_frame::WRAP_WIDTH)),
        ];
        for color in [false, true] {
            for message in &messages {
                let mut reports = [report("Dockerfile", "FROM alpine\nENV K\n", &["ENV"])];
                reports[0].diagnostics[0].message = message.clone();
                reports[0].diagnostics[0].help = Some(message.clone());
                let text = render_text(&reports, TextOptions { color });
                let plain = without_escapes(&text);
                let lines: Vec<&str> = plain.lines().collect();
                let snippet = lines
                    .iter()
                    .position(|l| l.contains("╭─["))
                    .expect("snippet");
                let help = lines
                    .iter()
                    .position(|l| l.starts_with("  help: "))
                    .expect("help");
                for paragraph in [&lines[2..snippet], &lines[help..]] {
                    for line in paragraph {
                        let width = text_frame::display_width(line);
                        assert!(width <= text_frame::WRAP_WIDTH, "{width}: {line:?}");
                    }
                    let shown: Vec<&str> = paragraph
                        .iter()
                        .flat_map(|l| l.split_whitespace())
                        .filter(|w| !["×", "⚠", "☞", "│", "help:"].contains(w))
                        .collect();
                    let words: Vec<&str> = message.split_whitespace().collect();
                    assert_eq!(shown.concat(), words.concat(), "{message:?}");
                }
                if message.len() < 100 && !message.contains("  ") && !message.contains('\n') {
                    assert!(plain.contains(message.trim_end()), "{plain}");
                }
            }
        }
    }

    #[test]
    fn out_of_range_spans_do_not_panic() {
        let mut broken = report("x", "FROM é\n", &["é"]);
        // Inside `é` and past the end of the file.
        broken.diagnostics[0].span = 6..500;
        let text = render_text(&[broken], TextOptions::default());
        assert!(text.contains("[x:1:"), "{text}");
    }

    #[test]
    fn summary_counts_problems_and_files() {
        let bad = report("a", "FROM alpine\nENV K\nLABEL L\n", &["ENV", "LABEL"]);
        let good = report("b", "FROM alpine\n", &[]);
        assert_eq!(
            summary_line(&[bad.clone(), good.clone()], 0),
            "Found 2 problems in 1 file"
        );
        assert_eq!(
            summary_line(&[bad.clone(), bad.clone()], 0),
            "Found 4 problems in 2 files"
        );
        assert_eq!(
            summary_line(std::slice::from_ref(&good), 0),
            "All checks passed"
        );
        assert_eq!(
            summary_line(std::slice::from_ref(&good), 2),
            "No problems found in 1 file; 2 files could not be checked"
        );
        assert_eq!(summary_line(&[], 1), "1 file could not be checked");
        assert_eq!(
            summary_line(&[bad, good], 1),
            "Found 2 problems in 1 file; 1 file could not be checked"
        );
    }

    #[test]
    fn summary_estimate_names_its_measure_and_says_images_for_several_files() {
        let saving = |path: &str, bytes: u64| {
            let mut r = report(path, "FROM python:3.12\n", &["python"]);
            r.diagnostics[0].saving_bytes = Some(bytes);
            r
        };
        let one = summary_line(&[saving("a", 368_000_000)], 0);
        assert!(
            one.ends_with(
                "; fixing them would make the image an estimated ~368 MB smaller (compressed size)"
            ),
            "{one}"
        );
        let two = summary_line(&[saving("a", 368_000_000), saving("b", 2_000_000)], 0);
        assert!(
            two.ends_with("; fixing them would make the images an estimated ~370 MB smaller (compressed size)"),
            "{two}"
        );
        // a file without an estimate does not make "images"
        let mixed = summary_line(
            &[saving("a", 5_000_000), report("b", "FROM x\n", &["x"])],
            0,
        );
        assert!(
            mixed.contains("make the image an estimated ~5 MB"),
            "{mixed}"
        );
    }

    #[test]
    fn control_characters_in_names_and_text_never_reach_the_terminal() {
        let source = "FROM a\u{1b}]0;owned\u{7}b\n";
        let report = report("x\u{1b}[2J\nDockerfile", source, &["a\u{1b}]0;owned\u{7}b"]);
        let out = render_text(&[report], TextOptions { color: false });
        assert!(!out.contains(['\u{1b}', '\u{7}']), "{out:?}");
        assert!(out.contains("a?]0;owned?b"), "{out}");
        assert!(out.contains("x?[2J?Dockerfile"), "{out}");
    }
}
