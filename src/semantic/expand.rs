//! BuildKit's word expansion (`shell.Lex.ProcessWord`): quotes, escapes and `$VAR`,
//! `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`, `${VAR:?msg}`,
//! `${VAR#pattern}`, `${VAR%pattern}` (and their greedy `##`/`%%` forms).
//!
//! A linter does not know every value: an ARG without a default, a variable only the base
//! image defines. Instead of guessing, the expansion leaves a *hole* where such a value goes and
//! keeps the rest, so callers can still read what is certain (the repository of
//! `python:${PY}-slim`) and know that the whole is unresolved.

use super::pattern::trim_pattern;

/// What a variable is, as far as the expansion can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Set, with this value.
    Known(String),
    /// Possibly set, to a value we cannot know.
    Unknown,
    /// Certainly not set (BuildKit expands it to the empty string).
    Unset,
}

/// Where variable values come from.
pub trait Env {
    fn lookup(&self, name: &str) -> Lookup;
}

impl<F: Fn(&str) -> Lookup> Env for F {
    fn lookup(&self, name: &str) -> Lookup {
        self(name)
    }
}

/// The result of expanding one word: the text with holes (zero-width positions in `text`)
/// where unknown values would go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expanded {
    pub text: String,
    /// Byte offsets in `text`, ascending, where an unknown value sits.
    pub holes: Vec<usize>,
}

impl Expanded {
    /// The expanded text when nothing in it is unknown.
    pub fn resolved(&self) -> Option<&str> {
        self.holes.is_empty().then_some(self.text.as_str())
    }

    fn push_char(&mut self, ch: char) {
        self.text.push(ch);
    }

    fn push_str(&mut self, s: &str) {
        self.text.push_str(s);
    }

    fn push_hole(&mut self) {
        self.holes.push(self.text.len());
    }

    fn append(&mut self, other: Expanded) {
        let offset = self.text.len();
        self.holes.extend(other.holes.iter().map(|h| h + offset));
        self.text.push_str(&other.text);
    }
}

/// Why a word could not be expanded at all (BuildKit would fail the build).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpandError(pub String);

/// Deeper nesting of `${…}` than this is left unknown: hostile input must not exhaust the
/// stack.
const MAX_DEPTH: usize = 64;

/// Expands `word` as BuildKit's `ProcessWord` does with escape character `escape`.
pub fn expand(word: &str, escape: char, env: &dyn Env) -> Result<Expanded, ExpandError> {
    let mut lexer = Lexer {
        src: word,
        pos: 0,
        escape,
        env,
        depth: 0,
        skip_quotes: false,
    };
    lexer.process_until(None, false)
}

/// Expands a heredoc body as BuildKit does for `COPY <<EOF` (its `ExpandRaw`): quotes are
/// ordinary characters and the escape character is always `\`.
pub fn expand_raw(body: &str, env: &dyn Env) -> Result<Expanded, ExpandError> {
    let mut lexer = Lexer {
        src: body,
        pos: 0,
        escape: '\\',
        env,
        depth: 0,
        skip_quotes: true,
    };
    lexer.process_until(None, false)
}

