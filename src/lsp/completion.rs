//! Completion, from the text of the line before the cursor:
//! - at the start of an instruction: the instruction keywords;
//! - on a word starting with `--` after a keyword: that instruction's flags;
//! - after `--from=`, `from=` inside `--mount=`, or as the image of `FROM`: the names of the
//!   stages above;
//! - after `ignore=` (or a comma) in a `# dlint …` / `# hadolint …` comment: rule codes.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, MarkupContent,
    MarkupKind, TextEdit,
};

use super::document::Document;
use super::encoding::Encoding;
use super::reference::{self, INSTRUCTIONS};
use super::stages::stages;
use crate::rules::all_rules;
use crate::syntax::parse;

pub fn completion(document: &Document, offset: usize, encoding: Encoding) -> Vec<CompletionItem> {
    let converter = document.converter(encoding);
    let position = converter.position(offset);
    let line = document
        .index
        .line_content(&document.text, position.line as usize);
    let offset = offset.clamp(line.start, line.end);
    let before = &document.text[line.start..offset];
    // The word being typed, replaced by the item chosen.
    let word_start = before
        .rfind(|c: char| c.is_whitespace() || c == ',' || c == '=')
        .map_or(0, |at| at + 1);
    let word = &before[word_start..];
    let replace = converter.range(&(line.start + word_start..offset));
    let item = |label: String, kind, detail: Option<String>, docs: Option<String>| CompletionItem {
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
            replace,
            label.clone(),
        ))),
        label,
        kind: Some(kind),
        detail,
        documentation: docs.map(|value| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            })
        }),
        ..CompletionItem::default()
    };

    let trimmed = before.trim_start();
    if trimmed.starts_with('#') {
        if !in_ignore_list(trimmed) {
            return Vec::new();
        }
        return all_rules()
            .iter()
            .map(|rule| rule.meta())
            .filter(|meta| meta.code.starts_with(&word.to_ascii_uppercase()))
            .map(|meta| {
                item(
                    meta.code.to_string(),
                    CompletionItemKind::CONSTANT,
                    Some(meta.display_name().to_string()),
                    Some(meta.summary()),
                )
            })
            .collect();
    }
    if continues_previous_line(&document.text, line.start) {
        return Vec::new();
    }
    let words: Vec<&str> = before.split_whitespace().collect();
    let typing_first_word = words.len() <= 1 && !before.ends_with(char::is_whitespace);
    if words.is_empty() || typing_first_word {
        return INSTRUCTIONS
            .iter()
            .map(|doc| {
                item(
                    doc.keyword.to_string(),
                    CompletionItemKind::KEYWORD,
                    Some(doc.syntax.to_string()),
                    Some(doc.summary.to_string()),
                )
            })
            .collect();
    }
    // `ONBUILD COPY …`: the instruction is the second word.
    let (keyword, rest) = match words[0].eq_ignore_ascii_case("onbuild") {
        true if words.len() > 1 => (words[1], &words[2..]),
        _ => (words[0], &words[1..]),
    };
    let Some(doc) = reference::instruction(keyword) else {
        return Vec::new();
    };
    let current = before[before[..word_start]
        .rfind(char::is_whitespace)
        .map_or(0, |at| at + 1)..]
        .to_ascii_lowercase();
    let wants_stage = current.starts_with("--from=")
        || (current.starts_with("--mount=")
            && before[word_start.saturating_sub(5)..word_start].eq_ignore_ascii_case("from="))
        || (doc.keyword == "FROM"
            && rest.iter().filter(|w| !w.starts_with("--")).count()
                == usize::from(!before.ends_with(char::is_whitespace)));
    if wants_stage {
        let parsed = parse(&document.text);
        return stages(&parsed.tree)
            .into_iter()
            .filter(|s| s.span.start < line.start)
            .filter_map(|s| {
                let name = s.name?;
                Some(item(
                    name,
                    CompletionItemKind::MODULE,
                    Some(format!("stage {}: FROM {}", s.index, s.image)),
                    None,
                ))
            })
            .collect();
    }
    if word.starts_with("--") {
        let flag_start = line.start + word_start;
        let flag_range = converter.range(&(flag_start..offset));
        return doc
            .flags
            .iter()
            .map(|flag| {
                let label = flag.usage();
                let insert = if flag.value.is_empty() {
                    format!("--{}", flag.name)
                } else {
                    format!("--{}=", flag.name)
                };
                CompletionItem {
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(flag_range, insert))),
                    filter_text: Some(format!("--{}", flag.name)),
                    ..item(
                        label,
                        CompletionItemKind::PROPERTY,
                        None,
                        Some(flag.summary.to_string()),
                    )
                }
            })
            .collect();
    }
    Vec::new()
}

