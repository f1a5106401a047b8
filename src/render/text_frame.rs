//! dlint's one code frame renderer: a header (rule code and name), the message, the snippet
//! (the span's lines with one line of context either side, the span underlined, an optional
//! label under it), and the help. Findings and configuration errors are drawn by it alike.
//!
//! The layout is miette's graphical report (the look dlint has always had), written straight
//! into the output without a general renderer's formatting machinery, which cost more per
//! frame than finding the problem. Columns are display columns: tabs advance to the next
//! multiple of four, other text is measured with `unicode-width` (wide CJK and emoji count
//! two, combining marks and joiners nothing, an emoji ZWJ sequence two), so the underline
//! sits under its span in a terminal. Text must be
//! [`terminal_safe`](super::support::terminal_safe) already: the only
//! control characters left are tabs, line breaks and the `\r` of `\r\n`.

use std::ops::Range;

use unicode_width::UnicodeWidthStr;

/// Severity: its icon and its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Level {
    Error,
    Warning,
    Advice,
}

/// The first line of a finding's frame: `CODE name`, a hyperlink to `url` with colour on.
pub(super) struct Header<'a> {
    pub code: &'a str,
    pub rule_name: &'a str,
    pub url: &'a str,
}

/// Everything a frame shows.
pub(super) struct FrameParts<'a> {
    /// None for a frame without a rule (a configuration error): no header lines.
    pub header: Option<Header<'a>>,
    pub level: Level,
    pub message: &'a str,
    pub help: Option<&'a str>,
    /// The file name in the snippet header.
    pub name: &'a str,
    /// The whole text the span points into, and one past each of its `\n`s.
    pub text: &'a str,
    pub break_ends: &'a [usize],
    /// Byte range in `text`, on character boundaries.
    pub span: Range<usize>,
    /// One line of text under the underline.
    pub label: Option<&'a str>,
}

/// Messages and help wrap to this many columns.
pub(super) const WRAP_WIDTH: usize = 198;
const TAB_WIDTH: usize = 4;
const RESET: &str = "\x1b[0m";

/// The escape codes of each part, or nothing without colour.
struct Styles {
    error: &'static str,
    warning: &'static str,
    advice: &'static str,
    help: &'static str,
    link: &'static str,
    linum: &'static str,
    highlight: &'static str,
    reset: &'static str,
}

const ANSI: Styles = Styles {
    error: "\x1b[31m",
    warning: "\x1b[33m",
    advice: "\x1b[36m",
    help: "\x1b[36m",
    link: "\x1b[36;1;4m",
    linum: "\x1b[2m",
    highlight: "\x1b[35;1m",
    reset: RESET,
};

const PLAIN: Styles = Styles {
    error: "",
    warning: "",
    advice: "",
    help: "",
    link: "",
    linum: "",
    highlight: "",
    reset: "",
};

/// One line of the snippet.
struct Line<'a> {
    /// One-based.
    number: usize,
    /// Where it starts in the text.
    offset: usize,
    /// Bytes including the line break.
    length: usize,
    /// The text without its line break (`\n` or `\r\n`).
    text: &'a str,
}

/// The span and what it does on a line. A span is shown at least one byte long (an empty
/// span is drawn as `▲` before its position); what it covers uses its real length.
#[derive(Clone, Copy)]
struct Span {
    offset: usize,
    len: usize,
}

impl Span {
    fn shown_len(self) -> usize {
        self.len.max(1)
    }
    /// Within the line, its break included: underlined below it.
    fn line_only(self, line: &Line) -> bool {
        self.offset >= line.offset && self.offset + self.len <= line.offset + line.length
    }
    fn starts_in(self, line: &Line) -> bool {
        self.offset >= line.offset && self.offset < line.offset + line.length
    }
    fn ends_in_shown(self, line: &Line) -> bool {
        let end = self.offset + self.shown_len();
        end > line.offset && end <= line.offset + line.length
    }
    fn applies(self, line: &Line) -> bool {
        self.starts_in(line)
            || (self.offset < line.offset
                && self.offset + self.shown_len() > line.offset + line.length)
            || self.ends_in_shown(line)
    }
    /// Drawn in the gutter left of the text: a span over several lines.
    fn applies_gutter(self, line: &Line) -> bool {
        self.applies(line) && !(self.starts_in(line) && self.ends_in_shown(line))
    }
    fn flyby(self, line: &Line) -> bool {
        self.offset < line.offset && self.offset + self.len > line.offset + line.length
    }
    fn starts(self, line: &Line) -> bool {
        self.offset >= line.offset
    }
    fn ends(self, line: &Line) -> bool {
        let end = self.offset + self.len;
        end >= line.offset && end <= line.offset + line.length
    }
}

