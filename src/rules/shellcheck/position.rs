//! The text ShellCheck reads for one script, and the way back from ShellCheck's line and
//! column to bytes of the Dockerfile.
//!
//! The text is a prelude (a `#!` line naming the dialect, an `export` line for the ARG and
//! ENV names the RUN sees) followed by the script body. The body is BuildKit's joined text
//! (continuations removed) or a heredoc body, with a [`SourceMap`] back to the file. When the
//! body has its own `#!` line, the prelude's `export` line goes after it.
//!
//! ShellCheck's `json1` columns are 1-based and count characters (Unicode scalar values),
//! with a tab counting as one; lines end at `\n` only (a `\r` is a character of its line).

use std::ops::Range;

use crate::syntax::{SourceMap, Span};

/// A script as ShellCheck reads it, with the map back to the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptText {
    /// What ShellCheck reads.
    pub text: String,
    /// The bytes of `text` that are not in the file (the prelude lines dlint adds).
    synthetic: Range<usize>,
    /// Maps `text` with the synthetic bytes cut out to file offsets.
    map: SourceMap,
    /// Byte offset of each line's start in `text`.
    line_starts: Vec<usize>,
}

impl ScriptText {
    /// `prelude` (ending in `\n`, or empty) then `body`, whose bytes `map` leads to the file.
    /// A body starting with a `#!` line keeps that line first and gets the prelude after it.
    pub fn new(prelude: &str, body: &str, map: SourceMap) -> ScriptText {
        let split = if body.starts_with("#!") {
            body.find('\n').map_or(body.len(), |at| at + 1)
        } else {
            0
        };
        let mut text = String::with_capacity(prelude.len() + body.len());
        text.push_str(&body[..split]);
        text.push_str(prelude);
        text.push_str(&body[split..]);
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        ScriptText {
            text,
            synthetic: split..split + prelude.len(),
            map,
            line_starts,
        }
    }

