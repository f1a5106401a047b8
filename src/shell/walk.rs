//! The walk over a tree-sitter-bash tree that collects commands, read as sh reads them where
//! tree-sitter-bash's tree says otherwise: `! a | b` negates the pipeline; `a | b | c && d`
//! (a pipeline inside a list, to tree-sitter), `a && b > f | c` (a redirected list) and
//! `a | b > f | c` (a redirected pipeline front) are regrouped ([`Walker::pipeline`]); words after a redirection's destination are the
//! command's arguments ([`Walker::extra_arguments`]); `for x do` and `((a) || b)` are parsed
//! again in a form tree-sitter reads ([`reparse_as_sh`]). It keeps one misread: a
//! pipeline of 3 or more elements followed by a newline may swallow the next line's command.
//!
//! Explicit stacks everywhere: the tree of a long `a && b && …` chain is as deep as the chain
//! is long. Nested shell bodies are queued as further [`Job`]s rather than recursed into.

use std::borrow::Cow;
use std::cell::RefCell;
use std::ops::Range;

use tree_sitter::{Node, Parser, Tree, TreeCursor};

use super::effective::effective;
use super::nested::{is_shell, shell_use, ShellUse};
use super::quote::{unquote, Unquoted};
use super::{Command, CommandContext, Script, Word};
use crate::syntax::SourceMap;

/// Nested shells deeper than this are not parsed (their commands are still words of the
/// enclosing command).
pub(super) const MAX_NESTING: usize = 8;

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

fn new_parser() -> Option<Parser> {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_bash::LANGUAGE.into())
        .ok()?;
    Some(parser)
}

/// Parses with this thread's parser (created once: creating one per call is slow).
fn parse_tree(text: &str) -> Option<Tree> {
    PARSER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut slot) => {
            if slot.is_none() {
                *slot = new_parser();
            }
            let parser = slot.as_mut()?;
            parser.reset();
            parser.parse(text, None)
        }
        // Re-entered (cannot happen today): use a fresh parser.
        Err(_) => new_parser()?.parse(text, None),
    })
}

// Context flags, kept as a bit set while walking.
pub(super) const PIPELINE: u8 = 1;
pub(super) const NEGATED: u8 = 2;
pub(super) const SUBSHELL: u8 = 4;
pub(super) const SUBST: u8 = 8;
pub(super) const AFTER_OR: u8 = 16;
pub(super) const CONDITION: u8 = 32;

/// Flags inside `$( … )`: the output is captured, so the enclosing pipeline and `!` do not
/// apply to the commands inside; the rest (`||`, condition, subshell) still does.
pub(super) fn substitution(flags: u8) -> u8 {
    (flags | SUBST) & !(PIPELINE | NEGATED)
}

/// A script to parse: text, its map to the file, and where it sits.
pub(crate) struct Job<'a> {
    pub(super) text: Cow<'a, str>,
    pub(super) map: Cow<'a, SourceMap>,
    pub(super) flags: u8,
    pub(super) nested_in: Option<String>,
    pub(super) depth: usize,
}

impl<'a> Job<'a> {
    pub(crate) fn top(text: &'a str, map: &'a SourceMap) -> Job<'a> {
        Job {
            text: Cow::Borrowed(text),
            map: Cow::Borrowed(map),
            flags: 0,
            nested_in: None,
            depth: 0,
        }
    }
}

impl Job<'static> {
    /// A nested shell body (depth 1).
    pub(crate) fn nested(text: String, map: SourceMap, nested_in: String) -> Job<'static> {
        Job::nested_at(text, map, 0, nested_in, 1)
    }

    /// A nested shell body at `depth`, run with context `flags`.
    pub(super) fn nested_at(
        text: String,
        map: SourceMap,
        flags: u8,
        nested_in: String,
        depth: usize,
    ) -> Job<'static> {
        Job {
            text: Cow::Owned(text),
            map: Cow::Owned(map),
            flags,
            nested_in: Some(nested_in),
            depth,
        }
    }
}

