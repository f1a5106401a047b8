//! The scripts a RUN instruction runs, following BuildKit's `dispatchRun`.

use super::effective::effective;
use super::nested::{shebang_shell, shell_use, ShellUse};
use super::quote::json_string;
use super::walk::{self, compose, Job};
use super::{parse_script, Command, CommandContext, Script, Word};
use crate::syntax::{Instruction, Keyword, SourceMap};

/// The shell scripts a RUN instruction (or `ONBUILD RUN`, through `instr.onbuild`) runs:
///
/// - shell form: the command after the flags, in BuildKit's joined form;
/// - `RUN <<EOF` (the whole command is one heredoc): the heredoc body, unless it starts with
///   a `#!` line naming something other than a POSIX-like shell (`#!/usr/bin/env python3`
///   gives nothing);
/// - any other shell form with heredocs (`RUN bash <<EOF`, `RUN cat <<EOF > f`): the command
///   line followed by the heredoc bodies and terminators, as BuildKit hands it to the shell
///   (so `bash -e <<EOF` bodies come out as commands nested in `bash <<EOF`);
/// - exec (JSON) form: nothing, unless it runs a shell with `-c`
///   (`["sh", "-c", "…"]`, `["/bin/bash", "-ec", "…"]`): then the exec command itself plus
///   the body's commands, nested in `sh -c`.
///
/// Other instructions give nothing. At most one script comes back today; the `Vec` leaves room
/// for instructions that run several.
pub fn run_scripts(instr: &Instruction, source: &str) -> Vec<Script> {
    let run = match instr.keyword {
        Keyword::Run => Some(instr),
        Keyword::Onbuild => instr
            .onbuild
            .as_deref()
            .filter(|i| i.keyword == Keyword::Run),
        _ => None,
    };
    run.and_then(|i| run_script(i, source))
        .into_iter()
        .collect()
}

fn run_script(instr: &Instruction, source: &str) -> Option<Script> {
    if instr.json {
        return exec_form(instr);
    }
    let line = &instr.line;
    let rest = instr.rest.clone();
    let text = line.text.get(rest.clone())?;
    if instr.heredocs.is_empty() {
        return Some(parse_script(text, &line.map.slice(rest)));
    }
    if is_heredoc_marker(text) {
        // The heredoc is the whole command: BuildKit runs its body (a `#!` body as a file).
        let h = &instr.heredocs[0];
        let body = source.get(h.body_span.clone())?;
        if body.starts_with("#!") {
            shebang_shell(body.lines().next().unwrap_or(""))?;
        }
        return Some(parse_script(
            body,
            &SourceMap::contiguous(h.body_span.start, body.len()),
        ));
    }
    // BuildKit: full = cmdline + for each heredoc: "\n" + data + name.
    //
    // tree-sitter-bash cannot parse two heredocs pending on one line (`cat <<A <<B`, even
    // `cat <<A && cat <<B`): the markers after the first are blanked (the redirections go,
    // the words stay) and only the first body is appended.
    let mut full = text.to_string();
    for h in instr.heredocs.iter().skip(1) {
        let Some(at) = text_offset(&line.map, rest.clone(), h.marker_span.start) else {
            continue;
        };
        let len = h.marker_span.len();
        let at = at - rest.start;
        if full
            .get(at..at + len)
            .is_some_and(|m| m.starts_with(|c: char| c.is_ascii_digit() || c == '<'))
        {
            full.replace_range(at..at + len, &" ".repeat(len));
        }
    }
    let mut map = line.map.slice(rest);
    for h in instr.heredocs.iter().take(1) {
        let Some(body) = source.get(h.body_span.clone()) else {
            continue;
        };
        full.push('\n');
        map.push(h.body_span.start.saturating_sub(1), 1);
        full.push_str(body);
        map.push(h.body_span.start, body.len());
        // A body cut off by the end of the file gets no newline: there is no byte to map it
        // to (and no terminator to put after it).
        if !body.is_empty() && !body.ends_with('\n') && h.body_span.end < source.len() {
            full.push('\n');
            map.push(h.body_span.end, 1);
        }
        let term = source.get(h.terminator_span.clone()).unwrap_or("");
        full.push_str(term);
        map.push(h.terminator_span.start, term.len());
    }
    Some(parse_script(&full, &map))
}

/// The offset in `range` of the text whose byte maps to `file_offset` (maps are monotonic).
fn text_offset(
    map: &SourceMap,
    range: std::ops::Range<usize>,
    file_offset: usize,
) -> Option<usize> {
    let (lo, hi) = (range.start, range.end);
    let mut a = lo;
    let mut b = hi;
    while a < b {
        let mid = a + (b - a) / 2;
        if map.to_file(mid) < file_offset {
            a = mid + 1;
        } else {
            b = mid;
        }
    }
    (a < hi && map.to_file(a) == file_offset).then_some(a)
}

/// `<<EOF`, `<<-EOF`, `<<"EOF"`, `3<< 'EOF'`: the whole command is one heredoc (BuildKit's
/// `reHeredoc` plus its single-word check).
pub(crate) fn is_heredoc_marker(text: &str) -> bool {
    let rest = text.trim_start_matches(|c: char| c.is_ascii_digit());
    let Some(rest) = rest.strip_prefix("<<") else {
        return false;
    };
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    !rest.contains('<') && rest.split_whitespace().count() == 1
}

/// `["sh", "-c", "…"]`: the exec command and the body's commands.
fn exec_form(instr: &Instruction) -> Option<Script> {
    let line = &instr.line;
    let mut words = Vec::with_capacity(instr.args.len());
    for a in &instr.args {
        let raw = line.text.get(a.range.clone())?;
        words.push(Word::new(
            raw,
            Some(a.value.clone()),
            line.map.span_to_file(a.range.clone()),
        ));
    }
    let cmd = Command {
        words,
        assignments: Vec::new(),
        span: instr.rest_span(),
        context: CommandContext::default(),
    };
    let view = effective(&cmd);
    let (shell, ShellUse::Command { word, skip }) = shell_use(&view)? else {
        return None;
    };
    let index = cmd.words.len() - view.words.len() + word;
    let arg = &instr.args[index];
    let mut body = json_string(&line.text, arg.range.start, arg.range.end);
    if body.text != arg.value {
        // The range is not the JSON literal we expected: keep the value, map it coarsely.
        body.text = arg.value.clone();
        body.offsets = vec![arg.range.start; arg.value.len()];
    }
    let skip = skip.min(body.text.len());
    if !body.text.is_char_boundary(skip) {
        return None;
    }
    let map = compose(&line.map, &body.offsets[skip..]);
    let job = Job::nested(body.text[skip..].to_string(), map, format!("{shell} -c"));
    Some(walk::parse_with(vec![job], vec![cmd]))
}
