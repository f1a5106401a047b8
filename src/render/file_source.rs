//! A file's text as miette's `SourceCode`, with the line index the code frames need.

use std::sync::{Arc, OnceLock};

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// A file's text for miette, read from a few lines before the span rather than from the
/// start: miette's own `read_span` walks the text from byte 0 for every frame, which made the
/// frames of a large run quadratic in file size. The result is the same (same window, same
/// line numbers: line breaks are counted as miette counts them, `\r\n` as one).
pub(super) struct FileSource {
    pub(super) name: String,
    pub(super) text: Arc<str>,
    /// Where each line break starts, plus one; computed on the first frame, so that a frame's
    /// line number is a binary search rather than a count from byte 0.
    break_ends: OnceLock<(Vec<usize>, bool)>,
}

impl FileSource {
    pub(super) fn new(name: String, text: Arc<str>) -> FileSource {
        FileSource {
            name,
            text,
            break_ends: OnceLock::new(),
        }
    }

    /// The line breaks in `text[..end]`, counted as miette counts them (`\r\n` is one; a `\r`
    /// just before `end` counts even when `\n` follows it).
    fn breaks_before(&self, end: usize) -> usize {
        self.breaks().0.partition_point(|&e| e <= end)
    }

    /// The line break ends, and whether the text has a `\r` at all.
    pub(super) fn breaks(&self) -> (&[usize], bool) {
        let (ends, has_cr) = self.break_ends.get_or_init(|| {
            let bytes = self.text.as_bytes();
            match memchr::memchr(b'\r', bytes) {
                None => (
                    memchr::memchr_iter(b'\n', bytes).map(|i| i + 1).collect(),
                    false,
                ),
                Some(_) => (line_break_ends(bytes), true),
            }
        });
        (ends, *has_cr)
    }
}

impl SourceCode for FileSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let bytes = self.text.as_bytes();
        let offset = span.offset().min(bytes.len());
        // Back up past two more line breaks than the context needs, to a line start.
        let mut start = offset;
        let mut breaks = 0;
        while start > 0 && breaks < context_lines_before + 2 {
            match bytes[start - 1] {
                b'\n' => {
                    breaks += 1;
                    if breaks == context_lines_before + 2 {
                        break;
                    }
                    start -= 1;
                    if start > 0 && bytes[start - 1] == b'\r' {
                        start -= 1;
                    }
                }
                b'\r' => {
                    breaks += 1;
                    if breaks == context_lines_before + 2 {
                        break;
                    }
                    start -= 1;
                }
                _ => start -= 1,
            }
        }
        if start > 0 && bytes[start - 1] == b'\r' && bytes.get(start) == Some(&b'\n') {
            start = 0; // inside a `\r\n`: read from the start, as miette would
        }
        let base_lines = self.breaks_before(start);
        let relative = SourceSpan::new(
            (span.offset() - start.min(span.offset())).into(),
            span.len(),
        );
        let contents =
            bytes[start..].read_span(&relative, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            SourceSpan::new(
                (contents.span().offset() + start).into(),
                contents.span().len(),
            ),
            contents.line() + base_lines,
            contents.column(),
            contents.line_count() + base_lines,
        )))
    }
}

/// One past the first byte of every line break as miette counts them: `\n`, `\r\n` (one
/// break) and a lone `\r`.
fn line_break_ends(bytes: &[u8]) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => ends.push(i + 1),
            b'\r' => {
                ends.push(i + 1);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    ends
}

#[cfg(test)]
mod file_source_tests {
    use super::*;

    /// Reading from a few lines back gives exactly what miette's own reader gives, for every
    /// span of a few texts with `\n`, `\r\n` and lone `\r` line breaks.
    #[test]
    fn windows_match_miettes_reader() {
        let texts = [
            "a\nbb\nccc\n\ndddd\ne\nff\n",
            "a\r\nbb\r\nccc\r\n\r\ndddd\r\ne\r\n",
            "a\rbb\rccc\r\rdddd\re",
            "RUN a \\\r\n  b\n# c\r\nFROM x\r\rY\n\n\nz",
        ];
        let mut checked = 0;
        for text in texts {
            let source = FileSource::new("f".to_string(), Arc::from(text));
            for offset in 0..=text.len() {
                for len in 0..=3.min(text.len() - offset) {
                    let span = SourceSpan::new(offset.into(), len);
                    for before in 0..4 {
                        for after in 0..4 {
                            let ours = source.read_span(&span, before, after);
                            let theirs = text.read_span(&span, before, after);
                            match (ours, theirs) {
                                (Ok(a), Ok(b)) => {
                                    assert_eq!(a.data(), b.data(), "{text:?} {span:?}");
                                    assert_eq!(a.span(), b.span(), "{text:?} {span:?}");
                                    assert_eq!(a.line(), b.line(), "{text:?} {span:?}");
                                    assert_eq!(a.column(), b.column(), "{text:?} {span:?}");
                                    assert_eq!(a.line_count(), b.line_count(), "{text:?} {span:?}");
                                    assert_eq!(a.name(), Some("f"));
                                    checked += 1;
                                }
                                (Err(_), Err(_)) => {}
                                (a, b) => {
                                    panic!("{text:?} {span:?}: {:?} vs {:?}", a.is_ok(), b.is_ok())
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }
}