/// `# dlint [global|stage] ignore=A,` / `# hadolint ignore=…`, the cursor among the codes.
fn in_ignore_list(comment: &str) -> bool {
    let body = comment.trim_start_matches('#').trim_start();
    let Some(rest) = ["dlint", "hadolint"]
        .iter()
        .find_map(|tool| body.strip_prefix(tool))
    else {
        return false;
    };
    let rest = rest.trim_start();
    let rest = ["global", "stage"]
        .iter()
        .find_map(|scope| rest.strip_prefix(scope))
        .unwrap_or(rest)
        .trim_start();
    let Some(codes) = rest
        .strip_prefix("ignore")
        .and_then(|r| r.trim_start().strip_prefix('='))
    else {
        return false;
    };
    // Past the codes: a reason (` -- why`) or a comment.
    !codes.contains("--") && !codes.contains('#')
}

/// Whether the line at `line_start` continues an instruction from the line before (which ends
/// with a `\`): then its start is no place for a keyword.
fn continues_previous_line(text: &str, line_start: usize) -> bool {
    let previous = text[..line_start].trim_end_matches(['\n', '\r']);
    previous.ends_with('\\') && !previous.ends_with("\\\\")
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::Url;

    fn labels(text: &str) -> Vec<String> {
        let offset = text.find('|').unwrap();
        let text = text.replace('|', "");
        let doc = Document::new(Url::parse("file:///w/Dockerfile").unwrap(), 1, text);
        completion(&doc, offset, Encoding::Utf16)
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    #[test]
    fn keywords_at_the_start_of_an_instruction() {
        let keywords = labels("FROM a\nCO|");
        assert!(keywords.contains(&"COPY".to_string()), "{keywords:?}");
        assert_eq!(keywords.len(), 18);
        assert_eq!(labels("|").len(), 18);
        // Not in a continuation line.
        assert!(labels("FROM a\nRUN x \\\n  |").is_empty());
    }

    #[test]
    fn flags_of_the_instruction() {
        let flags = labels("FROM a\nCOPY --c|");
        assert!(
            flags.contains(&"--chown=<user>[:<group>]".to_string()),
            "{flags:?}"
        );
        assert!(flags.contains(&"--from=<stage|image|context>".to_string()));
        assert!(labels("FROM a\nRUN --|")
            .contains(&"--mount=type=<bind|cache|tmpfs|secret|ssh>[,option=value…]".to_string()));
        assert!(labels("FROM a\nHEALTHCHECK --|").contains(&"--retries=<number>".to_string()));
    }

    #[test]
    fn stage_names_where_a_stage_is_named() {
        let text = "FROM golang AS build\nFROM alpine AS tools\nFROM scratch\n";
        assert_eq!(labels(&format!("{text}COPY --from=|")), ["build", "tools"]);
        assert_eq!(labels(&format!("{text}COPY --from=b|")), ["build", "tools"]);
        assert_eq!(
            labels(&format!("{text}RUN --mount=type=bind,from=|")),
            ["build", "tools"]
        );
        assert_eq!(labels(&format!("{text}FROM |")), ["build", "tools"]);
        assert!(labels(&format!("{text}FROM build AS |")).is_empty());
        // Only stages above.
        assert_eq!(
            labels("FROM a AS one\nCOPY --from=| . .\nFROM b AS two\n"),
            ["one"]
        );
    }

    #[test]
    fn rule_codes_in_ignore_comments() {
        let codes = labels("FROM a\n# dlint ignore=DL30|\nRUN x\n");
        assert!(codes.contains(&"DL3008".to_string()), "{codes:?}");
        assert!(codes.iter().all(|c| c.starts_with("DL30")));
        let codes = labels("# hadolint ignore=DL3008, |\n");
        assert!(codes.contains(&"IMG001".to_string()));
        assert!(labels("# dlint ignore=DL3008 -- because |\n").is_empty());
        assert!(labels("# a comment |\n").is_empty());
    }
}
