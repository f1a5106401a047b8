//! Byte offsets ↔ human and editor positions.
//!
//! Spans everywhere in dlint are byte ranges into the file, because that is what the parser,
//! the rules and the fixer need. People and tools want lines and columns instead: the JSON
//! output counts columns in characters (1-based), the LSP counts them in UTF-16 code units
//! (0-based). [`LineIndex`] precomputes where each line starts once per file, so every
//! conversion is a binary search plus, on non-ASCII lines only, a walk over one line.
//!
//! Lines end at `\n` (as in BuildKit, which splits on `\n` and drops a trailing `\r`); a `\r`
//! before the `\n` belongs to the line ending, not to the line's content. A UTF-8 byte-order
//! mark at the start of the file is not a column: the first character after it is column 1.

use std::ops::Range;

/// A 1-based line and a 1-based column counted in characters (Unicode scalar values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// An LSP position: 0-based line and 0-based column counted in UTF-16 code units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Utf16Position {
    pub line: u32,
    pub character: u32,
}

const BOM: &str = "\u{feff}";

/// Line starts of one text. Owned and independent of the text's lifetime so that it can be
/// cached next to a document (the LSP server keeps one per open file); every method takes the
/// same text the index was built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset where each line starts; `line_starts[0]` is 0.
    line_starts: Vec<usize>,
    /// Length of a leading byte-order mark (0 or 3).
    bom_len: usize,
    /// Length of the text the index was built from.
    len: usize,
    /// Every byte is ASCII: columns are byte differences, in chars and in UTF-16 alike.
    ascii: bool,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1));
        LineIndex {
            line_starts,
            bom_len: if text.starts_with(BOM) { BOM.len() } else { 0 },
            len: text.len(),
            ascii: text.is_ascii(),
        }
    }

    /// Number of lines; a text ending with a newline has an empty last line after it.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The line and character column of a byte offset. Offsets past the end map to the end;
    /// offsets inside a multi-byte character map to that character.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset);
        let line = self.line_of(offset);
        let start = self.content_start(line);
        let column = if offset <= start {
            0
        } else if self.ascii {
            offset - start
        } else {
            text[start..offset].chars().count()
        };
        Position {
            line: line + 1,
            column: column + 1,
        }
    }

    /// The byte offset of a line and character column. A column past the end of the line's
    /// content maps to the end of the content (before `\r\n`); a line past the end maps to
    /// the end of the text.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(line) = position.line.checked_sub(1) else {
            return 0;
        };
        if line >= self.line_count() {
            return self.len;
        }
        let content = self.line_content(text, line);
        let wanted = position.column.saturating_sub(1);
        if self.ascii {
            return content.start + wanted.min(content.len());
        }
        text[content.clone()]
            .char_indices()
            .nth(wanted)
            .map_or(content.end, |(at, _)| content.start + at)
    }

    /// The LSP position of a byte offset (UTF-16 columns).
    pub fn utf16_position(&self, text: &str, offset: usize) -> Utf16Position {
        let offset = floor_char_boundary(text, offset);
        let line = self.line_of(offset);
        let start = self.content_start(line);
        let character = if offset <= start {
            0
        } else if self.ascii {
            offset - start
        } else {
            text[start..offset].encode_utf16().count()
        };
        Utf16Position {
            line: saturating_u32(line),
            character: saturating_u32(character),
        }
    }

    /// The byte offset of an LSP position. A column inside a surrogate pair or past the end
    /// of the line's content is clamped, as the LSP specification asks.
    pub fn offset_of_utf16(&self, text: &str, position: Utf16Position) -> usize {
        let line = position.line as usize;
        if line >= self.line_count() {
            return self.len;
        }
        let content = self.line_content(text, line);
        let wanted = position.character as usize;
        if self.ascii {
            return content.start + wanted.min(content.len());
        }
        let mut units = 0;
        for (at, ch) in text[content.clone()].char_indices() {
            if units + ch.len_utf16() > wanted {
                return content.start + at;
            }
            units += ch.len_utf16();
        }
        content.end
    }

    /// Byte range of a 0-based line's content: without its line ending and, on the first
    /// line, without the byte-order mark.
    pub fn line_content(&self, text: &str, line: usize) -> Range<usize> {
        let Some(&start) = self.line_starts.get(line) else {
            return self.len..self.len;
        };
        let start = if line == 0 { self.bom_len } else { start };
        let mut end = self
            .line_starts
            .get(line + 1)
            .map_or(self.len, |next| next - 1);
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end.max(start)
    }

    /// 0-based line containing `offset` (already clamped to the text).
    fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Where column 1 of a 0-based line is: after the BOM on the first line.
    fn content_start(&self, line: usize) -> usize {
        if line == 0 {
            self.bom_len
        } else {
            self.line_starts[line]
        }
    }
}