/// Appends the frame to `out`.
pub(super) fn render_frame(out: &mut String, parts: &FrameParts<'_>, color: bool) {
    let help_len = parts.help.map_or(0, str::len);
    out.reserve(parts.message.len() + help_len + 600);
    let styles = if color { &ANSI } else { &PLAIN };
    let (level_style, icon) = match parts.level {
        Level::Error => (styles.error, "×"),
        Level::Warning => (styles.warning, "⚠"),
        Level::Advice => (styles.advice, "☞"),
    };
    if let Some(header) = &parts.header {
        if color {
            push_all(out, &["\x1b]8;;", header.url, "\x1b\\", level_style]);
            push_all(out, &[header.code, " ", header.rule_name, " ", RESET]);
            push_all(out, &[styles.link, "(link)", RESET]);
            out.push_str("\x1b]8;;\x1b\\\n\n");
        } else {
            push_all(out, &[header.code, " ", header.rule_name, "\n\n"]);
        }
    }
    push_paragraph(
        out,
        parts.message,
        &["  ", level_style, icon, styles.reset, " "],
        &["  ", level_style, "│", styles.reset, " "],
    );
    draw_snippet(out, parts, styles);
    if let Some(help) = parts.help {
        push_paragraph(
            out,
            help,
            &[styles.help, "  help: ", styles.reset],
            &["        "],
        );
    }
}

/// `text` behind `first` (its first line) and `rest` (the others), wrapped to
/// [`WRAP_WIDTH`] when it needs it, then a line break.
fn push_paragraph(out: &mut String, text: &str, first: &[&str], rest: &[&str]) {
    if fits_unwrapped(text) {
        push_all(out, first);
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
                push_all(out, rest);
            }
            out.push_str(line);
        }
    } else {
        let (first, rest) = (first.concat(), rest.concat());
        let options = textwrap::Options::new(WRAP_WIDTH)
            .initial_indent(&first)
            .subsequent_indent(&rest)
            .break_words(true);
        out.push_str(&textwrap::fill(text, options));
    }
    out.push('\n');
}