thread_local! {
    static FAST_PATH: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
    static FAST_HITS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    static MEMO_ON: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

/// Whether the memo of parsed scripts ([`super::memo`]) is on for this thread: only with the
/// fast path.
pub(crate) fn memo_enabled() -> bool {
    FAST_PATH.with(|f| f.get()) && MEMO_ON.with(|m| m.get())
}

/// Turns the memo of parsed scripts on or off for this thread (for tests).
pub(crate) fn set_memo(enabled: bool) {
    MEMO_ON.with(|m| m.set(enabled));
}

/// Turns the hand-written fast path ([`super::fast`]) on or off for this thread, and returns
/// how many scripts it has parsed on this thread so far. For the tests that compare it with
/// tree-sitter.
pub(crate) fn set_fast_path(enabled: bool) -> usize {
    FAST_PATH.with(|f| f.set(enabled));
    FAST_HITS.with(|h| h.get())
}

/// Parses `job` and every nested shell body found in it.
pub(crate) fn parse(job: Job) -> Script {
    parse_with(vec![job], Vec::new())
}

/// Parses the jobs, adding to `commands` (already found by the caller); sorts the result.
pub(crate) fn parse_with(mut queue: Vec<Job>, mut commands: Vec<Command>) -> Script {
    let mut has_errors = false;
    while let Some(mut job) = queue.pop() {
        if FAST_PATH.with(|f| f.get()) {
            if let Some((found, nested)) = super::fast::parse(&job) {
                FAST_HITS.with(|h| h.set(h.get() + 1));
                commands.extend(found);
                queue.extend(nested);
                continue;
            }
        }
        let Some(mut tree) = parse_tree(&job.text) else {
            has_errors = true;
            continue;
        };
        if tree.root_node().has_error() {
            if let Some((alt, alt_tree)) = reparse_as_sh(&job) {
                job = alt;
                tree = alt_tree;
            }
        }
        let root = tree.root_node();
        has_errors |= root.has_error();
        let mut walker = Walker {
            job: &job,
            cursor: root.walk(),
            commands: &mut commands,
            queue: Vec::new(),
            claimed: Vec::new(),
        };
        walker.run(root);
        queue.extend(walker.queue);
    }
    commands.sort_by_key(|c| c.span.start);
    Script {
        commands,
        has_errors,
        too_deep: false,
    }
}

/// Where tree-sitter-bash fails on sh: `((a && b) || c)` is two subshells to `sh` (dash, ash),
/// but tree-sitter-bash reads an arithmetic command; `for x do` (a loop over the positional
/// parameters) is an error to it. When a script has errors, it is parsed again with `( (` for
/// `((` (not `$((`) and `for x; do` for `for x do`; the retry is kept only when it parses
/// cleanly.
fn reparse_as_sh(job: &Job) -> Option<(Job<'static>, Tree)> {
    let text: &str = &job.text;
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 8);
    let mut offsets = Vec::with_capacity(text.len() + 8);
    let mut changed = false;
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        out.push(c as char);
        offsets.push(i);
        match (quote, c) {
            (None, b'\\') | (Some(b'"'), b'\\') if i + 1 < b.len() && b[i + 1] < 0x80 => {
                out.push(b[i + 1] as char);
                offsets.push(i + 1);
                i += 2;
                continue;
            }
            (None, b'\'' | b'"') => quote = Some(c),
            (Some(q), _) if q == c => quote = None,
            _ => {}
        }
        if quote.is_none()
            && c == b'('
            && b.get(i + 1) == Some(&b'(')
            && (i == 0 || b[i - 1] != b'$')
        {
            out.push(' ');
            offsets.push(i);
            changed = true;
        }
        if quote.is_none() && (i == 0 || b" \t\n;&|(".contains(&b[i - 1])) {
            if let Some(name_end) = for_name_do(&b[i..]) {
                // Copy `for NAME`, then the `;`.
                out.push_str(&text[i + 1..i + name_end]);
                offsets.extend(i + 1..i + name_end);
                out.push(';');
                offsets.push(i + name_end - 1);
                changed = true;
                i += name_end;
                continue;
            }
        }
        if c >= 0x80 {
            // Copy a multi-byte char whole.
            out.pop();
            offsets.pop();
            let len = text[i..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&text[i..i + len]);
            offsets.extend(i..i + len);
            i += len;
            continue;
        }
        i += 1;
    }
    if !changed {
        return None;
    }
    let tree = parse_tree(&out)?;
    if tree.root_node().has_error() {
        return None;
    }
    let map = compose(&job.map, &offsets);
    Some((
        Job {
            text: Cow::Owned(out),
            map: Cow::Owned(map),
            flags: job.flags,
            nested_in: job.nested_in.clone(),
            depth: job.depth,
        },
        tree,
    ))
}

/// `for NAME do` at the start of `b` (blanks, not newlines, between): the length of
/// `for NAME`.
fn for_name_do(b: &[u8]) -> Option<usize> {
    let blanks = |from: usize| {
        b[from.min(b.len())..]
            .iter()
            .take_while(|c| matches!(c, b' ' | b'\t'))
            .count()
    };
    if !b.starts_with(b"for") {
        return None;
    }
    let name_start = 3 + blanks(3);
    if name_start == 3 {
        return None;
    }
    let name = b[name_start..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
        .count();
    let name_end = name_start + name;
    if name == 0 || b[name_start].is_ascii_digit() {
        return None;
    }
    let do_start = name_end + blanks(name_end);
    let ends = |at: usize| b.get(at).is_none_or(|c| b" \t\n;".contains(c));
    (do_start > name_end && b[do_start..].starts_with(b"do") && ends(do_start + 2))
        .then_some(name_end)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A statement: commands are collected.
    Stmt,
    /// Inside a word, a redirect or an arithmetic expression: only substitutions matter.
    Word,
    /// A list whose leftmost operand ends a pipeline and whose other operands follow it, as
    /// sh reads what tree-sitter hangs under a heredoc redirect (`cat <<EOF | sh && x`) or
    /// under a pipeline (`a | b | c && d`, which tree-sitter reads as `a | (b | c && d)`). The
    /// leftmost operand runs with these flags; the others with the stack entry's.
    PipeHead(u8),
    /// A statement that is an operand of a list whose operands run with these flags (read
    /// where tree-sitter nests the rest of the list under it: [`Walker::pipeline`]).
    Operand(u8),
}

struct Walker<'j, 'a, 't> {
    job: &'j Job<'a>,
    cursor: TreeCursor<'t>,
    commands: &'j mut Vec<Command>,
    queue: Vec<Job<'static>>,
    /// Heredoc bodies parsed as nested scripts (node ids), not walked as words.
    claimed: Vec<usize>,
}

