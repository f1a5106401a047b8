//! Suppression comments, dlint's own and hadolint's as written:
//!
//! - `# dlint ignore=CODE[,CODE] [-- reason]` / `# hadolint ignore=…`: the next instruction;
//! - `# dlint global ignore=…` / `# hadolint global ignore=…`: the whole file;
//! - `# dlint stage ignore=…` / `# hadolint stage ignore=…` before a FROM: that stage;
//! - BuildKit's `# check=skip=Name,Name` directive (or `skip=all`, every build check): the
//!   whole file. (`# check=error=true` is read by [`check_errors`].)
//!
//! A code matches a rule by code or name, case-insensitively (`JSONArgsRecommended` matches
//! `json-args-recommended`).

use std::ops::Range;

use super::RuleMeta;
use crate::syntax::{Node, Span, Tree};

/// The tools whose suppression comments dlint honours.
pub const TOOLS: [&str; 2] = ["dlint", "hadolint"];

/// Where a suppression comment applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PragmaScope {
    /// `# dlint ignore=…`: the next instruction.
    Next,
    /// `# dlint global ignore=…`: the whole file.
    Global,
    /// `# dlint stage ignore=…` before a FROM: that stage.
    Stage,
}

/// Where a suppression comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuppressionSource {
    /// A `# dlint …` / `# hadolint …` comment with this scope.
    Pragma(PragmaScope),
    /// BuildKit's `# check=skip=…` directive.
    CheckDirective,
}

/// One suppression: which codes it silences, over which bytes.
#[derive(Debug, Clone)]
pub struct Suppression {
    /// The comment itself (line ending included), for findings about the comment.
    pub comment: Span,
    pub codes: Vec<String>,
    /// Findings starting in this range are silenced.
    pub scope: Range<usize>,
    pub source: SuppressionSource,
}

/// A suppression comment read from one line: the tool it speaks to, its scope and its codes,
/// each with its byte range in the line. The one parser of these comments: the engine reads
/// them through [`suppressions`], the language server for hover and "ignore" actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pragma<'a> {
    pub tool: &'static str,
    pub scope: PragmaScope,
    pub codes: Vec<(&'a str, Range<usize>)>,
    /// Where a further code would be appended (after the last one).
    pub end_of_codes: usize,
}

