//! Human output: one miette code frame per finding, then a one-line summary.
//!
//! Colour is the caller's decision ([`TextOptions::color`]); without it the frames use plain
//! Unicode box drawing and no escape codes, so logs and snapshots stay readable. With colour
//! the rule code is a terminal hyperlink to the rule's documentation.

use std::fmt;
use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode, SourceSpan,
    ThemeCharacters, ThemeStyles,
};

use super::FileReport;
use crate::diagnostic::{Diagnostic, Severity};
use crate::line_index::floor_char_boundary;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextOptions {
    /// ANSI colours and hyperlinks.
    pub color: bool,
}

/// Code frames for every finding of every report, each followed by a blank line.
pub fn render_text(reports: &[FileReport], options: TextOptions) -> String {
    let handler = handler(options);
    let mut out = String::new();
    for report in reports {
        if report.diagnostics.is_empty() {
            continue;
        }
        let source = NamedSource::new(&report.path, Arc::clone(&report.source));
        for diagnostic in &report.diagnostics {
            let frame = Frame::new(diagnostic, &source);
            if handler.render_report(&mut out, &frame).is_err() {
                // Writing into a String cannot fail; a renderer bug must not lose the finding.
                out.push_str(&format!("{}: {}\n", report.path, diagnostic.message));
            }
            out.push('\n');
        }
    }
    out
}

/// "Found 3 problems in 2 files", or "All checks passed"; files that `failed` (unreadable, or
/// a usage error) are mentioned so that such a run never looks clean.
pub fn summary_line(reports: &[FileReport], failed: usize) -> String {
    let mut line = findings_summary(reports, failed);
    line.push_str(&fixable_summary(reports));
    line
}

/// `(2 fixable with --fix, 1 more with --unsafe-fixes; an estimated ~1.1 GB smaller image)`,
/// or nothing when there is nothing to say.
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
            "; fixing them would make the image an estimated {} smaller",
            crate::knowledge::format_megabytes(saving as f64 / 1e6)
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
    source: &'a NamedSource<Arc<str>>,
    span: SourceSpan,
    help: Option<String>,
}

impl<'a> Frame<'a> {
    fn new(diagnostic: &'a Diagnostic, source: &'a NamedSource<Arc<str>>) -> Frame<'a> {
        let text = source.inner();
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

/// The rule's advice, then the fix on offer, each on its own line.
fn help_text(diagnostic: &Diagnostic) -> Option<String> {
    let fix = diagnostic
        .fix
        .as_ref()
        .map(|fix| format!("fix ({}): {}", fix.applicability.as_str(), fix.message));
    let lines: Vec<String> = diagnostic.help.iter().cloned().chain(fix).collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
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
    use crate::rules::syntax::dl1000::InvalidSyntax;
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
}
