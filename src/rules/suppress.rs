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

/// One suppression comment: which codes it silences, over which bytes.
#[derive(Debug, Clone)]
pub struct Suppression {
    /// The comment itself, for "unused suppression" findings.
    pub comment: Span,
    pub codes: Vec<String>,
    /// Findings starting in this range are silenced.
    pub scope: Range<usize>,
}

/// Reads every suppression comment of a file.
pub fn suppressions(tree: &Tree) -> Vec<Suppression> {
    let mut out = Vec::new();
    let mut pending: Vec<(Span, Vec<String>, Scope)> = Vec::new();
    let file = 0..tree.source.len();
    for (at, node) in tree.nodes.iter().enumerate() {
        match node {
            Node::Comment(span) => {
                if let Some((scope, codes)) = parse_comment(&tree.source[span.clone()]) {
                    if scope == Scope::Global {
                        out.push(Suppression {
                            comment: span.clone(),
                            codes,
                            scope: file.clone(),
                        });
                    } else {
                        pending.push((span.clone(), codes, scope));
                    }
                }
            }
            Node::Directive(d) if d.name == "check" => {
                let codes = check_skips(&d.value);
                if !codes.is_empty() {
                    out.push(Suppression {
                        comment: d.span.clone(),
                        codes,
                        scope: file.clone(),
                    });
                }
            }
            Node::Instruction(instruction) => {
                for (comment, codes, scope) in pending.drain(..) {
                    let range = match scope {
                        Scope::Stage if instruction.keyword == crate::syntax::Keyword::From => {
                            instruction.span.start..stage_end(tree, at)
                        }
                        _ => instruction.span.clone(),
                    };
                    out.push(Suppression {
                        comment,
                        codes,
                        scope: range,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Next,
    Global,
    Stage,
}

/// `dlint ignore=A,B -- why` → (Next, [A, B]).
fn parse_comment(comment: &str) -> Option<(Scope, Vec<String>)> {
    let body = comment.trim().strip_prefix('#')?.trim_start();
    let rest = body
        .strip_prefix("dlint")
        .or_else(|| body.strip_prefix("hadolint"))?
        .trim_start();
    let (scope, rest) = if let Some(r) = rest.strip_prefix("global") {
        (Scope::Global, r.trim_start())
    } else if let Some(r) = rest.strip_prefix("stage") {
        (Scope::Stage, r.trim_start())
    } else {
        (Scope::Next, rest)
    };
    let list = rest
        .strip_prefix("ignore")?
        .trim_start()
        .strip_prefix('=')?;
    let list = list.split("--").next().unwrap_or("");
    let codes: Vec<String> = list
        .split([',', ' ', '\t'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    (!codes.is_empty()).then_some((scope, codes))
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
        assert!(parse_comment("# install dlint ignore this").is_none());
        assert!(parse_comment("# dlint ignore=").is_none());
    }
}
