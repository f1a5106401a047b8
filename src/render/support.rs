//! What several renderers need: positions in the units each format counts, paths as CI
//! systems expect them, stable fingerprints, and XML escaping.

use std::borrow::Cow;

use crate::diagnostic::Diagnostic;
use crate::line_index::{floor_char_boundary, LineIndex};
use crate::syntax::Span;

use super::FileReport;

/// A span's start and (exclusive) end as 1-based lines and columns, in one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub start_line: usize,
    pub start_column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Region {
    pub fn is_single_line(&self) -> bool {
        self.start_line == self.end_line
    }
}

/// How a format counts columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnUnit {
    /// Unicode scalar values (the JSON output, GitHub, Checkstyle, JUnit, GitLab).
    Chars,
    /// UTF-16 code units (SARIF's default `columnKind`).
    Utf16,
    /// UTF-8 bytes (reviewdog's rdjson).
    Bytes,
}

/// One report's text with its line index, so that every renderer converts spans the same way.
pub struct Located<'a> {
    pub report: &'a FileReport,
    pub index: LineIndex,
}

impl<'a> Located<'a> {
    pub fn new(report: &'a FileReport) -> Located<'a> {
        Located {
            report,
            index: LineIndex::new(&report.source),
        }
    }

    pub fn source(&self) -> &str {
        &self.report.source
    }

    /// The span's region; an end before the start is read as an empty span at the start.
    pub fn region(&self, span: &Span, unit: ColumnUnit) -> Region {
        let (start_line, start_column) = self.point(span.start, unit);
        let (end_line, end_column) = self.point(span.end.max(span.start), unit);
        Region {
            start_line,
            start_column,
            end_line,
            end_column,
        }
    }

    /// 1-based line and column of a byte offset.
    pub fn point(&self, offset: usize, unit: ColumnUnit) -> (usize, usize) {
        let text = self.source();
        match unit {
            ColumnUnit::Chars => {
                let position = self.index.position(text, offset);
                (position.line, position.column)
            }
            ColumnUnit::Utf16 => {
                let position = self.index.utf16_position(text, offset);
                (position.line as usize + 1, position.character as usize + 1)
            }
            ColumnUnit::Bytes => {
                let line = self.index.position(text, offset).line;
                let content = self.index.line_content(text, line - 1);
                let offset = floor_char_boundary(text, offset);
                let column = offset.clamp(content.start, content.end) - content.start;
                (line, column + 1)
            }
        }
    }

    /// The text of the lines a span touches, trimmed, for fingerprints.
    fn lines_of(&self, span: &Span) -> &str {
        let text = self.source();
        let first = self.index.position(text, span.start).line - 1;
        let last = self.index.position(text, span.end.max(span.start)).line - 1;
        let start = self.index.line_content(text, first).start;
        let end = self.index.line_content(text, last).end.max(start);
        text[start..end].trim()
    }

    /// A fingerprint per diagnostic, stable when lines move: the rule, the file, the content
    /// of the lines the finding is on, and how many identical findings came before it.
    pub fn fingerprints(&self) -> Vec<String> {
        let mut seen: Vec<u64> = Vec::new();
        self.report
            .diagnostics
            .iter()
            .map(|diagnostic| {
                let base = fnv1a(&[
                    diagnostic.code.as_bytes(),
                    portable_path(&self.report.path).as_bytes(),
                    self.lines_of(&diagnostic.span).as_bytes(),
                ]);
                let occurrence = seen.iter().filter(|&&h| h == base).count();
                seen.push(base);
                format!("{base:016x}:{occurrence}")
            })
            .collect()
    }
}

/// A path as CI systems want it: forward slashes, no leading `./`.
pub fn portable_path(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut rest = path.as_str();
    while let Some(stripped) = rest.strip_prefix("./") {
        rest = stripped;
    }
    rest.to_string()
}

/// The message with the rule's advice, when there is some, on the following lines.
pub fn message_with_help(diagnostic: &Diagnostic) -> String {
    match &diagnostic.help {
        Some(help) => format!("{}\n{help}", diagnostic.message),
        None => diagnostic.message.clone(),
    }
}

/// 64-bit FNV-1a over the parts, each followed by a 0 byte: stable across Rust versions and
/// platforms, unlike `DefaultHasher`.
pub fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &byte in part.iter().chain(&[0u8]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// Text escaped for an XML attribute value or element content. Characters XML 1.0 cannot
/// carry at all (most C0 controls) become U+FFFD; line breaks and tabs in attributes are
/// kept as character references so that parsers do not normalise them to spaces.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            _ => out.push(ch),
        }
    }
    out
}

/// The length of the terminal control character at `bytes[i]`, 0 when there is none: C0
/// controls other than tab and line feed, a carriage return not ending a line, DEL, and C1
/// controls (U+0080..=U+009F, two bytes in UTF-8).
fn control_at(bytes: &[u8], i: usize) -> usize {
    match bytes[i] {
        b'\t' | b'\n' => 0,
        b'\r' => usize::from(bytes.get(i + 1) != Some(&b'\n')),
        0x00..=0x1f | 0x7f => 1,
        0xc2 if bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)) => 2,
        _ => 0,
    }
}

