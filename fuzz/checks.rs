//! What the fuzz targets check, shared with `tests/library/fuzz_regressions.rs` so that every saved
//! crash input goes through exactly the checks that found it.
//!
//! Each check takes raw bytes (read lossily, as the CLI does) and returns `Err` with a
//! description when an invariant breaks; a panic inside dlint is a failure too.

#![allow(dead_code)]

use std::ops::Range;

use dlint::linter::{fix_source, lint_source, LintOptions};
use dlint::rules::{RuleSelector, Selection};
use dlint::shell::{parse_script, run_scripts, Script};
use dlint::syntax::{dump, dump_json, parse, ErrorSeverity, Instruction, Node, SourceMap};

type Checked = Result<(), String>;

/// `parse`: the tree prints the input back exactly, its nodes partition the input, the dumps
/// do not panic, and every span is in bounds, on character boundaries and ordered.
pub fn check_parse(data: &[u8]) -> Checked {
    let source = String::from_utf8_lossy(data);
    let parsed = parse(&source);
    if parsed.tree.print() != source {
        return Err("printing the tree does not give the input back".into());
    }
    let mut at = 0;
    for node in &parsed.tree.nodes {
        let span = node.span();
        if span.start != at || span.end < span.start {
            return Err(format!(
                "node {span:?} does not start where the last ended ({at})"
            ));
        }
        at = span.end;
        if let Node::Instruction(instruction) = node {
            check_instruction(&source, instruction, &span)?;
        }
    }
    if at != source.len() {
        return Err(format!("nodes end at {at}, the input at {}", source.len()));
    }
    for error in &parsed.errors {
        in_bounds(&source, &error.span, "parse error")?;
        if error.line == 0 {
            return Err(format!("parse error with line 0: {}", error.message));
        }
    }
    let _ = dump(&parsed.tree);
    let _ = dump_json(&parsed);
    Ok(())
}

fn check_instruction(source: &str, instruction: &Instruction, outer: &Range<usize>) -> Checked {
    inside(source, &instruction.span, outer, "instruction")?;
    let whole = &instruction.span;
    inside(source, &instruction.keyword_span, whole, "keyword")?;
    if instruction.start_line == 0 || instruction.start_line > instruction.end_line {
        return Err(format!(
            "instruction lines {}..{}",
            instruction.start_line, instruction.end_line
        ));
    }
    let mut last = whole.start;
    for flag in &instruction.flags {
        inside(source, &flag.span, whole, "flag")?;
        inside(source, &flag.name_span, &flag.span, "flag name")?;
        if let Some(value) = &flag.value_span {
            inside(source, value, &flag.span, "flag value")?;
        }
        ordered(&mut last, &flag.span, "flag")?;
    }
    let line = &instruction.line.text;
    range_in(line, &instruction.rest, "rest")?;
    let _ = instruction.rest_text();
    let _ = instruction.rest_span();
    for arg in &instruction.args {
        inside(source, &arg.span, whole, "argument")?;
        range_in(line, &arg.range, "argument range")?;
        ordered(&mut last, &arg.span, "argument")?;
    }
    for heredoc in &instruction.heredocs {
        inside(source, &heredoc.marker_span, whole, "heredoc marker")?;
        inside(source, &heredoc.body_span, whole, "heredoc body")?;
        inside(
            source,
            &heredoc.terminator_span,
            whole,
            "heredoc terminator",
        )?;
        if heredoc.body_span.start < heredoc.marker_span.end {
            return Err(format!(
                "heredoc body {:?} before its marker {:?}",
                heredoc.body_span, heredoc.marker_span
            ));
        }
    }
    if let Some(inner) = &instruction.onbuild {
        check_instruction(source, inner, whole)?;
    }
    Ok(())
}

