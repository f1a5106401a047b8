//! Words: unquoted runs, quotes, `$NAME`, `${…}` and `$( … )`, as pieces for the unquoter.

use super::{is_metachar, GiveUp, Parser, Scanned, Step, Until, MAX_DEPTH};
use crate::shell::quote::Piece;
use crate::shell::walk::substitution;

/// Binary operators of `$(( … ))`, longest first.
const ARITHMETIC_OPERATORS: [&[u8]; 33] = [
    b"<<=", b">>=", b"**", b"<<", b">>", b"<=", b">=", b"==", b"!=", b"&&", b"||", b"+=", b"-=",
    b"*=", b"/=", b"%=", b"&=", b"^=", b"|=", b"+", b"-", b"*", b"/", b"%", b"<", b">", b"=", b"&",
    b"|", b"^", b"?", b":", b",",
];

impl Parser<'_, '_, '_> {
    /// One word at the cursor (which is on a word character).
    pub(super) fn word(&mut self, flags: u8) -> Step<Scanned> {
        let start = self.i;
        // Only this word: words in its substitutions are not arguments of this command.
        let argument = std::mem::take(&mut self.argument);
        let first_piece = self.pieces.len();
        let first_command = self.commands.len();
        // Start of the current unquoted run, if any.
        let mut bare: Option<usize> = None;
        let mut glob = false;
        let mut brackets = false;
        while let Some(c) = self.peek() {
            match c {
                // `-omit2>x`: tree-sitter reads the `2` as a file descriptor.
                b'<' | b'>' if self.i > start && self.b[self.i - 1].is_ascii_digit() => {
                    return Err(GiveUp)
                }
                _ if is_metachar(c) => break,
                b'`' if self.backtick => break,
                0 => return Err(GiveUp),
                // `{1..3}` is a brace expression to tree-sitter.
                b'{' if self.at(1).is_some_and(|c| c.is_ascii_digit()) => return Err(GiveUp),
                // Plain characters in an argument (`a[b]`, `{}`), but not in a command name.
                b'{' | b'}' | b'[' | b']' => {
                    brackets = true;
                    bare.get_or_insert(self.i);
                    self.i += 1;
                }
                b'\\' => match self.at(1) {
                    // `a\<newline>b`: tree-sitter joins some of these and not others.
                    None | Some(b'\n' | b'\t' | b'\r' | 0x0b | 0x0c) => return Err(GiveUp),
                    // `x\ ` after an expansion is a blank to tree-sitter; `\x` at the start of
                    // a word after a newline joins the lines.
                    Some(b' ') => return Err(GiveUp),
                    Some(_) if self.i == start && !argument => return Err(GiveUp),
                    Some(_) if self.pieces.len() > first_piece && bare.is_none() => {
                        return Err(GiveUp); // `$A\B`: tree-sitter starts a new word at `\`
                    }
                    Some(_) => {
                        bare.get_or_insert(self.i);
                        self.i += 1;
                        self.i += self.src[self.i..].chars().next().map_or(1, char::len_utf8);
                    }
                },
                b'\'' | b'"' | b'$' | b'`' => {
                    // `'a b'$x/y`, `'a'?$x`, `"a"b"$x"`, `$(a)b$x`: after a quote or a
                    // substitution tree-sitter may read an expansion as plain text.
                    let after_quote = self.pieces[first_piece..].iter().any(|p| match *p {
                        Piece::Single(..) | Piece::Double(..) => true,
                        Piece::Dynamic(start, _) => {
                            self.b[start] == b'`' || self.b.get(start + 1) == Some(&b'(')
                        }
                        Piece::Bare(..) => false,
                    });
                    // `a$$`, `'a'$$"b"`, `$$$$`: tree-sitter reads `$$` inside a word (taken
                    // here only before a `/`: `/proc/$$/status`), and `$$`, `$#`, `$-` before
                    // another `$`, as plain text.
                    let special = matches!(self.at(1), Some(b'$' | b'#' | b'-'));
                    if c == b'$'
                        && special
                        && (self.at(2) == Some(b'$')
                            || (self.at(1) == Some(b'$')
                                && self.i > start
                                && self.at(2) != Some(b'/')))
                    {
                        return Err(GiveUp);
                    }
                    let inside = self.i > start;
                    if let Some(run) = bare.take() {
                        self.pieces.push(Piece::Bare(run, self.i));
                    }
                    match c {
                        b'\'' => self.single_quoted()?,
                        b'"' => self.double_quoted(flags)?,
                        b'`' => {
                            self.backticks(flags)?;
                            // `A=a`b`c`, `[ a`b`c ]`: tree-sitter starts a new word at the
                            // backtick (which only shows outside a command's arguments).
                            let word_end = self.peek().is_none_or(is_metachar);
                            if inside && !word_end && !argument {
                                return Err(GiveUp);
                            }
                        }
                        _ => self.dollar(flags)?,
                    }
                    let unquoted = matches!(self.pieces.last(), Some(Piece::Dynamic(..)));
                    let dynamic =
                        unquoted || matches!(self.pieces.last(), Some(Piece::Double(_, _, true)));
                    // `a}b$P/`: after a bracket too.
                    if brackets && dynamic {
                        return Err(GiveUp);
                    }
                    // `'a b'$x/y`, `'a'$x?`, `$(a)$x-`: after a quote or a substitution,
                    // tree-sitter may read an unquoted expansion followed by plain text as
                    // plain text (not when a quote, another expansion or the word's end
                    // follows: `'s/a/'"$B"'/'`).
                    let plain_follows = self
                        .peek()
                        .is_some_and(|c| !is_metachar(c) && !matches!(c, b'\'' | b'"' | b'$'));
                    if after_quote && unquoted && plain_follows {
                        return Err(GiveUp);
                    }
                    // `"a"#b`: tree-sitter may read a comment there.
                    if self.peek() == Some(b'#') {
                        return Err(GiveUp);
                    }
                }
                b'#' => return Err(GiveUp), // tree-sitter reads some of these as comments
                b'!' | b'=' if self.i == start && !argument => return Err(GiveUp),
                // `\r`, `\v`, `\f` are word characters to sh (tree-sitter reads blanks).
                c if c < 0x20 && !matches!(c, b'\t' | b'\r' | 0x0b | 0x0c) => return Err(GiveUp),
                _ => {
                    glob |= matches!(c, b'?' | b'*');
                    bare.get_or_insert(self.i);
                    self.i += 1;
                }
            }
        }
        if let Some(run) = bare {
            self.pieces.push(Piece::Bare(run, self.i));
        }
        if self.i == start {
            return Err(GiveUp);
        }
        if brackets && self.b[start..self.i].iter().all(|c| b"[]{}".contains(c)) {
            // `[ ]`, `] [`: tree-sitter reads brackets apart by blanks as one word.
            let next = self.b[self.i..]
                .iter()
                .find(|c| !matches!(c, b' ' | b'\t' | b'\n' | b'\\' | b'\r' | 0x0b | 0x0c));
            if next.is_some_and(|c| b"[]{}#".contains(c)) {
                return Err(GiveUp);
            }
        }
        Ok(Scanned {
            range: start..self.i,
            pieces: first_piece..self.pieces.len(),
            commands: first_command..self.commands.len(),
            glob,
            brackets,
        })
    }

    pub(super) fn single_quoted(&mut self) -> Step {
        let start = self.i;
        let len = self.b[start + 1..]
            .iter()
            .position(|&c| c == b'\'')
            .ok_or(GiveUp)?;
        self.i = start + len + 2;
        self.pieces.push(Piece::Single(start, self.i));
        Ok(())
    }

    pub(super) fn double_quoted(&mut self, flags: u8) -> Step {
        let start = self.i;
        let piece = self.pieces.len();
        let cases = self.case_ends;
        self.i += 1;
        loop {
            match self.peek() {
                None | Some(b'\r' | 0) => return Err(GiveUp),
                // `"$(case x in a) b;; esac)a$(c)"`: an error to tree-sitter.
                Some(b'`' | b'$') if self.case_ends > cases => return Err(GiveUp),
                Some(b'`') => self.backticks(flags)?,
                Some(b'"') => break,
                Some(b'\\') => {
                    if self.at(1).is_none() {
                        return Err(GiveUp);
                    }
                    // Never lands inside a multi-byte char on an ASCII byte: fine.
                    self.i += 2;
                }
                Some(b'$') => self.dollar(flags)?,
                Some(_) => self.i += 1,
            }
        }
        self.i += 1;
        // The expansions inside were pushed as pieces; the string is one piece.
        let dynamic = self.pieces.len() > piece;
        self.pieces.truncate(piece);
        self.pieces.push(Piece::Double(start, self.i, dynamic));
        Ok(())
    }

    /// `` `…` `` at the cursor: the commands inside, as for `$( … )`. Bodies with a `\` or a
    /// `#`, starting with a blank, and substitutions inside one, go to tree-sitter.
    pub(super) fn backticks(&mut self, flags: u8) -> Step {
        let start = self.i;
        let len = self.b[start + 1..]
            .iter()
            .position(|&c| c == b'`')
            .ok_or(GiveUp)?;
        let close = start + 1 + len;
        let pieces = self.pieces.len();
        let body = &self.b[start + 1..close];
        if self.backtick
            || self.depth >= MAX_DEPTH
            || body.iter().any(|c| matches!(c, b'\\' | b'#'))
            // `` `a` | ` b` ``: tree-sitter pairs the backticks in its own way.
            || matches!(body.first(), Some(b' ' | b'\t' | b'\n'))
        {
            return Err(GiveUp);
        }
        // `` `a` `b` ``, `` `a`<newline>`b` ``: tree-sitter reads one substitution `` a` `b ``.
        let blanks = self.b[close + 1..]
            .iter()
            .take_while(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\\'))
            .count();
        if self.b.get(close + 1 + blanks) == Some(&b'`') {
            return Err(GiveUp);
        }
        self.i += 1;
        self.depth += 1;
        self.level += 1;
        self.backtick = true;
        let before = self.commands.len();
        self.statements(substitution(flags), Until::Backtick)?;
        if self.commands.len() == before || self.i != close {
            return Err(GiveUp);
        }
        self.backtick = false;
        self.level -= 1;
        self.depth -= 1;
        self.i += 1;
        self.pieces.truncate(pieces);
        self.pieces.push(Piece::Dynamic(start, self.i));
        Ok(())
    }

    /// `$(( … ))` at the cursor: an arithmetic expansion of names, numbers, operators,
    /// parentheses and `$` expansions (whose substitutions are commands), operands and
    /// operators in turn. Anything else (quotes, `\\`, newlines, `1 in`, which sh rejects
    /// when it expands it) goes to tree-sitter.
    fn arithmetic(&mut self, flags: u8) -> Step {
        self.i += 3;
        let mut open = 0usize;
        let mut operand_next = true;
        loop {
            let c = self.peek().ok_or(GiveUp)?;
            let rest = &self.b[self.i..];
            match c {
                b' ' | b'\t' => self.i += 1,
                b'(' if operand_next => {
                    open += 1;
                    self.i += 1;
                }
                b')' if !operand_next && open > 0 => {
                    open -= 1;
                    self.i += 1;
                }
                b')' if !operand_next && self.at(1) == Some(b')') => {
                    self.i += 2;
                    return Ok(());
                }
                b'$' if operand_next => {
                    self.dollar(flags)?;
                    operand_next = false;
                }
                _ if operand_next && (c.is_ascii_alphanumeric() || c == b'_') => {
                    self.i += rest
                        .iter()
                        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                        .count();
                    operand_next = false;
                }
                // Prefix operators, and postfix `++`/`--`.
                _ if rest.starts_with(b"++") || rest.starts_with(b"--") => self.i += 2,
                b'-' | b'+' | b'!' | b'~' if operand_next => self.i += 1,
                _ if !operand_next => {
                    let op = ARITHMETIC_OPERATORS
                        .iter()
                        .find(|op| rest.starts_with(op))
                        .ok_or(GiveUp)?;
                    self.i += op.len();
                    operand_next = true;
                }
                _ => return Err(GiveUp),
            }
        }
    }

    /// `$NAME`, `$1`, `$?` …, `${…}`, `$( … )` or `$(( … ))` at the cursor.
    pub(super) fn dollar(&mut self, flags: u8) -> Step {
        let start = self.i;
        let pieces = self.pieces.len();
        match self.at(1) {
            Some(b'(') if self.at(2) == Some(b'(') && self.depth < MAX_DEPTH => {
                self.depth += 1;
                self.arithmetic(flags)?;
                self.depth -= 1;
                self.pieces.truncate(pieces);
            }
            Some(b'(') if self.depth < MAX_DEPTH => {
                self.i += 2;
                self.depth += 1;
                self.level += 1;
                let before = self.commands.len();
                self.program(substitution(flags), true)?;
                if self.commands.len() == before {
                    return Err(GiveUp); // `$()`
                }
                self.level -= 1;
                self.depth -= 1;
                self.i += 1; // `)`
                             // The words inside are commands' words now: the substitution is one piece.
                self.pieces.truncate(pieces);
            }
            Some(b'{') => self.braced_expansion(flags)?,
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                self.i += 1;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
                {
                    self.i += 1;
                }
            }
            Some(b'0'..=b'9' | b'@' | b'*' | b'?' | b'!' | b'$' | b'#' | b'-') => self.i += 2,
            _ => return Err(GiveUp),
        }
        self.pieces.push(Piece::Dynamic(start, self.i));
        Ok(())
    }
}