/// The largest char boundary at or before `offset`, clamped to the text.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn saturating_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: usize, column: usize) -> Position {
        Position { line, column }
    }

    #[test]
    fn ascii_lines_and_columns() {
        let text = "FROM a\nRUN b\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        assert_eq!(index.position(text, 0), pos(1, 1));
        assert_eq!(index.position(text, 6), pos(1, 7));
        assert_eq!(index.position(text, 7), pos(2, 1));
        assert_eq!(index.position(text, 11), pos(2, 5));
        assert_eq!(index.position(text, text.len()), pos(3, 1));
        assert_eq!(index.position(text, 999), pos(3, 1));
        assert_eq!(index.offset(text, pos(2, 5)), 11);
        assert_eq!(index.offset(text, pos(2, 99)), 12);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "LABEL a=\"é😀\" b=c\n";
        let index = LineIndex::new(text);
        let b = text.find(" b").unwrap() + 1;
        // `LABEL a="` is 9 characters, then é, 😀, `"` and a space: `b` is the 14th.
        assert_eq!(b, 17, "in bytes it would be column 18");
        assert_eq!(index.position(text, b), pos(1, 14));
        assert_eq!(index.offset(text, pos(1, 14)), b);
        // Inside the 4-byte emoji: snaps back to the emoji's start.
        let emoji = text.find('😀').unwrap();
        assert_eq!(index.position(text, emoji + 2), index.position(text, emoji));
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs_twice() {
        let text = "RUN echo 😀x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        let lsp = index.utf16_position(text, x);
        assert_eq!(
            lsp,
            Utf16Position {
                line: 0,
                character: 11
            }
        );
        assert_eq!(index.offset_of_utf16(text, lsp), x);
        // Column 10 is inside the surrogate pair: clamped to the emoji's start.
        let inside = Utf16Position {
            line: 0,
            character: 10,
        };
        assert_eq!(
            index.offset_of_utf16(text, inside),
            text.find('😀').unwrap()
        );
    }

    #[test]
    fn crlf_is_a_line_ending_not_content() {
        let text = "FROM a\r\nRUN b\r\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_content(text, 0), 0..6);
        assert_eq!(index.position(text, 8), pos(2, 1));
        assert_eq!(index.offset(text, pos(1, 50)), 6);
        assert_eq!(
            index.offset_of_utf16(
                text,
                Utf16Position {
                    line: 1,
                    character: 50
                }
            ),
            13
        );
    }

    #[test]
    fn bom_is_not_a_column() {
        let text = "\u{feff}FROM a\nRUN b\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 3), pos(1, 1));
        assert_eq!(index.position(text, 0), pos(1, 1));
        assert_eq!(index.position(text, 1), pos(1, 1));
        assert_eq!(index.offset(text, pos(1, 1)), 3);
        assert_eq!(index.line_content(text, 0), 3..9);
        assert_eq!(index.utf16_position(text, 7).character, 4);
    }

    #[test]
    fn round_trips_every_char_boundary() {
        let text = "\u{feff}é\r\n\n😀 a\r\nz";
        let index = LineIndex::new(text);
        for (offset, ch) in text.char_indices() {
            if ch == '\u{feff}' || ch == '\r' || ch == '\n' {
                continue;
            }
            let p = index.position(text, offset);
            assert_eq!(index.offset(text, p), offset, "offset {offset}");
            let u = index.utf16_position(text, offset);
            assert_eq!(index.offset_of_utf16(text, u), offset, "offset {offset}");
        }
    }

    #[test]
    fn empty_text() {
        let index = LineIndex::new("");
        assert_eq!(index.line_count(), 1);
        assert_eq!(index.position("", 5), pos(1, 1));
        assert_eq!(index.offset("", pos(0, 0)), 0);
        assert_eq!(index.offset("", pos(3, 3)), 0);
    }
}
