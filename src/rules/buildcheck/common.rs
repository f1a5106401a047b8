//! Helpers shared by Docker's build checks: variable references in words, BuildKit's
//! "did you mean" suggestions, keyword casing and the FROM platform.

use std::ops::Range;

use crate::rules::Context;
use crate::syntax::{Instruction, Keyword, Span};

/// A `$NAME` or `${NAME…}` reference inside a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VarRef {
    pub name: String,
    /// The whole reference (`$NAME`, `${NAME:-x}`) in the scanned text.
    pub range: Range<usize>,
    /// `${NAME:-x}`, `${NAME-x}`, `${NAME:+x}`, `${NAME+x}`, `${NAME:?x}`: the author handles
    /// the unset case, so the variable is not reported as undefined.
    pub guarded: bool,
}

/// Every variable reference in `text`, as BuildKit's word lexer finds them: nothing inside
/// single quotes, nothing after the escape character, and references nested in a
/// `${A:-$B}` default included.
pub(crate) fn var_refs(text: &str, escape: char) -> Vec<VarRef> {
    let bytes = text.as_bytes();
    let closing = closing_braces(bytes);
    let mut refs = Vec::new();
    let mut in_double = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i] as char;
        if c == escape {
            // Skip the escaped character, whatever its width.
            i += 1;
            i += text[i..].chars().next().map_or(0, char::len_utf8);
            continue;
        }
        match c {
            '\'' if !in_double => {
                i = text[i + 1..]
                    .find('\'')
                    .map_or(bytes.len(), |j| i + 1 + j + 1);
                continue;
            }
            '"' => in_double = !in_double,
            '$' => {
                if let Some(found) = reference_at(text, i, &closing) {
                    // Continue inside `${…}` so nested defaults are seen too.
                    i = if bytes.get(i + 1) == Some(&b'{') {
                        i + 2 + found.name.len()
                    } else {
                        found.range.end
                    };
                    refs.push(found);
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    refs
}

/// The names [`var_refs`] finds, in order.
pub(crate) fn var_names(text: &str, escape: char) -> Vec<String> {
    var_refs(text, escape)
        .into_iter()
        .map(|found| found.name)
        .collect()
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// For each `${` in `bytes` (by the position of its `{`), the end of its reference: after
/// the `}` that closes it, counting nested `${`, or the end of the text. One pass, so deeply
/// nested defaults (`${A:-${B:-…}}`) cost linear time.
fn closing_braces(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut ends = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for (at, &b) in bytes.iter().enumerate() {
        match b {
            b'{' if at > 0 && bytes[at - 1] == b'$' => {
                open.push(ends.len());
                ends.push((at, bytes.len()));
            }
            b'}' => {
                if let Some(index) = open.pop() {
                    ends[index].1 = at + 1;
                }
            }
            _ => {}
        }
    }
    ends
}

/// The reference starting at the `$` at `at`, if it names a variable; `closing` is
/// [`closing_braces`] of the text.
fn reference_at(text: &str, at: usize, closing: &[(usize, usize)]) -> Option<VarRef> {
    let bytes = text.as_bytes();
    let braced = bytes.get(at + 1) == Some(&b'{');
    let start = at + if braced { 2 } else { 1 };
    if !bytes.get(start).copied().is_some_and(is_name_start) {
        return None;
    }
    let len = bytes[start..]
        .iter()
        .take_while(|&&b| is_name_char(b))
        .count();
    let name = text[start..start + len].to_string();
    if !braced {
        return Some(VarRef {
            name,
            range: at..start + len,
            guarded: false,
        });
    }
    let after = start + len;
    let guarded = match bytes.get(after) {
        Some(b'-' | b'+' | b'?') => true,
        Some(b':') => matches!(bytes.get(after + 1), Some(b'-' | b'+' | b'?')),
        _ => false,
    };
    // The closing brace, counting nested `${` (the names between hold no braces).
    let end = closing
        .binary_search_by_key(&(at + 1), |&(open, _)| open)
        .map_or(bytes.len(), |i| closing[i].1);
    Some(VarRef {
        name,
        range: at..end.min(bytes.len()),
        guarded,
    })
}

/// Edit distance between two names, an adjacent transposition counting as one edit
/// (`PAHT` is one edit from `PATH`).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

/// BuildKit's "did you mean": the closest option within a small edit distance (a different
/// case alone is the closest of all).
pub(crate) fn suggest<'a>(
    name: &str,
    options: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = match name.chars().count() {
        0..=2 => 0,
        3..=5 => 1,
        _ => 2,
    };
    options
        .into_iter()
        .filter(|option| *option != name)
        .map(|option| {
            let distance = if option.eq_ignore_ascii_case(name) {
                0
            } else {
                edit_distance(&name.to_ascii_lowercase(), &option.to_ascii_lowercase()).max(1)
            };
            (distance, option)
        })
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, option)| option)
}

/// All lower case or all upper case (`run`, `RUN`, not `Run`).
pub(crate) fn is_self_consistent(text: &str) -> bool {
    text == text.to_lowercase() || text == text.to_uppercase()
}

/// The file span of `range` in the instruction's logical line.
pub(crate) fn line_span(instr: &Instruction, range: Range<usize>) -> Span {
    instr.line.span(range)
}

