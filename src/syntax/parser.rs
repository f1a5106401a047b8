//! The line-level parser: BuildKit's `parser.Parse` loop (directives, comments, continuation
//! lines, heredoc bodies), made lossless and error-tolerant.

use std::ops::Range;

use super::instruction::{self, Parts};
use super::source_map::{SourceMap, Span};
use super::tree::*;
use super::words::{shell_words, unquote_word};

const VALID_DIRECTIVES: [&str; 3] = ["syntax", "escape", "check"];

/// A physical line: `start..end` is its text without the `\n`, `next` is where the next starts.
#[derive(Debug, Clone, Copy)]
struct PhysLine {
    start: usize,
    end: usize,
    next: usize,
}

pub(crate) struct Parser<'a> {
    src: &'a str,
    lines: Vec<PhysLine>,
    nodes: Vec<Node>,
    errors: Vec<ParseError>,
    escape: char,
    directives_done: bool,
    directives_seen: Vec<String>,
    bom_len: usize,
}

impl<'a> Parser<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        let bom_len = if src.starts_with('\u{feff}') { 3 } else { 0 };
        let mut lines = Vec::with_capacity(src.len() / 32 + 1);
        let bytes = src.as_bytes();
        let mut start = bom_len;
        while start < bytes.len() {
            match memchr::memchr(b'\n', &bytes[start..]) {
                Some(off) => {
                    lines.push(PhysLine {
                        start,
                        end: start + off,
                        next: start + off + 1,
                    });
                    start += off + 1;
                }
                None => {
                    lines.push(PhysLine {
                        start,
                        end: bytes.len(),
                        next: bytes.len(),
                    });
                    start = bytes.len();
                }
            }
        }
        Parser {
            src,
            lines,
            nodes: Vec::new(),
            errors: Vec::new(),
            escape: '\\',
            directives_done: false,
            directives_seen: Vec::new(),
            bom_len,
        }
    }

    pub(crate) fn run(mut self) -> Parse {
        if self.bom_len > 0 {
            self.nodes.push(Node::Bom(0..self.bom_len));
        }
        let mut i = 0;
        while i < self.lines.len() {
            i = self.top_level_line(i);
        }
        if !self.nodes.iter().any(|n| matches!(n, Node::Instruction(_))) {
            let end = self.src.len();
            self.error(
                "file with no instructions".into(),
                end..end,
                self.lines.len().max(1),
            );
        }
        Parse {
            tree: Tree {
                source: self.src.to_string(),
                nodes: self.nodes,
                escape: self.escape,
                bom_len: self.bom_len,
            },
            errors: self.errors,
        }
    }

    fn error(&mut self, message: String, span: Span, line: usize) {
        self.errors.push(ParseError {
            message,
            span,
            line,
            severity: ErrorSeverity::Error,
        });
    }

    /// The line's text without trailing `\r`/`\n` (BuildKit's `trimNewline`).
    fn content(&self, i: usize) -> Range<usize> {
        let line = self.lines[i];
        let bytes = self.src.as_bytes();
        let mut end = line.end;
        while end > line.start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        line.start..end
    }

    fn is_comment(&self, content: &Range<usize>) -> bool {
        self.src[content.clone()].trim_start().starts_with('#')
    }

    /// Handles the line at `i` outside any instruction; returns the index of the next line.
    fn top_level_line(&mut self, i: usize) -> usize {
        let line = self.lines[i];
        let content = self.content(i);
        let text = &self.src[content.clone()];
        let trimmed_start = content.end - text.trim_start().len();
        let token = trimmed_start..content.end;
        let directive = self.directive(i, token.clone());
        let processed = if self.src[token.clone()].starts_with('#') {
            token.start..token.start
        } else {
            token
        };
        let (processed, end_of_line) = self.trim_continuation(processed);
        if end_of_line && processed.is_empty() {
            let span = line.start..line.next;
            let node = match directive {
                Some(d) => Node::Directive(Directive { span, ..d }),
                None if self.is_comment(&content) => Node::Comment(span),
                None => Node::Blank(span),
            };
            self.nodes.push(node);
            return i + 1;
        }
        self.instruction(i, processed, end_of_line)
    }

    /// Parses a possible parser directive (BuildKit's `DirectiveParser.ParseLine`).
    fn directive(&mut self, i: usize, token: Range<usize>) -> Option<Directive> {
        if self.directives_done {
            return None;
        }
        let text = &self.src[token.clone()];
        let Some(after_hash) = text.strip_prefix('#') else {
            self.directives_done = true;
            return None;
        };
        let body = after_hash.trim_start();
        let body_start = token.end - body.len();
        let Some((name, value)) = match_directive(body) else {
            self.directives_done = true;
            return None;
        };
        let key = body[name.clone()].to_ascii_lowercase();
        if !VALID_DIRECTIVES.contains(&key.as_str()) {
            self.directives_done = true;
            return None;
        }
        let name_span = body_start + name.start..body_start + name.end;
        let value_span = body_start + value.start..body_start + value.end;
        let value_text = body[value].to_string();
        if self.directives_seen.contains(&key) {
            self.directives_done = true;
            self.error(
                format!("only one {key} parser directive can be used"),
                name_span,
                i + 1,
            );
            return None;
        }
        self.directives_seen.push(key.clone());
        if key == "escape" {
            match value_text.as_str() {
                "\\" => self.escape = '\\',
                "`" => self.escape = '`',
                other => self.error(
                    format!("invalid escape token '{other}' does not match ` or \\"),
                    value_span.clone(),
                    i + 1,
                ),
            }
        }
        Some(Directive {
            span: token,
            name: key,
            name_span,
            value: value_text,
            value_span,
            line: i + 1,
        })
    }

    /// BuildKit's `trimContinuationCharacter`: a line ending in the escape character (plus
    /// blanks) continues, unless that escape character is itself escaped.
    fn trim_continuation(&self, range: Range<usize>) -> (Range<usize>, bool) {
        let bytes = self.src.as_bytes();
        let escape = self.escape as u8;
        let mut end = range.end;
        while end > range.start && matches!(bytes[end - 1], b' ' | b'\t') {
            end -= 1;
        }
        if end > range.start && bytes[end - 1] == escape {
            let esc = end - 1;
            if esc == range.start || bytes[esc - 1] != escape {
                return (range.start..esc, false);
            }
        }
        (range, true)
    }

    /// Reads one instruction starting at line `first`, whose processed first line is `head`.
    fn instruction(&mut self, first: usize, head: Range<usize>, mut end_of_line: bool) -> usize {
        let mut line = LogicalLine {
            text: String::new(),
            map: SourceMap::empty_at(head.start),
        };
        push_slice(&mut line, self.src, head);
        let mut i = first + 1;
        let mut first_empty_line = None;
        while !end_of_line && i < self.lines.len() {
            let content = self.content(i);
            i += 1;
            if self.is_comment(&content) {
                continue;
            }
            if self.src[content.clone()].trim().is_empty() {
                first_empty_line.get_or_insert((content, i));
                continue;
            }
            let (piece, eol) = self.trim_continuation(content);
            push_slice(&mut line, self.src, piece);
            end_of_line = eol;
        }
        let start_line = first + 1;
        if let Some((span, line_number)) = first_empty_line {
            // BuildKit warns once per instruction; the span points at the first empty line.
            self.errors.push(ParseError {
                message: "empty continuation line (will become an error in a future release)"
                    .into(),
                span,
                line: line_number,
                severity: ErrorSeverity::Warning,
            });
        }
        let parts = instruction::parse_parts(&line.text, 0..line.text.len(), self.escape);
        if let Some((message, range)) = parts.first_error() {
            let span = line.span(range);
            self.error(message, span, start_line);
        }
        let mut heredocs = Vec::new();
        if parts.can_contain_heredoc() && line.text.contains("<<") {
            i = self.heredocs(&line, i, start_line, &mut heredocs);
        }
        let span = self.lines[first].start..self.lines[i - 1].next;
        let instruction = build_instruction(parts, line, span, start_line, i, heredocs);
        self.nodes.push(Node::Instruction(Box::new(instruction)));
        i
    }

    /// Finds the heredocs on the logical line and reads their bodies from line `i` on.
    /// Returns the index of the first line after the last body.
    fn heredocs(
        &mut self,
        line: &LogicalLine,
        mut i: usize,
        start_line: usize,
        out: &mut Vec<Heredoc>,
    ) -> usize {
        let Some(words) = shell_words(&line.text, 0..line.text.len()) else {
            return i;
        };
        let mut words = words.into_iter().peekable();
        while let Some(mut word) = words.next() {
            // BuildKit accepts blanks between `<<` and the name (`RUN <<  EOF`).
            let bare = line.text[word.clone()].trim_start_matches(|c: char| c.is_ascii_digit());
            if matches!(bare, "<<" | "<<-") {
                if let Some(name) = words.next() {
                    word = word.start..name.end;
                }
            }
            let Some(marker) = heredoc_marker(&line.text[word.clone()]) else {
                continue;
            };
            let marker_span = line.span(word);
            let body_start = self.lines.get(i).map_or(self.src.len(), |l| l.start);
            let mut terminator = None;
            for j in i..self.lines.len() {
                let content = self.content(j);
                let mut candidate = &self.src[content.clone()];
                if marker.chomp {
                    candidate = candidate.trim_start_matches('\t');
                }
                if candidate == marker.name {
                    terminator = Some(j);
                    break;
                }
            }
            match terminator {
                Some(j) => {
                    let content = self.content(j);
                    out.push(marker.into_heredoc(
                        marker_span,
                        body_start..self.lines[j].start,
                        content,
                    ));
                    i = j + 1;
                }
                None => {
                    // BuildKit rejects the file. To keep linting the rest, end the body at the
                    // first line that starts with a Dockerfile keyword.
                    let stop = (i..self.lines.len())
                        .find(|&j| starts_with_keyword(&self.src[self.content(j)]))
                        .unwrap_or(self.lines.len());
                    let body_end = self.lines.get(stop).map_or(self.src.len(), |l| l.start);
                    self.error(
                        "unterminated heredoc".into(),
                        marker_span.clone(),
                        start_line,
                    );
                    out.push(marker.into_heredoc(
                        marker_span,
                        body_start..body_end,
                        body_end..body_end,
                    ));
                    return stop;
                }
            }
        }
        i
    }
}

