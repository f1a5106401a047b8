//! Mapping from a derived text (BuildKit's joined logical line, a heredoc body) back to the
//! bytes of the original file.
//!
//! BuildKit joins continued lines and drops comment lines inside a continuation before it
//! parses an instruction. Everything downstream (flags, words, shell commands) works on that
//! joined text, but diagnostics and fixes must point at the file. The joined text is always a
//! concatenation of verbatim slices of the file, so a sorted list of segments is enough.

use std::ops::Range;

/// A byte range in the original file.
pub type Span = Range<usize>;

/// One verbatim slice: `len` bytes at `text_start` in the derived text are the bytes at
/// `file_start` in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    text_start: usize,
    file_start: usize,
    len: usize,
}

/// Maps offsets in a derived text to offsets in the file it was cut from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    segments: Vec<Segment>,
    text_len: usize,
    /// Where the derived text sits in the file while it is still empty (a logical line made
    /// of nothing but a continuation character maps there, not to the file's start).
    empty_at: usize,
}

impl SourceMap {
    /// A map for text that is one contiguous slice of the file starting at `file_start`.
    pub fn contiguous(file_start: usize, len: usize) -> Self {
        let mut map = SourceMap::default();
        map.push(file_start, len);
        map
    }

    /// A map for a derived text that starts empty at file offset `file_start`.
    pub fn empty_at(file_start: usize) -> Self {
        SourceMap {
            empty_at: file_start,
            ..SourceMap::default()
        }
    }

    /// Appends the next `len` bytes of the derived text, copied from `file_start`.
    pub fn push(&mut self, file_start: usize, len: usize) {
        if len == 0 {
            return;
        }
        if let Some(last) = self.segments.last_mut() {
            if last.file_start + last.len == file_start {
                last.len += len;
                self.text_len += len;
                return;
            }
        }
        self.segments.push(Segment {
            text_start: self.text_len,
            file_start,
            len,
        });
        self.text_len += len;
    }

    /// Length of the derived text this map covers.
    pub fn text_len(&self) -> usize {
        self.text_len
    }

    /// File offset of the byte at `offset` in the derived text. An offset at the very end maps
    /// just past the last mapped byte.
    pub fn to_file(&self, offset: usize) -> usize {
        if self.segments.is_empty() {
            return self.empty_at;
        }
        if offset >= self.text_len {
            let last = self.segments[self.segments.len() - 1];
            return last.file_start + last.len + (offset - self.text_len);
        }
        let index = match self
            .segments
            .binary_search_by(|s| s.text_start.cmp(&offset))
        {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let seg = self.segments[index];
        seg.file_start + (offset - seg.text_start)
    }

    /// File span of the derived-text range `range`. The end is mapped from the last byte in
    /// the range, so a range ending at a line join does not swallow the dropped bytes.
    pub fn span_to_file(&self, range: Range<usize>) -> Span {
        let start = self.to_file(range.start);
        if range.end <= range.start {
            return start..start;
        }
        let end = self.to_file(range.end - 1) + 1;
        start..end.max(start)
    }

    /// A map for the sub-text `range` of this map's text, re-based to start at 0.
    pub fn slice(&self, range: Range<usize>) -> SourceMap {
        let mut out = SourceMap::empty_at(self.to_file(range.start));
        for seg in &self.segments {
            let seg_end = seg.text_start + seg.len;
            let lo = seg.text_start.max(range.start);
            let hi = seg_end.min(range.end);
            if lo < hi {
                out.push(seg.file_start + (lo - seg.text_start), hi - lo);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_across_joined_segments() {
        // file: "RUN a \\\n  b\n" ; joined: "RUN a   b"
        let mut map = SourceMap::default();
        map.push(0, 6); // "RUN a "
        map.push(8, 3); // "  b"
        assert_eq!(map.text_len(), 9);
        assert_eq!(map.to_file(0), 0);
        assert_eq!(map.to_file(5), 5);
        assert_eq!(map.to_file(6), 8);
        assert_eq!(map.to_file(8), 10);
        assert_eq!(map.span_to_file(4..9), 4..11);
        assert_eq!(map.span_to_file(4..6), 4..6);
        let sub = map.slice(4..9);
        assert_eq!(sub.to_file(0), 4);
        assert_eq!(sub.to_file(2), 8);
    }

    #[test]
    fn an_empty_text_maps_to_where_it_sits() {
        let map = SourceMap::empty_at(7);
        assert_eq!(map.span_to_file(0..0), 7..7);
        let mut map = SourceMap::contiguous(3, 4);
        assert_eq!(map.slice(2..2).to_file(0), 5);
        map.push(20, 1);
        assert_eq!(map.slice(5..5).span_to_file(0..0), 21..21);
    }

    #[test]
    fn contiguous_pushes_merge() {
        let mut map = SourceMap::default();
        map.push(10, 2);
        map.push(12, 3);
        assert_eq!(map.segments.len(), 1);
        assert_eq!(map.span_to_file(0..5), 10..15);
    }
}
