//! A hand-written parser for the shell that most RUN instructions hold: simple commands joined
//! by `&&`, `||`, `;`, `&`, newlines and `|`, with quotes, `$VAR`, `$$`, `${…}` (common forms,
//! see `expansion.rs`), `$( … )`, `$(( … ))`, backticks, subshells, file redirections (`>&-`
//! too) and heredocs (`redirect.rs`); the compound commands `if`, `while`/`until`, `for`,
//! `case`, `{ …; }`, `!` and `NAME() { …; }` (`compound.rs`); declarations (`export`,
//! `local`, `declare`, `unset` …) and test commands (`[ … ]`, `[[ … ]]`) in `builtin.rs`. It
//! reads the script as `sh` does — a word after a redirection's destination is an argument,
//! `\r` inside a word is part of it, a glob may name a command — and gives up ([`None`]) on
//! bash's constructs (`function`, `select`, `time`, arrays, brace expressions, ANSI-C quoting,
//! `((…))`, `|&`, process substitution), on syntax errors (empty bodies, `a &; b`), on
//! heredocs in substitutions, fed to a shell or holding `` `…` ``, `$((…))` or `\` in an
//! expanding body, on test expressions beyond plain terms joined by `-a`/`-o`/`&&`/`||`, and
//! on some word shapes tree-sitter-bash cuts otherwise and the walk does not correct (see
//! `word.rs`). The caller then parses with tree-sitter.
//!
//! Invariant: when [`parse`] returns `Some`, the result is what sh reads, and equals what the
//! tree-sitter walk gives (the walk corrects tree-sitter-bash where it misreads sh, see
//! `walk.rs`), except for the misreads the walk keeps: a pipeline of 3 or more elements
//! followed by a newline, which tree-sitter may join with the next line's command; `\r`,
//! `\v`, `\f` inside words (blanks to tree-sitter); a glob in a command name where
//! tree-sitter fails. `tests/library/shell_fast_path.rs` checks the agreement on every RUN
//! of the corpus and on random mutations of them (leaving out those three), and states what
//! sh does for each misread.

mod builtin;
mod compound;
mod expansion;
mod redirect;
mod word;

use std::ops::Range;

use super::effective::effective;
use super::nested::{shell_use, ShellUse};
use super::quote::{unquote_pieces, Piece};
use super::walk::{compose, flags_of, Job, AFTER_OR, MAX_NESTING, NEGATED, SUBSHELL};
use super::{Command, CommandContext, Word};

/// Subshells and substitutions nested deeper than this go to tree-sitter, whose walk uses
/// explicit stacks (this parser recurses).
const MAX_DEPTH: usize = 32;

/// Words that make a command something this parser does not handle as a command name (the
/// compound commands it handles are recognised before, in [`Parser::compound`]).
const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac",
    "in", "function", "select", "time", "coproc", "declare", "typeset", "export", "readonly",
    "local", "unset", "unsetenv", "[", "[[", "]]", "{", "}", "!",
];

/// Where a sequence of statements ends (the text there is left for the caller).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Until {
    /// The end of the text.
    Text,
    /// The `)` of a subshell or a substitution.
    Paren,
    /// One of these reserved words, at the start of a statement.
    Words(&'static [&'static str]),
    /// `;;`, `;&`, `;;&` or `esac`: the end of a case item's body.
    CaseItem,
    /// The closing backtick of a `` `…` `` substitution.
    Backtick,
}

/// This parser does not read the text (bash, an error, or a shape tree-sitter cuts otherwise):
/// use tree-sitter.
struct GiveUp;

/// The shell's metacharacters: a blank, a newline or an operator character ends a word.
pub(super) fn is_metachar(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')'
    )
}

type Step<T = ()> = Result<T, GiveUp>;

