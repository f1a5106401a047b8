//! Code actions:
//!
//! - a quick fix for every fixable finding under the cursor (`Fix DL3009: …`); unsafe fixes
//!   say "(unsafe)" in their title and are never the preferred action, safe ones are;
//! - "Ignore CODE for this instruction", which writes `# dlint ignore=CODE` above the
//!   instruction and its ignore comments, with its indentation (or adds the code to such a
//!   comment already there);
//! - `source.fixAll.dlint` (or `source.fixAll`, when asked for by that kind): every safe fix,
//!   through the same fix loop as `dlint --fix`, as one edit.

use std::collections::HashMap;
use std::ops::Range;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, TextEdit, WorkspaceEdit,
};

use super::diagnostics::to_lsp;
use super::document::Document;
use super::encoding::Encoding;
use crate::diagnostic::Diagnostic;
use crate::fix::{fix_until_stable, Applicability, Candidate};
use crate::rules::suppress::{parse_pragma, PragmaScope};
use crate::syntax::parse;

/// The kind of the fix-all source action.
pub const FIX_ALL_KIND: &str = "source.fixAll.dlint";

/// What the actions need to know beyond the document.
pub struct ActionContext<'a> {
    pub encoding: Encoding,
    /// The client takes versioned `documentChanges`.
    pub document_changes: bool,
    /// `context.only`: the kinds the client asks for.
    pub only: Option<&'a [CodeActionKind]>,
    /// Lints a text as this document would be linted (for the fix loop).
    pub lint: &'a dyn Fn(&str) -> Vec<Diagnostic>,
}

pub fn code_actions(
    document: &Document,
    diagnostics: &[Diagnostic],
    range: Range<usize>,
    context: &ActionContext<'_>,
) -> Vec<CodeActionOrCommand> {
    let mut actions = Vec::new();
    let in_range: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.span.start <= range.end && range.start <= d.span.end.max(d.span.start))
        .collect();
    if wanted(&CodeActionKind::QUICKFIX, context.only) {
        for diagnostic in &in_range {
            if let Some(action) = quick_fix(document, diagnostic, context) {
                actions.push(action);
            }
        }
        let mut ignored: Vec<&str> = Vec::new();
        for diagnostic in &in_range {
            if ignored.contains(&diagnostic.code) {
                continue;
            }
            if let Some(action) = ignore_action(document, diagnostic, context) {
                ignored.push(diagnostic.code);
                actions.push(action);
            }
        }
    }
    if wanted(&CodeActionKind::new(FIX_ALL_KIND), context.only) {
        if let Some(mut action) = fix_all(document, diagnostics, context) {
            action.kind = Some(fix_all_kind(context.only));
            actions.push(action);
        }
    }
    actions
        .into_iter()
        .map(CodeActionOrCommand::CodeAction)
        .collect()
}

/// The fix-all action's kind: `source.fixAll` when that is what the client asked for (eglot
/// keeps only actions of exactly the kind it asked for), else `source.fixAll.dlint`.
fn fix_all_kind(only: Option<&[CodeActionKind]>) -> CodeActionKind {
    let asked = |kind: &CodeActionKind| only.is_some_and(|only| only.contains(kind));
    if asked(&CodeActionKind::SOURCE_FIX_ALL) && !asked(&CodeActionKind::new(FIX_ALL_KIND)) {
        CodeActionKind::SOURCE_FIX_ALL
    } else {
        CodeActionKind::new(FIX_ALL_KIND)
    }
}

/// Whether a kind is among those asked for: `only` lists kinds and their parents
/// (`source.fixAll` covers `source.fixAll.dlint`).
fn wanted(kind: &CodeActionKind, only: Option<&[CodeActionKind]>) -> bool {
    let Some(only) = only else {
        return true;
    };
    only.iter().any(|asked| {
        let (kind, asked) = (kind.as_str(), asked.as_str());
        kind == asked
            || kind
                .strip_prefix(asked)
                .is_some_and(|rest| rest.starts_with('.'))
    })
}

