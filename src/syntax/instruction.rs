//! One logical line → one instruction: BuildKit's `splitCommand`, `extractBuilderFlags` and
//! the per-keyword line parsers (`parseMaybeJSON`, `parseNameVal`, …), over byte ranges.

use std::ops::Range;

use super::tree::{Flag, Keyword, LogicalLine};
use super::words::{
    extract_flags, json_array, parse_words, split_ascii_ws, split_ascii_ws_once, trim_space,
    JsonArgs, RawFlag,
};

/// An instruction before its ranges are mapped to the file.
#[derive(Debug, Clone)]
pub(crate) struct Parts {
    pub keyword: Keyword,
    pub keyword_range: Range<usize>,
    pub flags: Vec<RawFlag>,
    pub rest: Range<usize>,
    pub args: Vec<(Range<usize>, String)>,
    pub values: Vec<String>,
    pub json: bool,
    pub onbuild: Option<Box<Parts>>,
    pub error: Option<(String, Range<usize>)>,
}

impl Parts {
    /// The first error, looking inside ONBUILD too.
    pub fn first_error(&self) -> Option<(String, Range<usize>)> {
        self.error
            .clone()
            .or_else(|| self.onbuild.as_ref().and_then(|c| c.first_error()))
    }

    /// BuildKit's `canContainHeredoc`: RUN, COPY and ADD in shell form, also under ONBUILD.
    pub fn can_contain_heredoc(&self) -> bool {
        let target = match (&self.keyword, &self.onbuild) {
            (Keyword::Onbuild, Some(child)) => child.as_ref(),
            _ => self,
        };
        matches!(target.keyword, Keyword::Run | Keyword::Copy | Keyword::Add) && !target.json
    }
}

/// Parses the instruction in `text[range]` (a logical line, or the rest of an ONBUILD line).
pub(crate) fn parse_parts(text: &str, range: Range<usize>, escape: char) -> Parts {
    let trimmed = trim_space(text, range);
    let (keyword_range, after) = split_ascii_ws_once(text, trimmed.clone());
    let (flags, rest) = match after {
        Some(after) => {
            let (flags, rest_start) = extract_flags(text, after.clone());
            (flags, trim_space(text, rest_start..after.end))
        }
        None => (Vec::new(), trimmed.end..trimmed.end),
    };
    let keyword = Keyword::from_lowercase(&text[keyword_range.clone()].to_ascii_lowercase());
    let mut parts = Parts {
        keyword,
        keyword_range,
        flags,
        rest: rest.clone(),
        args: Vec::new(),
        values: Vec::new(),
        json: false,
        onbuild: None,
        error: None,
    };
    let piece = |r: &Range<usize>| text[r.clone()].to_string();
    match keyword {
        Keyword::Add | Keyword::Copy | Keyword::Volume => match json_array(text, rest.clone()) {
            JsonArgs::Strings(strings) => parts.set_json(strings),
            JsonArgs::NotStrings => parts.not_strings(),
            JsonArgs::NotJson => parts.set_split(text, rest),
        },
        Keyword::Cmd | Keyword::Entrypoint | Keyword::Run | Keyword::Shell => {
            parts.maybe_json(text, rest)
        }
        Keyword::Expose | Keyword::From => parts.set_split(text, rest),
        Keyword::Arg => {
            for word in parse_words(text, rest, escape) {
                parts.values.push(piece(&word));
                parts.args.push((word.clone(), piece(&word)));
            }
        }
        Keyword::Env | Keyword::Label => parts.name_val(text, rest, escape),
        Keyword::Healthcheck => parts.healthcheck(text, rest),
        Keyword::Maintainer | Keyword::StopSignal | Keyword::User | Keyword::Workdir => {
            if !rest.is_empty() {
                parts.values.push(piece(&rest));
                parts.args.push((rest.clone(), piece(&rest)));
            }
        }
        Keyword::Onbuild => {
            if !rest.is_empty() {
                parts.onbuild = Some(Box::new(parse_parts(text, rest, escape)));
            }
        }
        Keyword::Unknown => {
            // BuildKit keeps unknown instructions with one empty value.
            parts.values.push(String::new());
            for word in parse_words(text, rest, escape) {
                parts.args.push((word.clone(), piece(&word)));
            }
        }
    }
    parts
}

impl Parts {
    fn set_json(&mut self, strings: Vec<(Range<usize>, String)>) {
        self.json = true;
        self.values = strings.iter().map(|(_, v)| v.clone()).collect();
        self.args = strings;
    }

    fn not_strings(&mut self) {
        self.error = Some((
            "when using JSON array syntax, arrays must be comprised of strings only".into(),
            self.rest.clone(),
        ));
    }

    /// `parseStringsWhitespaceDelimited`.
    fn set_split(&mut self, text: &str, rest: Range<usize>) {
        if rest.is_empty() {
            return;
        }
        for piece in split_ascii_ws(text, rest) {
            self.values.push(text[piece.clone()].to_string());
            self.args.push((piece.clone(), text[piece].to_string()));
        }
    }

