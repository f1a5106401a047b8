//! Human output: one miette code frame per finding, then a one-line summary.
//!
//! Colour is the caller's decision ([`TextOptions::color`]); without it the frames use plain
//! Unicode box drawing and no escape codes, so logs and snapshots stay readable. With colour
//! the rule code is a terminal hyperlink to the rule's documentation. Control characters in
//! file names, text and messages are shown as `?` ([`terminal_safe_report`]).

use std::fmt;
use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode, SourceSpan, ThemeCharacters,
    ThemeStyles,
};

use super::file_source::FileSource;
use super::support::terminal_safe_report;
use super::text_frame::{self, FrameParts, Level};
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
/// Drawing a frame can cost more than finding it (~50k instructions through miette, ~8k drawn
/// by hand in `text_frame`, which draws nearly all of them), so a large run draws its frames
/// on all cores, in chunks of reports, and joins the chunks in order.
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
    // Made on first use: the hand-written frames need neither handler.
    let mut wrapping: Option<GraphicalReportHandler> = None;
    let mut unwrapped: Option<GraphicalReportHandler> = None;
    // A frame is about 550 bytes; growing by doubling would copy the output over and over.
    let findings: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
    let mut out = String::with_capacity(findings * 640);
    for report in reports {
        if report.diagnostics.is_empty() {
            continue;
        }
        let safe = terminal_safe_report(report);
        let report: &FileReport = &safe;
        let source = FileSource::new(report.path.clone(), Arc::clone(&report.source));
        for diagnostic in &report.diagnostics {
            let frame = Frame::new(diagnostic, &source);
            let simple = frame.needs_no_wrapping();
            if simple && frame.render_fast(&mut out, options) {
                out.push('\n');
                continue;
            }
            let handler = if simple {
                unwrapped.get_or_insert_with(|| handler(options).with_wrap_lines(false))
            } else {
                wrapping.get_or_insert_with(|| handler(options))
            };
            if handler.render_report(&mut out, &frame).is_err() {
                // Writing into a String cannot fail; a renderer bug must not lose the finding.
                out.push_str(&format!("{}: {}\n", report.path, diagnostic.message));
            }
            out.push('\n');
        }
    }
    out
}

/// One finding's frame drawn by the hand-written renderer (`None` when it leaves the frame to
/// miette) and by miette's wrapping handler, for tests that hold the two to the same bytes.
#[doc(hidden)]
pub fn frame_both_ways(
    report: &FileReport,
    index: usize,
    options: TextOptions,
) -> (Option<String>, String) {
    let source = FileSource::new(report.path.clone(), Arc::clone(&report.source));
    let frame = Frame::new(&report.diagnostics[index], &source);
    let mut fast = String::new();
    let fast = (frame.needs_no_wrapping() && frame.render_fast(&mut fast, options)).then_some(fast);
    let mut slow = String::new();
    if handler(options).render_report(&mut slow, &frame).is_err() {
        slow = "miette failed".to_string();
    }
    (fast, slow)
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

pub(super) fn handler(options: TextOptions) -> GraphicalReportHandler {
    let theme = if options.color {
        GraphicalTheme {
            characters: ThemeCharacters::unicode(),
            styles: ThemeStyles::ansi(),
        }
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme);
    if options.color {
        handler.with_links(true)
    } else {
        handler.with_urls(false)
    }
}

/// One diagnostic seen through miette's `Diagnostic` trait.
struct Frame<'a> {
    diagnostic: &'a Diagnostic,
    source: &'a FileSource,
    span: SourceSpan,
    help: Option<String>,
}

impl<'a> Frame<'a> {
    fn new(diagnostic: &'a Diagnostic, source: &'a FileSource) -> Frame<'a> {
        let text: &str = &source.text;
        // Spans come from the parser and should be in bounds; clamp anyway, because a code
        // frame must never be the thing that crashes.
        let start = floor_char_boundary(text, diagnostic.span.start);
        let end = floor_char_boundary(text, diagnostic.span.end).max(start);
        Frame {
            diagnostic,
            source,
            span: SourceSpan::from(start..end),
            help: help_text(diagnostic),
        }
    }
}