/// The commands of `job` and the nested shell jobs it queues, or `None` when the script needs
/// tree-sitter.
pub(crate) fn parse(job: &Job) -> Option<(Vec<Command>, Vec<Job<'static>>)> {
    let text: &str = &job.text;
    let mut parser = Parser {
        src: text,
        b: text.as_bytes(),
        i: 0,
        job,
        commands: Vec::new(),
        levels: Vec::new(),
        level: 0,
        depth: 0,
        pieces: Vec::new(),
        nested: Vec::new(),
        case_ends: 0,
        argument: false,
        backtick: false,
        heredoc: None,
    };
    parser.program(job.flags, false).ok()?;
    let Parser {
        commands, nested, ..
    } = parser;
    // A nested job runs with the flags its command ended up with (`| sh -c …` learns it is
    // in a pipeline only once the `|` is seen).
    let jobs = nested
        .into_iter()
        .map(|(index, mut nested_job)| {
            nested_job.flags = flags_of(&commands[index].context);
            nested_job
        })
        .collect();
    Some((commands, jobs))
}

/// A word as scanned: its text range, its pieces (in [`Parser::pieces`]) and the commands its
/// substitutions produced (in [`Parser::commands`]).
struct Scanned {
    range: Range<usize>,
    pieces: Range<usize>,
    commands: Range<usize>,
    /// Holds an unquoted `?` or `*` (tree-sitter misreads some in a command name).
    glob: bool,
    /// Holds an unquoted `[`, `]`, `{` or `}` (plain text in an argument only).
    brackets: bool,
}

struct Parser<'s, 'j, 'a> {
    src: &'s str,
    b: &'s [u8],
    i: usize,
    job: &'j Job<'a>,
    commands: Vec<Command>,
    /// The substitution level each command was found at (parallel to `commands`).
    levels: Vec<usize>,
    level: usize,
    depth: usize,
    pieces: Vec<Piece>,
    /// Nested shell bodies, with the index of the command that runs them.
    nested: Vec<(usize, Job<'static>)>,
    /// How many `case` statements have been closed by their `esac` so far.
    case_ends: usize,
    /// The word being scanned is an argument of a simple command (not its name), where
    /// tree-sitter reads a leading `!` or `=` as plain text.
    argument: bool,
    /// Inside a `` `…` `` substitution (they do not nest here).
    backtick: bool,
    /// A heredoc whose body follows the current line.
    heredoc: Option<redirect::Heredoc>,
}