fn quick_fix(
    document: &Document,
    diagnostic: &Diagnostic,
    context: &ActionContext<'_>,
) -> Option<CodeAction> {
    let fix = diagnostic.fix.as_ref().filter(|f| f.is_applicable(true))?;
    let converter = document.converter(context.encoding);
    let safe = fix.applicability == Applicability::Safe;
    let edits = fix
        .edits
        .iter()
        .map(|edit| TextEdit::new(converter.range(&edit.range), edit.replacement.clone()))
        .collect();
    Some(CodeAction {
        title: format!(
            "Fix {}: {}{}",
            diagnostic.code,
            fix.message,
            if safe { "" } else { " (unsafe)" }
        ),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![to_lsp(&converter, diagnostic)]),
        edit: Some(workspace_edit(document, edits, context)),
        is_preferred: Some(safe),
        ..CodeAction::default()
    })
}

fn ignore_action(
    document: &Document,
    diagnostic: &Diagnostic,
    context: &ActionContext<'_>,
) -> Option<CodeAction> {
    if diagnostic.code == "DL1000" {
        // A file that does not parse cannot be told to parse.
        return None;
    }
    let edit = ignore_edit(&document.text, diagnostic.span.start, diagnostic.code)?;
    let converter = document.converter(context.encoding);
    Some(CodeAction {
        title: format!("Ignore {} for this instruction", diagnostic.code),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![to_lsp(&converter, diagnostic)]),
        edit: Some(workspace_edit(
            document,
            vec![TextEdit::new(converter.range(&edit.0), edit.1)],
            context,
        )),
        is_preferred: Some(false),
        ..CodeAction::default()
    })
}

/// The edit that makes `code` ignored for the instruction containing `offset`: the code added
/// to a `# dlint ignore=` comment among the ignore comments right above it, or else a new
/// `# dlint ignore=CODE` line above all of them (never between a `# hadolint ignore=` and its
/// instruction: hadolint reads only the line right above), with the instruction's indentation
/// and the file's line ending. `None` outside any instruction, or when a comment above already
/// lists the code.
pub fn ignore_edit(text: &str, offset: usize, code: &str) -> Option<(Range<usize>, String)> {
    let parsed = parse(text);
    let instruction = parsed
        .tree
        .instructions()
        .find(|i| i.span.start <= offset && offset < i.span.end.max(i.span.start + 1))?;
    let keyword = instruction.keyword_span.start;
    let line_start = text[..keyword].rfind('\n').map_or(0, |at| at + 1);
    let indent = &text[line_start..keyword];
    let indent = if indent.trim().is_empty() { indent } else { "" };
    let mut top = line_start;
    while top > 0 {
        let previous_start = text[..top - 1].rfind('\n').map_or(0, |at| at + 1);
        let previous = text[previous_start..top - 1].trim_end_matches('\r');
        let Some(comment) = parse_pragma(previous).filter(|c| c.scope == PragmaScope::Next) else {
            break;
        };
        if comment
            .codes
            .iter()
            .any(|(c, _)| c.eq_ignore_ascii_case(code))
        {
            return None;
        }
        if comment.tool == "dlint" {
            let at = previous_start + comment.end_of_codes;
            return Some((at..at, format!(",{code}")));
        }
        top = previous_start;
    }
    let line_end = text[line_start..].find('\n').map(|at| line_start + at);
    let newline = if line_end.is_some_and(|end| end > 0 && text.as_bytes()[end - 1] == b'\r') {
        "\r\n"
    } else {
        "\n"
    };
    Some((top..top, format!("{indent}# dlint ignore={code}{newline}")))
}

