//! Hover: over an instruction's keyword or one of its flags, what it does
//! ([`super::reference`]); over a finding, the rule's documentation (what it does, why, an
//! example, fix safety); over the codes of a `# dlint ignore=` or `# hadolint ignore=`
//! comment, the documentation of the rule under the cursor (or of every listed rule,
//! elsewhere on the comment).

use std::ops::Range;

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use super::document::Document;
use super::encoding::Encoding;
use super::reference;
use crate::diagnostic::Diagnostic;
use crate::rules::suppress::parse_pragma;
use crate::rules::{find_rule, RuleMeta};
use crate::syntax::{parse, Instruction};

pub fn hover(
    document: &Document,
    diagnostics: &[Diagnostic],
    position: lsp_types::Position,
    encoding: Encoding,
) -> Option<Hover> {
    let converter = document.converter(encoding);
    let offset = converter.offset(position);
    // Findings touching the cursor (an end is inclusive: the cursor just after a word is on it).
    let found: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.span.start <= offset && offset <= d.span.end.max(d.span.start))
        .collect();
    let mut sections = Vec::new();
    let mut span: Option<Range<usize>> = None;
    if let Some((section, at)) = syntax_hover(&document.text, offset) {
        sections.push(section);
        span = Some(at);
    }
    let mut codes: Vec<&str> = Vec::new();
    for diagnostic in &found {
        if codes.contains(&diagnostic.code) {
            continue;
        }
        codes.push(diagnostic.code);
        sections.push(match find_rule(diagnostic.code) {
            Some(rule) => rule_markdown(rule.meta(), Some(&diagnostic.message)),
            None => format!("**{}**: {}", diagnostic.code, diagnostic.message),
        });
    }
    if !found.is_empty() && span.is_none() {
        let start = found.iter().map(|d| d.span.start).min().unwrap_or(offset);
        let end = found.iter().map(|d| d.span.end).max().unwrap_or(offset);
        span = Some(start..end);
    }
    if !sections.is_empty() {
        return Some(markdown(sections, span.map(|s| converter.range(&s))));
    }
    ignore_comment_hover(document, offset, encoding)
}

/// The documentation of the keyword or flag under `offset`, with its span.
fn syntax_hover(text: &str, offset: usize) -> Option<(String, Range<usize>)> {
    let parsed = parse(text);
    let instruction = parsed
        .tree
        .instructions()
        .find(|i| i.span.start <= offset && offset <= i.span.end)?;
    if let Some(found) = keyword_or_flag(instruction, offset) {
        return Some(found);
    }
    // `ONBUILD RUN …`: the instruction inside.
    let inner = instruction.onbuild.as_deref();
    inner.and_then(|i| keyword_or_flag(i, offset))
}

fn keyword_or_flag(instruction: &Instruction, offset: usize) -> Option<(String, Range<usize>)> {
    let inside = |span: &Range<usize>| span.start <= offset && offset <= span.end;
    let doc = reference::instruction(&instruction.keyword_text)?;
    if inside(&instruction.keyword_span) {
        return Some((doc.markdown(), instruction.keyword_span.clone()));
    }
    let flag = instruction.flags.iter().find(|f| inside(&f.span))?;
    let flag_doc = doc.flag(&flag.name)?;
    Some((flag_doc.markdown(doc.keyword), flag.span.clone()))
}

fn ignore_comment_hover(document: &Document, offset: usize, encoding: Encoding) -> Option<Hover> {
    let converter = document.converter(encoding);
    let line = converter.position(offset).line as usize;
    let content = document.index.line_content(&document.text, line);
    let comment = parse_pragma(&document.text[content.clone()])?;
    let column = offset - content.start;
    let under: Vec<&(&str, Range<usize>)> = comment
        .codes
        .iter()
        .filter(|(_, range)| range.start <= column && column <= range.end)
        .collect();
    let (codes, range) = match under.first() {
        Some((code, range)) => (vec![*code], range.start..range.end),
        None => (
            comment.codes.iter().map(|(code, _)| *code).collect(),
            0..content.len(),
        ),
    };
    let sections = codes
        .iter()
        .map(|code| match find_rule(code) {
            Some(rule) => rule_markdown(rule.meta(), None),
            None => {
                format!("**{code}**: dlint has no rule with this code (`dlint rules` lists them)")
            }
        })
        .collect();
    let span = content.start + range.start..content.start + range.end;
    Some(markdown(sections, Some(converter.range(&span))))
}

/// A rule's heading, the finding's message when there is one, then its documentation.
pub fn rule_markdown(meta: &RuleMeta, message: Option<&str>) -> String {
    let mut out = format!(
        "**{}** `{}` ({})\n\n",
        meta.code,
        meta.display_name(),
        meta.severity.as_str()
    );
    if let Some(message) = message {
        out.push_str(message);
        out.push_str("\n\n---\n\n");
    }
    out.push_str(&meta.documentation());
    out.push_str(&format!(
        "\n\n[{} documentation]({})",
        meta.code,
        meta.url()
    ));
    out
}

fn markdown(sections: Vec<String>, range: Option<lsp_types::Range>) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: sections.join("\n\n---\n\n"),
        }),
        range,
    }
}