    /// `parseMaybeJSON`: a JSON array, else the whole rest as one value. A shell-form command
    /// is one argument, as in BuildKit; the shell layer splits it into commands and words.
    fn maybe_json(&mut self, text: &str, rest: Range<usize>) {
        if rest.is_empty() {
            return;
        }
        match json_array(text, rest.clone()) {
            JsonArgs::Strings(strings) => self.set_json(strings),
            JsonArgs::NotStrings => self.not_strings(),
            JsonArgs::NotJson => {
                let command = text[rest.clone()].to_string();
                self.values.push(command.clone());
                self.args.push((rest, command));
            }
        }
    }

    /// `parseNameVal` for ENV and LABEL: `KEY value` (legacy) or `KEY=value …`.
    fn name_val(&mut self, text: &str, rest: Range<usize>, escape: char) {
        let words = parse_words(text, rest.clone(), escape);
        let Some(first) = words.first() else {
            return;
        };
        let name = if self.keyword == Keyword::Env {
            "ENV"
        } else {
            "LABEL"
        };
        if !text[first.clone()].contains('=') {
            let (key, value) = split_ascii_ws_once(text, rest.clone());
            match value {
                Some(value) => {
                    self.values.push(text[key.clone()].to_string());
                    self.values.push(text[value.clone()].to_string());
                    self.values.push(String::new());
                    self.args.push((key.clone(), text[key].to_string()));
                    self.args.push((value.clone(), text[value].to_string()));
                }
                None => {
                    self.error = Some((format!("{name} must have two arguments"), rest));
                    self.args.push((key.clone(), text[key].to_string()));
                }
            }
            return;
        }
        for word in words {
            let raw = &text[word.clone()];
            self.args.push((word.clone(), raw.to_string()));
            match raw.split_once('=') {
                Some((key, value)) => {
                    self.values.push(key.to_string());
                    self.values.push(value.to_string());
                    self.values.push("=".into());
                }
                None if self.error.is_none() => {
                    self.error = Some((
                        format!(
                            "Syntax error - can't find = in {}. Must be of the form: name=value",
                            super::go_quote(raw)
                        ),
                        word,
                    ));
                }
                None => {}
            }
        }
    }

    /// `parseHealthConfig`: a type word (`CMD`, `NONE`) then `parseMaybeJSON` of the rest.
    fn healthcheck(&mut self, text: &str, rest: Range<usize>) {
        let bytes = text.as_bytes();
        let is_space =
            |b: u8| matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' | 0x85 | 0xA0);
        let mut sep = rest.start;
        while sep < rest.end && !is_space(bytes[sep]) {
            sep += 1;
        }
        let mut next = sep;
        while next < rest.end && is_space(bytes[next]) {
            next += 1;
        }
        if sep == rest.start {
            return;
        }
        // Go splits at a 0x85/0xA0 byte even inside a character: the word takes the rest of
        // the character, so that it stays a valid slice.
        while !text.is_char_boundary(sep) {
            sep += 1;
        }
        next = next.max(sep);
        while !text.is_char_boundary(next) {
            next += 1;
        }
        let kind = rest.start..sep;
        self.values.push(text[kind.clone()].to_string());
        self.args.push((kind.clone(), text[kind].to_string()));
        let mut command = Parts {
            keyword: Keyword::Cmd,
            keyword_range: 0..0,
            flags: Vec::new(),
            rest: next..rest.end,
            args: Vec::new(),
            values: Vec::new(),
            json: false,
            onbuild: None,
            error: None,
        };
        command.maybe_json(text, next..rest.end);
        self.values.extend(command.values);
        self.args.extend(command.args);
        self.json = command.json;
        self.error = command.error;
    }
}

/// A flag with file spans. The name is what follows `--` up to `=`; the value follows `=`.
pub(crate) fn flag_from_raw(raw: RawFlag, line: &LogicalLine) -> Flag {
    let buildkit: String = raw.bytes.iter().map(|&b| b as char).collect();
    let processed = String::from_utf8_lossy(&raw.bytes).into_owned();
    let body = processed.strip_prefix("--").unwrap_or(&processed);
    let (name, value) = match body.split_once('=') {
        Some((n, v)) => (n.to_string(), Some(v.to_string())),
        None => (body.to_string(), None),
    };
    let written = &line.text[raw.range.clone()];
    let name_start = raw.range.start + 2.min(written.len());
    let (name_end, value_range) = match written.find('=') {
        Some(eq) => (
            raw.range.start + eq,
            Some(raw.range.start + eq + 1..raw.range.end),
        ),
        None => (raw.range.end, None),
    };
    let span = line.span(raw.range.clone());
    // An empty name or value sits inside the flag: `--mount=` before a line continuation
    // must not point past the `\` to the next line.
    let inside = |range: std::ops::Range<usize>| {
        let mapped = line.span(range);
        if mapped.start >= span.start && mapped.end <= span.end {
            mapped
        } else {
            span.end..span.end
        }
    };
    Flag {
        name,
        name_span: inside(name_start..name_end.max(name_start)),
        value,
        value_span: value_range.map(inside),
        buildkit,
        span,
    }
}