fn fix_all(
    document: &Document,
    diagnostics: &[Diagnostic],
    context: &ActionContext<'_>,
) -> Option<CodeAction> {
    if !diagnostics
        .iter()
        .any(|d| d.fix.as_ref().is_some_and(|f| f.is_applicable(false)))
    {
        return None;
    }
    let outcome = fix_until_stable(&document.text, false, |text| {
        (context.lint)(text)
            .into_iter()
            .filter_map(|d| d.fix.map(|fix| Candidate { code: d.code, fix }))
            .collect()
    });
    let edits = diff_edits(&document.text, &outcome.text);
    if edits.is_empty() {
        return None;
    }
    let converter = document.converter(context.encoding);
    let edits = edits
        .into_iter()
        .map(|(range, replacement)| TextEdit::new(converter.range(&range), replacement))
        .collect();
    Some(CodeAction {
        title: "dlint: fix all safely fixable problems".to_string(),
        kind: Some(CodeActionKind::new(FIX_ALL_KIND)),
        edit: Some(workspace_edit(document, edits, context)),
        ..CodeAction::default()
    })
}

/// The edits that turn `before` into `after`: one per changed run of lines, each trimmed to
/// what differs, so that the editor's cursor and undo history stay where they were.
pub fn diff_edits(before: &str, after: &str) -> Vec<(Range<usize>, String)> {
    let old: Vec<&str> = before.split_inclusive('\n').collect();
    let new: Vec<&str> = after.split_inclusive('\n').collect();
    let starts = |lines: &[&str]| -> Vec<usize> {
        let mut at = 0;
        let mut out = Vec::with_capacity(lines.len() + 1);
        for line in lines {
            out.push(at);
            at += line.len();
        }
        out.push(at);
        out
    };
    let (old_starts, new_starts) = (starts(&old), starts(&new));
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &old, &new);
    let mut edits = Vec::new();
    for op in ops {
        let (old_range, new_range) = (op.old_range(), op.new_range());
        let removed = old_starts[old_range.start]..old_starts[old_range.end];
        let inserted = &after[new_starts[new_range.start]..new_starts[new_range.end]];
        if let Some((range, text)) = minimal_edit(&before[removed.clone()], inserted) {
            edits.push((removed.start + range.start..removed.start + range.end, text));
        }
    }
    edits
}

