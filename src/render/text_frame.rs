//! A code frame drawn by hand, byte for byte as miette 7.6's `GraphicalReportHandler` draws
//! it for the frames dlint shows: a header, a message and help that need no wrapping, and one
//! primary label without text. miette's general renderer costs ~50k instructions a frame
//! (formatting machinery, a `String` per line, styles re-applied char by char); this one
//! writes the same bytes straight into the output.
//!
//! It follows miette's `render_context` step by step (same line splitting, same span
//! predicates, same gutter arithmetic), specialised to one label. Where it cannot be sure of
//! the display width of a character (anything but printable ASCII in a place where width
//! matters), or meets an escape character, it gives up and the caller asks miette.
//! `tests/text_frames.rs` checks it against miette over the corpus and hand-made cases.

/// Severity as miette draws it: its icon and its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Level {
    Error,
    Warning,
    Advice,
}

/// Everything a frame shows.
pub(super) struct FrameParts<'a> {
    /// The frame's first line is `CODE name`.
    pub code: &'a str,
    pub rule_name: &'a str,
    pub url: &'a str,
    pub level: Level,
    pub message: &'a str,
    pub help: Option<&'a str>,
    /// The file name in the snippet header.
    pub name: &'a str,
    /// The text miette's `read_span(span, 1, 1)` returns, where it starts in the file, and
    /// its line and column.
    pub window: &'a str,
    /// False when the window surely has no `\r`.
    pub window_has_cr: bool,
    pub window_offset: usize,
    pub window_line: usize,
    pub window_column: usize,
    /// The label's span: byte offset in the file and length.
    pub span_offset: usize,
    pub span_len: usize,
    /// Line and column of `read_span(span, 0, 0)`, zero-based, as miette shows them plus one.
    pub primary_line: usize,
    pub primary_column: usize,
}

const RESET: &str = "\x1b[0m";
const TAB_WIDTH: usize = 4;

/// The escape codes of miette's `ThemeStyles::ansi()`, or nothing without colour.
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

/// One line of the window, as miette's `get_lines` makes it.
struct Line<'a> {
    number: usize,
    offset: usize,
    /// Bytes including the line break.
    length: usize,
    /// The text without its line break.
    text: &'a str,
}

/// The label's span and miette's predicates about it and a line.
#[derive(Clone, Copy)]
struct Span {
    offset: usize,
    len: usize,
}

impl Span {
    fn shown_len(self) -> usize {
        self.len.max(1)
    }
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

/// Appends the frame to `out` and returns true, or leaves `out` as it was and returns false
/// when the frame has something this renderer does not reproduce.
pub(super) fn render_frame(out: &mut String, parts: &FrameParts<'_>, color: bool) -> bool {
    let mark = out.len();
    let help_len = parts.help.map_or(0, str::len);
    out.reserve(2 * parts.window.len() + parts.message.len() + help_len + 400);
    let drawn = draw(out, parts, if color { &ANSI } else { &PLAIN }, color);
    if drawn.is_none() {
        out.truncate(mark);
    }
    drawn.is_some()
}

fn draw(out: &mut String, parts: &FrameParts<'_>, styles: &Styles, color: bool) -> Option<()> {
    let (level_style, icon) = match parts.level {
        Level::Error => (styles.error, "×"),
        Level::Warning => (styles.warning, "⚠"),
        Level::Advice => (styles.advice, "☞"),
    };
    // Header: the code, a hyperlink to the rule's page when colour is on.
    if color {
        push_all(out, &["\x1b]8;;", parts.url, "\x1b\\", level_style]);
        push_all(out, &[parts.code, " ", parts.rule_name, " ", RESET]);
        push_all(out, &[styles.link, "(link)", RESET]);
        out.push_str("\x1b]8;;\x1b\\\n\n");
    } else {
        push_all(out, &[parts.code, " ", parts.rule_name, "\n\n"]);
    }
    // The message, each line after the first behind a bar.
    push_all(out, &["  ", level_style, icon, styles.reset, " "]);
    push_lines(
        out,
        parts.message,
        &["\n  ", level_style, "│", styles.reset, " "],
    );
    out.push('\n');
    draw_snippet(out, parts, styles)?;
    if let Some(help) = parts.help {
        push_all(out, &[styles.help, "  help: ", styles.reset]);
        push_lines(out, help, &["\n        "]);
        out.push('\n');
    }
    Some(())
}

fn draw_snippet(out: &mut String, parts: &FrameParts<'_>, styles: &Styles) -> Option<()> {
    let lines = split_lines(parts);
    let span = Span {
        offset: parts.span_offset,
        len: parts.span_len,
    };
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
    push_number(out, parts.primary_line + 1, 0);
    out.push(':');
    push_number(out, parts.primary_column + 1, 0);
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
                push_all(out, &[hl, "╰", reset, hl, "─", reset, hl, "▶", reset, " "]);
            } else if span.flyby(line) {
                push_all(out, &[hl, "│", reset, "   "]);
            } else {
                push_spaces(out, 4);
            }
        }
        push_line_text(out, line.text)?;
        if span.applies(line) && span.line_only(line) {
            push_spaces(out, linum_width + 2);
            out.push_str("· ");
            if max_gutter > 0 {
                // The label is not in this line's gutter: only the padding is drawn.
                push_spaces(out, 4);
            }
            let start = visual_offset(line, span.offset, true)?;
            let end = if span.len == 0 {
                start + 1
            } else {
                visual_offset(line, span.offset + span.len, false)?.max(start + 1)
            };
            let middle = (start + end) / 2;
            out.push_str(hl);
            push_spaces(out, start);
            push_repeated(out, "─", middle - start);
            out.push_str(if span.len == 0 { "▲" } else { "─" });
            push_repeated(out, "─", end - middle - 1);
            push_all(out, &[reset, "\n"]);
        }
    }
    push_spaces(out, linum_width + 2);
    out.push_str("╰────\n");
    Some(())
}