/// Appends a verbatim slice of the file to a logical line.
fn push_slice(line: &mut LogicalLine, src: &str, range: Range<usize>) {
    line.map.push(range.start, range.len());
    line.text.push_str(&src[range]);
}

/// `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` on a directive body, returning the name and value
/// ranges. `\s` is Go's ASCII class `[\t\n\f\r ]`.
fn match_directive(body: &str) -> Option<(Range<usize>, Range<usize>)> {
    let is_s = |b: u8| matches!(b, b'\t' | b'\n' | 0x0C | b'\r' | b' ');
    let bytes = body.as_bytes();
    if !bytes.first()?.is_ascii_alphabetic() {
        return None;
    }
    let name_end = bytes
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(bytes.len());
    let mut i = name_end;
    while i < bytes.len() && is_s(bytes[i]) {
        i += 1;
    }
    if bytes.get(i) != Some(&b'=') {
        return None;
    }
    i += 1;
    while i < bytes.len() && is_s(bytes[i]) {
        i += 1;
    }
    let mut end = bytes.len();
    while end > i && is_s(bytes[end - 1]) {
        end -= 1;
    }
    if end <= i || bytes[i..end].contains(&b'\n') {
        return None;
    }
    Some((0..name_end, i..end))
}

/// A `<<NAME` word found on an instruction line.
struct HeredocMarker {
    name: String,
    chomp: bool,
    expand: bool,
    fd: u32,
}