fn has_terminal_control(text: &str) -> bool {
    let bytes = text.as_bytes();
    (0..bytes.len()).any(|i| control_at(bytes, i) > 0)
}

/// `text` with every terminal control character replaced by `?`, byte for byte (a C1 control
/// becomes `??`), so that byte offsets into the text stay valid. File content and names reach
/// a terminal only through this: an escape sequence in a Dockerfile must not drive it.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !has_terminal_control(text) {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(bytes.len());
    let mut kept = 0;
    let mut i = 0;
    while i < bytes.len() {
        let len = control_at(bytes, i);
        if len == 0 {
            i += 1;
            continue;
        }
        // Controls are whole characters, so `kept..i` lies on character boundaries.
        out.push_str(&text[kept..i]);
        out.push_str(&"??"[..len]);
        i += len;
        kept = i;
    }
    out.push_str(&text[kept..]);
    Cow::Owned(out)
}

/// A file name made [`terminal_safe`], its line breaks and tabs too: it stays on its line.
pub fn terminal_safe_name(name: &str) -> Cow<'_, str> {
    if name.contains(['\n', '\t']) {
        Cow::Owned(terminal_safe(&name.replace(['\n', '\t'], "?")).into_owned())
    } else {
        terminal_safe(name)
    }
}

/// `report` made [`terminal_safe`]: its name, text, messages and advice (borrowed when
/// nothing needed replacing, the common case).
pub fn terminal_safe_report(report: &FileReport) -> Cow<'_, FileReport> {
    let diagnostics_safe = report.diagnostics.iter().all(|d| {
        !has_terminal_control(&d.message) && !d.help.as_deref().is_some_and(has_terminal_control)
    });
    if diagnostics_safe
        && !has_terminal_control(&report.path)
        && !report.path.contains(['\n', '\t'])
        && !has_terminal_control(&report.source)
    {
        return Cow::Borrowed(report);
    }
    let mut safe = report.clone();
    safe.path = terminal_safe_name(&report.path).into_owned();
    safe.source = terminal_safe(&report.source).into();
    for diagnostic in &mut safe.diagnostics {
        diagnostic.message = terminal_safe(&diagnostic.message).into_owned();
        if let Some(help) = &mut diagnostic.help {
            *help = terminal_safe(help).into_owned();
        }
    }
    Cow::Owned(safe)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::syntax::invalid_syntax::InvalidSyntax;
    use crate::rules::HasMeta;

    fn report(source: &str, spans: &[Span]) -> FileReport {
        FileReport {
            path: "./svc/Dockerfile".into(),
            source: source.into(),
            diagnostics: spans
                .iter()
                .map(|s| Diagnostic::new(&InvalidSyntax::META, s.clone(), "m"))
                .collect(),
        }
    }

    #[test]
    fn columns_in_each_unit() {
        let source = "FROM a\nLABEL é=😀 x\n";
        let x = source.find(" x").unwrap() + 1;
        let report = report(source, &[]);
        let located = Located::new(&report);
        assert_eq!(located.point(x, ColumnUnit::Chars), (2, 11));
        assert_eq!(located.point(x, ColumnUnit::Utf16), (2, 12));
        assert_eq!(located.point(x, ColumnUnit::Bytes), (2, 15));
        let region = located.region(&(x..source.len()), ColumnUnit::Chars);
        assert!(!region.is_single_line());
    }

    #[test]
    fn fingerprints_survive_moved_lines_and_tell_twins_apart() {
        let before = "FROM a\nRUN x\nRUN x\n";
        let after = "FROM a\n\n# moved\nRUN x\nRUN x\n";
        let spans = |s: &str| {
            let first = s.find("RUN").unwrap();
            let second = s.rfind("RUN").unwrap();
            vec![first..first + 5, second..second + 5]
        };
        let (b, a) = (report(before, &spans(before)), report(after, &spans(after)));
        let fb = Located::new(&b).fingerprints();
        let fa = Located::new(&a).fingerprints();
        assert_eq!(fb, fa);
        assert_ne!(fb[0], fb[1]);
    }

    #[test]
    fn paths_and_xml() {
        assert_eq!(portable_path("./a\\b/Dockerfile"), "a/b/Dockerfile");
        assert_eq!(
            xml_escape("a<b & \"c\"\n\u{1}"),
            "a&lt;b &amp; &quot;c&quot;&#10;\u{fffd}"
        );
    }

    #[test]
    fn terminal_safe_replaces_controls_byte_for_byte() {
        let text = "FROM a\u{1b}[31m\tb\r\nRUN x\ry\u{7f}\u{9b}2J é\n";
        let safe = terminal_safe(text);
        assert_eq!(safe, "FROM a?[31m\tb\r\nRUN x?y???2J é\n");
        assert_eq!(safe.len(), text.len());
        assert!(matches!(terminal_safe("plain\ttext\r\n"), Cow::Borrowed(_)));
        assert_eq!(terminal_safe_name("a\nb\tc\u{1b}"), "a?b?c?");
    }
}
