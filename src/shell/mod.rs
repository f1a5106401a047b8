//! Shell layer: the shell scripts inside RUN instructions, as commands with argv words whose
//! byte spans point into the original Dockerfile.
//!
//! The syntax layer hands over BuildKit's *joined* logical line (continuations removed, comment
//! lines inside a continuation dropped) with a [`SourceMap`] back to the file. This layer parses
//! that text with `tree-sitter-bash` and reports every simple command it finds, wherever it
//! sits: in `&&`/`||` lists, pipelines, subshells, `{ …; }` groups, `$(…)` and backticks,
//! `if`/`while` conditions and bodies, `for`/`case` bodies, function bodies. Bodies handed to a
//! nested shell are parsed too and their commands come out with spans into the file:
//! `sh -c '…'`, `bash -ec "…"`, `su -c "…"`, `bash <<EOF … EOF`, `cat <<EOF | sh`.
//!
//! Entry points: [`run_scripts`] (what a RUN instruction runs) and [`parse_script`] (any text
//! plus its map).
//!
//! Invariants:
//! - every span ([`Word::span`], [`Command::span`]) is a file span obtained through the map, so
//!   it lies inside the bytes the map covers (for a RUN: inside the instruction's span);
//! - when a word lies inside one segment of the map (no line join inside it) and was not
//!   unescaped on the way into a nested shell, `&file[word.span] == word.raw`;
//! - [`Script::commands`] are in file order (by span start; a command comes before the
//!   commands nested inside it);
//! - parsing never panics; anything tree-sitter could not parse sets [`Script::has_errors`]
//!   and the commands it could recognise are still reported;
//! - the walk uses explicit stacks, so very deep trees (a 1,500-command `&&` chain) cost
//!   linear time and no call-stack depth.
//!
//! Known limits, with what happens:
//! - this layer knows nothing of the stage's `SHELL`: a RUN whose shell is not POSIX-like
//!   (PowerShell, cmd) is parsed as if it were (mostly `has_errors`); the caller should skip
//!   it;
//! - tree-sitter-bash cannot hold two heredocs pending on one line: [`run_scripts`] blanks the
//!   markers after the first, so their bodies are not parsed;
//! - `((a) || b)` is two subshells to `sh` but arithmetic to tree-sitter-bash: when the
//!   script has errors it is parsed again with `( (`, kept if that parses cleanly;
//! - an escaped char in a double-quoted nested body maps to itself, not to its backslash
//!   (`sh -c "x \"y\""`: the span of `"y"` starts after the first `\`);
//! - brace expansion (`{a,b}`) is not expanded: `sh` does not do it.

mod effective;
mod fast;
mod memo;
mod nested;
mod quote;
mod run;
mod walk;

use std::sync::Arc;

use crate::syntax::{SourceMap, Span};
use serde::Serialize;

pub use effective::CommandView;
pub(crate) use run::is_heredoc_marker;
pub use run::run_scripts;

/// A parsed shell script: every simple command, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Script {
    pub commands: Vec<Command>,
    /// tree-sitter found a syntax error (in the script or in a nested shell body).
    pub has_errors: bool,
    /// Nested deeper than [`MAX_SCRIPT_DEPTH`] or [`MAX_SUBSTITUTION_DEPTH`]: not parsed (no
    /// commands; `has_errors` is set).
    #[serde(skip)]
    pub too_deep: bool,
}

/// One simple command (`FOO=1 apt-get install -y curl`), a declaration (`export A=1`), a
/// test (`[ -f x ]`, whose name is `[` or `[[`), or a bare assignment statement (`A=1`, which
/// has no words, only `assignments`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Command {
    /// argv: the command name and its arguments, assignments and redirections excluded.
    pub words: Vec<Word>,
    /// `FOO=bar` prefixes before the command name.
    pub assignments: Vec<Word>,
    /// File span of the whole simple command (assignments, words and the redirections
    /// tree-sitter attaches to it).
    pub span: Span,
    pub context: CommandContext,
}

/// Where a command sits. Flags are inherited from the enclosing constructs (a command in
/// `( … )` in `$( … )` has both `in_subshell` and `in_substitution`), except that a command
/// substitution starts afresh for `in_pipeline` and `negated` (its output is captured: in
/// `a | b "$(c)"`, `c` is not in the pipeline). A nested shell body inherits the flags of the
/// shell command that runs it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct CommandContext {
    /// Part of a pipeline `a | b` (either side), directly or inside its `( … )`/`{ …; }`.
    pub in_pipeline: bool,
    /// Under `!`.
    pub negated: bool,
    /// Inside `( … )`.
    pub in_subshell: bool,
    /// Inside `$( … )`, backticks, or a process substitution `<( … )` / `>( … )`.
    pub in_substitution: bool,
    /// The right-hand side of `||` (runs only when the left side fails).
    pub after_or: bool,
    /// In the condition of `if`/`elif`/`while`/`until`.
    pub in_condition: bool,
    /// The nested shell whose body this command comes from: `"sh -c"`, `"bash -c"`,
    /// `"su -c"`, `"bash <<EOF"`. The innermost one when shells nest.
    pub nested_in: Option<String>,
}