/// miette's `get_lines`: `\n` and `\r\n` end a line; a lone `\r` stays in the text.
fn split_lines<'a>(parts: &FrameParts<'a>) -> Vec<Line<'a>> {
    let window = parts.window;
    let bytes = window.as_bytes();
    let end = bytes.len();
    let mut lines = Vec::with_capacity(4);
    if !parts.window_has_cr || memchr::memchr(b'\r', bytes).is_none() {
        // Only `\n`: every line, the last one too, is numbered one past the previous.
        let breaks = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(end));
        let mut line_start = 0;
        for (number, at) in (parts.window_line + 1..).zip(breaks) {
            if at == end && line_start == end {
                break; // the window ends with a line break (or is empty)
            }
            lines.push(Line {
                number,
                offset: parts.window_offset + line_start,
                length: (at + 1).min(end) - line_start,
                text: &window[line_start..at],
            });
            line_start = at + 1;
        }
        return lines;
    }
    let mut number = parts.window_line;
    let mut column = parts.window_column;
    let mut line_start = 0;
    let mut i = 0;
    while i < end {
        let byte = bytes[i];
        i += 1;
        let mut at_end_of_file = false;
        let mut text_end = i;
        match byte {
            b'\r' => {
                if bytes.get(i) == Some(&b'\n') {
                    i += 1;
                    number += 1;
                    column = 0;
                    text_end = i - 2;
                } else {
                    column += 1;
                }
                at_end_of_file = i == end;
            }
            b'\n' => {
                at_end_of_file = i == end;
                number += 1;
                column = 0;
                text_end = i - 1;
            }
            // miette counts chars; only "is it zero" matters, so bytes do as well.
            _ => column += 1,
        }
        if i == end && !at_end_of_file {
            number += 1;
        }
        if column == 0 || i == end {
            lines.push(Line {
                number,
                offset: parts.window_offset + line_start,
                length: i - line_start,
                text: &window[line_start..text_end],
            });
            line_start = i;
        }
    }
    lines
}

/// The display width of a character miette is sure of without tables: printable ASCII.
fn ascii_width(c: u8) -> Option<usize> {
    (b' '..=b'~').contains(&c).then_some(1)
}