/// miette wraps a frame's message and help to this width (its terminal width, 200, less 2).
const WRAP_WIDTH: usize = 198;
/// More bytes than any indent miette puts before a wrapped line, colour codes included.
const MAX_INDENT: usize = 32;

/// Whether wrapping `text` to [`WRAP_WIDTH`] would leave it as it is, as far as a cheap look
/// can tell: every line is non-empty, has no control characters, no leading or trailing
/// whitespace, and is shorter in bytes (never fewer than its display columns) than the width
/// less an indent.
///
/// A line of printable ASCII is exactly as wide as it is long, so it may come up to the width
/// less the widest indent miette puts before it in columns (`  help: `, 8).
fn fits_unwrapped(text: &str) -> bool {
    text.split('\n').all(|line| {
        let bytes = line.as_bytes();
        // Without an early exit, so that the compiler checks many bytes at a time.
        let printable = bytes
            .iter()
            .fold(true, |ok, &b| ok & (b' '..=b'~').contains(&b));
        if printable {
            return bytes.first().is_some_and(|&b| b != b' ')
                && bytes.last().is_some_and(|&b| b != b' ')
                && line.len() + 8 <= WRAP_WIDTH;
        }
        !line.is_empty()
            && line.trim() == line
            && !line.chars().any(char::is_control)
            && line.len() + MAX_INDENT < WRAP_WIDTH
    })
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

impl Frame<'_> {
    /// miette's wrapping (textwrap) costs more than the rest of a frame; when it would change
    /// nothing, a handler that does not wrap draws the same frame.
    fn needs_no_wrapping(&self) -> bool {
        fits_unwrapped(&self.diagnostic.message) && self.help.as_deref().is_none_or(fits_unwrapped)
    }
}

impl Frame<'_> {
    /// Draws the frame with [`text_frame`] when it can, exactly as miette would; false (and
    /// nothing written) when miette must draw it. Only for frames that need no wrapping.
    fn render_fast(&self, out: &mut String, options: TextOptions) -> bool {
        let Some(parts) = self.read_parts() else {
            return false;
        };
        text_frame::render_frame(out, &parts.as_frame_parts(self), options.color)
    }

    /// The window and position miette's `render_context` reads for this frame's label: from
    /// the file's line breaks when it has no `\r`, else from miette's reader.
    fn read_parts(&self) -> Option<ReadParts<'_>> {
        let text: &str = &self.source.text;
        let (offset, len) = (self.span.offset(), self.span.len());
        let (ends, has_cr) = self.source.breaks();
        if !has_cr {
            let window = text_frame::window_without_cr(text.len(), ends, offset, len);
            return Some(ReadParts {
                window_has_cr: false,
                window: text.get(window.start..window.end)?,
                window_offset: window.start,
                window_line: window.line,
                window_column: 0,
                primary_line: window.primary_line,
                primary_column: window.primary_column,
            });
        }
        let window = self.source.read_span(&self.span, 1, 1).ok()?;
        let primary = self.source.read_span(&self.span, 0, 0).ok()?;
        let start = window.span().offset();
        Some(ReadParts {
            window_has_cr: true,
            window: text.get(start..start + window.span().len())?,
            window_offset: start,
            window_line: window.line(),
            window_column: window.column(),
            primary_line: primary.line(),
            primary_column: primary.column(),
        })
    }
}

struct ReadParts<'a> {
    window: &'a str,
    /// False when the file has no `\r` at all; true when it may.
    window_has_cr: bool,
    window_offset: usize,
    window_line: usize,
    window_column: usize,
    primary_line: usize,
    primary_column: usize,
}