impl HeredocMarker {
    fn into_heredoc(self, marker_span: Span, body_span: Span, terminator_span: Span) -> Heredoc {
        Heredoc {
            name: self.name,
            marker_span,
            chomp: self.chomp,
            expand: self.expand,
            fd: self.fd,
            body_span,
            terminator_span,
        }
    }
}

/// BuildKit's `^(\d*)<<(-?)([^<]*)$` plus `heredocFromMatch`.
fn heredoc_marker(word: &str) -> Option<HeredocMarker> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let after = word[digits..].strip_prefix("<<")?;
    let (chomp, rest) = match after.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, after.trim_start()),
    };
    if rest.is_empty() || rest.contains('<') {
        return None;
    }
    let name = unquote_word(rest)?;
    let count_quotes = |s: &str| s.chars().filter(|c| matches!(c, '\'' | '"')).count();
    let escaped_quotes = rest.matches("\\\"").count() + rest.matches("\\'").count();
    let expand = count_quotes(&name) == count_quotes(rest) - escaped_quotes;
    Some(HeredocMarker {
        name,
        chomp,
        expand,
        fd: word[..digits].parse().unwrap_or(0),
    })
}

/// Does this line start with a Dockerfile instruction keyword (used only to recover from an
/// unterminated heredoc)?
fn starts_with_keyword(line: &str) -> bool {
    let word = line.split_whitespace().next().unwrap_or("");
    word.len() < 12
        && Keyword::from_lowercase(&word.to_ascii_lowercase()) != Keyword::Unknown
        && line.trim_start().len() > word.len()
}

fn build_instruction(
    parts: Parts,
    line: LogicalLine,
    span: Span,
    start_line: usize,
    end_line: usize,
    heredocs: Vec<Heredoc>,
) -> Instruction {
    let onbuild = parts.onbuild.map(|child| {
        let inner = build_instruction(
            *child,
            line.clone(),
            span.clone(),
            start_line,
            end_line,
            heredocs.clone(),
        );
        Box::new(inner)
    });
    Instruction {
        keyword: parts.keyword,
        keyword_text: line.text[parts.keyword_range.clone()].to_string(),
        keyword_span: line.span(parts.keyword_range),
        flags: parts
            .flags
            .into_iter()
            .map(|f| instruction::flag_from_raw(f, &line))
            .collect(),
        args: parts
            .args
            .into_iter()
            .map(|(range, value)| Arg {
                span: line.span(range.clone()),
                value,
                range,
            })
            .collect(),
        rest: parts.rest,
        json: parts.json,
        heredocs,
        start_line,
        end_line,
        onbuild,
        values: parts.values,
        line,
        span,
    }
}