type Kids<'t> = Vec<(Node<'t>, Option<&'static str>)>;

impl<'t> Walker<'_, '_, 't> {
    fn text(&self) -> &str {
        &self.job.text
    }

    /// The children of `node` with their field names.
    fn kids(&mut self, node: Node<'t>) -> Kids<'t> {
        let mut out = Vec::with_capacity(node.child_count());
        self.cursor.reset(node);
        if self.cursor.goto_first_child() {
            loop {
                out.push((self.cursor.node(), self.cursor.field_name()));
                if !self.cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        out
    }

    fn context(&self, flags: u8) -> CommandContext {
        let mut context = context_of(flags);
        context.nested_in = self.job.nested_in.clone();
        context
    }

    fn word(&self, nodes: &[Node<'t>]) -> Word {
        let range = nodes[0].start_byte()..nodes[nodes.len() - 1].end_byte();
        let u = unquote(nodes, self.text(), false);
        Word::new(
            &self.text()[range.clone()],
            u.is_static.then_some(u.text),
            self.job.map.span_to_file(range),
        )
    }

    fn run(&mut self, root: Node<'t>) {
        let mut stack: Vec<(Node<'t>, u8, Mode)> = vec![(root, self.job.flags, Mode::Stmt)];
        while let Some((node, flags, mode)) = stack.pop() {
            let start = stack.len();
            match mode {
                Mode::Stmt => self.statement(node, flags, flags, &mut stack),
                Mode::Operand(list) => self.statement(node, flags, list, &mut stack),
                Mode::Word => self.in_word(node, flags, &mut stack),
                Mode::PipeHead(head) => self.pipe_head(node, flags, head, &[], &mut stack),
            }
            // Children were pushed in source order; pop them in source order.
            stack[start..].reverse();
        }
    }

    /// `list` is the flags of the list `node` is an operand of (`flags` when it is none).
    fn statement(
        &mut self,
        node: Node<'t>,
        flags: u8,
        list: u8,
        stack: &mut Vec<(Node<'t>, u8, Mode)>,
    ) {
        let kind = node.kind();
        match kind {
            "command" => self.command(node, flags, &[], stack),
            "declaration_command" | "unset_command" => self.declaration(node, flags, &[], stack),
            "test_command" => self.test_command(node, flags, stack),
            "variable_assignment" | "variable_assignments" => {
                let assignments = if kind == "variable_assignment" {
                    vec![self.word(&[node])]
                } else {
                    self.kids(node)
                        .into_iter()
                        .filter(|(k, _)| k.kind() == "variable_assignment")
                        .map(|(k, _)| self.word(&[k]))
                        .collect()
                };
                self.commands.push(Command {
                    words: Vec::new(),
                    assignments,
                    span: self.job.map.span_to_file(node.byte_range()),
                    context: self.context(flags),
                });
                stack.push((node, flags, Mode::Word));
            }
            "list" => {
                let mut after_or = false;
                for (k, _) in self.kids(node) {
                    if !k.is_named() {
                        after_or = k.kind() == "||";
                    } else if k.kind() != "comment" {
                        let f = if after_or { flags | AFTER_OR } else { flags };
                        stack.push((k, f, Mode::Operand(flags)));
                    }
                }
            }
            "pipeline" => {
                self.pipeline(node, flags, list, &[], stack);
            }
            "negated_command" => self.push_named(node, flags | NEGATED, Mode::Stmt, stack),
            "subshell" => self.push_named(node, flags | SUBSHELL, Mode::Stmt, stack),
            "command_substitution" | "process_substitution" => {
                self.push_named(node, substitution(flags), Mode::Stmt, stack)
            }
            "if_statement" | "while_statement" => {
                for (k, field) in self.kids(node) {
                    if k.is_named() {
                        let f = if field == Some("condition") {
                            flags | CONDITION
                        } else {
                            flags
                        };
                        stack.push((k, f, Mode::Stmt));
                    }
                }
            }
            "elif_clause" => {
                let mut cond = true;
                for (k, _) in self.kids(node) {
                    if k.kind() == "then" && !k.is_named() {
                        cond = false;
                    } else if k.is_named() {
                        stack.push((k, if cond { flags | CONDITION } else { flags }, Mode::Stmt));
                    }
                }
            }
            "redirected_statement" => self.redirected(node, flags, stack),
            "for_statement" | "c_style_for_statement" | "case_item" | "function_definition" => {
                for (k, field) in self.kids(node) {
                    if k.is_named() {
                        let mode = match field {
                            Some("body") | None => Mode::Stmt,
                            _ => Mode::Word,
                        };
                        stack.push((k, flags, mode));
                    }
                }
            }
            "case_statement" => {
                for (k, field) in self.kids(node) {
                    if k.is_named() {
                        let mode = if field == Some("value") {
                            Mode::Word
                        } else {
                            Mode::Stmt
                        };
                        stack.push((k, flags, mode));
                    }
                }
            }
            "compound_statement" => {
                let arithmetic = node.child(0).is_some_and(|c| c.kind() == "((");
                let mode = if arithmetic { Mode::Word } else { Mode::Stmt };
                self.push_named(node, flags, mode, stack);
            }
            "comment" => {}
            "heredoc_redirect"
            | "file_redirect"
            | "herestring_redirect"
            | "heredoc_body"
            | "word"
            | "string"
            | "raw_string"
            | "concatenation"
            | "simple_expansion"
            | "expansion"
            | "arithmetic_expansion"
            | "number"
            | "binary_expression"
            | "unary_expression"
            | "postfix_expression"
            | "parenthesized_expression"
            | "ternary_expression" => stack.push((node, flags, Mode::Word)),
            // program, do_group, else_clause, ERROR, …
            _ => self.push_named(node, flags, Mode::Stmt, stack),
        }
    }

    fn in_word(&mut self, node: Node<'t>, flags: u8, stack: &mut Vec<(Node<'t>, u8, Mode)>) {
        if node.child_count() == 0 {
            return;
        }
        match node.kind() {
            "command_substitution" | "process_substitution" => {
                self.push_named(node, substitution(flags), Mode::Stmt, stack)
            }
            "heredoc_redirect" => {
                // tree-sitter hangs the rest of the statement under the redirect:
                // `<<EOF && right`, `<<EOF | pipeline`.
                let kids = self.kids(node);
                let or = kids
                    .iter()
                    .any(|(k, f)| *f == Some("operator") && k.kind() == "||");
                for (k, field) in kids {
                    if !k.is_named() {
                        continue;
                    }
                    if field == Some("right") {
                        stack.push((k, if or { flags | AFTER_OR } else { flags }, Mode::Stmt));
                    } else if k.kind() == "pipeline" {
                        let tail = self.kids(k);
                        for (t, _) in tail {
                            if t.is_named() && t.kind() != "comment" {
                                stack.push((t, flags, Mode::PipeHead(flags | PIPELINE)));
                            }
                        }
                    } else if k.kind() == "heredoc_body" && self.claimed.contains(&k.id()) {
                        // Parsed as a nested script.
                    } else {
                        stack.push((k, flags, Mode::Word));
                    }
                }
            }
            _ => self.push_named(node, flags, Mode::Word, stack),
        }
    }

    /// See [`Mode::PipeHead`]: `head` for the leftmost operand, `flags` for the others.
    /// `extra` are arguments of the list's last command (see [`Walker::extra_arguments`]).
    fn pipe_head(
        &mut self,
        node: Node<'t>,
        flags: u8,
        head: u8,
        extra: &[Node<'t>],
        stack: &mut Vec<(Node<'t>, u8, Mode)>,
    ) {
        if node.kind() != "list" {
            // `a | b | c && d | e | f && g`: tree-sitter nests the rest of the list in the
            // pipeline again.
            stack.push((node, head, Mode::Operand(flags)));
            return;
        }
        let mut first = true;
        let mut after_or = false;
        let kids = self.kids(node);
        let end = kids
            .iter()
            .rposition(|(k, _)| k.is_named() && k.kind() != "comment");
        for (i, (k, _)) in kids.into_iter().enumerate() {
            if !k.is_named() {
                after_or = k.kind() == "||";
            } else if k.kind() != "comment" {
                if first {
                    stack.push((k, flags, Mode::PipeHead(head)));
                    first = false;
                } else {
                    let f = if after_or { flags | AFTER_OR } else { flags };
                    if Some(i) == end && !extra.is_empty() {
                        self.body(k, f, extra, stack);
                    } else {
                        stack.push((k, f, Mode::Operand(flags)));
                    }
                }
            }
        }
    }

    /// A pipeline, read as sh does where tree-sitter-bash nests it otherwise (`list` is the
    /// flags of the list it starts, see [`Walker::statement`]):
    /// - `! a | b`: `!` negates the whole pipeline (tree-sitter hangs it on `a` only);
    /// - `a | b | c && d`: tree-sitter reads `a | (b | c && d)`; `&&` and `||` bind looser
    ///   than `|`, so `d` is not in the pipeline;
    /// - `a && b > f | c`: tree-sitter hangs the redirection on `a && b` and pipes the list;
    ///   it is `b`'s, and only `b` is in the pipeline.
    ///
    /// `extra` are arguments of its last command (see [`Walker::extra_arguments`]).
    fn pipeline(
        &mut self,
        node: Node<'t>,
        flags: u8,
        list: u8,
        extra: &[Node<'t>],
        stack: &mut Vec<(Node<'t>, u8, Mode)>,
    ) -> (u8, u8) {
        let kids: Vec<Node<'t>> = self
            .kids(node)
            .into_iter()
            .map(|(k, _)| k)
            .filter(|k| k.is_named() && k.kind() != "comment")
            .collect();
        let negated = kids
            .first()
            .is_some_and(|&first| self.starts_negated(first));
        let mut inner = flags | PIPELINE | if negated { NEGATED } else { 0 };
        let last = kids.len().saturating_sub(1);
        let mut last_flags = None;
        for (i, k) in kids.into_iter().enumerate() {
            if i == 0 && last > 0 && k.kind() == "redirected_statement" {
                // `a || b > f | c`: the whole pipeline runs after `||`.
                if let Some(from_last) = self.redirected_list(k, inner, list, stack) {
                    inner |= from_last;
                    continue;
                }
                // `a | b > f | c`: tree-sitter reads `{ a | b; } > f | c`; one pipeline.
                if let Some(from_front) = self.redirected_pipeline(k, flags, list, stack) {
                    inner |= from_front;
                    continue;
                }
            }
            if i == last && i > 0 && k.kind() == "list" {
                last_flags = Some(list | self.last_operand_or(k));
                if extra.is_empty() {
                    stack.push((k, list, Mode::PipeHead(inner)));
                } else {
                    self.pipe_head(k, list, inner, extra, stack);
                }
                continue;
            }
            if i == last {
                self.body(k, inner, extra, stack);
            } else {
                stack.push((k, inner, Mode::Stmt));
            }
        }
        (
            inner & (AFTER_OR | NEGATED) & !flags,
            last_flags.unwrap_or(inner),
        )
    }

    /// The front of a pipeline that tree-sitter nests under a redirection of its last
    /// element (`a | b > f | c`): its elements, then the redirection with `b`'s flags (with
    /// `d`'s in `{ a | b | c || d; } > f`, tree-sitter's `a | b | c || d > f`). Gives
    /// the flags the rest of the pipeline takes from the front, `None` (and nothing pushed)
    /// when `node` is no such statement.
    fn redirected_pipeline(
        &mut self,
        node: Node<'t>,
        flags: u8,
        list: u8,
        stack: &mut Vec<(Node<'t>, u8, Mode)>,
    ) -> Option<u8> {
        let kids = self.kids(node);
        if kids.iter().any(|(k, _)| k.kind() == "heredoc_redirect") {
            return None;
        }
        let &(body, _) = kids
            .iter()
            .find(|(k, f)| *f == Some("body") && k.kind() == "pipeline")?;
        let extra = self.extra_arguments(&kids);
        let (from_front, last) = self.pipeline(body, flags, list, &extra, stack);
        for (k, field) in kids {
            if field != Some("body") && k.is_named() && k.kind() != "comment" {
                stack.push((k, last, Mode::Word));
            }
        }
        Some(from_front)
    }

    /// The first element of a pipeline starts with `!`: `! a | f>g | c`, which tree-sitter
    /// reads as `{ ! a | f; } > g | c`, negates `c` too.
    fn starts_negated(&mut self, mut node: Node<'t>) -> bool {
        loop {
            match node.kind() {
                "negated_command" => return true,
                "redirected_statement" => match node.child_by_field_name("body") {
                    Some(body) => node = body,
                    None => return false,
                },
                "pipeline" => match node.named_child(0) {
                    Some(first) => node = first,
                    None => return false,
                },
                _ => return false,
            }
        }
    }

    /// `a && b > f`, which tree-sitter reads as `{ a && b; } > f`: the redirection is the last
    /// operand's, so its substitutions run after `||` when that operand does. The last operand
    /// and the redirection run with `last`, the other operands are a list with `lead`. Gives
    /// the flags the rest of a pipeline it starts takes from the last operand ([`AFTER_OR`]
    /// after `||`, [`NEGATED`] after `!`); `None` (and nothing pushed) when `node` is no such
    /// statement, or holds a heredoc.
    fn redirected_list(
        &mut self,
        node: Node<'t>,
        last: u8,
        lead: u8,
        stack: &mut Vec<(Node<'t>, u8, Mode)>,
    ) -> Option<u8> {
        let kids = self.kids(node);
        let &(body, _) = kids
            .iter()
            .find(|(k, f)| *f == Some("body") && k.kind() == "list")?;
        if kids.iter().any(|(k, _)| k.kind() == "heredoc_redirect") {
            return None;
        }
        let parts = self.kids(body);
        let end = parts
            .iter()
            .rposition(|(k, _)| k.is_named() && k.kind() != "comment")?;
        let extra = self.extra_arguments(&kids);
        let mut after_or = false;
        let mut last_or = 0;
        let negated = if self.starts_negated(parts[end].0) {
            NEGATED
        } else {
            0
        };
        for (i, (k, _)) in parts.into_iter().enumerate() {
            if !k.is_named() {
                after_or = k.kind() == "||";
            } else if k.kind() != "comment" {
                let or = if after_or { AFTER_OR } else { 0 };
                if i == end {
                    last_or = or;
                    self.body(k, last | or, &extra, stack);
                } else {
                    stack.push((k, lead | or, Mode::Operand(lead)));
                }
            }
        }
        for (k, field) in kids {
            if field != Some("body") && k.is_named() && k.kind() != "comment" {
                stack.push((k, last | last_or, Mode::Word));
            }
        }
        Some(last_or | negated)
    }

    fn push_named(
        &mut self,
        node: Node<'t>,
        flags: u8,
        mode: Mode,
        stack: &mut Vec<(Node<'t>, u8, Mode)>,
    ) {
        self.cursor.reset(node);
        if self.cursor.goto_first_child() {
            loop {
                let k = self.cursor.node();
                if k.is_named() && k.kind() != "comment" {
                    stack.push((k, flags, mode));
                }
                if !self.cursor.goto_next_sibling() {
                    break;
                }
            }
        }
    }

    /// Groups adjacent nodes (no space between them) into words.
    fn group(nodes: &[Node<'t>]) -> Vec<Range<usize>> {
        let mut groups: Vec<Range<usize>> = Vec::new();
        for (i, n) in nodes.iter().enumerate() {
            match groups.last_mut() {
                Some(g) if nodes[g.end - 1].end_byte() == n.start_byte() => g.end = i + 1,
                _ => groups.push(i..i + 1),
            }
        }
        groups
    }

    /// A simple command; `extra` are its arguments after a redirection (see
    /// [`Walker::extra_arguments`]).
    fn command(
        &mut self,
        node: Node<'t>,
        flags: u8,
        extra: &[Node<'t>],
        stack: &mut Vec<(Node<'t>, u8, Mode)>,
    ) {
        let kids = self.kids(node);
        let mut assignments = Vec::new();
        let mut argv: Vec<Node<'t>> = Vec::new();
        for &(k, field) in &kids {
            if k.start_byte() == k.end_byte() {
                continue; // MISSING or empty nodes of a broken command
            }
            match field {
                Some("name") | Some("argument") => argv.push(k),
                _ if k.kind() == "variable_assignment" => assignments.push(self.word(&[k])),
                _ => {}
            }
        }
        argv.extend(extra);
        let groups = Self::group(&argv);
        let words: Vec<Word> = groups.iter().map(|g| self.word(&argv[g.clone()])).collect();
        let end = extra.last().map_or(node.end_byte(), |e| e.end_byte());
        let cmd = Command {
            words,
            assignments,
            span: self.job.map.span_to_file(node.start_byte()..end),
            context: self.context(flags),
        };

        // A script handed to a nested shell: parse it, and do not walk its word here.
        let mut skip: Option<Range<usize>> = None;
        if self.job.depth < MAX_NESTING {
            let view = effective(&cmd);
            if let Some((shell, ShellUse::Command { word, skip: cut })) = shell_use(&view) {
                let index = cmd.words.len() - view.words.len() + word;
                let group = groups[index].clone();
                let u = unquote(&argv[group.clone()], self.text(), true);
                self.queue_nested(u, cut, flags, format!("{shell} -c"));
                skip = Some(group);
            }
        }
        self.commands.push(cmd);

        for &(k, field) in &kids {
            if !k.is_named() {
                continue;
            }
            if let Some(skip) = &skip {
                if field == Some("argument") && argv[skip.clone()].iter().any(|a| a.id() == k.id())
                {
                    continue;
                }
            }
            stack.push((k, flags, Mode::Word));
        }
    }

    /// Queues the body `u` (from byte `cut` on) as a nested script.
    fn queue_nested(&mut self, u: Unquoted, cut: usize, flags: u8, label: String) {
        let cut = cut.min(u.text.len());
        if !u.text.is_char_boundary(cut) {
            return;
        }
        let text = u.text[cut..].to_string();
        let map = compose(&self.job.map, &u.offsets[cut..]);
        self.queue.push(Job {
            text: Cow::Owned(text),
            map: Cow::Owned(map),
            flags,
            nested_in: Some(label),
            depth: self.job.depth + 1,
        });
    }

    fn declaration(
        &mut self,
        node: Node<'t>,
        flags: u8,
        extra: &[Node<'t>],
        stack: &mut Vec<(Node<'t>, u8, Mode)>,
    ) {
        let kids = self.kids(node);
        let mut parts: Vec<Node<'t>> = kids
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| k.kind() != "comment" && k.start_byte() < k.end_byte())
            .collect();
        parts.extend(extra);
        let words = Self::group(&parts)
            .into_iter()
            .map(|g| self.word(&parts[g]))
            .collect();
        let end = extra.last().map_or(node.end_byte(), |e| e.end_byte());
        self.commands.push(Command {
            words,
            assignments: Vec::new(),
            span: self.job.map.span_to_file(node.start_byte()..end),
            context: self.context(flags),
        });
        self.push_named(node, flags, Mode::Word, stack);
    }

    /// `[ … ]` / `[[ … ]]`: argv is the flattened expression between the brackets.
    fn test_command(&mut self, node: Node<'t>, flags: u8, stack: &mut Vec<(Node<'t>, u8, Mode)>) {
        let mut parts: Vec<Node<'t>> = Vec::new();
        let mut todo: Vec<Node<'t>> = vec![node];
        while let Some(n) = todo.pop() {
            let flatten = n.id() == node.id()
                || matches!(
                    n.kind(),
                    "binary_expression" | "unary_expression" | "parenthesized_expression"
                );
            if flatten && n.child_count() > 0 {
                let kids = self.kids(n);
                todo.extend(kids.into_iter().rev().map(|(k, _)| k));
            } else if n.kind() != "comment" && n.start_byte() < n.end_byte() {
                parts.push(n);
            }
        }
        let words = parts.iter().map(|p| self.word(&[*p])).collect();
        self.commands.push(Command {
            words,
            assignments: Vec::new(),
            span: self.job.map.span_to_file(node.byte_range()),
            context: self.context(flags),
        });
        self.push_named(node, flags, Mode::Word, stack);
    }

    /// A statement with redirections. A heredoc fed to a shell (`bash <<EOF`, `cat <<EOF |
    /// sh`) is parsed as a nested script.
    fn redirected(&mut self, node: Node<'t>, flags: u8, stack: &mut Vec<(Node<'t>, u8, Mode)>) {
        if self.redirected_list(node, flags, flags, stack).is_some()
            || self
                .redirected_pipeline(node, flags, flags, stack)
                .is_some()
        {
            return;
        }
        let kids = self.kids(node);
        let heredoc = kids
            .iter()
            .find(|(k, _)| k.kind() == "heredoc_redirect")
            .map(|(k, _)| *k);
        let mut body_flags = flags;
        // `a || cat <<EOF` (the heredoc's substitutions run after `||`).
        let mut last_or = match kids.iter().find(|(_, f)| *f == Some("body")) {
            Some(&(body, _)) if body.kind() == "list" => self.last_operand_or(body),
            _ => 0,
        };
        if let Some(h) = heredoc {
            // Not when tree-sitter hangs more of the statement under it (`<<EOF && x`,
            // `<<EOF | y`): those run with their own flags.
            let more = self
                .kids(h)
                .iter()
                .any(|(k, f)| *f == Some("right") || k.kind() == "pipeline");
            if more {
                last_or = 0;
            }
        }
        if let Some(h) = heredoc {
            let hk = self.kids(h);
            let pipe = hk
                .iter()
                .find(|(k, _)| k.kind() == "pipeline")
                .map(|(k, _)| *k);
            if pipe.is_some() {
                body_flags |= PIPELINE;
            }
            let stdin = hk
                .iter()
                .all(|(k, f)| *f != Some("descriptor") || self.text()[k.byte_range()] == *"0");
            let body = kids
                .iter()
                .find(|(_, f)| *f == Some("body"))
                .map(|(k, _)| *k);
            let reader = match pipe {
                // `cat <<EOF | sh`: the first command of the pipeline reads it.
                Some(p) if body.is_some_and(|b| self.is_cat(b)) => self.pipe_first_command(p),
                // `bash <<EOF`, `bash <<EOF | tee log`.
                _ => body,
            };
            let shell = reader.filter(|_| stdin).and_then(|r| self.stdin_shell(r));
            let hbody = hk
                .iter()
                .find(|(k, _)| k.kind() == "heredoc_body")
                .map(|(k, _)| *k);
            if let (Some(shell), Some(hbody), true) = (shell, hbody, self.job.depth < MAX_NESTING) {
                let delim = hk
                    .iter()
                    .find(|(k, _)| k.kind() == "heredoc_start")
                    .map(|(k, _)| {
                        self.text()[k.byte_range()]
                            .trim_matches(['"', '\''])
                            .to_string()
                    })
                    .unwrap_or_default();
                self.claimed.push(hbody.id());
                let range = hbody.byte_range();
                let piped = if pipe.is_some() { PIPELINE } else { 0 };
                self.queue.push(Job {
                    text: Cow::Owned(self.text()[range.clone()].to_string()),
                    map: Cow::Owned(self.job.map.slice(range)),
                    flags: flags | piped,
                    nested_in: Some(format!("{shell} <<{delim}")),
                    depth: self.job.depth + 1,
                });
            }
        }
        let extra = self.extra_arguments(&kids);
        for (k, field) in kids {
            if !k.is_named() || k.kind() == "comment" {
                continue;
            }
            if field == Some("body") {
                self.body(k, body_flags, &extra, stack);
            } else {
                stack.push((k, flags | last_or, Mode::Word));
            }
        }
    }

    /// [`AFTER_OR`] when the last operand of `node`, a list, follows `||` (else 0).
    fn last_operand_or(&mut self, node: Node<'t>) -> u8 {
        let kids = self.kids(node);
        let last = kids
            .iter()
            .rposition(|(k, _)| k.is_named() && k.kind() != "comment");
        let or = last.and_then(|at| kids[..at].iter().rev().find(|(k, _)| !k.is_named()));
        match or {
            Some((k, _)) if k.kind() == "||" => AFTER_OR,
            _ => 0,
        }
    }

    /// The body of a redirected statement, with `extra` arguments when it is a command.
    fn body(
        &mut self,
        node: Node<'t>,
        flags: u8,
        extra: &[Node<'t>],
        stack: &mut Vec<(Node<'t>, u8, Mode)>,
    ) {
        match node.kind() {
            "command" => self.command(node, flags, extra, stack),
            "declaration_command" | "unset_command" => self.declaration(node, flags, extra, stack),
            "pipeline" if !extra.is_empty() => {
                self.pipeline(node, flags, flags, extra, stack);
            }
            "negated_command" if !extra.is_empty() => {
                let inner = node.named_child(0).filter(|c| c.kind() != "comment");
                match inner {
                    Some(command) => self.body(command, flags | NEGATED, extra, stack),
                    None => stack.push((node, flags, Mode::Stmt)),
                }
            }
            _ => stack.push((node, flags, Mode::Stmt)),
        }
    }

    /// `a > f b`: tree-sitter reads every word after a redirection as another destination;
    /// sh takes one destination word, and the words after it are the command's arguments.
    /// The destinations after the first, of each file redirection of `kids`.
    /// Within a heredoc redirection, tree-sitter nests the redirections and arguments that
    /// follow it on the line.
    fn extra_arguments(&mut self, kids: &Kids<'t>) -> Vec<Node<'t>> {
        let mut extra = Vec::new();
        let mut todo: Vec<Node<'t>> = kids.iter().map(|(k, _)| *k).collect();
        while let Some(k) = todo.pop() {
            match k.kind() {
                "file_redirect" => {
                    let parts = self.kids(k);
                    // `>&-` closes a descriptor: it has no destination.
                    let close = parts.iter().any(|(d, _)| matches!(d.kind(), ">&-" | "<&-"));
                    let destinations: Vec<Node<'t>> = parts
                        .into_iter()
                        .filter(|(d, f)| *f == Some("destination") && d.start_byte() < d.end_byte())
                        .map(|(d, _)| d)
                        .collect();
                    let skip = usize::from(!close);
                    for group in Self::group(&destinations).into_iter().skip(skip) {
                        extra.extend(&destinations[group]);
                    }
                }
                "heredoc_redirect" => {
                    for (d, f) in self.kids(k) {
                        if f == Some("argument") && d.start_byte() < d.end_byte() {
                            extra.push(d);
                        } else if d.kind() == "file_redirect" {
                            todo.push(d);
                        }
                    }
                }
                _ => {}
            }
        }
        extra.sort_by_key(|e| e.start_byte());
        extra
    }

    fn is_cat(&mut self, node: Node<'t>) -> bool {
        node.kind() == "command" && self.light_command(node).effective().name() == Some("cat")
    }

    /// The leftmost command of the pipeline tree-sitter hangs under a heredoc redirect.
    fn pipe_first_command(&mut self, pipe: Node<'t>) -> Option<Node<'t>> {
        let mut n = pipe;
        loop {
            let next = self
                .kids(n)
                .into_iter()
                .find(|(k, _)| k.is_named() && k.kind() != "comment")
                .map(|(k, _)| k)?;
            match next.kind() {
                "command" => return Some(next),
                "list" | "pipeline" => n = next,
                _ => return None,
            }
        }
    }

    /// The shell's name when `node` is a shell command reading its script from stdin.
    fn stdin_shell(&mut self, node: Node<'t>) -> Option<String> {
        if node.kind() != "command" {
            return None;
        }
        let cmd = self.light_command(node);
        match shell_use(&effective(&cmd)) {
            Some((shell, ShellUse::Stdin)) if is_shell(&shell) => Some(shell),
            _ => None,
        }
    }

    /// The words of a command node (no context, no span work beyond the words).
    fn light_command(&mut self, node: Node<'t>) -> Command {
        let argv: Vec<Node<'t>> = self
            .kids(node)
            .into_iter()
            .filter(|(k, f)| {
                matches!(*f, Some("name") | Some("argument")) && k.start_byte() < k.end_byte()
            })
            .map(|(k, _)| k)
            .collect();
        let words = Self::group(&argv)
            .into_iter()
            .map(|g| self.word(&argv[g]))
            .collect();
        Command {
            words,
            assignments: Vec::new(),
            span: 0..0,
            context: CommandContext::default(),
        }
    }
}

/// The context flags as a [`CommandContext`] (without `nested_in`).
pub(super) fn context_of(flags: u8) -> CommandContext {
    CommandContext {
        in_pipeline: flags & PIPELINE != 0,
        negated: flags & NEGATED != 0,
        in_subshell: flags & SUBSHELL != 0,
        in_substitution: flags & SUBST != 0,
        after_or: flags & AFTER_OR != 0,
        in_condition: flags & CONDITION != 0,
        nested_in: None,
    }
}

/// The flags of a [`CommandContext`] (the inverse of [`context_of`]).
pub(super) fn flags_of(context: &CommandContext) -> u8 {
    let mut flags = 0;
    for (on, flag) in [
        (context.in_pipeline, PIPELINE),
        (context.negated, NEGATED),
        (context.in_subshell, SUBSHELL),
        (context.in_substitution, SUBST),
        (context.after_or, AFTER_OR),
        (context.in_condition, CONDITION),
    ] {
        if on {
            flags |= flag;
        }
    }
    flags
}

/// A map for a derived text whose byte `i` came from offset `offsets[i]` of the text `outer`
/// maps.
pub(crate) fn compose(outer: &SourceMap, offsets: &[usize]) -> SourceMap {
    let mut map = SourceMap::default();
    let mut i = 0;
    while i < offsets.len() {
        let mut j = i + 1;
        while j < offsets.len() && offsets[j] == offsets[j - 1] + 1 {
            j += 1;
        }
        push_mapped(&mut map, outer, offsets[i], j - i);
        i = j;
    }
    map
}

/// Appends to `dst` the `len` bytes of `src`'s text starting at `start`.
///
/// Relies on the maps the syntax layer builds being monotonic (file offsets increase with
/// text offsets), so a run whose two ends are `n` bytes apart in both texts is contiguous.
pub(crate) fn push_mapped(dst: &mut SourceMap, src: &SourceMap, start: usize, len: usize) {
    let end = start + len;
    let mut pos = start;
    while pos < end {
        let f0 = src.to_file(pos);
        let contiguous = |n: usize| src.to_file(pos + n - 1) == f0 + n - 1;
        // Longest contiguous run from `pos`: gallop, then bisect.
        let max = end - pos;
        let mut good = 1;
        let mut bad = max + 1;
        let mut step = 1;
        while good < max {
            let probe = (good + step).min(max);
            if contiguous(probe) {
                good = probe;
                step *= 2;
            } else {
                bad = probe;
                break;
            }
        }
        while bad - good > 1 {
            let mid = (good + bad) / 2;
            if contiguous(mid) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        dst.push(f0, good);
        pos += good;
    }
}