/// miette's `visual_offset`: the column of a byte offset of the line.
fn visual_offset(line: &Line, offset: usize, start: bool) -> Option<usize> {
    let text = line.text;
    let mut index = offset.checked_sub(line.offset)?;
    if index > line.length {
        return None;
    }
    while index <= text.len() && !text.is_char_boundary(index) {
        if start {
            index -= 1;
        } else {
            index += 1;
        }
    }
    let mut column = 0;
    for &byte in &text.as_bytes()[..index.min(text.len())] {
        column += if byte == b'\t' {
            TAB_WIDTH - column % TAB_WIDTH
        } else {
            ascii_width(byte)?
        };
    }
    Some(if index > text.len() {
        column + 1
    } else {
        column
    })
}

/// miette's `render_line_text`: tabs become spaces up to the next tab stop.
fn push_line_text(out: &mut String, text: &str) -> Option<()> {
    let bytes = text.as_bytes();
    if memchr::memchr2(b'\t', 0x1b, bytes).is_none() {
        out.push_str(text);
    } else if bytes.contains(&0x1b) {
        return None; // miette's width count treats escapes specially; not worth copying
    } else {
        let mut column = 0;
        let mut from = 0;
        for (i, &byte) in bytes.iter().enumerate() {
            if byte == b'\t' {
                out.push_str(&text[from..i]);
                let width = TAB_WIDTH - column % TAB_WIDTH;
                push_spaces(out, width);
                column += width;
                from = i + 1;
            } else {
                column += ascii_width(byte)?;
            }
        }
        out.push_str(&text[from..]);
    }
    out.push('\n');
    Some(())
}

/// `text` line by line (miette's unwrapped fill: `split_terminator`), `between` before each
/// line after the first.
fn push_lines(out: &mut String, text: &str, between: &[&str]) {
    for (i, line) in text.split_terminator('\n').enumerate() {
        if i > 0 {
            push_all(out, between);
        }
        out.push_str(line);
    }
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

/// Where a frame's window lies in a file without `\r`, and its line and column, exactly as
/// miette's `read_span(span, 1, 1)` and `read_span(span, 0, 0)` find them by walking the
/// text; `break_ends` holds one past each `\n` of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Window {
    pub start: usize,
    pub end: usize,
    /// The window's first line, zero-based.
    pub line: usize,
    pub primary_line: usize,
    pub primary_column: usize,
}

pub(super) fn window_without_cr(
    text_len: usize,
    break_ends: &[usize],
    offset: usize,
    len: usize,
) -> Window {
    let breaks_before = break_ends.partition_point(|&e| e <= offset);
    let line_start = breaks_before.checked_sub(1).map_or(0, |i| break_ends[i]);
    let start = breaks_before.checked_sub(2).map_or(0, |i| break_ends[i]);
    // The window ends with the second line break after the span's last byte (for an empty
    // span, the byte before it).
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
    use miette::{SourceCode, SourceSpan};

    /// The window found from the line breaks is the one miette finds walking the text, for
    /// every span of a few texts with `\n` line breaks.
    #[test]
    fn windows_match_miettes_reader() {
        let texts = [
            "",
            "\n",
            "\n\n",
            "a",
            "a\n",
            "a\nbb\nccc\n\ndddd\ne\nff\n",
            "FROM x\n\n\nRUN y\n  z",
            "\n\nRUN a\n\n",
        ];
        let mut checked = 0;
        for text in texts {
            let ends: Vec<usize> = memchr::memchr_iter(b'\n', text.as_bytes())
                .map(|i| i + 1)
                .collect();
            for offset in 0..=text.len() {
                for len in 0..=(text.len() - offset) {
                    let span = SourceSpan::new(offset.into(), len);
                    let window = text.read_span(&span, 1, 1).expect("in bounds");
                    let primary = text.read_span(&span, 0, 0).expect("in bounds");
                    let ours = window_without_cr(text.len(), &ends, offset, len);
                    let theirs = Window {
                        start: window.span().offset(),
                        end: window.span().offset() + window.span().len(),
                        line: window.line(),
                        primary_line: primary.line(),
                        primary_column: primary.column(),
                    };
                    assert_eq!(ours, theirs, "{text:?} {offset} {len}");
                    assert_eq!(window.column(), 0);
                    checked += 1;
                }
            }
        }
        assert!(checked > 300, "{checked}");
    }
}