/// Whether wrapping `text` would leave it as it is, as far as a cheap look can tell: every
/// line is non-empty, has no control characters, no leading or trailing whitespace, and is
/// shorter in bytes (never fewer than its display columns) than the width less an indent.
///
/// A line of printable ASCII is exactly as wide as it is long, so it may come up to the width
/// less the widest indent (`  help: `, 8 columns).
fn fits_unwrapped(text: &str) -> bool {
    /// More bytes than any indent, colour codes included.
    const MAX_INDENT: usize = 32;
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

fn draw_snippet(out: &mut String, parts: &FrameParts<'_>, styles: &Styles) {
    let span = Span {
        offset: parts.span.start,
        len: parts.span.len(),
    };
    let window = window(parts.text.len(), parts.break_ends, span.offset, span.len);
    let lines = split_lines(parts.text, &window);
    let max_gutter = usize::from(
        lines
            .iter()
            .any(|line| !span.line_only(line) && span.applies_gutter(line)),
    );
    let linum_width = digits(lines.last().map_or(0, |line| line.number));
    let hl = styles.highlight;
    let reset = styles.reset;

    push_spaces(out, linum_width + 2);
    push_all(out, &["╭─[", styles.link, parts.name, ":"]);
    push_number(out, window.primary_line + 1, 0);
    out.push(':');
    push_number(out, window.primary_column + 1, 0);
    push_all(out, &[reset, "]\n"]);

    for line in &lines {
        out.push(' ');
        out.push_str(styles.linum);
        push_number(out, line.number, linum_width);
        push_all(out, &[reset, " │ "]);
        if max_gutter > 0 {
            if !span.applies_gutter(line) {
                push_spaces(out, 4);
            } else if span.starts(line) {
                push_all(out, &[hl, "╭", reset, hl, "─", reset, hl, "▶", reset, " "]);
            } else if span.ends(line) {
                let corner = if parts.label.is_some() { "├" } else { "╰" };
                push_all(
                    out,
                    &[hl, corner, reset, hl, "─", reset, hl, "▶", reset, " "],
                );
            } else if span.flyby(line) {
                push_all(out, &[hl, "│", reset, "   "]);
            } else {
                push_spaces(out, 4);
            }
        }
        push_line_text(out, line.text);
        let applies = span.applies(line);
        if applies && span.line_only(line) {
            let start = visual_offset(line, span.offset, true);
            let end = if span.len == 0 {
                start + 1
            } else {
                visual_offset(line, span.offset + span.len, false).max(start + 1)
            };
            let middle = (start + end) / 2;
            let mark = match (span.len, parts.label) {
                (0, _) => "▲",
                (_, Some(_)) => "┬",
                (_, None) => "─",
            };
            push_no_linum(out, linum_width, max_gutter);
            out.push_str(hl);
            push_spaces(out, start);
            push_repeated(out, "─", middle - start);
            out.push_str(mark);
            push_repeated(out, "─", end - middle - 1);
            push_all(out, &[reset, "\n"]);
            if let Some(label) = parts.label {
                push_no_linum(out, linum_width, max_gutter);
                push_spaces(out, middle);
                push_all(out, &[hl, "╰── ", label, reset, "\n"]);
            }
        } else if let Some(label) = parts.label {
            // A span over several lines is labelled below its last line.
            if applies && span.ends(line) && !span.starts(line) {
                push_spaces(out, linum_width + 2);
                push_all(out, &["· ", hl, "╰", reset, hl, "───", reset]);
                push_all(out, &[hl, "─", reset, " ", hl, label, reset, "\n"]);
            }
        }
    }
    push_spaces(out, linum_width + 2);
    out.push_str("╰────\n");
}

/// The left part of a line under a text line: no number, a dotted bar, the gutter's padding.
fn push_no_linum(out: &mut String, linum_width: usize, max_gutter: usize) {
    push_spaces(out, linum_width + 2);
    out.push_str("· ");
    if max_gutter > 0 {
        // An underlined span is on one line, so it is not in this line's gutter.
        push_spaces(out, 4);
    }
}

/// The snippet's lines: `\n` ends a line, and a `\r` before it is not shown.
fn split_lines<'a>(text: &'a str, window: &Window) -> Vec<Line<'a>> {
    let shown = &text[window.start..window.end];
    let end = shown.len();
    let breaks = memchr::memchr_iter(b'\n', shown.as_bytes()).chain(std::iter::once(end));
    let mut lines = Vec::with_capacity(4);
    let mut line_start = 0;
    for (number, at) in (window.line + 1..).zip(breaks) {
        if at == end && line_start == end {
            break; // the window ends with a line break (or is empty)
        }
        let line = &shown[line_start..at];
        let text = if at < end {
            line.strip_suffix('\r').unwrap_or(line)
        } else {
            line
        };
        lines.push(Line {
            number,
            offset: window.start + line_start,
            length: (at + 1).min(end) - line_start,
            text,
        });
        line_start = at + 1;
    }
    lines
}

/// Display columns of one line's text: tabs advance to the next tab stop, the rest is
/// measured by `unicode-width` between tabs (so a ZWJ sequence is measured whole).
pub(super) fn display_width(text: &str) -> usize {
    let mut column = 0;
    for (i, piece) in text.split('\t').enumerate() {
        if i > 0 {
            column += TAB_WIDTH - column % TAB_WIDTH;
        }
        column += piece_width(piece);
    }
    column
}

fn piece_width(piece: &str) -> usize {
    // Without an early exit, so that the compiler checks many bytes at a time.
    let printable = piece
        .bytes()
        .fold(true, |ok, b| ok & (b' '..=b'~').contains(&b));
    if printable {
        piece.len()
    } else {
        piece.width()
    }
}

/// The display column of a byte offset of the line: a character's first column when `start`
/// (and the offset falls inside it), else the column after it; one past the text for an
/// offset in or past the line break.
fn visual_offset(line: &Line, offset: usize, start: bool) -> usize {
    let text = line.text;
    let mut index = offset.saturating_sub(line.offset).min(line.length);
    while index <= text.len() && !text.is_char_boundary(index) {
        if start {
            index -= 1;
        } else {
            index += 1;
        }
    }
    if index > text.len() {
        display_width(text) + 1
    } else {
        display_width(&text[..index])
    }
}

/// The line's text with tabs expanded to spaces, then a line break.
fn push_line_text(out: &mut String, text: &str) {
    if memchr::memchr(b'\t', text.as_bytes()).is_none() {
        out.push_str(text);
    } else {
        let mut column = 0;
        for (i, piece) in text.split('\t').enumerate() {
            if i > 0 {
                let width = TAB_WIDTH - column % TAB_WIDTH;
                push_spaces(out, width);
                column += width;
            }
            out.push_str(piece);
            column += piece_width(piece);
        }
    }
    out.push('\n');
}

fn push_all(out: &mut String, pieces: &[&str]) {
    for piece in pieces {
        out.push_str(piece);
    }
}