/// Expands `word` and returns the text only when it is fully known.
pub fn expand_known(word: &str, escape: char, env: &dyn Env) -> Option<String> {
    expand(word, escape, env)
        .ok()
        .and_then(|e| e.resolved().map(str::to_string))
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    escape: char,
    env: &'a dyn Env,
    /// How many `$…` expansions are open (defaults nest: `${A:-${B:-…}}`).
    depth: usize,
    /// BuildKit's `SkipProcessQuotes`: `'` and `"` are ordinary characters.
    skip_quotes: bool,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let ch = self.peek()?;
        self.pos += ch.len_utf8();
        Some(ch)
    }

    /// `processStopOn`: reads until `stop` (consumed) or the end of the word.
    fn process_until(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Result<Expanded, ExpandError> {
        let mut out = Expanded::default();
        while let Some(ch) = self.peek() {
            if Some(ch) == stop {
                self.next();
                return Ok(out);
            }
            match ch {
                '$' => {
                    let value = self.dollar()?;
                    out.append(value);
                }
                '\'' if !self.skip_quotes => {
                    let value = self.single_quote()?;
                    out.push_str(&value);
                }
                '"' if !self.skip_quotes => {
                    let value = self.double_quote(raw_escapes)?;
                    out.append(value);
                }
                _ => {
                    self.next();
                    if ch == self.escape {
                        if raw_escapes {
                            out.push_char(ch);
                        }
                        match self.next() {
                            Some(escaped) => out.push_char(escaped),
                            None => break,
                        }
                    } else {
                        out.push_char(ch);
                    }
                }
            }
        }
        match stop {
            Some(stop) => Err(ExpandError(format!(
                "unexpected end of statement while looking for matching {stop}"
            ))),
            None => Ok(out),
        }
    }

    /// Everything up to the next `'` is literal; there is no escaping inside.
    fn single_quote(&mut self) -> Result<String, ExpandError> {
        self.next();
        let mut out = String::new();
        loop {
            match self.next() {
                None => {
                    return Err(ExpandError(
                        "unexpected end of statement while looking for matching single-quote"
                            .into(),
                    ))
                }
                Some('\'') => return Ok(out),
                Some(ch) => out.push(ch),
            }
        }
    }

    /// Inside `"…"` only `$` expands, and the escape character escapes `"`, `$` and itself.
    fn double_quote(&mut self, raw_escapes: bool) -> Result<Expanded, ExpandError> {
        self.next();
        let mut out = Expanded::default();
        loop {
            match self.peek() {
                None => {
                    return Err(ExpandError(
                        "unexpected end of statement while looking for matching double-quote"
                            .into(),
                    ))
                }
                Some('"') => {
                    self.next();
                    return Ok(out);
                }
                Some('$') => {
                    let value = self.dollar()?;
                    out.append(value);
                }
                Some(_) => {
                    let mut ch = self.next().unwrap_or_default();
                    if ch == self.escape {
                        if raw_escapes {
                            out.push_char(ch);
                        }
                        match self.peek() {
                            None => continue,
                            Some(next) if next == '"' || next == '$' || next == self.escape => {
                                ch = self.next().unwrap_or(next);
                            }
                            Some(_) => {}
                        }
                    }
                    out.push_char(ch);
                }
            }
        }
    }

    /// `processName`: a run of letters, digits and `_`, or one positional/special parameter.
    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if name.is_empty() && ch.is_ascii_digit() {
                while let Some(d) = self.peek().filter(char::is_ascii_digit) {
                    self.next();
                    name.push(d);
                }
                return name;
            }
            if name.is_empty() && matches!(ch, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.next();
                name.push(ch);
                return name;
            }
            if !ch.is_alphanumeric() && ch != '_' {
                break;
            }
            self.next();
            name.push(ch);
        }
        name
    }

    fn dollar(&mut self) -> Result<Expanded, ExpandError> {
        if self.depth >= MAX_DEPTH {
            return Err(ExpandError("substitutions nested too deeply".into()));
        }
        self.depth += 1;
        let result = self.dollar_inner();
        self.depth -= 1;
        result
    }

    fn dollar_inner(&mut self) -> Result<Expanded, ExpandError> {
        self.next();
        let mut out = Expanded::default();
        if self.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                out.push_char('$');
                return Ok(out);
            }
            match self.env.lookup(&name) {
                Lookup::Known(value) => out.push_str(&value),
                // BuildKit expands an unset variable to nothing; a linter cannot tell a typo
                // from a value the build will pass, so the value stays unknown.
                Lookup::Unknown | Lookup::Unset => out.push_hole(),
            }
            return Ok(out);
        }
        self.next();
        match self.peek() {
            None => return Err(ExpandError("syntax error: missing '}'".into())),
            Some('{' | '}' | ':') => {
                return Err(ExpandError("syntax error: bad substitution".into()))
            }
            Some(_) => {}
        }
        let name = self.name();
        let mut modifier = self.next();
        let mut null_is_unset = false;
        match modifier {
            Some('}') => {
                match self.env.lookup(&name) {
                    Lookup::Known(value) => out.push_str(&value),
                    Lookup::Unknown | Lookup::Unset => out.push_hole(),
                }
                Ok(out)
            }
            Some(':') => {
                null_is_unset = true;
                modifier = self.next();
                self.modifier(&name, modifier, null_is_unset)
            }
            Some('+' | '-' | '?' | '#' | '%') => self.modifier(&name, modifier, null_is_unset),
            Some('/') => {
                // Pattern substitution: parsed so the word ends in the right place, but its
                // result is left unknown rather than approximated.
                if self.peek() == Some('/') {
                    self.next();
                }
                self.process_until(Some('/'), true)
                    .map_err(|_| ExpandError("syntax error: missing '/' in ${}".into()))?;
                self.process_until(Some('}'), true)
                    .map_err(|_| ExpandError("syntax error: missing '}'".into()))?;
                out.push_hole();
                Ok(out)
            }
            // At the end of the word Go's scanner reads EOF, which BuildKit prints as U+FFFD.
            other => Err(ExpandError(format!(
                "unsupported modifier ({}) in substitution",
                other.unwrap_or('\u{FFFD}')
            ))),
        }
    }

    /// The `${name<modifier>word}` forms.
    fn modifier(
        &mut self,
        name: &str,
        modifier: Option<char>,
        null_is_unset: bool,
    ) -> Result<Expanded, ExpandError> {
        // BuildKit names the modifier with its `:` (`unsupported modifier (:i)`).
        let written = || {
            let colon = if null_is_unset { ":" } else { "" };
            format!(
                "unsupported modifier ({colon}{}) in substitution",
                modifier.unwrap_or('\u{FFFD}')
            )
        };
        let Some(modifier) = modifier.filter(|m| matches!(m, '+' | '-' | '?' | '#' | '%')) else {
            // BuildKit still reads the word before it rejects the modifier.
            let _ = self.process_until(Some('}'), false);
            return Err(ExpandError(written()));
        };
        let raw_escapes = modifier == '#' || modifier == '%';
        if raw_escapes && null_is_unset {
            // `${x:#…}` and `${x:%…}`: BuildKit refuses them before reading the word.
            return Err(ExpandError(written()));
        }
        let word = self
            .process_until(Some('}'), raw_escapes)
            .map_err(|e| match self.peek() {
                None => ExpandError("syntax error: missing '}'".into()),
                Some(_) => e,
            })?;
        let value = self.env.lookup(name);
        let mut out = Expanded::default();
        let is_unset = |v: &Lookup| match v {
            Lookup::Unset => Some(true),
            Lookup::Known(s) => Some(null_is_unset && s.is_empty()),
            Lookup::Unknown => None,
        };
        match modifier {
            '-' => match (is_unset(&value), value) {
                (None, _) => out.push_hole(),
                (Some(true), _) => out.append(word),
                (Some(false), Lookup::Known(v)) => out.push_str(&v),
                (Some(false), _) => out.push_hole(),
            },
            '+' => match is_unset(&value) {
                None => out.push_hole(),
                Some(true) => {}
                Some(false) => out.append(word),
            },
            '?' => match (is_unset(&value), value) {
                (Some(true), _) => {
                    let message = if word.text.is_empty() {
                        "is not allowed to be unset or empty".to_string()
                    } else {
                        word.text
                    };
                    return Err(ExpandError(format!("{name}: {message}")));
                }
                (Some(false), Lookup::Known(v)) => out.push_str(&v),
                _ => out.push_hole(),
            },
            _ => {
                let value = match value {
                    Lookup::Known(v) => v,
                    Lookup::Unset => String::new(),
                    Lookup::Unknown => {
                        out.push_hole();
                        return Ok(out);
                    }
                };
                match word
                    .resolved()
                    .and_then(|p| trim_pattern(modifier, p, &value))
                {
                    Some(trimmed) => out.push_str(&trimmed),
                    None => out.push_hole(),
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Lookup {
        match name {
            "PY" => Lookup::Known("3.12".into()),
            "EMPTY" => Lookup::Known(String::new()),
            "PATHLIKE" => Lookup::Known("/usr/local/bin:/usr/bin:/bin".into()),
            "FILE" => Lookup::Known("archive.tar.gz".into()),
            "UNKNOWN" => Lookup::Unknown,
            _ => Lookup::Unset,
        }
    }

    /// (input, expected text with `?` for each hole, or `ERR`)
    const CASES: &[(&str, &str)] = &[
        ("python:${PY}-slim", "python:3.12-slim"),
        ("python:$PY", "python:3.12"),
        ("$PY$PY", "3.123.12"),
        ("${PY:-x}", "3.12"),
        ("${EMPTY:-x}", "x"),
        ("${EMPTY-x}", ""),
        ("${NOPE:-x}", "x"),
        ("${NOPE-x}", "x"),
        ("${PY:+alt}", "alt"),
        ("${EMPTY:+alt}", ""),
        ("${EMPTY+alt}", "alt"),
        ("${NOPE+alt}", ""),
        ("${UNKNOWN:-x}", "?"),
        ("${UNKNOWN:+x}", "?"),
        ("a${UNKNOWN}b", "a?b"),
        ("$NOPE", "?"),
        ("${NOPE:-$PY}", "3.12"),
        ("${NOPE:-${UNKNOWN}}", "?"),
        ("'$PY'", "$PY"),
        ("\"$PY\"", "3.12"),
        ("\"a\\\"b\"", "a\"b"),
        ("\"a\\nb\"", "a\\nb"),
        ("\\$PY", "$PY"),
        ("a\\", "a"),
        ("$", "$"),
        ("$-x", "?x"),
        ("$1", "?"),
        ("cost: $5", "cost: ?"),
        ("${PY:?must be set}", "3.12"),
        ("${NOPE:?must be set}", "ERR"),
        ("${FILE%.*}", "archive.tar"),
        ("${FILE%%.*}", "archive"),
        ("${FILE#*.}", "tar.gz"),
        ("${FILE##*.}", "gz"),
        ("${FILE#nomatch}", "archive.tar.gz"),
        ("${PATHLIKE%%:*}", "/usr/local/bin"),
        ("${FILE#a?c}", "hive.tar.gz"),
        ("${FILE/tar/zip}", "?"),
        ("${PY", "ERR"),
        ("${}", "ERR"),
        ("${:-x}", "ERR"),
        ("${PY:x}", "ERR"),
        ("${PY^}", "ERR"),
        ("'open", "ERR"),
        ("\"open", "ERR"),
        ("ünï${PY}cødé", "ünï3.12cødé"),
    ];

    fn show(result: Result<Expanded, ExpandError>) -> String {
        match result {
            Err(_) => "ERR".into(),
            Ok(e) => {
                let mut out = e.text.clone();
                for hole in e.holes.iter().rev() {
                    out.insert(*hole, '?');
                }
                out
            }
        }
    }

    #[test]
    fn expansion_table() {
        for (input, expected) in CASES {
            assert_eq!(
                show(expand(input, '\\', &env)),
                *expected,
                "input {input:?}"
            );
        }
    }

    #[test]
    fn backtick_escape() {
        assert_eq!(show(expand("a`$PY", '`', &env)), "a$PY");
        assert_eq!(show(expand("a\\$PY", '`', &env)), "a\\3.12");
    }

    #[test]
    fn resolved_only_without_holes() {
        assert_eq!(
            expand_known("python:${PY}", '\\', &env).as_deref(),
            Some("python:3.12")
        );
        assert_eq!(expand_known("python:${UNKNOWN}", '\\', &env), None);
        assert_eq!(expand_known("${PY", '\\', &env), None);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = "${A:-".repeat(100_000) + &"}".repeat(100_000);
        assert!(expand(&deep, '\\', &env).is_err());
        let quoted = "\"${A:-".repeat(50_000);
        assert!(expand(&quoted, '\\', &env).is_err());
        let fine = "${A:-".repeat(10) + "x" + &"}".repeat(10);
        assert_eq!(show(expand(&fine, '\\', &env)), "x");
    }

    #[test]
    fn never_panics_on_garbage() {
        let pieces = [
            "$", "{", "}", ":", "-", "+", "?", "#", "%", "/", "'", "\"", "\\", "`", "é", "PY", "*",
        ];
        // Every pair and triple of the pieces: enough to hit every branch at the end of input.
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let word = format!("{a}{b}{c}");
                    let _ = expand(&word, '\\', &env);
                    let _ = expand(&format!("${{{word}"), '`', &env);
                }
            }
        }
    }
}
