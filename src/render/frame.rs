//! One code frame over any text (a configuration file, say): a message, the offending span
//! underlined with a label, and a help line, drawn by the same miette handler as findings.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use miette::{LabeledSpan, NamedSource, SourceCode, SourceSpan};

use super::text::{handler, TextOptions};
use crate::line_index::floor_char_boundary;

/// What to draw.
pub struct SourceFrame<'a> {
    /// The file name shown in the frame's header.
    pub name: &'a str,
    pub source: Arc<str>,
    pub span: Range<usize>,
    pub message: &'a str,
    /// Text under the underline.
    pub label: Option<&'a str>,
    pub help: Option<&'a str>,
}

/// The frame as text, coloured only when `color` (the caller decides: TTY and `NO_COLOR`).
pub fn render_source_frame(frame: &SourceFrame<'_>, color: bool) -> String {
    let text = &frame.source;
    let start = floor_char_boundary(text, frame.span.start);
    let end = floor_char_boundary(text, frame.span.end).max(start);
    let report = Report {
        source: NamedSource::new(frame.name, Arc::clone(&frame.source)),
        span: SourceSpan::from(start..end),
        message: frame.message,
        label: frame.label,
        help: frame.help,
    };
    let mut out = String::new();
    if handler(TextOptions { color })
        .render_report(&mut out, &report)
        .is_err()
    {
        // Writing into a String cannot fail; a renderer bug must not lose the message.
        out = format!("{}: {}\n", frame.name, frame.message);
    }
    out
}

struct Report<'a> {
    source: NamedSource<Arc<str>>,
    span: SourceSpan,
    message: &'a str,
    label: Option<&'a str>,
    help: Option<&'a str>,
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let label = LabeledSpan::new_primary_with_span(self.label.map(String::from), self.span);
        Some(Box::new(std::iter::once(label)))
    }
}
