//! `${…}` in the forms tree-sitter reads cleanly.

use super::{name_len, GiveUp, Parser, Step, MAX_DEPTH};

/// Operators after the name, longest first.
const OPERATORS: [&[u8]; 15] = [
    b":-", b":=", b":+", b":?", b"##", b"%%", b"//", b"-", b"=", b"+", b"?", b"#", b"%", b"/", b":",
];

impl Parser<'_, '_, '_> {
    /// `${…}` at the cursor (on the `$`): `NAME`, `#NAME`, `NAME[@]` (`[*]`, `[0]`),
    /// `#NAME[@]`, and `NAME` followed by one operator and: for `:`, digits and `:`; for the
    /// removals (`#` `##` `%` `%%`), a pattern of letters, digits, `_./*+-~:^` and `[…]`; for
    /// `/` and `//`, letters, digits and `_./-*+`; for the defaults (`:-` `-` `:=` `=` `:+`
    /// `+` `:?` `?`), such a word, one `$…` (`$(…)` gives commands), or one quoted string.
    /// Leaves the cursor after the `}`; the caller pushes the expansion as one piece.
    pub(super) fn braced_expansion(&mut self, flags: u8) -> Step {
        if self.depth >= MAX_DEPTH {
            return Err(GiveUp);
        }
        let pieces = self.pieces.len();
        self.i += 2;
        let length = self.peek() == Some(b'#');
        if length {
            self.i += 1;
        }
        let name = name_len(&self.b[self.i..]);
        if name == 0 {
            return Err(GiveUp);
        }
        self.i += name;
        if self.peek() == Some(b'[') {
            let index = self.b[self.i + 1..]
                .iter()
                .take_while(|c| **c != b']' && **c != b'}')
                .count();
            let inner = &self.b[self.i + 1..self.i + 1 + index];
            let plain = matches!(inner, b"@" | b"*")
                || (!inner.is_empty() && inner.iter().all(u8::is_ascii_digit));
            if !plain {
                return Err(GiveUp);
            }
            self.i += index + 2; // `[`, the index, `]`
            return self.close_brace();
        }
        if length {
            return self.close_brace();
        }
        let rest = &self.b[self.i..];
        let Some(op) = OPERATORS.iter().find(|op| rest.starts_with(op)) else {
            return self.close_brace();
        };
        self.i += op.len();
        match *op {
            b":" => self.take_while(|c| c.is_ascii_digit() || *c == b':'),
            b"#" | b"##" | b"%" | b"%%" => {
                // `]` only to close a `[` (`${v%]}` is an error to tree-sitter).
                let mut open = false;
                self.take_while(|c| match c {
                    b'[' if !open => {
                        open = true;
                        true
                    }
                    b']' if open => {
                        open = false;
                        true
                    }
                    _ => word_of(b"_./*+-~:^")(c),
                });
            }
            b"/" | b"//" => self.take_while(word_of(b"_./-*+")),
            _ => match self.peek() {
                Some(b'$') => {
                    self.depth += 1;
                    self.dollar(flags)?;
                    self.depth -= 1;
                }
                Some(b'"') => self.double_quoted(flags)?,
                Some(b'\'') => self.single_quoted()?,
                _ => self.take_while(word_of(b"_./-*+")),
            },
        }
        // The expansion is one piece: drop those of its inside.
        self.pieces.truncate(pieces);
        self.close_brace()
    }

    fn take_while(&mut self, mut accept: impl FnMut(&u8) -> bool) {
        self.i += self.b[self.i..].iter().take_while(|c| accept(c)).count();
    }

    fn close_brace(&mut self) -> Step {
        if self.peek() != Some(b'}') {
            return Err(GiveUp);
        }
        self.i += 1;
        Ok(())
    }
}

/// Letters, digits and the `extra` bytes.
fn word_of(extra: &'static [u8]) -> impl Fn(&u8) -> bool {
    move |c| c.is_ascii_alphanumeric() || extra.contains(c)
}