impl ReadParts<'_> {
    fn as_frame_parts<'b>(&'b self, frame: &'b Frame<'_>) -> FrameParts<'b> {
        let diagnostic = frame.diagnostic;
        FrameParts {
            code: diagnostic.code,
            rule_name: diagnostic.name,
            url: &diagnostic.url,
            level: match diagnostic.severity {
                Severity::Error => Level::Error,
                Severity::Warning => Level::Warning,
                Severity::Info | Severity::Style => Level::Advice,
            },
            message: &diagnostic.message,
            help: frame.help.as_deref(),
            name: &frame.source.name,
            window: self.window,
            window_has_cr: self.window_has_cr,
            window_offset: self.window_offset,
            window_line: self.window_line,
            window_column: self.window_column,
            span_offset: frame.span.offset(),
            span_len: frame.span.len(),
            primary_line: self.primary_line,
            primary_column: self.primary_column,
        }
    }
}

impl fmt::Display for Frame<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl fmt::Debug for Frame<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, f)
    }
}

impl std::error::Error for Frame<'_> {}

impl miette::Diagnostic for Frame<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{} {}",
            self.diagnostic.code, self.diagnostic.name
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info | Severity::Style => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.diagnostic.url))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let label = LabeledSpan::new_primary_with_span(None, self.span);
        Some(Box::new(std::iter::once(label)))
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

    /// Where the unwrapped handler is used, it draws exactly what the wrapping one draws; and
    /// texts that need wrapping are seen to.
    #[test]
    fn unwrapped_frames_match_wrapped_ones() {
        let near = |n: usize| "w ".repeat(n / 2).trim_end().to_string();
        let messages = [
            "bad thing".to_string(),
            "heavy base image: debian:jessie (~48 MB) → debian:jessie-slim (~28 MB)".to_string(),
            "two  spaces, `ticks`, “quotes”, 日本語 and émoji 🚀 inside".to_string(),
            "first line\nsecond line".to_string(),
            near(WRAP_WIDTH - MAX_INDENT - 1),
            near(WRAP_WIDTH + 40),
            "trailing space ".to_string(),
            " leading space".to_string(),
            "blank\n\nline".to_string(),
            "tab\there".to_string(),
            "x".repeat(WRAP_WIDTH + 5),
            "x".repeat(WRAP_WIDTH - 8),
            "x".repeat(WRAP_WIDTH - 7),
            "x".repeat(WRAP_WIDTH - 4),
            "x".repeat(WRAP_WIDTH - 3),
            format!("{} end", near(WRAP_WIDTH - 12)),
            format!("{} end", near(WRAP_WIDTH - 11)),
            format!("{} end", near(WRAP_WIDTH - 7)),
            format!("first\n{}", "y".repeat(WRAP_WIDTH - 8)),
            format!("{}\nlast", "y".repeat(WRAP_WIDTH - 7)),
            format!("é{}", "y".repeat(WRAP_WIDTH - 40)),
        ];
        let mut unwrapped_used = 0;
        for color in [false, true] {
            let options = TextOptions { color };
            for message in &messages {
                for help in [None, Some(message.clone()), Some("short help".to_string())] {
                    let mut reports = [report("Dockerfile", "FROM alpine\nENV K\n", &["ENV"])];
                    let diagnostic = &mut reports[0].diagnostics[0];
                    diagnostic.message = message.clone();
                    diagnostic.help = help;
                    let source =
                        FileSource::new("Dockerfile".into(), Arc::clone(&reports[0].source));
                    let frame = Frame::new(&reports[0].diagnostics[0], &source);
                    let draw = |handler: GraphicalReportHandler| {
                        let mut out = String::new();
                        handler.render_report(&mut out, &frame).map(|()| out)
                    };
                    let wrapped = draw(handler(options)).expect("drawn");
                    if frame.needs_no_wrapping() {
                        unwrapped_used += 1;
                        let unwrapped = draw(handler(options).with_wrap_lines(false));
                        assert_eq!(unwrapped.expect("drawn"), wrapped, "{message:?}");
                    }
                    assert_eq!(render_chunk(&reports, options), format!("{wrapped}\n"));
                }
            }
        }
        assert!(unwrapped_used >= 20, "{unwrapped_used}");
        assert!(!fits_unwrapped(&near(WRAP_WIDTH + 40)));
        assert!(!fits_unwrapped("trailing space "));
        assert!(!fits_unwrapped("blank\n\nline"));
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