fn push_spaces(out: &mut String, count: usize) {
    const SPACES: &str = "                                ";
    let mut left = count;
    while left > 0 {
        let now = left.min(SPACES.len());
        out.push_str(&SPACES[..now]);
        left -= now;
    }
}

fn push_repeated(out: &mut String, piece: &str, count: usize) {
    for _ in 0..count {
        out.push_str(piece);
    }
}

fn digits(mut n: usize) -> usize {
    let mut count = 1;
    while n >= 10 {
        n /= 10;
        count += 1;
    }
    count
}

/// `n` in decimal, right-aligned in `width` columns.
fn push_number(out: &mut String, n: usize, width: usize) {
    let len = digits(n);
    push_spaces(out, width.saturating_sub(len));
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    let mut rest = n;
    loop {
        at -= 1;
        buf[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend(buf[at..].iter().map(|&digit| char::from(digit)));
}

/// One past each `\n` of `text`: what [`FrameParts::break_ends`] wants.
pub(super) fn line_break_ends(text: &str) -> Vec<usize> {
    memchr::memchr_iter(b'\n', text.as_bytes())
        .map(|i| i + 1)
        .collect()
}

/// The text a frame shows, and where its span starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    /// From the start of the line before the span's first line...
    start: usize,
    /// ...to the end of the line after the line of the span's last byte (for an empty span,
    /// of the byte before it), its line break included.
    end: usize,
    /// The window's first line, zero-based.
    line: usize,
    /// The span's line (zero-based) and its column in bytes from the line's start.
    primary_line: usize,
    primary_column: usize,
}

fn window(text_len: usize, break_ends: &[usize], offset: usize, len: usize) -> Window {
    let breaks_before = break_ends.partition_point(|&e| e <= offset);
    let line_start = breaks_before.checked_sub(1).map_or(0, |i| break_ends[i]);
    let start = breaks_before.checked_sub(2).map_or(0, |i| break_ends[i]);
    let last = (offset + len).saturating_sub(1);
    let after = break_ends.partition_point(|&e| e <= last + 1);
    let end = break_ends.get(after + 1).copied().unwrap_or(text_len);
    Window {
        start,
        end,
        line: breaks_before.saturating_sub(1),
        primary_line: breaks_before,
        primary_column: offset - line_start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(text: &str, span: Range<usize>, label: Option<&str>) -> String {
        let ends = line_break_ends(text);
        let parts = FrameParts {
            header: None,
            level: Level::Warning,
            message: "m",
            help: None,
            name: "f",
            text,
            break_ends: &ends,
            span,
            label,
        };
        let mut out = String::new();
        render_frame(&mut out, &parts, false);
        out
    }

    #[test]
    fn windows_hold_a_line_of_context_either_side() {
        let text = "a\nbb\nccc\n\ndddd\ne\n";
        let ends = line_break_ends(text);
        // `ccc`: lines 2..=4.
        let w = window(text.len(), &ends, 5, 3);
        assert_eq!((w.start, w.end, w.line), (2, 10, 1));
        assert_eq!((w.primary_line, w.primary_column), (2, 0));
        // The first line has no line before it; the last none after it.
        let w = window(text.len(), &ends, 0, 1);
        assert_eq!((w.start, w.end, w.line), (0, 5, 0));
        let w = window(text.len(), &ends, 16, 1);
        assert_eq!((w.start, w.end), (10, text.len()));
        // A span over two lines shows both and one line either side.
        let w = window(text.len(), &ends, 3, 4);
        assert_eq!((w.start, w.end), (0, 10));
    }

    #[test]
    fn crlf_lines_hide_their_carriage_return() {
        let out = frame("FROM a\r\nRUN b\r\n", 8..11, None);
        assert!(out.contains(" 2 │ RUN b\n   · ───\n"), "{out}");
        assert!(!out.contains('\r'), "{out:?}");
    }

    #[test]
    fn a_labelled_span_over_lines_is_labelled_below_its_end() {
        let out = frame("a = [\n  1,\n]\nb = 2\n", 4..12, Some("here"));
        assert_eq!(
            out,
            "  ⚠ m\n   ╭─[f:1:5]\n 1 │ ╭─▶ a = [\n 2 │ │     1,\n 3 │ ├─▶ ]\n   · ╰──── here\n 4 │     b = 2\n   ╰────\n"
        );
    }

    #[test]
    fn wrapping_is_only_for_long_or_ragged_text() {
        assert!(fits_unwrapped("short"));
        assert!(fits_unwrapped("two\nlines"));
        assert!(!fits_unwrapped(&"word ".repeat(60)));
        assert!(!fits_unwrapped("trailing space "));
        assert!(!fits_unwrapped("blank\n\nline"));
    }
}