/// The one replacement that turns `before` into `after`: what lies between their common
/// prefix and common suffix. `None` when they are equal.
pub fn minimal_edit(before: &str, after: &str) -> Option<(Range<usize>, String)> {
    if before == after {
        return None;
    }
    let mut prefix = before
        .bytes()
        .zip(after.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !before.is_char_boundary(prefix) || !after.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let longest = before.len().min(after.len()) - prefix;
    let mut suffix = before
        .bytes()
        .rev()
        .zip(after.bytes().rev())
        .take(longest)
        .take_while(|(a, b)| a == b)
        .count();
    while !before.is_char_boundary(before.len() - suffix)
        || !after.is_char_boundary(after.len() - suffix)
    {
        suffix -= 1;
    }
    Some((
        prefix..before.len() - suffix,
        after[prefix..after.len() - suffix].to_string(),
    ))
}

fn workspace_edit(
    document: &Document,
    edits: Vec<TextEdit>,
    context: &ActionContext<'_>,
) -> WorkspaceEdit {
    if context.document_changes {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: document.uri.clone(),
                    version: Some(document.version),
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            }])),
            ..WorkspaceEdit::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(document.uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, (range, replacement): (Range<usize>, String)) -> String {
        let mut out = text.to_string();
        out.replace_range(range, &replacement);
        out
    }

    #[test]
    fn ignore_comments_take_the_indentation_and_line_ending() {
        let text = "FROM a\nONBUILD RUN x\n  RUN apk add y\r\n";
        let at = text.find("apk").unwrap();
        assert_eq!(
            apply(text, ignore_edit(text, at, "DL3019").unwrap()),
            "FROM a\nONBUILD RUN x\n  # dlint ignore=DL3019\r\n  RUN apk add y\r\n"
        );
        let at = text.find("RUN x").unwrap();
        assert_eq!(
            apply(text, ignore_edit(text, at, "X1").unwrap()),
            "FROM a\n# dlint ignore=X1\nONBUILD RUN x\n  RUN apk add y\r\n"
        );
    }

    #[test]
    fn an_existing_comment_gets_the_code_appended_once() {
        let text = "FROM a\n# dlint ignore=DL3009 # reason\nRUN apt-get update\n";
        let at = text.find("apt-get").unwrap();
        let edited = apply(text, ignore_edit(text, at, "DL3015").unwrap());
        assert_eq!(
            edited,
            "FROM a\n# dlint ignore=DL3009,DL3015 # reason\nRUN apt-get update\n"
        );
        assert_eq!(ignore_edit(&edited, at + 7, "DL3015"), None);
        // A hadolint comment stays right above its instruction: dlint's goes above it.
        let text = "FROM a\n  # hadolint ignore=DL3009\n  RUN x\n";
        let run = text.find("RUN").unwrap();
        let edited = apply(text, ignore_edit(text, run, "A").unwrap());
        assert_eq!(
            edited,
            "FROM a\n  # dlint ignore=A\n  # hadolint ignore=DL3009\n  RUN x\n"
        );
        // … and takes further codes there; a code either lists is not added again.
        let run = edited.find("RUN").unwrap();
        let again = apply(&edited, ignore_edit(&edited, run, "B").unwrap());
        assert!(
            again.contains("# dlint ignore=A,B\n  # hadolint"),
            "{again}"
        );
        assert_eq!(ignore_edit(&edited, run, "DL3009"), None);
    }

    #[test]
    fn minimal_edits_cover_only_the_difference() {
        assert_eq!(minimal_edit("abc", "abc"), None);
        assert_eq!(
            minimal_edit("RUN x\n", "RUN y x\n"),
            Some((4..4, "y ".into()))
        );
        assert_eq!(minimal_edit("aaa", "aa"), Some((2..3, String::new())));
        assert_eq!(minimal_edit("é", "è"), Some((0..2, "è".into())));
    }

    #[test]
    fn diff_edits_touch_only_changed_lines() {
        let before = "FROM a\nRUN x\nCOPY . .\nRUN y\n";
        let after = "FROM a\nRUN x --z\nCOPY . .\nRUN w\nRUN y\n";
        let edits = diff_edits(before, after);
        assert_eq!(edits.len(), 2, "{edits:?}");
        let mut text = before.to_string();
        for (range, replacement) in edits.iter().rev() {
            text.replace_range(range.clone(), replacement);
        }
        assert_eq!(text, after);
        assert_eq!(edits[0], (12..12, " --z".into()));
        assert!(diff_edits(before, before).is_empty());
    }

    #[test]
    fn kinds_match_their_parents() {
        let fix_all = CodeActionKind::new(FIX_ALL_KIND);
        assert!(wanted(&fix_all, None));
        assert!(wanted(&fix_all, Some(&[CodeActionKind::SOURCE_FIX_ALL])));
        assert!(wanted(&fix_all, Some(&[CodeActionKind::SOURCE])));
        assert!(!wanted(&fix_all, Some(&[CodeActionKind::QUICKFIX])));
        assert!(!wanted(
            &CodeActionKind::new("source.fixAllX"),
            Some(&[CodeActionKind::SOURCE_FIX_ALL])
        ));
        // The client gets the kind it asked for.
        assert_eq!(
            fix_all_kind(Some(&[CodeActionKind::SOURCE_FIX_ALL])),
            CodeActionKind::SOURCE_FIX_ALL
        );
        assert_eq!(fix_all_kind(None), fix_all);
        assert_eq!(fix_all_kind(Some(&[CodeActionKind::SOURCE])), fix_all);
    }
}
