//! BuildKit's word splitters, reimplemented over byte ranges so every word keeps its position.
//!
//! Each function mirrors one splitter in BuildKit's Dockerfile parser, quirks included, because
//! conformance means producing exactly the values BuildKit produces.

use std::ops::Range;

/// `[\t\v\f\r ]`: BuildKit's `reWhitespace` class (ASCII only).
pub(crate) fn is_ascii_ws(b: u8) -> bool {
    matches!(b, b'\t' | 0x0B | 0x0C | b'\r' | b' ')
}

/// Go's `unicode.IsSpace` applied to a single byte widened to a rune, as BuildKit's flag
/// scanner does: NEL (0x85) and NBSP (0xA0) count even when they are UTF-8 continuation bytes.
fn is_go_space_byte(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' | 0x85 | 0xA0)
}

/// Trims Unicode white space (Go's `strings.TrimSpace`) from both ends of `range`.
pub(crate) fn trim_space(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.start + slice.trim_end().len();
    start..end.max(start)
}

/// Splits on runs of ASCII white space (`reWhitespace.Split(s, -1)`), giving each piece's range.
/// Empty pieces are produced exactly where Go's split would produce them (at a leading or
/// trailing run), so callers must pass trimmed input when they expect none.
pub(crate) fn split_ascii_ws(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = range.start;
    let mut i = range.start;
    while i < range.end {
        if is_ascii_ws(bytes[i]) {
            out.push(start..i);
            while i < range.end && is_ascii_ws(bytes[i]) {
                i += 1;
            }
            start = i;
        } else {
            i += 1;
        }
    }
    out.push(start..range.end);
    out
}

/// Splits `range` in two at the first run of ASCII white space (`reWhitespace.Split(s, 2)`).
pub(crate) fn split_ascii_ws_once(
    text: &str,
    range: Range<usize>,
) -> (Range<usize>, Option<Range<usize>>) {
    let bytes = text.as_bytes();
    let Some(pos) = (range.start..range.end).find(|&i| is_ascii_ws(bytes[i])) else {
        return (range, None);
    };
    let mut after = pos;
    while after < range.end && is_ascii_ws(bytes[after]) {
        after += 1;
    }
    (range.start..pos, Some(after..range.end))
}

/// BuildKit's `parseWords`: splits on Unicode white space outside quotes; quotes and escapes
/// stay in the word. An escape character at the very end of the input is dropped.
pub(crate) fn parse_words(text: &str, range: Range<usize>, escape: char) -> Vec<Range<usize>> {
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = range.start; // end of the bytes the current word keeps
    let mut quote: Option<char> = None;
    let base = range.start;
    let mut chars = text[range.clone()].char_indices();
    while let Some((rel, ch)) = chars.next() {
        let pos = base + rel;
        let is_last = pos + ch.len_utf8() == range.end;
        let Some(word_start) = start else {
            if ch.is_whitespace() {
                continue;
            }
            start = Some(pos);
            end = pos;
            // The first character is handled as part of the word below.
            handle_char(
                ch, pos, is_last, escape, &mut quote, &mut end, &mut chars, base,
            );
            continue;
        };
        if quote.is_none() && ch.is_whitespace() {
            if end > word_start {
                words.push(word_start..end);
            }
            start = None;
            continue;
        }
        handle_char(
            ch, pos, is_last, escape, &mut quote, &mut end, &mut chars, base,
        );
    }
    if let Some(word_start) = start {
        if end > word_start {
            words.push(word_start..end);
        }
    }
    words
}

/// One character inside a word for [`parse_words`].
#[allow(clippy::too_many_arguments)]
fn handle_char(
    ch: char,
    pos: usize,
    is_last: bool,
    escape: char,
    quote: &mut Option<char>,
    end: &mut usize,
    chars: &mut std::str::CharIndices<'_>,
    base: usize,
) {
    match *quote {
        None => {
            if ch == '\'' || ch == '"' {
                *quote = Some(ch);
            } else if ch == escape {
                if !is_last {
                    // Keep the escape and the escaped character; a final escape is dropped.
                    if let Some((rel, next)) = chars.next() {
                        *end = base + rel + next.len_utf8();
                    }
                }
                return;
            }
        }
        Some(q) => {
            if ch == q {
                *quote = None;
            } else if ch == escape && q != '\'' {
                if is_last {
                    *quote = None;
                } else if let Some((rel, next)) = chars.next() {
                    *end = base + rel + next.len_utf8();
                }
                return;
            }
        }
    }
    *end = pos + ch.len_utf8();
}

/// One builder flag as BuildKit's `extractBuilderFlags` sees it.
#[derive(Debug, Clone)]
pub(crate) struct RawFlag {
    /// Range of the whole flag word as written (quotes included).
    pub range: Range<usize>,
    /// The processed bytes (quotes removed, escapes applied), byte for byte.
    pub bytes: Vec<u8>,
}

