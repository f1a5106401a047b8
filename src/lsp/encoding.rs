//! Byte offsets ↔ LSP positions, in the position encoding negotiated with the client.
//!
//! LSP columns count UTF-16 code units unless the client offers `utf-8` (or `utf-32`) in
//! `general.positionEncodings` and the server picks it. dlint prefers UTF-8 (its own unit:
//! no counting at all), then UTF-32, and falls back to UTF-16, which every client supports.
//! Positions past the end of a line or of the text are clamped, as the specification asks.

use std::ops::Range;

use lsp_types::{Position, PositionEncodingKind};

use crate::line_index::{floor_char_boundary, LineIndex, Position as CharPosition, Utf16Position};

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
}

/// Converts between byte offsets in one text and LSP positions.
#[derive(Clone, Copy)]
pub struct Converter<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub encoding: Encoding,
}

impl Converter<'_> {
    pub fn position(&self, offset: usize) -> Position {
        let text = self.text;
        match self.encoding {
            Encoding::Utf16 => {
                let p = self.index.utf16_position(text, offset);
                Position::new(p.line, p.character)
            }
            Encoding::Utf32 => {
                let p = self.index.position(text, offset);
                Position::new(to_u32(p.line - 1), to_u32(p.column - 1))
            }
            Encoding::Utf8 => {
                let offset = floor_char_boundary(text, offset);
                let line = self.index.utf16_position(text, offset).line;
                let content = self.index.line_content(text, line as usize);
                let column = offset.clamp(content.start, content.end) - content.start;
                Position::new(line, to_u32(column))
            }
        }
    }

    pub fn offset(&self, position: Position) -> usize {
        let text = self.text;
        match self.encoding {
            Encoding::Utf16 => self.index.offset_of_utf16(
                text,
                Utf16Position {
                    line: position.line,
                    character: position.character,
                },
            ),
            Encoding::Utf32 => self.index.offset(
                text,
                CharPosition {
                    line: position.line as usize + 1,
                    column: position.character as usize + 1,
                },
            ),
            Encoding::Utf8 => {
                let line = position.line as usize;
                if line >= self.index.line_count() {
                    return text.len();
                }
                let content = self.index.line_content(text, line);
                let at = content.start + (position.character as usize).min(content.len());
                floor_char_boundary(text, at)
            }
        }
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
}
