//! Byte offsets ↔ LSP positions, in the position encoding negotiated with the client.
//!
//! LSP columns count UTF-16 code units unless the client offers `utf-8` (or `utf-32`) in
//! `general.positionEncodings` and the server picks it. dlint prefers UTF-8 (its own unit:
//! no counting at all), then UTF-32, and falls back to UTF-16, which every client supports.
//! Lines end at `\n`, `\r\n` or a lone `\r` ([`super::lines`]). Positions past the end of a
//! line or of the text are clamped, as the specification asks.

use std::ops::Range;

use lsp_types::{Position, PositionEncodingKind};

use super::lines::LineIndex;
use crate::line_index::floor_char_boundary;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

impl Encoding {
    /// The server's choice among what the client offers (UTF-16 when it offers nothing).
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        let offered = offered.unwrap_or_default();
        let has = |kind: &PositionEncodingKind| offered.iter().any(|k| k == kind);
        if has(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else if has(&PositionEncodingKind::UTF32) {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    /// The width of a character in this encoding's code units.
    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }

    /// The length of a piece of one line in code units.
    fn units(self, piece: &str) -> usize {
        if self == Encoding::Utf8 || piece.is_ascii() {
            return piece.len();
        }
        piece.chars().map(|c| self.width(c)).sum()
    }
}

/// Converts between byte offsets in one text and LSP positions.
#[derive(Clone, Copy)]
pub struct Converter<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub encoding: Encoding,
}

impl Converter<'_> {
    /// The position of a byte offset; an offset inside a line ending is the end of the line's
    /// content, one inside a character the character's start.
    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(self.text, offset);
        let line = self.index.line_of(offset);
        let content = self.index.line_content(self.text, line);
        let at = offset.clamp(content.start, content.end);
        let column = self.encoding.units(&self.text[content.start..at]);
        Position::new(to_u32(line), to_u32(column))
    }

    /// The byte offset of a position; a column past the line's content is its end, a line
    /// past the text the text's end, and a column inside a character its start.
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        if line >= self.index.line_count() {
            return self.text.len();
        }
        let content = self.index.line_content(self.text, line);
        let wanted = position.character as usize;
        let piece = &self.text[content.clone()];
        if self.encoding == Encoding::Utf8 || piece.is_ascii() {
            return floor_char_boundary(self.text, content.start + wanted.min(piece.len()));
        }
        let mut units = 0;
        for (at, c) in piece.char_indices() {
            let width = self.encoding.width(c);
            if units + width > wanted {
                return content.start + at;
            }
            units += width;
        }
        content.end
    }

    pub fn range(&self, span: &Range<usize>) -> lsp_types::Range {
        let start = self.position(span.start);
        let end = self.position(span.end.max(span.start));
        lsp_types::Range::new(start, end)
    }

    /// A byte range for an LSP range; a reversed range is read as empty at its start.
    pub fn span(&self, range: &lsp_types::Range) -> Range<usize> {
        let start = self.offset(range.start);
        let end = self.offset(range.end);
        start..end.max(start)
    }
}

fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_prefers_utf8_and_falls_back_to_utf16() {
        let both = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&both)), Encoding::Utf8);
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        let odd = [PositionEncodingKind::new("utf-7")];
        assert_eq!(Encoding::negotiate(Some(&odd)), Encoding::Utf16);
    }

    #[test]
    fn every_encoding_round_trips() {
        let text = "FROM a\r\nRUN echo é😀 x\n";
        let index = LineIndex::new(text);
        let x = text.find(" x").unwrap() + 1;
        for (encoding, column) in [
            (Encoding::Utf8, 16),
            (Encoding::Utf16, 13),
            (Encoding::Utf32, 12),
        ] {
            let c = Converter {
                text,
                index: &index,
                encoding,
            };
            assert_eq!(c.position(x), Position::new(1, column), "{encoding:?}");
            assert_eq!(c.offset(Position::new(1, column)), x, "{encoding:?}");
            // Past the end of a line: the end of its content, before `\r\n`.
            assert_eq!(c.offset(Position::new(0, 99)), 6, "{encoding:?}");
            assert_eq!(c.offset(Position::new(9, 0)), text.len(), "{encoding:?}");
        }
        // UTF-8 columns inside a character snap back to its start.
        let c = Converter {
            text,
            index: &index,
            encoding: Encoding::Utf8,
        };
        let e = text.find('é').unwrap();
        assert_eq!(c.offset(Position::new(1, (e - 8 + 1) as u32)), e);
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        // BuildKit reads one line here; an editor shows two, and positions follow the editor.
        let text = "FROM a\rRUN é x\r\nCMD y";
        let index = LineIndex::new(text);
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let c = Converter {
                text,
                index: &index,
                encoding,
            };
            let x = text.find('x').unwrap();
            let column = if encoding == Encoding::Utf8 { 7 } else { 6 };
            assert_eq!(c.position(x), Position::new(1, column), "{encoding:?}");
            assert_eq!(c.offset(Position::new(1, column)), x, "{encoding:?}");
            assert_eq!(c.position(text.find('C').unwrap()), Position::new(2, 0));
            // The `\r` itself is the end of line 0.
            assert_eq!(c.position(6), Position::new(0, 6));
        }
    }
}