/// BuildKit's `extractBuilderFlags`: reads `--flag[=value]` words from the start of `range`.
/// Returns the flags and where the rest of the line starts. Works on bytes, like the Go code.
pub(crate) fn extract_flags(text: &str, range: Range<usize>) -> (Vec<RawFlag>, usize) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote(u8),
    }
    let bytes = text.as_bytes();
    let end = range.end;
    let mut flags = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word: Vec<u8> = Vec::new();
    let mut word_start = range.start;
    let mut blank_ok = false;
    let mut pos = range.start;
    let rest_at = |pos: usize| -> usize {
        // Go slices bytes; keep Rust slices on a character boundary.
        let mut p = pos;
        while p < end && !text.is_char_boundary(p) {
            p += 1;
        }
        p
    };
    while pos <= end {
        let ch = if pos < end { bytes[pos] } else { 0 };
        if phase == Phase::Spaces {
            if pos == end {
                break;
            }
            if is_go_space_byte(ch) {
                pos += 1;
                continue;
            }
            if ch != b'-' || pos + 1 == end || bytes[pos + 1] != b'-' {
                return (flags, rest_at(pos));
            }
            phase = Phase::Word;
            word_start = pos;
        }
        if pos == end {
            if word != b"--" && (blank_ok || !word.is_empty()) {
                flags.push(RawFlag {
                    range: word_start..pos,
                    bytes: std::mem::take(&mut word),
                });
            }
            break;
        }
        match phase {
            Phase::Word => {
                if is_go_space_byte(ch) {
                    phase = Phase::Spaces;
                    if word == b"--" {
                        return (flags, rest_at(pos));
                    }
                    if blank_ok || !word.is_empty() {
                        flags.push(RawFlag {
                            // Go splits at a 0x85/0xA0 byte even inside a character: the
                            // span takes the rest of the character.
                            range: word_start..rest_at(pos),
                            bytes: std::mem::take(&mut word),
                        });
                    }
                    word.clear();
                    blank_ok = false;
                    pos += 1;
                    continue;
                }
                if ch == b'\'' || ch == b'"' {
                    phase = Phase::Quote(ch);
                    blank_ok = true;
                    pos += 1;
                    continue;
                }
                let mut c = ch;
                if ch == b'\\' {
                    if pos + 1 == end {
                        pos += 1;
                        continue;
                    }
                    pos += 1;
                    c = bytes[pos];
                }
                word.push(c);
                pos += 1;
            }
            Phase::Quote(quote) => {
                if ch == quote {
                    phase = Phase::Word;
                    pos += 1;
                    continue;
                }
                let mut c = ch;
                if ch == b'\\' {
                    if pos + 1 == end {
                        phase = Phase::Word;
                        pos += 1;
                        continue;
                    }
                    pos += 1;
                    c = bytes[pos];
                }
                word.push(c);
                pos += 1;
            }
            Phase::Spaces => {}
        }
    }
    (flags, end)
}

/// Outcome of trying to read arguments as a JSON array of strings.
pub(crate) enum JsonArgs {
    /// A valid array of strings: each string's range (quotes included) and decoded value.
    Strings(Vec<(Range<usize>, String)>),
    /// Valid JSON array holding something other than a string: BuildKit rejects this.
    NotStrings,
    /// Not a JSON array: BuildKit falls back to the shell form.
    NotJson,
}

/// BuildKit's `parseJSON`: the (left-trimmed) text must start with `[` and be a valid JSON array.
pub(crate) fn json_array(text: &str, range: Range<usize>) -> JsonArgs {
    let slice = &text[range.clone()];
    let trimmed = slice.trim_start();
    if !trimmed.starts_with('[') {
        return JsonArgs::NotJson;
    }
    let offset = range.start + (slice.len() - trimmed.len());
    let values: Vec<serde_json::Value> = match serde_json::from_str(trimmed) {
        Ok(v) => v,
        Err(_) => return JsonArgs::NotJson,
    };
    let mut strings = Vec::with_capacity(values.len());
    for value in values {
        match value {
            serde_json::Value::String(s) => strings.push(s),
            _ => return JsonArgs::NotStrings,
        }
    }
    // The array is valid and holds only strings: find each string token's range.
    let bytes = trimmed.as_bytes();
    let mut out = Vec::with_capacity(strings.len());
    let mut i = 0;
    let mut values = strings.into_iter();
    while i < bytes.len() {
        if bytes[i] == b'"' {
            let start = i;
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                if bytes[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            let end = (i + 1).min(bytes.len());
            if let Some(value) = values.next() {
                out.push((offset + start..offset + end, value));
            }
        }
        i += 1;
    }
    JsonArgs::Strings(out)
}

/// Words as BuildKit's shell lexer splits a whole instruction line when it looks for heredocs
/// (raw quotes, raw escapes, unset variables kept): `None` when the lexer would fail
/// (an unterminated quote or `${`), in which case BuildKit finds no heredocs.
pub(crate) fn shell_words(text: &str, range: Range<usize>) -> Option<Vec<Range<usize>>> {
    let bytes = text.as_bytes();
    let mut words = Vec::new();
    let mut i = range.start;
    let end = range.end;
    let mut word_start: Option<usize> = None;
    while i < end {
        let ch = text[i..end].chars().next()?;
        let width = ch.len_utf8();
        if ch.is_whitespace() {
            if let Some(s) = word_start.take() {
                words.push(s..i);
            }
            i += width;
            continue;
        }
        word_start.get_or_insert(i);
        match ch {
            '\\' => {
                i += 1;
                if i >= end {
                    break;
                }
                i += text[i..end].chars().next().map_or(1, char::len_utf8);
            }
            '\'' => {
                let close = bytes[i + 1..end].iter().position(|&b| b == b'\'')?;
                i += close + 2;
            }
            '"' => {
                i += 1;
                loop {
                    if i >= end {
                        return None;
                    }
                    match bytes[i] {
                        b'"' => {
                            i += 1;
                            break;
                        }
                        b'\\' => i += 2,
                        b'$' if bytes.get(i + 1) == Some(&b'{') => i = skip_braces(bytes, i, end)?,
                        _ => i += 1,
                    }
                }
            }
            '$' if bytes.get(i + 1) == Some(&b'{') => i = skip_braces(bytes, i, end)?,
            _ => i += width,
        }
    }
    if let Some(s) = word_start {
        words.push(s..end.min(i));
    }
    Some(words)
}

/// Skips `${…}` starting at `i` (the `$`), returning the index after the closing brace.
fn skip_braces(bytes: &[u8], i: usize, end: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut j = i + 1;
    while j < end {
        match bytes[j] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(j + 1);
                }
            }
            b'\\' => j += 1,
            _ => {}
        }
        j += 1;
    }
    None
}

