//! Word values: quote removal and escape processing on tree-sitter-bash word nodes, with an
//! optional offset trail (for each output byte, the text offset it came from) so a nested
//! shell body can be mapped back to the file.

use tree_sitter::Node;

/// Output of [`unquote`].
pub(crate) struct Unquoted {
    pub text: String,
    /// For each byte of `text`, the offset in the source text it came from (only filled when
    /// asked for).
    pub offsets: Vec<usize>,
    /// False when the word holds an expansion: `text` then keeps the expansion verbatim.
    pub is_static: bool,
}

struct Out<'s> {
    src: &'s str,
    text: String,
    offsets: Option<Vec<usize>>,
    is_static: bool,
    /// Nesting of composite nodes. Words are shallow, but past [`MAX_DEPTH`] the text is
    /// copied as it is rather than recursed into.
    depth: usize,
}

const MAX_DEPTH: usize = 32;

impl<'s> Out<'s> {
    fn new(src: &'s str, with_offsets: bool) -> Out<'s> {
        Out {
            src,
            text: String::new(),
            offsets: with_offsets.then(Vec::new),
            is_static: true,
            depth: 0,
        }
    }

    fn finish(self) -> Unquoted {
        Unquoted {
            text: self.text,
            offsets: self.offsets.unwrap_or_default(),
            is_static: self.is_static,
        }
    }

    /// Copies `src[start..end]` verbatim.
    fn verbatim(&mut self, start: usize, end: usize) {
        let end = end.min(self.src.len());
        if start >= end {
            return;
        }
        self.text.push_str(&self.src[start..end]);
        if let Some(o) = &mut self.offsets {
            o.extend(start..end);
        }
    }

    /// Appends one char that stands for source offset `at`.
    fn ch(&mut self, c: char, at: usize) {
        self.text.push(c);
        if let Some(o) = &mut self.offsets {
            for _ in 0..c.len_utf8() {
                o.push(at);
            }
        }
    }

    /// Copies the char starting at `i` verbatim; returns its length.
    fn copy_char(&mut self, i: usize) -> usize {
        let len = self.src[i..].chars().next().map_or(1, char::len_utf8);
        self.verbatim(i, i + len);
        len
    }

    /// Unquoted text: `\x` → `x`, `\<newline>` → nothing.
    fn bare(&mut self, start: usize, end: usize) {
        let b = self.src.as_bytes();
        let mut i = start;
        let mut run = start;
        while i < end {
            if b[i] == b'\\' && i + 1 < end {
                self.verbatim(run, i);
                if b[i + 1] == b'\n' {
                    i += 2;
                } else {
                    i += 1;
                    i += self.copy_char(i);
                }
                run = i;
            } else {
                i += 1;
            }
        }
        self.verbatim(run, end);
    }

    /// Inside double quotes: `\` only escapes `$`, `` ` ``, `"`, `\` and newline.
    fn double_quoted(&mut self, start: usize, end: usize) {
        let b = self.src.as_bytes();
        let mut i = start;
        let mut run = start;
        while i < end {
            if b[i] == b'\\'
                && i + 1 < end
                && matches!(b[i + 1], b'$' | b'`' | b'"' | b'\\' | b'\n')
            {
                self.verbatim(run, i);
                if b[i + 1] != b'\n' {
                    self.verbatim(i + 1, i + 2);
                }
                i += 2;
                run = i;
            } else {
                i += 1;
            }
        }
        self.verbatim(run, end);
    }

    /// `$'…'` contents.
    fn ansi_c(&mut self, start: usize, end: usize) {
        let b = self.src.as_bytes();
        let mut i = start;
        while i < end {
            if b[i] != b'\\' || i + 1 >= end {
                i += self.copy_char(i);
                continue;
            }
            let at = i;
            let e = b[i + 1];
            i += 2;
            let simple = match e {
                b'n' => Some('\n'),
                b't' => Some('\t'),
                b'r' => Some('\r'),
                b'a' => Some('\x07'),
                b'b' => Some('\x08'),
                b'e' | b'E' => Some('\x1b'),
                b'f' => Some('\x0c'),
                b'v' => Some('\x0b'),
                b'\\' => Some('\\'),
                b'\'' => Some('\''),
                b'"' => Some('"'),
                b'?' => Some('?'),
                _ => None,
            };
            if let Some(c) = simple {
                self.ch(c, at);
                continue;
            }
            let (radix, max) = match e {
                b'0'..=b'7' => {
                    i -= 1;
                    (8, 3)
                }
                b'x' => (16, 2),
                b'u' => (16, 4),
                b'U' => (16, 8),
                _ => {
                    // Unknown escape: kept as written.
                    self.verbatim(at, at + 1);
                    i = at + 1;
                    i += self.copy_char(i);
                    continue;
                }
            };
            let digits_start = i;
            while i < end && i - digits_start < max && (b[i] as char).is_digit(radix) {
                i += 1;
            }
            let n = u32::from_str_radix(&self.src[digits_start..i], radix).ok();
            match n.and_then(char::from_u32) {
                Some(c) if i > digits_start => {
                    if matches!(e, b'x' | b'0'..=b'7') && c as u32 > 0x7f {
                        // A raw byte, not a char: not representable in a String.
                        self.is_static = false;
                    }
                    self.ch(c, at)
                }
                _ => self.verbatim(at, i),
            }
        }
    }

    fn node(&mut self, node: Node) {
        let (start, end) = (node.start_byte(), node.end_byte());
        if !node.is_named() {
            self.bare(start, end);
            return;
        }
        match node.kind() {
            "word"
            | "extglob_pattern"
            | "regex"
            | "variable_name"
            | "test_operator"
            | "special_variable_name"
            | "file_descriptor"
            | "heredoc_start" => self.bare(start, end),
            "raw_string" => {
                let inner_end = if end > start + 1 && self.src.as_bytes()[end - 1] == b'\'' {
                    end - 1
                } else {
                    end
                };
                self.verbatim(start + 1, inner_end);
            }
            "string" => {
                let b = self.src.as_bytes();
                let s = if b.get(start) == Some(&b'"') {
                    start + 1
                } else {
                    start
                };
                let e = if end > s && b[end - 1] == b'"' {
                    end - 1
                } else {
                    end
                };
                let mut cursor = node.walk();
                if node
                    .named_children(&mut cursor)
                    .any(|c| c.kind() != "string_content")
                {
                    self.is_static = false;
                }
                self.double_quoted(s, e);
            }
            "ansi_c_string" => {
                let b = self.src.as_bytes();
                let s = (start + 2).min(end);
                let e = if end > s && b[end - 1] == b'\'' {
                    end - 1
                } else {
                    end
                };
                self.ansi_c(s, e);
            }
            "simple_expansion"
            | "expansion"
            | "command_substitution"
            | "process_substitution"
            | "arithmetic_expansion"
            | "brace_expression"
            | "array"
            | "ERROR" => {
                self.is_static = false;
                self.verbatim(start, end);
            }
            _ if node.child_count() == 0 => {
                if node.is_missing() {
                    return;
                }
                self.bare(start, end)
            }
            _ if self.depth >= MAX_DEPTH => {
                self.is_static = false;
                self.verbatim(start, end);
            }
            // concatenation, command_name, translated_string, number with expansions,
            // variable_assignment, …: the children with the gaps between them.
            _ => {
                let mut cursor = node.walk();
                let children: Vec<Node> = node.children(&mut cursor).collect();
                self.depth += 1;
                self.sequence(&children, start, end);
                self.depth -= 1;
            }
        }
    }

    /// Adjacent nodes forming one word, with any text between them.
    fn sequence(&mut self, nodes: &[Node], start: usize, end: usize) {
        let mut pos = start;
        let mut i = 0;
        while i < nodes.len() {
            let n = nodes[i];
            if n.start_byte() > pos {
                self.bare(pos, n.start_byte());
            }
            // `$"…"` (a translated string) comes out of tree-sitter as `$` then a string.
            let translated = !n.is_named()
                && n.kind() == "$"
                && nodes
                    .get(i + 1)
                    .is_some_and(|m| m.kind() == "string" && m.start_byte() == n.end_byte());
            if !translated {
                self.node(n);
            }
            pos = pos.max(n.end_byte());
            i += 1;
        }
        if end > pos {
            self.bare(pos, end);
        }
    }
}

/// The shell value of the word made of `nodes` (adjacent nodes of one word) in `src`.
pub(crate) fn unquote(nodes: &[Node], src: &str, with_offsets: bool) -> Unquoted {
    let mut out = Out::new(src, with_offsets);
    if let (Some(first), Some(last)) = (nodes.first(), nodes.last()) {
        if nodes.len() == 1 {
            out.node(*first);
        } else {
            out.sequence(nodes, first.start_byte(), last.end_byte());
        }
    }
    out.finish()
}

/// One piece of a word the fast parser ([`super::fast`]) cut out; ranges index the source text.
#[derive(Debug, Clone)]
pub(crate) enum Piece {
    /// Unquoted text (escapes processed).
    Bare(usize, usize),
    /// `'…'`, quotes included.
    Single(usize, usize),
    /// `"…"`, quotes included; `dynamic` when it holds an expansion.
    Double(usize, usize, bool),
    /// `$x`, `${…}`, `$(…)`: kept verbatim, and the word is not static.
    Dynamic(usize, usize),
}

/// The shell value of a word given as pieces: the same result [`unquote`] gives for the
/// tree-sitter nodes of that word.
pub(crate) fn unquote_pieces(src: &str, pieces: &[Piece], with_offsets: bool) -> Unquoted {
    let mut out = Out::new(src, with_offsets);
    for piece in pieces {
        match *piece {
            Piece::Bare(start, end) => out.bare(start, end),
            Piece::Single(start, end) => out.verbatim(start + 1, end - 1),
            Piece::Double(start, end, dynamic) => {
                out.is_static &= !dynamic;
                out.double_quoted(start + 1, end - 1);
            }
            Piece::Dynamic(start, end) => {
                out.is_static = false;
                out.verbatim(start, end);
            }
        }
    }
    out.finish()
}

/// Decodes a JSON string literal (`"…"`, quotes included) of `src[start..end]`, with offsets.
pub(crate) fn json_string(src: &str, start: usize, end: usize) -> Unquoted {
    let mut out = Out::new(src, true);
    let b = src.as_bytes();
    let mut i = start;
    let mut end = end;
    if b.get(i) == Some(&b'"') {
        i += 1;
    }
    if end > i && b[end - 1] == b'"' {
        end -= 1;
    }
    while i < end {
        if b[i] != b'\\' || i + 1 >= end {
            i += out.copy_char(i);
            continue;
        }
        let at = i;
        let c = match b[i + 1] {
            b'n' => '\n',
            b't' => '\t',
            b'r' => '\r',
            b'b' => '\x08',
            b'f' => '\x0c',
            b'u' => {
                let hex = |p: usize| {
                    src.get(p..p + 4)
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                };
                match hex(i + 2) {
                    Some(hi @ 0xd800..=0xdbff)
                        if src.get(i + 6..i + 8) == Some("\\u")
                            && hex(i + 8).is_some_and(|lo| (0xdc00..=0xdfff).contains(&lo)) =>
                    {
                        let lo = hex(i + 8).unwrap_or(0xdc00);
                        let c = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
                        out.ch(char::from_u32(c).unwrap_or('\u{fffd}'), at);
                        i += 12;
                        continue;
                    }
                    Some(n) => {
                        out.ch(char::from_u32(n).unwrap_or('\u{fffd}'), at);
                        i += 6;
                        continue;
                    }
                    None => {
                        out.verbatim(at, at + 2);
                        i += 2;
                        continue;
                    }
                }
            }
            other => other as char,
        };
        if c.is_ascii() {
            out.ch(c, at + 1);
            i += 2;
        } else {
            // `\` before a multi-byte char: keep the char.
            i += 1;
            i += out.copy_char(i);
        }
    }
    out.finish()
}