impl Parser<'_, '_, '_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn at(&self, offset: usize) -> Option<u8> {
        self.b.get(self.i + offset).copied()
    }

    /// Skips blanks, `\`-newline joins and comments; with `newlines`, newlines too.
    fn skip(&mut self, newlines: bool) -> Step {
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' => self.i += 1,
                b'\n' if newlines => self.i += 1,
                b'\\' if self.at(1) == Some(b'\n') => {
                    // tree-sitter joins a line that is not after a blank, or at the end of
                    // the text, differently from sh.
                    let after_blank = self.i > 0 && matches!(self.b[self.i - 1], b' ' | b'\t');
                    let next_line = &self.b[self.i + 2..];
                    let blank = next_line
                        .iter()
                        .take_while(|c| matches!(c, b' ' | b'\t'))
                        .count();
                    if !after_blank || matches!(next_line.get(blank), None | Some(b'\n')) {
                        return Err(GiveUp);
                    }
                    self.i += 2;
                }
                b'#' => {
                    while self.peek().is_some_and(|c| c != b'\n') {
                        self.i += 1;
                    }
                }
                _ => break,
            }
        }
        Ok(())
    }

    /// Statements up to the end of the text, or up to the `)` that closes a subshell or a
    /// substitution (`in_parens`; the `)` is left for the caller).
    fn program(&mut self, flags: u8, in_parens: bool) -> Step {
        let until = if in_parens { Until::Paren } else { Until::Text };
        self.statements(flags, until).map(|_| ())
    }

    /// Statements up to where `until` says the sequence ends (that text is left for the
    /// caller); returns how many there were.
    fn statements(&mut self, flags: u8, until: Until) -> Step<usize> {
        let mut count = 0;
        loop {
            self.skip(true)?;
            match (self.peek(), until) {
                (None, Until::Text) => return Ok(count),
                (None, _) => return Err(GiveUp),
                (Some(b')'), Until::Paren) => return Ok(count),
                (Some(b'`'), Until::Backtick) => return Ok(count),
                (Some(b';'), Until::CaseItem) => return Ok(count),
                (_, Until::Words(words))
                    if self.reserved_word().is_some_and(|w| words.contains(&w)) =>
                {
                    return Ok(count)
                }
                (_, Until::CaseItem) if self.reserved_word() == Some("esac") => return Ok(count),
                _ => {}
            }
            self.list(flags)?;
            count += 1;
            self.skip(false)?;
            match self.peek() {
                // `;;`, `;&`, `;;&` end a case item.
                Some(b';') if matches!(self.at(1), Some(b';' | b'&')) => {
                    if until == Until::CaseItem {
                        return Ok(count);
                    }
                    return Err(GiveUp);
                }
                Some(b';' | b'\n') => self.i += 1,
                // A background job ends its statement as `;` does (`a &; b` is an error).
                Some(b'&') => {
                    self.i += 1;
                    self.skip(false)?;
                    if self.peek() == Some(b';') {
                        return Err(GiveUp);
                    }
                }
                None => {}
                Some(b')') if until == Until::Paren => {}
                Some(b'`') if until == Until::Backtick => {}
                _ => return Err(GiveUp),
            }
        }
    }

    /// Pipelines joined by `&&` / `||`; the one after `||` runs only when the left failed.
    /// Read as sh reads it: tree-sitter-bash reads some pipelines of 3 or more elements before
    /// `&&`/`||` as `a | (b | c && d …)`, and hangs a redirection before `|` in a list on the
    /// whole list; those misreads are not copied, and the walk corrects them
    /// (`tests/library/shell_fast_path.rs` states what sh does).
    fn list(&mut self, flags: u8) -> Step {
        let mut current = flags;
        loop {
            self.pipeline(current)?;
            self.skip(false)?;
            match (self.peek(), self.at(1)) {
                (Some(b'&'), Some(b'&')) => current = flags,
                (Some(b'|'), Some(b'|')) => current = flags | AFTER_OR,
                _ => return Ok(()), // `&` (a background job) is a statement's end
            }
            self.i += 2;
            self.skip(true)?;
        }
    }

    /// `[!] element [| element …]`. sh's `!` negates the whole pipeline (tree-sitter-bash
    /// hangs it on the first element only).
    fn pipeline(&mut self, mut flags: u8) -> Step {
        let first = self.commands.len();
        let negated = self.reserved_word() == Some("!");
        if negated {
            self.negation()?;
            flags |= NEGATED;
        }
        let mut elements = 0;
        loop {
            self.element(flags)?;
            // `! A=1 B=2`: an error to tree-sitter (sh runs the assignments).
            if negated
                && elements == 0
                && self
                    .commands
                    .last()
                    .is_some_and(|c| c.words.is_empty() && c.assignments.len() > 1)
            {
                return Err(GiveUp);
            }
            elements += 1;
            self.skip(false)?;
            match (self.peek(), self.at(1)) {
                (Some(b'|'), Some(b'|')) => break,
                (Some(b'|'), Some(b'&')) => return Err(GiveUp),
                (Some(b'|'), _) => {
                    self.i += 1;
                    self.skip(true)?;
                }
                _ => break,
            }
        }
        if elements > 1 {
            // Every command of the pipeline, but not those in its substitutions (their output
            // is captured).
            for index in first..self.commands.len() {
                if self.levels[index] == self.level {
                    self.commands[index].context.in_pipeline = true;
                }
            }
        }
        Ok(())
    }

    /// One pipeline element: a subshell or a simple command, with its redirections; true when
    /// it has redirections.
    fn element(&mut self, flags: u8) -> Step<bool> {
        if let Some(redirected) = self.compound(flags)? {
            return Ok(redirected);
        }
        if self.function_definition(flags)? {
            return Ok(false);
        }
        if self.peek() != Some(b'(') {
            return self.simple_command(flags);
        }
        if self.at(1) == Some(b'(') || self.depth >= MAX_DEPTH {
            return Err(GiveUp);
        }
        self.i += 1;
        self.depth += 1;
        let before = self.commands.len();
        self.program(flags | SUBSHELL, true)?;
        if self.commands.len() == before {
            return Err(GiveUp); // `()`
        }
        self.depth -= 1;
        self.i += 1; // `)`
        self.compound_end(flags)
    }

    fn simple_command(&mut self, flags: u8) -> Step<bool> {
        let mut assignments: Vec<Scanned> = Vec::new();
        while self.assignment_ahead() {
            if self.b[self.i..].starts_with(b"_=") {
                return Err(GiveUp); // tree-sitter's `$_`
            }
            let assignment = self.word(flags)?;
            self.assignment_quirks(&assignment)?;
            // `A=1` then a newline ends the statement, but `A=1 B=2` then a newline goes on
            // to a command name on the next line in tree-sitter. `A=|b`, `A=)`: an empty
            // value before an operator is an error to tree-sitter.
            let lone = assignments.is_empty() && self.peek() == Some(b'\n');
            match self.peek() {
                Some(b' ' | b'\t') | None | Some(b';') => {}
                Some(b'\n') if lone => {}
                _ => return Err(GiveUp),
            }
            assignments.push(assignment);
            if lone {
                break;
            }
            self.skip(false)?;
        }
        let lone = assignments.len() == 1 && assignments[0].range.end == self.i;
        if !assignments.is_empty() && self.peek() == Some(b'\n') && !lone {
            return Err(GiveUp);
        }
        let mut words: Vec<Scanned> = Vec::new();
        let mut redirected = false;
        loop {
            // `a ==`, `a =~;`: tree-sitter expects a right operand there.
            let ends = self.statement_ends()?;
            if (ends || self.redirect_start())
                && words.len() > 1
                && words
                    .last()
                    .is_some_and(|w| matches!(&self.src[w.range.clone()], "==" | "=~"))
            {
                return Err(GiveUp);
            }
            if ends {
                break;
            }
            if self.redirect_start() {
                // A redirection before the name; `cat - 2>x`, where tree-sitter drops the `-`.
                if words
                    .last()
                    .is_none_or(|w| &self.src[w.range.clone()] == "-")
                {
                    return Err(GiveUp);
                }
                self.redirects(flags)?;
                redirected = true;
                continue;
            }
            if words.is_empty() && assignments.is_empty() {
                if let Some(redirected) = self.builtin(flags)? {
                    return Ok(redirected);
                }
            }
            self.argument = !words.is_empty();
            words.push(self.word(flags)?);
            self.skip(false)?;
        }
        let Some(first) = assignments.first().or(words.first()) else {
            return Err(GiveUp);
        };
        if words.first().is_some_and(|w| w.brackets) {
            return Err(GiveUp);
        }
        if let Some(name) = words.first() {
            let raw = &self.src[name.range.clone()];
            // `1=x`: tree-sitter reads an assignment.
            if KEYWORDS.contains(&raw) || raw == "-" || raw.starts_with('!') || raw.contains('=') {
                return Err(GiveUp);
            }
            // `b@c`, and `A=1 b:c`: tree-sitter reads `b` as a variable name there.
            let identifier = name_chars(raw.as_bytes());
            let after = raw.as_bytes().get(identifier);
            let odd_after_name = identifier > 0
                && after.is_some_and(|c| {
                    b"@%:".contains(c) || (!assignments.is_empty() && !b"./-\"'$".contains(c))
                });
            // `case"$x"`: tree-sitter sees the keyword.
            let keyword_prefix = KEYWORDS.contains(&&raw[..identifier]);
            if odd_after_name
                || keyword_prefix
                || (!assignments.is_empty() && raw.contains([':', '@', '%']))
            {
                return Err(GiveUp);
            }
        } else if redirected {
            return Err(GiveUp);
        }
        let last = words.last().or(assignments.last()).unwrap_or(first);
        let span = self.job.map.span_to_file(first.range.start..last.range.end);
        let command = Command {
            words: words.iter().map(|w| self.make_word(w)).collect(),
            assignments: assignments.iter().map(|w| self.make_word(w)).collect(),
            span,
            context: self.context(flags),
        };
        self.queue_nested_shell(&command, &words, flags)?;
        self.heredoc_body(&command, flags)?;
        self.commands.push(command);
        self.levels.push(self.level);
        Ok(redirected)
    }

    /// `sh -c '…'`: the body is parsed as a nested job (and its word's substitutions are not
    /// commands of this script).
    fn queue_nested_shell(&mut self, command: &Command, words: &[Scanned], flags: u8) -> Step {
        if self.job.depth >= MAX_NESTING {
            return Ok(());
        }
        let view = effective(command);
        let Some((shell, ShellUse::Command { word, skip })) = shell_use(&view) else {
            return Ok(());
        };
        let scanned = &words[command.words.len() - view.words.len() + word];
        if !scanned.commands.is_empty() {
            return Err(GiveUp);
        }
        let body = unquote_pieces(self.src, &self.pieces[scanned.pieces.clone()], true);
        let cut = skip.min(body.text.len());
        if !body.text.is_char_boundary(cut) {
            return Ok(());
        }
        let job = Job::nested_at(
            body.text[cut..].to_string(),
            compose(&self.job.map, &body.offsets[cut..]),
            flags,
            format!("{shell} -c"),
            self.job.depth + 1,
        );
        self.nested.push((self.commands.len(), job));
        Ok(())
    }

    fn context(&self, flags: u8) -> CommandContext {
        let mut context = super::walk::context_of(flags);
        context.nested_in = self.job.nested_in.clone();
        context
    }

    fn make_word(&self, w: &Scanned) -> Word {
        let value = unquote_pieces(self.src, &self.pieces[w.pieces.clone()], false);
        Word::new(
            &self.src[w.range.clone()],
            value.is_static.then_some(value.text),
            self.job.map.span_to_file(w.range.clone()),
        )
    }

    /// The simple command ends here (`;`, newline, `|`, `)`, `&&`, end of text); gives up on a
    /// `(` in the middle of it (a function definition, `a+(b)` …).
    fn statement_ends(&self) -> Step<bool> {
        match self.peek() {
            None | Some(b';' | b'\n' | b'|' | b')') => Ok(true),
            Some(b'`') if self.backtick => Ok(true),
            Some(b'&') => Ok(self.at(1) != Some(b'>')),
            Some(b'(') => Err(GiveUp),
            _ => Ok(false),
        }
    }

    /// `NAME=` or `NAME+=` (a name not starting with a digit) at the cursor.
    fn assignment_ahead(&self) -> bool {
        let rest = &self.b[self.i..];
        let name = name_len(rest);
        name > 0 && matches!(&rest[name..], [b'=', ..] | [b'+', b'=', ..])
    }
}

/// How many bytes at the start of `bytes` are name characters (`[A-Za-z0-9_]`).
fn name_chars(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
        .count()
}

/// The length of the shell name (name characters, not starting with a digit) at the start
/// of `bytes`; 0 when there is none.
fn name_len(bytes: &[u8]) -> usize {
    match bytes.first() {
        Some(c) if !c.is_ascii_digit() => name_chars(bytes),
        _ => 0,
    }
}
