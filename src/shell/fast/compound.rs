//! Compound commands: `if`, `while`/`until`, `for`, `case`, `{ …; }`, `!` and function
//! definitions with a `{ …; }` body, with the flags
//! the tree-sitter walk gives their parts (`in_condition` for every statement of an `if`,
//! `elif`, `while` or `until` condition).

use super::{is_metachar, name_len, GiveUp, Parser, Step, Until, KEYWORDS, MAX_DEPTH};
use crate::shell::walk::{CONDITION, NEGATED};

/// The reserved words this parser knows, recognised only where a command name may start.
const RESERVED: &[&str] = &[
    "if", "then", "elif", "else", "fi", "while", "until", "do", "done", "for", "in", "case",
    "esac", "{", "}", "!",
];

const THEN_BODY_ENDS: &[&str] = &["elif", "else", "fi"];

impl Parser<'_, '_, '_> {
    /// The reserved word at the cursor, when the word there is one (it is followed by a blank,
    /// a newline, `;`, `&`, `|`, `)` or the end of the text).
    pub(super) fn reserved_word(&self) -> Option<&'static str> {
        let rest = &self.b[self.i..];
        if !rest.first().is_some_and(|c| b"itefwudc{}!".contains(c)) {
            return None;
        }
        RESERVED.iter().copied().find(|word| {
            rest.starts_with(word.as_bytes())
                && match rest.get(word.len()) {
                    None | Some(b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b')') => true,
                    Some(b'`') => self.backtick,
                    _ => false,
                }
        })
    }

    /// A compound command at the cursor, with its redirections; `None` when there is none
    /// (the cursor has not moved), else whether it has redirections.
    pub(super) fn compound(&mut self, flags: u8) -> Step<Option<bool>> {
        let Some(word) = self.reserved_word() else {
            return Ok(None);
        };
        // Openers need a blank or a newline after them (`if;` goes to tree-sitter).
        if !matches!(self.b.get(self.i + word.len()), Some(b' ' | b'\t' | b'\n')) {
            return Err(GiveUp);
        }
        if self.depth >= MAX_DEPTH {
            return Err(GiveUp);
        }
        self.depth += 1;
        self.i += word.len();
        match word {
            // `a | ! b`: `!` only starts a pipeline.
            "!" => return Err(GiveUp),
            "if" => self.if_rest(flags)?,
            // tree-sitter reads `until` as a while_statement: its condition is one too.
            "while" | "until" => {
                self.body(flags | CONDITION, &["do"])?;
                self.do_group(flags)?;
            }
            "for" => self.for_rest(flags)?,
            "case" => self.case_rest(flags)?,
            "{" => {
                self.body(flags, &["}"])?;
                self.i += 1;
            }
            // `then`, `fi`, `in` … where a command should start.
            _ => return Err(GiveUp),
        }
        self.depth -= 1;
        self.compound_end(flags).map(Some)
    }

    /// `NAME() { …; }`: the body's commands are walked in place (the definition itself is
    /// no command). Returns false, the cursor unmoved, when there is no definition here.
    pub(super) fn function_definition(&mut self, flags: u8) -> Step<bool> {
        let Some((name, header)) = self.function_header() else {
            return Ok(false);
        };
        // `if() …`, `! f() …`: errors to tree-sitter.
        if KEYWORDS.contains(&&self.src[self.i..self.i + name]) || flags & NEGATED != 0 {
            return Err(GiveUp);
        }
        self.i += header;
        self.skip(true)?;
        // Other bodies (`f() ( … )`, `f() if …`) and redirections (tree-sitter takes one
        // into the definition, and hangs the others on it) go to tree-sitter.
        if self.reserved_word() != Some("{") || self.compound(flags)? != Some(false) {
            return Err(GiveUp);
        }
        Ok(true)
    }

    /// `NAME()` or `NAME ()` at the cursor: the length of the name and of the whole header.
    pub(super) fn function_header(&self) -> Option<(usize, usize)> {
        let rest = &self.b[self.i..];
        let name = name_len(rest);
        let blanks = rest[name..]
            .iter()
            .take_while(|c| matches!(c, b' ' | b'\t'))
            .count();
        (name > 0 && rest[name + blanks..].starts_with(b"()")).then_some((name, name + blanks + 2))
    }

    /// After a compound command or a subshell: its redirections, then the end of the
    /// statement. Returns whether there were redirections.
    pub(super) fn compound_end(&mut self, flags: u8) -> Step<bool> {
        self.skip(false)?;
        let redirected = self.redirect_start();
        if redirected {
            self.redirects(flags)?;
            if self.heredoc.is_some() {
                return Err(GiveUp); // `{ a; } <<EOF`
            }
        }
        match self.peek() {
            None | Some(b';' | b'\n' | b'&' | b'|' | b')') => Ok(redirected),
            Some(b'`') if self.backtick => Ok(redirected),
            _ => Err(GiveUp),
        }
    }

    /// Statements up to one of `ends` (left at the cursor); an empty body goes to tree-sitter,
    /// which accepts some that sh rejects (`if a; then fi`).
    fn body(&mut self, flags: u8, ends: &'static [&'static str]) -> Step {
        if self.statements(flags, Until::Words(ends))? == 0 {
            return Err(GiveUp);
        }
        Ok(())
    }

    /// The `!` that starts a pipeline, and the blanks after it.
    pub(super) fn negation(&mut self) -> Step {
        if !matches!(self.b.get(self.i + 1), Some(b' ' | b'\t')) {
            return Err(GiveUp);
        }
        self.i += 1;
        self.skip(false)?;
        // `! ! a`, `! { a; }`, `! if …`: compound commands under `!` go to tree-sitter.
        if self.reserved_word().is_some() || matches!(self.peek(), None | Some(b'\n' | b'!')) {
            return Err(GiveUp);
        }
        Ok(())
    }

    /// After `if`: the condition, `then` and its body, `elif`s, `else`, `fi`.
    fn if_rest(&mut self, flags: u8) -> Step {
        self.body(flags | CONDITION, &["then"])?;
        self.i += "then".len();
        self.body(flags, THEN_BODY_ENDS)?;
        loop {
            match self.reserved_word() {
                Some("elif") => {
                    self.i += "elif".len();
                    self.body(flags | CONDITION, &["then"])?;
                    self.i += "then".len();
                    self.body(flags, THEN_BODY_ENDS)?;
                }
                Some("else") => {
                    self.i += "else".len();
                    self.body(flags, &["fi"])?;
                }
                _ => {
                    // `fi` (the body stopped at one of its end words).
                    self.i += "fi".len();
                    return Ok(());
                }
            }
        }
    }

    /// `do …; done`, the cursor on `do`.
    fn do_group(&mut self, flags: u8) -> Step {
        self.i += "do".len();
        self.body(flags, &["done"])?;
        self.i += "done".len();
        Ok(())
    }

    /// After `for`: `NAME [in WORDS]; do …; done`. The words are only walked for their
    /// substitutions, as any argument is.
    fn for_rest(&mut self, flags: u8) -> Step {
        self.skip(false)?;
        let name = name_len(&self.b[self.i..]);
        if name == 0 {
            return Err(GiveUp);
        }
        self.i += name;
        if !matches!(self.peek(), Some(b' ' | b'\t' | b';' | b'\n')) {
            return Err(GiveUp);
        }
        self.skip(false)?;
        if self.reserved_word() == Some("in") {
            self.i += "in".len();
            // `for x in;` and `for x in<newline>` go to tree-sitter.
            if !matches!(self.peek(), Some(b' ' | b'\t')) {
                return Err(GiveUp);
            }
            self.skip(false)?;
            let mut words = 0;
            while !matches!(self.peek(), Some(b';' | b'\n') | None) {
                self.word(flags)?;
                words += 1;
                self.skip(false)?;
            }
            if words == 0 {
                return Err(GiveUp);
            }
        }
        // `for x do …; done` loops over the positional parameters (tree-sitter-bash misreads
        // it).
        else if self.reserved_word() == Some("do") {
            return self.do_group(flags);
        }
        if !matches!(self.peek(), Some(b';' | b'\n')) {
            return Err(GiveUp);
        }
        self.i += 1;
        self.skip(true)?;
        if self.reserved_word() != Some("do") {
            return Err(GiveUp);
        }
        self.do_group(flags)
    }

    /// After `case`: `WORD in`, then items `[(]PATTERN[|PATTERN…]) statements ;;` up to
    /// `esac`. Patterns are words (walked for substitutions); item bodies are statements.
    fn case_rest(&mut self, flags: u8) -> Step {
        self.skip(false)?;
        if self.reserved_word().is_some() {
            return Err(GiveUp);
        }
        self.word(flags)?;
        if !matches!(self.peek(), Some(b' ' | b'\t')) {
            return Err(GiveUp);
        }
        self.skip(false)?;
        if self.reserved_word() != Some("in") {
            return Err(GiveUp);
        }
        self.i += "in".len();
        loop {
            self.skip(true)?;
            if self.reserved_word() == Some("esac") {
                self.i += "esac".len();
                self.case_ends += 1;
                // `esac|x`, `$(case …esac)|x`: tree-sitter reads a pattern `esac|x`.
                if self.peek() == Some(b'|')
                    || (self.peek() == Some(b')') && self.at(1) == Some(b'|'))
                {
                    return Err(GiveUp);
                }
                return Ok(());
            }
            self.case_patterns(flags)?;
            let (body_start, ends_before) = (self.i, self.case_ends);
            self.statements(flags, Until::CaseItem)?;
            // `a) b esac; esac`, `a) b >f esac""; esac`: tree-sitter ends the case at an
            // `esac` argument. Only the `esac`s of nested cases may be in the body.
            if esac_words(&self.b[body_start..self.i]) != self.case_ends - ends_before {
                return Err(GiveUp);
            }
            let rest = &self.b[self.i..];
            let fallthrough = if rest.starts_with(b";;&") {
                3
            } else if rest.starts_with(b";&") {
                2
            } else {
                0
            };
            if fallthrough > 0 {
                self.i += fallthrough;
                self.skip(true)?;
                // tree-sitter reads an error in `;&` or `;;&` right before `esac`.
                if self.reserved_word() == Some("esac") {
                    return Err(GiveUp);
                }
            } else if rest.starts_with(b";;") {
                self.i += 2;
            } else if self.reserved_word() != Some("esac") {
                return Err(GiveUp);
            }
        }
    }

    /// `[(]PATTERN[|PATTERN…])`.
    fn case_patterns(&mut self, flags: u8) -> Step {
        if self.peek() == Some(b'(') {
            self.i += 1;
            self.skip(false)?;
        }
        loop {
            // tree-sitter scans some patterns as one glob blob (`ac'}'` even fails, `a/})`
            // differs): leave patterns of several pieces, with brackets or braces, and
            // substitutions, to it.
            let pattern = self.word(flags)?;
            if !pattern.commands.is_empty() || pattern.pieces.len() > 1 || pattern.brackets {
                return Err(GiveUp);
            }
            self.skip(false)?;
            match self.peek() {
                Some(b'|') => {
                    self.i += 1;
                    self.skip(false)?;
                }
                Some(b')') => {
                    self.i += 1;
                    // `*)echo`, `a|*)b`: tree-sitter reads an extglob there.
                    if !matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b';')) {
                        return Err(GiveUp);
                    }
                    return Ok(());
                }
                _ => return Err(GiveUp),
            }
        }
    }
}

/// How many words in `text` start with `esac` not followed by a name character (`esac`,
/// `esac""`, `esac$x`, not `esacs` or `"esac"`).
fn esac_words(text: &[u8]) -> usize {
    let mut count = 0;
    let mut from = 0;
    while let Some(at) = text[from..].windows(4).position(|w| w == b"esac") {
        let start = from + at;
        let word_start = start == 0 || is_metachar(text[start - 1]);
        let name_after = text
            .get(start + 4)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
        if word_start && !name_after {
            count += 1;
        }
        from = start + 4;
    }
    count
}
