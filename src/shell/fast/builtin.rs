//! Commands tree-sitter gives their own node: declarations (`export`, `local`, `declare`,
//! `typeset`, `readonly`, `unset`, `unsetenv`) and test commands (`[ … ]`, `[[ … ]]`). Their
//! words are what [`super::walk`] makes of them: a declaration's assignments are words of the
//! command (not assignments), and a test command's argv is its expression, brackets included.

use super::{name_chars, GiveUp, Parser, Scanned, Step, KEYWORDS};
use crate::shell::quote::Piece;
use crate::shell::{Command, Word};

const DECLARATIONS: &[&str] = &[
    "export", "local", "declare", "typeset", "readonly", "unset", "unsetenv",
];

/// The binary operators of a test expression spelled like options.
const COMPARISONS: &[&str] = &[
    "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef",
];

/// What a test expression takes next.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A term: `!`, a unary operator or an operand.
    Term,
    /// The operand of a unary operator (`-f x`).
    Operand,
    /// After an operand: a binary operator, a joiner (`-a`, `&&` …) or the end.
    BinaryOrJoiner,
    /// The right side of a binary operator.
    Right,
    /// After a whole term: a joiner or the end.
    Joiner,
}

impl Parser<'_, '_, '_> {
    /// A declaration or a test command at the cursor (the first word of a command with no
    /// assignments): parses it and returns whether it has redirections; `None` when the
    /// command is something else.
    pub(super) fn builtin(&mut self, flags: u8) -> Step<Option<bool>> {
        let rest = &self.b[self.i..];
        let keyword = rest
            .iter()
            .take_while(|c| !matches!(c, b' ' | b'\t' | b'\n' | b';'))
            .count();
        let ends = matches!(rest.get(keyword), None | Some(b' ' | b'\t' | b'\n' | b';'));
        if !ends {
            return Ok(None);
        }
        match &self.src[self.i..self.i + keyword] {
            "[" | "[[" => self.test_command(flags).map(Some),
            name if DECLARATIONS.contains(&name) => self.declaration(flags).map(Some),
            _ => Ok(None),
        }
    }

    /// `export A=1 B="$x" C`: every word (the keyword too) is a word of the command.
    fn declaration(&mut self, flags: u8) -> Step<bool> {
        let keyword = self.word(flags)?;
        let unset = matches!(&self.src[keyword.range.clone()], "unset" | "unsetenv");
        let mut words = vec![keyword];
        let mut redirected = false;
        loop {
            self.skip(false)?;
            if self.statement_ends()? {
                break;
            }
            if self.redirect_start() {
                if words.len() == 1 || words.last().is_some_and(|w| self.is(w, "-")) {
                    return Err(GiveUp);
                }
                self.redirects(flags)?;
                if self.heredoc.is_some() {
                    return Err(GiveUp); // `export A <<EOF`
                }
                redirected = true;
                continue;
            }
            let assignment = !unset && self.assignment_ahead();
            if assignment && self.b[self.i..].starts_with(b"_=") {
                return Err(GiveUp); // tree-sitter's `$_`
            }
            let word = self.word(flags)?;
            // `export a[1]=x`, `export b?c`: subscripts and globs tree-sitter cuts its own way.
            if word.brackets || word.glob || KEYWORDS.contains(&&self.src[word.range.clone()]) {
                return Err(GiveUp);
            }
            if assignment {
                self.assignment_quirks(&word)?;
                // `export A=|b`: an empty value before an operator is an error to tree-sitter.
                let empty = self.b[word.range.end - 1] == b'=';
                if empty && !matches!(self.peek(), None | Some(b' ' | b'\t' | b';' | b'\n')) {
                    return Err(GiveUp);
                }
            } else if self.odd_after_name(&word) {
                return Err(GiveUp);
            }
            // `export A=1 - B=2`, `export - A=1`: tree-sitter drops a `-` next to an
            // assignment.
            if self.is(&word, "-") {
                return Err(GiveUp);
            }
            words.push(word);
        }
        self.push_builtin(&words, flags);
        Ok(redirected)
    }

    /// `[ -f x ]`, `[[ $a == b && -d c ]]`: the argv is the brackets and every token between
    /// them, operators included. Only expressions tree-sitter reads without error are taken:
    /// terms (`x`, `! term`, `-f x`, `x = y`, `x -eq y`) joined by `-a`/`-o` (`&&`/`||` in
    /// `[[ … ]]`).
    fn test_command(&mut self, flags: u8) -> Step<bool> {
        let double = self.b[self.i..].starts_with(b"[[");
        let close: &[u8] = if double { b"]]" } else { b"]" };
        let start = self.i;
        self.i += close.len();
        let mut words = vec![self.literal(start, close.len())];
        let mut expect = Expect::Term;
        loop {
            self.skip(false)?;
            let rest = &self.b[self.i..];
            let token_end = |len: usize| {
                matches!(
                    rest.get(len),
                    None | Some(b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b')')
                )
            };
            if rest.starts_with(close) && token_end(close.len()) {
                let empty = words.len() == 1;
                if !(matches!(expect, Expect::Joiner | Expect::BinaryOrJoiner) || empty) {
                    return Err(GiveUp);
                }
                words.push(self.literal(self.i, close.len()));
                break;
            }
            // `&&`, `||`, `!` and the comparisons are tokens the word scanner does not take.
            let operator = match rest {
                [b'&', b'&', ..] | [b'|', b'|', ..] if double => 2,
                [b'=' | b'!', b'=', ..] => 2,
                [b'!' | b'=', ..] => 1,
                _ => 0,
            };
            if operator > 0 {
                if !matches!(rest.get(operator), Some(b' ' | b'\t')) {
                    return Err(GiveUp);
                }
                expect = match (expect, rest[0]) {
                    (Expect::Term, b'!') if operator == 1 => Expect::Term,
                    (Expect::Joiner | Expect::BinaryOrJoiner, b'&' | b'|') => Expect::Term,
                    (Expect::BinaryOrJoiner, b'=') | (Expect::BinaryOrJoiner, b'!')
                        if operator == 2 || rest[0] == b'=' =>
                    {
                        Expect::Right
                    }
                    _ => return Err(GiveUp),
                };
                words.push(self.literal(self.i, operator));
                continue;
            }
            match self.peek() {
                None | Some(b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>' | b'`') => {
                    return Err(GiveUp)
                }
                _ => {}
            }
            // `[ a=b ]` is an error to tree-sitter.
            if !double && self.assignment_ahead() {
                return Err(GiveUp);
            }
            let word = self.word(flags)?;
            let text = &self.src[word.range.clone()];
            let pieces = &self.pieces[word.pieces.clone()];
            let dash_operator = text.len() > 1
                && text.starts_with('-')
                && text[1..].bytes().all(|c| c.is_ascii_alphabetic());
            // `[ -n"$x" ]`: tree-sitter cuts other words starting with `-` after the `-`.
            let dash = text.starts_with('-') && !dash_operator;
            // `[[ $a == *"x"* ]]` is three words to tree-sitter.
            let pattern = double && expect == Expect::Right && pieces.len() > 1;
            // `[ then ]`: tree-sitter reads reserved words as keywords there, and `~x`, `+x`,
            // `a%b`, `a?b` … as arithmetic.
            let keyword = KEYWORDS.contains(&text);
            // `-d /$v` is `-d / $v` to tree-sitter.
            let arithmetic = text.starts_with(['*', '+', '^', '~'])
                || text.contains(['%', '?', '@'])
                || (pieces.len() > 1
                    && text
                        .bytes()
                        .next()
                        .is_some_and(|c| !(c.is_ascii_alphanumeric() || b"_\"'$".contains(&c))));
            // `[ $a=$b-c ]`: an error to tree-sitter.
            let equals = pieces.len() > 1 && text.contains('=');
            if dash || pattern || keyword || arithmetic || equals || word.brackets {
                return Err(GiveUp);
            }
            expect = match expect {
                Expect::Term if dash_operator => Expect::Operand,
                Expect::Term => Expect::BinaryOrJoiner,
                Expect::Operand | Expect::Right if !dash_operator => Expect::Joiner,
                Expect::Joiner | Expect::BinaryOrJoiner
                    if !double && (text == "-a" || text == "-o") =>
                {
                    Expect::Term
                }
                Expect::BinaryOrJoiner if COMPARISONS.contains(&text) => Expect::Right,
                _ => return Err(GiveUp),
            };
            words.push(self.make_word(&word));
        }
        let end = self.i;
        self.skip(false)?;
        if !self.statement_ends()? {
            return Err(GiveUp); // a redirection or more words after the `]`
        }
        let command = Command {
            words,
            assignments: Vec::new(),
            span: self.job.map.span_to_file(start..end),
            context: self.context(flags),
        };
        self.commands.push(command);
        self.levels.push(self.level);
        Ok(false)
    }

    /// The `len` bytes of operator or bracket at `start` as a word; moves the cursor past it.
    fn literal(&mut self, start: usize, len: usize) -> Word {
        let end = start + len;
        self.i = end;
        Word::plain(&self.src[start..end], self.job.map.span_to_file(start..end))
    }

    fn push_builtin(&mut self, words: &[Scanned], flags: u8) {
        let (Some(first), Some(last)) = (words.first(), words.last()) else {
            return;
        };
        let span = self.job.map.span_to_file(first.range.start..last.range.end);
        let command = Command {
            words: words.iter().map(|w| self.make_word(w)).collect(),
            assignments: Vec::new(),
            span,
            context: self.context(flags),
        };
        self.commands.push(command);
        self.levels.push(self.level);
    }

    fn is(&self, word: &Scanned, text: &str) -> bool {
        &self.src[word.range.clone()] == text
    }

    /// A name followed by a character tree-sitter does not take as part of a word there:
    /// `b@c`, `b%c`, `b:c` (it reads a variable name, then fails).
    pub(super) fn odd_after_name(&self, word: &Scanned) -> bool {
        let raw = &self.b[word.range.clone()];
        let identifier = name_chars(raw);
        identifier > 0
            && raw
                .get(identifier)
                .is_some_and(|c| !b"./-+,~^!\"'$\\".contains(c))
    }

    /// Assignment values tree-sitter cuts differently from sh.
    pub(super) fn assignment_quirks(&self, assignment: &Scanned) -> Step {
        // `A=$x/b-$y-c`: tree-sitter cuts some values with two expansions, when a `$x` or
        // `${x}` comes before the last piece (substitutions are fine: `A=$(a)$(b)`).
        let pieces = &self.pieces[assignment.pieces.clone()];
        let expansions = pieces
            .iter()
            .filter(|p| matches!(p, Piece::Dynamic(..)))
            .count();
        let inner_variable = pieces.iter().rev().skip(1).any(|p| match *p {
            Piece::Dynamic(start, _) => {
                self.b[start] != b'`' && self.b.get(start + 1) != Some(&b'(')
            }
            _ => false,
        });
        if expansions > 1 && inner_variable {
            return Err(GiveUp);
        }
        // `A=://x-$y`: tree-sitter cuts some values that start oddly.
        let name_end = self.src[assignment.range.clone()].find('=').unwrap_or(0);
        let value_start = self.b.get(assignment.range.start + name_end + 1);
        if value_start.is_some_and(|c| !(c.is_ascii_alphanumeric() || b"_/$\"'.-`".contains(c)))
            && assignment.range.end > assignment.range.start + name_end + 1
        {
            return Err(GiveUp);
        }
        Ok(())
    }
}
