//! Lines as the Language Server Protocol counts them: a line ends at `\n`, `\r\n` or a lone
//! `\r` (the specification's three line endings). The rest of dlint splits on `\n` only, as
//! BuildKit does; only positions exchanged with an editor use this index, so that a file with
//! a stray `\r` gets the ranges the editor draws.

use std::ops::Range;

/// Where each line of one text starts and where its content ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset where each line starts; `starts[0]` is 0.
    starts: Vec<usize>,
    /// Length of the text the index was built from.
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            // `\r\n` is one line ending: the line starts after the `\n`.
            if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                continue;
            }
            starts.push(at + 1);
        }
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// Number of lines; a text ending with a line break has an empty last line after it.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte range of a 0-based line's content, without its line ending; past the last line,
    /// the empty range at the end of the text.
    pub fn line_content(&self, text: &str, line: usize) -> Range<usize> {
        let Some(&start) = self.starts.get(line) else {
            return self.len..self.len;
        };
        let Some(&next) = self.starts.get(line + 1) else {
            return start..self.len;
        };
        let bytes = text.as_bytes();
        let mut end = next;
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end
    }

    /// The 0-based line containing `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_ending_of_the_protocol_ends_a_line() {
        let text = "a\r\nb\rc\nd";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        let lines: Vec<&str> = (0..4).map(|l| &text[index.line_content(text, l)]).collect();
        assert_eq!(lines, ["a", "b", "c", "d"]);
        assert_eq!(index.line_of(text.find('c').unwrap()), 2);
        // The `\r` of a `\r\n` belongs to the line it ends.
        assert_eq!(index.line_of(1), 0);
        assert_eq!(index.line_of(2), 0);
        assert_eq!(index.line_of(99), 3);
        assert_eq!(index.line_content(text, 9), text.len()..text.len());
        let trailing = LineIndex::new("x\r");
        assert_eq!(trailing.line_count(), 2);
    }
}