    /// Byte offset in `text` of ShellCheck's 1-based `line` and `column`. A column past the
    /// end of its line clamps to the line's end; `None` for a line that does not exist.
    pub fn offset(&self, line: usize, column: usize) -> Option<usize> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let line_end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |at| start + at);
        let skip = column.saturating_sub(1);
        let offset = self.text[start..line_end]
            .char_indices()
            .nth(skip)
            .map_or(line_end, |(at, _)| start + at);
        Some(offset)
    }

    /// The offset in the body (the text without the prelude) of a `text` offset; `None`
    /// inside the prelude.
    fn body_offset(&self, offset: usize) -> Option<usize> {
        if offset < self.synthetic.start {
            Some(offset)
        } else if offset >= self.synthetic.end {
            Some(offset - self.synthetic.len())
        } else {
            None
        }
    }

    /// The file span of a ShellCheck range (start and end as 1-based line and column);
    /// `None` when it starts or ends in the prelude or outside the text.
    pub fn file_span(&self, start: (usize, usize), end: (usize, usize)) -> Option<Span> {
        let (from, to) = self.body_range(start, end)?;
        Some(self.map.span_to_file(from..to))
    }

    /// Like [`ScriptText::file_span`], for an edit: `None` as well when the range crosses a
    /// line join, where replacing the file's bytes would also drop the continuation.
    pub fn edit_span(&self, start: (usize, usize), end: (usize, usize)) -> Option<Span> {
        let (from, to) = self.body_range(start, end)?;
        if from == to {
            let at = self.map.to_file(from);
            return Some(at..at);
        }
        let span = self.map.span_to_file(from..to);
        (span.len() == to - from).then_some(span)
    }

    fn body_range(&self, start: (usize, usize), end: (usize, usize)) -> Option<(usize, usize)> {
        let from = self.offset(start.0, start.1)?;
        let to = self.offset(end.0, end.1)?.max(from);
        // A range ending exactly where the prelude starts ends before it.
        let to_body = if to == self.synthetic.start {
            Some(to)
        } else {
            self.body_offset(to)
        };
        Some((self.body_offset(from)?, to_body?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    /// The script of the first RUN of `source` (shell form, no heredoc).
    fn run_script(source: &str, prelude: &str) -> (String, ScriptText) {
        let tree = parse(source).tree;
        let run = tree
            .instructions()
            .find(|i| i.keyword == crate::syntax::Keyword::Run)
            .expect("a RUN");
        let rest = run.rest.clone();
        let body = run.line.text[rest.clone()].to_string();
        let map = run.line.map.slice(rest);
        (source.to_string(), ScriptText::new(prelude, &body, map))
    }

    fn file_text(
        source: &str,
        script: &ScriptText,
        start: (usize, usize),
        end: (usize, usize),
    ) -> String {
        source[script.file_span(start, end).expect("a span")].to_string()
    }

    const PRELUDE: &str = "#!/bin/sh\nexport a=1\n";

    #[test]
    fn prelude_lines_do_not_shift_positions() {
        let (source, script) = run_script("FROM a\nRUN echo $x\n", PRELUDE);
        assert_eq!(script.text, "#!/bin/sh\nexport a=1\necho $x");
        // ShellCheck: line 3, columns 6..8 is `$x`.
        assert_eq!(file_text(&source, &script, (3, 6), (3, 8)), "$x");
        assert_eq!(script.file_span((1, 1), (1, 3)), None, "in the prelude");
        assert_eq!(script.file_span((9, 1), (9, 2)), None, "no such line");
    }

    #[test]
    fn continuation_lines_map_to_their_own_line() {
        let source =
            "FROM a\nRUN apt-get update && \\\n    echo $x \\\n  # a comment\n  && cd $y\n";
        let (source, script) = run_script(source, PRELUDE);
        let body_line = 3;
        let col = |needle: &str| script.text.lines().nth(2).unwrap().find(needle).unwrap() + 1;
        let x = col("$x");
        assert_eq!(
            file_text(&source, &script, (body_line, x), (body_line, x + 2)),
            "$x"
        );
        let y = col("$y");
        let span = script
            .file_span((body_line, y), (body_line, y + 2))
            .unwrap();
        assert_eq!(&source[span.clone()], "$y");
        assert_eq!(span.start, source.find("$y").unwrap());
        // A range over the join covers the file's bytes between, and an edit refuses it.
        let whole = file_text(&source, &script, (body_line, x), (body_line, y + 2));
        assert!(
            whole.starts_with("$x \\\n") && whole.ends_with("cd $y"),
            "{whole:?}"
        );
        assert_eq!(script.edit_span((body_line, x), (body_line, y + 2)), None);
        assert_eq!(
            script.edit_span((body_line, x), (body_line, x)),
            Some(source.find("$x").unwrap()..source.find("$x").unwrap())
        );
    }

    #[test]
    fn backtick_escape_continuations() {
        let source = "# escape=`\nFROM a\nRUN echo a `\n  b $x\n";
        let (source, script) = run_script(source, PRELUDE);
        assert_eq!(script.text.lines().nth(2), Some("echo a   b $x"));
        assert_eq!(file_text(&source, &script, (3, 12), (3, 14)), "$x");
    }

    #[test]
    fn tabs_count_as_one_column_and_characters_not_bytes() {
        let source = "FROM a\nRUN\techo \"é\"\t$x\n";
        let (source, script) = run_script(source, PRELUDE);
        // `echo "é"\t$x`: `$` is the 10th character.
        assert_eq!(file_text(&source, &script, (3, 10), (3, 12)), "$x");
    }

    #[test]
    fn crlf_line_endings_and_past_the_end_columns() {
        let source = "FROM a\r\nRUN echo a \\\r\n  $x\r\n";
        let (source, script) = run_script(source, PRELUDE);
        let line = script.text.lines().nth(2).unwrap();
        let x = line.find("$x").unwrap() + 1;
        assert_eq!(file_text(&source, &script, (3, x), (3, x + 2)), "$x");
        // A column past the end of the last line clamps to its end.
        let end = script.file_span((3, 200), (3, 200)).unwrap();
        assert_eq!(end.start, source.find("$x").unwrap() + 2);
    }

    #[test]
    fn heredoc_body_with_its_own_shebang_keeps_it_first() {
        let source = "FROM a\nRUN <<EOF\n#!/bin/bash\necho $x\nEOF\n";
        let tree = parse(source).tree;
        let run = tree.instructions().nth(1).unwrap();
        let body_span = run.heredocs[0].body_span.clone();
        let body = &source[body_span.clone()];
        let script = ScriptText::new(
            "export a=1\n",
            body,
            SourceMap::contiguous(body_span.start, body.len()),
        );
        assert_eq!(script.text, "#!/bin/bash\nexport a=1\necho $x\n");
        assert_eq!(file_text(source, &script, (1, 3), (1, 7)), "/bin");
        assert_eq!(file_text(source, &script, (3, 6), (3, 8)), "$x");
        // A range ending at the end of the shebang line stays before the prelude.
        assert_eq!(file_text(source, &script, (1, 1), (1, 12)), "#!/bin/bash");
        assert_eq!(script.file_span((2, 1), (2, 3)), None);
    }
}