/// The arguments of an instruction as written in its logical line (quotes kept), with their
/// ranges there.
pub(crate) fn written_args(instr: &Instruction) -> impl Iterator<Item = (&str, Range<usize>)> {
    instr.args.iter().filter_map(|arg| {
        instr
            .line
            .text
            .get(arg.range.clone())
            .map(|text| (text, arg.range.clone()))
    })
}

/// Instructions with their index, skipping those before the first FROM.
pub(crate) fn stage_instructions<'a>(
    ctx: &'a Context<'_>,
) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
    ctx.instructions()
        .iter()
        .enumerate()
        .filter(|(index, _)| ctx.model.stage_of(*index).is_some())
        .map(|(index, instr)| (index, *instr))
}

/// Is the keyword one BuildKit knows (unknown instructions fail the build before any check)?
pub(crate) fn is_known(instr: &Instruction) -> bool {
    instr.keyword != Keyword::Unknown
}

/// A platform as containerd's `platforms.Parse` reads it: (os, architecture), normalised.
/// `None` when containerd would reject it. A lone architecture means Linux; a lone OS keeps
/// the architecture of the machine, which a linter does not know (`""`).
pub(crate) fn parse_platform(text: &str) -> Option<(String, String)> {
    const OSES: &[&str] = &[
        "aix",
        "android",
        "darwin",
        "dragonfly",
        "freebsd",
        "illumos",
        "ios",
        "js",
        "linux",
        "netbsd",
        "openbsd",
        "plan9",
        "solaris",
        "wasip1",
        "windows",
    ];
    let lower = text.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split('/').collect();
    if parts.is_empty()
        || parts.len() > 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| is_name_char(b) || b == b'-'))
    {
        return None;
    }
    match parts.as_slice() {
        [single] if OSES.contains(single) => Some((single.to_string(), String::new())),
        [single] => Some(("linux".to_string(), normalize_arch(single))),
        [os, arch, ..] => Some((os.to_string(), normalize_arch(arch))),
        [] => None,
    }
}

fn normalize_arch(arch: &str) -> String {
    match arch {
        "i386" => "386",
        "x86_64" | "x86-64" | "amd64" => "amd64",
        "aarch64" | "arm64" => "arm64",
        "armhf" | "armel" | "arm" => "arm",
        other => other,
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, bool)> {
        var_refs(text, '\\')
            .into_iter()
            .map(|r| (r.name, r.guarded))
            .collect()
    }

    #[test]
    fn names_of_references() {
        assert_eq!(var_names("$A/x:${B}:${C:-d}", '\\'), ["A", "B", "C"]);
        assert_eq!(var_names("'$A' \\$B \"$C\"", '\\'), ["C"]);
        assert!(var_names("$1 $", '\\').is_empty());
        assert_eq!(
            var_names("PATH=$PATH:${GOPATH}/bin \\$HOME", '\\'),
            ["PATH", "GOPATH"]
        );
    }

    #[test]
    fn finds_references_as_buildkit_lexes_them() {
        assert_eq!(names("$A/${B}"), [("A".into(), false), ("B".into(), false)]);
        assert_eq!(names("'$A' \\$B \"$C\""), [("C".into(), false)]);
        assert_eq!(
            names("${A:-$B} ${C-x} ${D:+y} ${E#pre}"),
            [
                ("A".into(), true),
                ("B".into(), false),
                ("C".into(), true),
                ("D".into(), true),
                ("E".into(), false),
            ]
        );
        assert!(names("$1 $ ${} $$").is_empty());
        let refs = var_refs("x${A:-y}z", '\\');
        assert_eq!(refs[0].range, 1..8);
    }

    #[test]
    fn escape_directive_changes_the_escape() {
        assert_eq!(names("`$A $B"), [("A".into(), false), ("B".into(), false)]);
        assert_eq!(
            var_refs("`$A $B", '`')
                .into_iter()
                .map(|r| r.name)
                .collect::<Vec<_>>(),
            ["B"]
        );
    }

    #[test]
    fn suggestions() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("PAHT", "PATH"), 1);
        assert_eq!(edit_distance("", "ab"), 2);
        assert_eq!(suggest("PAHT", ["PATH", "HOME"]), Some("PATH"));
        assert_eq!(suggest("foo", ["FOO", "fob"]), Some("FOO"));
        assert_eq!(suggest("VERSION", ["NODE_ENV"]), None);
        assert_eq!(suggest("ab", ["ac"]), None);
    }

    #[test]
    fn platforms() {
        assert_eq!(
            parse_platform("linux/amd64"),
            Some(("linux".into(), "amd64".into()))
        );
        assert_eq!(
            parse_platform("Linux/x86_64/v2"),
            Some(("linux".into(), "amd64".into()))
        );
        assert_eq!(
            parse_platform("arm64"),
            Some(("linux".into(), "arm64".into()))
        );
        assert_eq!(
            parse_platform("windows"),
            Some(("windows".into(), String::new()))
        );
        assert_eq!(parse_platform("linux/"), None);
        assert_eq!(parse_platform("a/b/c/d"), None);
    }
}