/// One shell word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Word {
    /// The word as the shell saw it (quotes kept). Inside a double-quoted nested body this
    /// is the text after the outer shell removed its escapes.
    pub raw: Arc<str>,
    /// The literal value with quotes and escapes removed, when it is known statically;
    /// `None` when the word contains a parameter expansion, command substitution, arithmetic
    /// or an array. Globs, `~` and braces are kept literally (`/var/lib/apt/lists/*`).
    pub value: Option<Arc<str>>,
    /// File span.
    pub span: Span,
}

impl Word {
    /// A word from its text as written and its static value. The two are shared (one
    /// allocation) when equal, as for most words (no quotes, no escapes); words are shared
    /// rather than copied when a parsed script is reused (`memo.rs`).
    pub fn new(raw: &str, value: Option<String>, span: Span) -> Word {
        let raw: Arc<str> = Arc::from(raw);
        let value = value.map(|value| {
            if *value == *raw {
                Arc::clone(&raw)
            } else {
                Arc::from(value)
            }
        });
        Word { raw, value, span }
    }

    /// A word whose value is its text (`-c`, `[[`, a plain name).
    pub fn plain(text: &str, span: Span) -> Word {
        let raw: Arc<str> = Arc::from(text);
        Word {
            value: Some(Arc::clone(&raw)),
            raw,
            span,
        }
    }

    /// The word's static value is exactly `s`.
    pub fn is(&self, s: &str) -> bool {
        self.value.as_deref() == Some(s)
    }

    /// The static value, or the raw text when the value is not static.
    pub fn text(&self) -> &str {
        self.value.as_deref().unwrap_or(&self.raw)
    }
}

impl Command {
    /// Basename of `argv[0]`'s literal value (`/usr/bin/apt-get` → `apt-get`); `None` for a
    /// dynamic name (`$CC`) or a bare assignment.
    pub fn name(&self) -> Option<&str> {
        self.words
            .first()
            .and_then(|w| basename(w.value.as_deref()?))
    }

    /// `argv[1..]`.
    pub fn args(&self) -> &[Word] {
        self.words.get(1..).unwrap_or(&[])
    }

    /// The command with wrappers skipped: `sudo`, `doas`, `env`, `nohup`, `time`, `exec`,
    /// `command` (not `command -v`/`-V`), `builtin`, `nice`, `ionice`, `timeout`, `stdbuf`,
    /// `xargs`, `gosu`, `su-exec`, `busybox` (applet). Their options and `VAR=value` words are
    /// skipped too (`env -i A=1 sudo -E -u root apt-get …` → `apt-get …`). See
    /// [`CommandView`] for the details.
    pub fn effective(&self) -> CommandView<'_> {
        effective::effective(self)
    }

    /// The first argument whose value is `s`.
    pub fn arg(&self, s: &str) -> Option<&Word> {
        self.args().iter().find(|w| w.is(s))
    }
}

impl Script {
    /// Commands whose effective name is `name`.
    pub fn commands_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Command> + 'a {
        self.commands
            .iter()
            .filter(move |c| c.effective().name() == Some(name))
    }

    /// A readable listing, one command per line: context flags, assignments and words (a
    /// word whose value differs from its raw text is shown as `raw→value`, `→?` when the
    /// value is not static). For debugging and snapshots.
    pub fn dump(&self) -> String {
        let mut out = String::new();
        if self.has_errors {
            out.push_str("(has errors)\n");
        }
        for c in &self.commands {
            out.push_str(&format!("{}..{}", c.span.start, c.span.end));
            let ctx = &c.context;
            let mut flags = Vec::new();
            for (on, name) in [
                (ctx.in_pipeline, "pipeline"),
                (ctx.negated, "negated"),
                (ctx.in_subshell, "subshell"),
                (ctx.in_substitution, "substitution"),
                (ctx.after_or, "after_or"),
                (ctx.in_condition, "condition"),
            ] {
                if on {
                    flags.push(name.to_string());
                }
            }
            if let Some(n) = &ctx.nested_in {
                flags.push(format!("in {n}"));
            }
            if !flags.is_empty() {
                out.push_str(&format!(" [{}]", flags.join(", ")));
            }
            for w in c.assignments.iter().chain(&c.words) {
                out.push(' ');
                out.push_str(&dump_word(w));
            }
            let eff = c.effective();
            if !eff.wrappers.is_empty() {
                out.push_str(&format!("  => {}", eff.name().unwrap_or("?")));
            }
            out.push('\n');
        }
        out
    }
}