/// Reads every suppression of a file.
pub fn suppressions(tree: &Tree) -> Vec<Suppression> {
    let mut out = Vec::new();
    let mut pending: Vec<(Span, Vec<String>, PragmaScope)> = Vec::new();
    let file = 0..tree.source.len();
    for (at, node) in tree.nodes.iter().enumerate() {
        match node {
            Node::Comment(span) => {
                let Some(pragma) = parse_pragma(&tree.source[span.clone()]) else {
                    continue;
                };
                let codes = pragma.codes.iter().map(|(c, _)| c.to_string()).collect();
                if pragma.scope == PragmaScope::Global {
                    out.push(Suppression {
                        comment: span.clone(),
                        codes,
                        scope: file.clone(),
                        source: SuppressionSource::Pragma(PragmaScope::Global),
                    });
                } else {
                    pending.push((span.clone(), codes, pragma.scope));
                }
            }
            Node::Directive(d) if d.name == "check" => {
                let codes = check_skips(&d.value);
                if !codes.is_empty() {
                    out.push(Suppression {
                        comment: d.span.clone(),
                        codes,
                        scope: file.clone(),
                        source: SuppressionSource::CheckDirective,
                    });
                }
            }
            Node::Instruction(instruction) => {
                for (comment, codes, scope) in pending.drain(..) {
                    let range = match scope {
                        PragmaScope::Stage
                            if instruction.keyword == crate::syntax::Keyword::From =>
                        {
                            instruction.span.start..stage_end(tree, at)
                        }
                        _ => instruction.span.clone(),
                    };
                    out.push(Suppression {
                        comment,
                        codes,
                        scope: range,
                        source: SuppressionSource::Pragma(scope),
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// Parses one line (a comment node, or a line of an editor buffer without its line ending) as
/// a suppression comment, the way hadolint reads its pragmas: `# <tool> [global|stage]
/// ignore = A, B`, the codes separated by commas and/or blanks, then optionally `-- reason`
/// or `# comment`. A line that is not a comment, or names no code, is not one.
pub fn parse_pragma(line: &str) -> Option<Pragma<'_>> {
    let mut at = skip_blanks(line, 0);
    at += line[at..].strip_prefix('#').map(|_| 1)?;
    at = skip_blanks(line, at);
    let tool = TOOLS.iter().find(|t| line[at..].starts_with(*t))?;
    at += tool.len();
    let after_tool = skip_blanks(line, at);
    if after_tool == at {
        return None;
    }
    at = after_tool;
    let mut scope = PragmaScope::Next;
    for (word, word_scope) in [
        ("global", PragmaScope::Global),
        ("stage", PragmaScope::Stage),
    ] {
        if let Some(rest) = line[at..].strip_prefix(word) {
            let after = skip_blanks(line, at + word.len());
            if after > at + word.len() || rest.starts_with("ignore") {
                scope = word_scope;
                at = after;
                break;
            }
        }
    }
    at += line[at..].strip_prefix("ignore").map(|_| "ignore".len())?;
    at = skip_blanks(line, at);
    at += line[at..].strip_prefix('=').map(|_| 1)?;
    let mut codes = Vec::new();
    let mut end_of_codes = at;
    loop {
        at = skip_blanks(line, at);
        if line[at..].starts_with("--") {
            break; // `-- reason`
        }
        let len = line[at..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(line.len() - at);
        if len == 0 {
            break;
        }
        codes.push((&line[at..at + len], at..at + len));
        at += len;
        end_of_codes = at;
        let after = skip_blanks(line, at);
        at = if line[after..].starts_with(',') {
            after + 1
        } else {
            after
        };
    }
    (!codes.is_empty()).then_some(Pragma {
        tool,
        scope,
        codes,
        end_of_codes,
    })
}

fn skip_blanks(line: &str, at: usize) -> usize {
    at + line[at..].len() - line[at..].trim_start_matches([' ', '\t', '\r', '\n']).len()
}

/// `skip=A,B;error=true` → [A, B].
fn check_skips(value: &str) -> Vec<String> {
    value
        .split(';')
        .filter_map(|part| part.trim().strip_prefix("skip="))
        .flat_map(|list| list.split(','))
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect()
}

/// BuildKit's `# check=error=true`: build-check findings fail the build, so they are
/// reported as errors. Values as Go's `strconv.ParseBool` reads them.
pub fn check_errors(tree: &Tree) -> bool {
    tree.directives()
        .filter(|d| d.name == "check")
        .flat_map(|d| d.value.split(';'))
        .filter_map(|part| part.trim().strip_prefix("error="))
        .any(|value| matches!(value.trim(), "1" | "t" | "T" | "true" | "TRUE" | "True"))
}

/// End of the stage whose FROM is node `at`: the start of the next FROM, or the file's end.
fn stage_end(tree: &Tree, at: usize) -> usize {
    tree.nodes[at + 1..]
        .iter()
        .find_map(|n| match n {
            Node::Instruction(i) if i.keyword == crate::syntax::Keyword::From => Some(i.span.start),
            _ => None,
        })
        .unwrap_or(tree.source.len())
}

/// Does `code` (as written in a comment) name this rule?
pub fn names_rule(code: &str, meta: &RuleMeta) -> bool {
    let squash = |s: &str| s.replace(['-', '_'], "").to_ascii_lowercase();
    code.eq_ignore_ascii_case("all") && meta.family == super::Family::BuildCheck
        || code.eq_ignore_ascii_case(meta.code)
        || squash(code) == squash(meta.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn reads_every_form() {
        let src = "# check=skip=JSONArgsRecommended\n# hadolint global ignore=DL3008\nFROM a\n# dlint ignore=DL3009, DL3015 -- lists are needed later\nRUN x\nRUN y\n# hadolint stage ignore=IMG001\nFROM b\nRUN z\n";
        let tree = parse(src).tree;
        let s = suppressions(&tree);
        assert_eq!(s.len(), 4);
        assert_eq!(s[0].codes, ["JSONArgsRecommended"]);
        assert_eq!(s[1].scope, 0..src.len());
        assert_eq!(s[2].codes, ["DL3009", "DL3015"]);
        assert_eq!(&src[s[2].scope.clone()], "RUN x\n");
        assert_eq!(&src[s[3].scope.clone()], "FROM b\nRUN z\n");
    }

    #[test]
    fn check_error_directive() {
        assert!(check_errors(
            &parse("# check=skip=all;error=true\nFROM a\n").tree
        ));
        assert!(check_errors(&parse("# check=error=1\nFROM a\n").tree));
        assert!(!check_errors(&parse("# check=error=false\nFROM a\n").tree));
        assert!(!check_errors(&parse("FROM a\n# check=error=true\n").tree));
    }

    #[test]
    fn ordinary_comments_are_not_suppressions() {
        for not in [
            "# install dlint ignore this",
            "# dlint ignore=",
            "# dlint",
            "# dlintignore=X",
            "RUN x # dlint ignore=X",
            "# dlint ignore=-- why",
        ] {
            assert_eq!(parse_pragma(not), None, "{not}");
        }
    }

    #[test]
    fn pragma_codes_carry_their_ranges() {
        let line = "  # hadolint ignore=DL3008, DL3009 # why";
        let pragma = parse_pragma(line).unwrap();
        assert_eq!(pragma.tool, "hadolint");
        assert_eq!(pragma.scope, PragmaScope::Next);
        let codes: Vec<&str> = pragma.codes.iter().map(|(c, _)| *c).collect();
        assert_eq!(codes, ["DL3008", "DL3009"]);
        assert_eq!(&line[pragma.codes[1].1.clone()], "DL3009");
        assert_eq!(&line[pragma.end_of_codes..], " # why");
        let ours = parse_pragma("#dlint ignore = IMG001 STG001 -- a reason").unwrap();
        assert_eq!(ours.tool, "dlint");
        assert_eq!(ours.codes.len(), 2);
        assert_eq!(ours.end_of_codes, "#dlint ignore = IMG001 STG001".len());
        let stage = parse_pragma("# dlint stage ignore=IMG001").unwrap();
        assert_eq!(stage.scope, PragmaScope::Stage);
        let global = parse_pragma("# hadolint global ignore=DL3008\n").unwrap();
        assert_eq!(global.scope, PragmaScope::Global);
        assert_eq!(global.codes.len(), 1);
    }
}