/// `shell`: the scripts of every RUN, and the whole input read as one script, give spans in
/// bounds (a RUN's inside the RUN), commands in file order, and command views that do not
/// panic.
pub fn check_shell(data: &[u8]) -> Checked {
    let source = String::from_utf8_lossy(data);
    let parsed = parse(&source);
    for instruction in parsed.tree.instructions() {
        for script in run_scripts(instruction, &source) {
            check_script(&source, &script, &instruction.span)?;
        }
    }
    let whole = parse_script(&source, &SourceMap::contiguous(0, source.len()));
    check_script(&source, &whole, &(0..source.len()))
}

fn check_script(source: &str, script: &Script, outer: &Range<usize>) -> Checked {
    let mut last = outer.start;
    for command in &script.commands {
        inside(source, &command.span, outer, "command")?;
        if command.span.start < last {
            return Err(format!(
                "command {:?} out of file order (after {last})",
                command.span
            ));
        }
        last = command.span.start;
        for word in command.words.iter().chain(&command.assignments) {
            inside(source, &word.span, outer, "word")?;
        }
        let view = command.effective();
        let _ = (view.name(), view.args(), view.via_xargs(), command.name());
        for word in view.words.iter().chain(view.assignments.iter().copied()) {
            inside(source, &word.span, outer, "effective word")?;
        }
    }
    let _ = script.commands_named("apt-get").count();
    let _ = script.dump();
    Ok(())
}

/// `lint_fix`: linting with every rule gives spans and edits in bounds, and fixing with unsafe
/// fixes converges to a text with no new syntax errors that a second pass leaves alone.
pub fn check_lint_fix(data: &[u8]) -> Checked {
    let source = String::from_utf8_lossy(data);
    let options = all_rules();
    for diagnostic in lint_source(None, &source, &options) {
        in_bounds(&source, &diagnostic.span, diagnostic.code)?;
        for edit in diagnostic.fix.iter().flat_map(|f| &f.edits) {
            in_bounds(&source, &edit.range, diagnostic.code)?;
        }
    }
    let fixed = fix_source(None, &source, &options, true);
    if !fixed.converged {
        return Err(format!("fixes did not converge: {:?}", fixed.applied));
    }
    let (before, after) = (syntax_errors(&source), syntax_errors(&fixed.text));
    if after > before {
        return Err(format!(
            "fixing added syntax errors ({before} → {after}) with {:?}",
            fixed.applied
        ));
    }
    let again = fix_source(None, &fixed.text, &options, true);
    if again.text != fixed.text {
        return Err(format!(
            "a second fix pass changed the text: {:?}",
            again.applied
        ));
    }
    Ok(())
}

/// Every rule, the default ones and those off by default.
pub fn all_rules() -> LintOptions {
    let all = RuleSelector::parse("ALL").expect("`ALL` is a selector");
    LintOptions {
        selection: Selection {
            select: Some(vec![all]),
            ..Selection::default()
        },
        ..LintOptions::default()
    }
}

fn syntax_errors(text: &str) -> usize {
    parse(text)
        .errors
        .iter()
        .filter(|e| e.severity == ErrorSeverity::Error)
        .count()
}

fn in_bounds(source: &str, span: &Range<usize>, what: &str) -> Checked {
    if span.start > span.end || span.end > source.len() {
        return Err(format!("{what} span {span:?} outside 0..{}", source.len()));
    }
    if !source.is_char_boundary(span.start) || !source.is_char_boundary(span.end) {
        return Err(format!("{what} span {span:?} splits a character"));
    }
    Ok(())
}

fn inside(source: &str, span: &Range<usize>, outer: &Range<usize>, what: &str) -> Checked {
    in_bounds(source, span, what)?;
    if span.start < outer.start || span.end > outer.end {
        return Err(format!("{what} span {span:?} outside its parent {outer:?}"));
    }
    Ok(())
}

fn range_in(text: &str, range: &Range<usize>, what: &str) -> Checked {
    in_bounds(text, range, what)
}

/// Spans of the same kind come in order: each starts at or after the previous one's start.
fn ordered(last: &mut usize, span: &Range<usize>, what: &str) -> Checked {
    if span.start < *last {
        return Err(format!(
            "{what} span {span:?} before the previous one ({last})"
        ));
    }
    *last = span.start;
    Ok(())
}
