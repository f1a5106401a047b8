//! Redirections: to and from files (`>f`, `2>&1`, `<f`), and heredocs (`cat <<EOF`, `<<-EOF`,
//! `<<'EOF'`) on simple commands in the shapes tree-sitter reads as sh does: the body is plain
//! text (no expansions or substitutions unless the delimiter is quoted), it ends at a line
//! that is exactly the delimiter, and the command does not hand it to a shell (the walk
//! parses such bodies as nested scripts).

use std::ops::Range;

use super::{is_metachar, name_chars, GiveUp, Parser, Step};
use crate::shell::effective::effective;
use crate::shell::nested::shell_use;
use crate::shell::Command;

/// A heredoc whose start has been read, its body not yet.
pub(super) struct Heredoc {
    delimiter: Range<usize>,
    strip_tabs: bool,
    quoted: bool,
}

impl Parser<'_, '_, '_> {
    /// A redirection starts here: `>`, `<`, `&>`, or a digit right before `>`/`<`.
    pub(super) fn redirect_start(&self) -> bool {
        let rest = &self.b[self.i..];
        // One digit, not 0, at most: tree-sitter does not read `10>x` or `0>x` as a
        // redirection (the word scanner then gives up on it).
        let digits = usize::from(rest.first().is_some_and(|c| (b'1'..=b'9').contains(c)));
        match rest.get(digits) {
            Some(b'<' | b'>') => true,
            Some(b'&') if digits == 0 => rest.get(1) == Some(&b'>'),
            _ => false,
        }
    }

    /// Redirections, each with its one destination word (words after it are the command's
    /// arguments again, as sh reads them: tree-sitter makes them more destinations, which
    /// the walk corrects).
    pub(super) fn redirects(&mut self, flags: u8) -> Step {
        loop {
            if self.peek().is_some_and(|c| (b'1'..=b'9').contains(&c)) {
                self.i += 1;
            }
            let rest = &self.b[self.i..];
            let op = match rest {
                [b'&', b'>', b'>', ..] => 3,
                [b'&', b'>', ..] | [b'>', b'>' | b'&', ..] | [b'<', b'&', ..] => 2,
                // `cat <<EOF`, not `5<<EOF` or `cat -n<<EOF`.
                [b'<', b'<', ..] if matches!(self.b[self.i - 1], b' ' | b'\t') => {
                    self.i += 2;
                    self.heredoc_start()?;
                    self.skip(false)?;
                    if !self.redirect_start() {
                        return Ok(());
                    }
                    continue;
                }
                [b'<', b'<' | b'(', ..] | [b'>', b'(' | b'|', ..] => return Err(GiveUp),
                [b'<' | b'>', ..] => 1,
                _ => return Err(GiveUp),
            };
            self.i += op;
            let duplicate = self.b[self.i - 1] == b'&';
            let ends = |c: Option<&u8>| {
                matches!(
                    c,
                    None | Some(b' ' | b'\t' | b';' | b'\n' | b'&' | b'|' | b')')
                )
            };
            // `2>&-` closes the descriptor: no destination word (the walk corrects
            // tree-sitter, which takes the next word as one).
            if duplicate && self.peek() == Some(b'-') && ends(self.b.get(self.i + 1)) {
                self.i += 1;
                self.skip(false)?;
                // `a >&- b c`: an error to tree-sitter (one plain word after it is not).
                let rest = &self.b[self.i..];
                let word = rest.iter().take_while(|c| !is_metachar(**c)).count();
                let blanks = rest[word..]
                    .iter()
                    .take_while(|c| matches!(c, b' ' | b'\t'))
                    .count();
                let plain = rest[..word]
                    .iter()
                    .all(|c| !matches!(c, b'\'' | b'"' | b'$' | b'`' | b'\\'));
                let after = rest.get(word + blanks);
                if word > 0 && (!plain || after.is_some_and(|c| !b";\n|&)<>".contains(c))) {
                    return Err(GiveUp);
                }
                if !self.redirect_start() {
                    return Ok(());
                }
                continue;
            }
            if duplicate {
                // `2>&1`; tree-sitter misreads `>&*` …
                let digits = self.b[self.i..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                if digits == 0 || !ends(self.b.get(self.i + digits)) {
                    return Err(GiveUp);
                }
            }
            self.skip(false)?;
            if self.statement_ends()? || self.redirect_start() {
                return Err(GiveUp);
            }
            // `a || b > $(c)`: the redirection is `b`'s, so `c` runs after `||` too
            // (tree-sitter-bash hangs it on the list).
            self.word(flags)?;
            self.skip(false)?;
            if !self.redirect_start() {
                return Ok(());
            }
        }
    }

    /// `<<[-]DELIM` at the cursor (after the `<<`): reads the delimiter and records the
    /// heredoc, whose body starts after the end of the line.
    pub(super) fn heredoc_start(&mut self) -> Step {
        // `<<<` (a here-string), `cat <<A <<B`, heredocs in substitutions: left to
        // tree-sitter.
        if self.heredoc.is_some() || self.level > 0 || self.peek() == Some(b'<') {
            return Err(GiveUp);
        }
        let strip_tabs = self.peek() == Some(b'-');
        if strip_tabs {
            self.i += 1;
        }
        self.skip(false)?;
        let quote = match self.peek() {
            Some(q @ (b'\'' | b'"')) => {
                self.i += 1;
                Some(q)
            }
            _ => None,
        };
        let len = name_chars(&self.b[self.i..]);
        if len == 0 {
            return Err(GiveUp);
        }
        let delimiter = self.i..self.i + len;
        self.i += len;
        if let Some(q) = quote {
            if self.peek() != Some(q) {
                return Err(GiveUp);
            }
            self.i += 1;
        }
        if !matches!(self.peek(), Some(b' ' | b'\t' | b'\n')) {
            return Err(GiveUp);
        }
        self.heredoc = Some(Heredoc {
            delimiter,
            strip_tabs,
            quoted: quote.is_some(),
        });
        Ok(())
    }

    /// After the command that holds a heredoc: the rest of its line must be empty; skips the
    /// body and leaves the cursor at the end of the delimiter line.
    pub(super) fn heredoc_body(&mut self, command: &Command, flags: u8) -> Step {
        let Some(heredoc) = self.heredoc.take() else {
            return Ok(());
        };
        // `bash <<EOF`: the walk parses the body as a script.
        if self.peek() != Some(b'\n') || shell_use(&effective(command)).is_some() {
            return Err(GiveUp);
        }
        let delimiter = &self.b[heredoc.delimiter.clone()];
        let mut start = self.i + 1;
        while start <= self.b.len() {
            let end = self.b[start..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(self.b.len(), |at| start + at);
            let line = &self.b[start..end];
            let content = if heredoc.strip_tabs {
                let tabs = line.iter().take_while(|&&c| c == b'\t').count();
                &line[tabs..]
            } else {
                line
            };
            if content == delimiter {
                if !heredoc.quoted {
                    self.body_expansions(self.i + 1..start, flags)?;
                }
                self.i = end;
                return Ok(());
            }
            // tree-sitter also ends the body at ` EOF` and the like: any line holding the
            // delimiter goes to it, as does `\` anywhere.
            let odd = line.windows(delimiter.len()).any(|w| w == delimiter)
                || line.iter().any(|c| matches!(c, b'\r' | b'\\'));
            if odd {
                return Err(GiveUp);
            }
            start = end + 1;
        }
        Err(GiveUp) // no delimiter line
    }

    /// The expansions of an unquoted heredoc body: its substitutions run with the command.
    fn body_expansions(&mut self, body: Range<usize>, flags: u8) -> Step {
        let pieces = self.pieces.len();
        let mut at = body.start;
        while at < body.end {
            match self.b[at] {
                // tree-sitter-bash reads no substitution in `` `…` `` there (sh does).
                // Nor an arithmetic expansion in `$((…))` (a subshell in a substitution).
                b'`' => return Err(GiveUp),
                b'$' if self.b[at..].starts_with(b"$((") => return Err(GiveUp),
                b'$' => {
                    self.i = at;
                    self.dollar(flags)?;
                    if self.i > body.end {
                        return Err(GiveUp);
                    }
                    at = self.i;
                }
                _ => at += 1,
            }
        }
        self.pieces.truncate(pieces);
        Ok(())
    }
}