fn dump_word(w: &Word) -> String {
    match &w.value {
        Some(v) if *v == w.raw => w.raw.to_string(),
        Some(v) => format!("{}→{}", w.raw, v),
        None => format!("{}→?", w.raw),
    }
}

/// `/usr/bin/apt-get` → `apt-get`, `./bin//` → `bin`, `/` → `None`: the last path component,
/// as a byte scan (it runs on every command name many times per file).
pub(crate) fn basename(path: &str) -> Option<&str> {
    path.get(basename_range(path)?)
}

/// Where [`basename`] lies in `path`.
pub(crate) fn basename_range(path: &str) -> Option<std::ops::Range<usize>> {
    let bytes = path.as_bytes();
    let mut end = bytes.len();
    while end > 0 && bytes[end - 1] == b'/' {
        end -= 1;
    }
    if end == 0 {
        return None;
    }
    let start = bytes[..end]
        .iter()
        .rposition(|&b| b == b'/')
        .map_or(0, |slash| slash + 1);
    Some(start..end)
}

/// A shell variable name: a letter or `_`, then letters, digits and `_`.
pub fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Parses `text` as a shell script. `map` leads offsets in `text` back to the file; use
/// `SourceMap::contiguous(start, text.len())` for text cut straight from the file.
pub fn parse_script(text: &str, map: &SourceMap) -> Script {
    if too_deep(text) {
        return Script {
            commands: Vec::new(),
            has_errors: true,
            too_deep: true,
        };
    }
    memo::parse_top(text, map)
}

/// Scripts nested deeper than this are not parsed: `(`, `{`, `if`, `case` and loops.
pub const MAX_SCRIPT_DEPTH: usize = 5_000;
/// Nor scripts with command substitutions (`$(…)`, `` `…` ``, `<(…)`) nested deeper than
/// this: each level keeps its own text, so memory grows with the square of the depth (a 1 MB
/// file of RUNs nested 500 deep took 300 MB, 20,000 levels 1.6 GB). Far beyond anything
/// written by hand.
pub const MAX_SUBSTITUTION_DEPTH: usize = 100;

/// Whether `text` nests past [`MAX_SCRIPT_DEPTH`] or [`MAX_SUBSTITUTION_DEPTH`].
pub fn too_deep(text: &str) -> bool {
    let (depth, substitutions) = nesting_depth(text);
    depth > MAX_SCRIPT_DEPTH || substitutions > MAX_SUBSTITUTION_DEPTH
}

/// How deep `text` nests, counted without parsing, and how deep its command substitutions
/// nest: `(` and `{` open a level and `)` and `}` close one, as do the words `if`/`case`/
/// `while`/`until`/`for`/`select` and `fi`/`esac`/`done`; a `(` after `$`, `<` or `>` opens
/// a substitution, and a backtick opens or closes one. Quotes are not read, so text in
/// quotes counts too: an upper bound of the depths a parser reaches, in one pass.
pub fn nesting_depth(text: &str) -> (usize, usize) {
    let bytes = text.as_bytes();
    let is_word_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    // Open parentheses: whether each opened a substitution.
    let mut parens: Vec<bool> = Vec::new();
    let (mut other, mut substitutions, mut backtick) = (0usize, 0usize, false);
    let (mut deepest, mut deepest_substitution) = (0usize, 0usize);
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if is_word_byte(b) {
            let start = at;
            while at < bytes.len() && is_word_byte(bytes[at]) {
                at += 1;
            }
            match &text[start..at] {
                "if" | "case" | "while" | "until" | "for" | "select" => other += 1,
                "fi" | "esac" | "done" => other = other.saturating_sub(1),
                _ => {}
            }
        } else {
            match b {
                b'(' => {
                    let opens = at > 0 && matches!(bytes[at - 1], b'$' | b'<' | b'>');
                    substitutions += usize::from(opens);
                    parens.push(opens);
                }
                b')' if parens.pop() == Some(true) => substitutions -= 1,
                b'{' => other += 1,
                b'}' => other = other.saturating_sub(1),
                b'`' => backtick = !backtick,
                _ => {}
            }
            at += 1;
        }
        deepest = deepest.max(parens.len() + other);
        deepest_substitution = deepest_substitution.max(substitutions + usize::from(backtick));
    }
    (deepest, deepest_substitution)
}

/// Turns the hand-written fast parser (and with it the memo of parsed scripts) on (the
/// default) or off for the calling thread, so that everything is parsed by tree-sitter; returns how many scripts the fast parser has
/// parsed on this thread so far. Only for tests that compare the two parsers.
#[doc(hidden)]
pub fn set_fast_path(enabled: bool) -> usize {
    walk::set_fast_path(enabled)
}

/// Turns the memo of parsed scripts on (the default) or off for the calling thread. Only for
/// tests.
#[doc(hidden)]
pub fn set_memo(enabled: bool) {
    walk::set_memo(enabled)
}

#[cfg(test)]
mod tests;
