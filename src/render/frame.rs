//! One code frame over any text (a configuration file, say): a message, the offending span
//! underlined with a label, and a help line, drawn by the same renderer as findings.

use std::ops::Range;
use std::sync::Arc;

use super::support::{terminal_safe, terminal_safe_name};
use super::text_frame::{self, FrameParts, Level};
use crate::line_index::floor_char_boundary;

/// What to draw.
pub struct SourceFrame<'a> {
    /// The file name shown in the frame's header.
    pub name: &'a str,
    pub source: Arc<str>,
    pub span: Range<usize>,
    pub message: &'a str,
    /// One line of text under the underline.
    pub label: Option<&'a str>,
    pub help: Option<&'a str>,
}

/// The frame as text, coloured only when `color` (the caller decides: TTY and `NO_COLOR`).
/// The name, text, message, label and help reach the terminal [`terminal_safe`].
pub fn render_source_frame(frame: &SourceFrame<'_>, color: bool) -> String {
    let text = terminal_safe(&frame.source);
    let start = floor_char_boundary(&text, frame.span.start);
    let end = floor_char_boundary(&text, frame.span.end).max(start);
    let break_ends = text_frame::line_break_ends(&text);
    let message = terminal_safe(frame.message);
    let label = frame.label.map(terminal_safe_name);
    let help = frame.help.map(terminal_safe);
    let parts = FrameParts {
        header: None,
        level: Level::Error,
        message: &message,
        help: help.as_deref(),
        name: &terminal_safe_name(frame.name),
        text: &text,
        break_ends: &break_ends,
        span: start..end,
        label: label.as_deref(),
    };
    let mut out = String::new();
    text_frame::render_frame(&mut out, &parts, color);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draw(source: &str, span: Range<usize>, label: Option<&str>) -> String {
        render_source_frame(
            &SourceFrame {
                name: "dlint.toml",
                source: Arc::from(source),
                span,
                message: "unknown key `extnd-select`",
                label,
                help: Some("did you mean `extend-select`?"),
            },
            false,
        )
    }

    #[test]
    fn a_labelled_frame_points_at_the_span_and_gives_the_hint() {
        let source = "[lint]\nextnd-select = [\"DL3008\"]\n";
        assert_eq!(
            draw(source, 7..19, Some("here")),
            "  × unknown key `extnd-select`\n   ╭─[dlint.toml:2:1]\n 1 │ [lint]\n 2 │ extnd-select = [\"DL3008\"]\n   · ──────┬─────\n   ·       ╰── here\n   ╰────\n  help: did you mean `extend-select`?\n"
        );
        // Without a label the underline has no tick.
        let plain = draw(source, 7..19, None);
        assert!(plain.contains("   · ────────────\n   ╰────"), "{plain}");
    }

    #[test]
    fn controls_in_the_file_and_the_label_never_reach_the_terminal() {
        let out = draw("a = \"\u{1b}[2J\"\n", 4..10, Some("he\nre\u{7}"));
        assert!(!out.contains(['\u{1b}', '\u{7}']), "{out:?}");
        assert!(out.contains("╰── he?re?"), "{out}");
    }

    #[test]
    fn out_of_range_spans_do_not_panic() {
        let out = draw("é", 1..90, Some("here"));
        assert!(out.contains("[dlint.toml:1:1]"), "{out}");
    }
}