/// Removes quotes and escapes from a heredoc name the way the lexer does without raw quotes.
/// `None` when the result is not exactly one word.
pub(crate) fn unquote_word(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    let mut produced_any = false;
    while let Some(ch) = chars.next() {
        match ch {
            '\\' => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
                produced_any = true;
            }
            '\'' => {
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    out.push(c);
                }
                produced_any = true;
            }
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => {
                            if let Some(n) = chars.next() {
                                if !matches!(n, '"' | '\\' | '$' | '`') {
                                    out.push('\\');
                                }
                                out.push(n);
                            }
                        }
                        _ => out.push(c),
                    }
                }
                produced_any = true;
            }
            c if c.is_whitespace() => return None,
            c => {
                out.push(c);
                produced_any = true;
            }
        }
    }
    produced_any.then_some(out)
}

/// `text` as a double-quoted value BuildKit reads back as `text`.
pub fn quote_value(text: &str, escape: char) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c == '"' || c == '$' || c == escape {
            out.push(escape);
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str, ranges: &[Range<usize>]) -> Vec<String> {
        ranges.iter().map(|r| text[r.clone()].to_string()).collect()
    }

    #[test]
    fn parse_words_keeps_quotes() {
        let t = r#"abc="123 456" def"#;
        assert_eq!(
            pieces(t, &parse_words(t, 0..t.len(), '\\')),
            vec![r#"abc="123 456""#, "def"]
        );
    }

    #[test]
    fn flags_stop_at_first_non_flag() {
        let t = "--from=build --chown='a b' src dst";
        let (flags, rest) = extract_flags(t, 0..t.len());
        assert_eq!(flags.len(), 2);
        assert_eq!(flags[1].bytes, b"--chown=a b");
        assert_eq!(&t[rest..], "src dst");
        let t = "--doit -- [ ]";
        let (flags, rest) = extract_flags(t, 0..t.len());
        assert_eq!(flags.len(), 1);
        assert_eq!(&t[rest..], " [ ]");
    }

    #[test]
    fn a_flag_split_inside_a_character_ends_on_a_character_boundary() {
        // `΅` is 0xCE 0x85, and Go takes the byte 0x85 for white space.
        let t = "--timeout=x\u{385}y rest";
        let (flags, rest) = extract_flags(t, 0..t.len());
        assert_eq!(flags.len(), 1);
        assert_eq!(flags[0].bytes, b"--timeout=x\xce");
        assert_eq!(&t[flags[0].range.clone()], "--timeout=x\u{385}");
        assert_eq!(&t[rest..], "y rest");
    }

    #[test]
    fn json_array_ranges() {
        let t = r#"[ "a", "b\"c" ]"#;
        match json_array(t, 0..t.len()) {
            JsonArgs::Strings(v) => {
                assert_eq!(v[0].1, "a");
                assert_eq!(&t[v[1].0.clone()], r#""b\"c""#);
                assert_eq!(v[1].1, "b\"c");
            }
            _ => panic!("expected strings"),
        }
        assert!(matches!(json_array("[1]", 0..3), JsonArgs::NotStrings));
        assert!(matches!(json_array("[\"a\"", 0..4), JsonArgs::NotJson));
    }

    #[test]
    fn shell_words_fail_on_open_quote() {
        assert!(shell_words("echo \"x <<EOF", 0..13).is_none());
        let t = "cat <<EOF > /x";
        assert_eq!(
            pieces(t, &shell_words(t, 0..t.len()).unwrap()),
            vec!["cat", "<<EOF", ">", "/x"]
        );
    }
}
