//! Suppression comments as the editor sees them: `# dlint ignore=CODE,…` and hadolint's
//! `# hadolint ignore=CODE,…`. The LSP server hovers over their codes and writes new ones for
//! the "Ignore CODE for this instruction" action; honouring them is the linter's business.

use std::ops::Range;

/// The tool a suppression comment names.
pub const TOOLS: [&str; 2] = ["dlint", "hadolint"];

/// A suppression comment on one line: which tool it speaks to and its codes, each with its
/// byte range in the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreComment<'a> {
    pub tool: &'a str,
    pub codes: Vec<(&'a str, Range<usize>)>,
    /// Where a further code would be appended (after the last one).
    pub end_of_codes: usize,
}

/// Parses `line` (without its line ending) as a suppression comment.
pub fn parse_ignore(line: &str) -> Option<IgnoreComment<'_>> {
    let mut at = line.len() - line.trim_start().len();
    at += line[at..].strip_prefix('#').map(|_| 1)?;
    at += skip_blanks(&line[at..]);
    let tool = TOOLS.iter().find(|t| line[at..].starts_with(*t))?;
    at += tool.len();
    let blanks = skip_blanks(&line[at..]);
    if blanks == 0 {
        return None;
    }
    at += blanks;
    at += line[at..]
        .strip_prefix("ignore=")
        .map(|_| "ignore=".len())?;
    let mut codes = Vec::new();
    let mut end_of_codes = at;
    loop {
        at += skip_blanks(&line[at..]);
        let len = line[at..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(line.len() - at);
        if len == 0 {
            break;
        }
        codes.push((&line[at..at + len], at..at + len));
        at += len;
        end_of_codes = at;
        let after = at + skip_blanks(&line[at..]);
        if !line[after..].starts_with(',') {
            break;
        }
        at = after + 1;
    }
    (!codes.is_empty()).then_some(IgnoreComment {
        tool,
        codes,
        end_of_codes,
    })
}

fn skip_blanks(text: &str) -> usize {
    text.len() - text.trim_start_matches([' ', '\t']).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_tools_and_code_ranges() {
        let line = "  # hadolint ignore=DL3008, DL3009 # why";
        let comment = parse_ignore(line).unwrap();
        assert_eq!(comment.tool, "hadolint");
        let codes: Vec<&str> = comment.codes.iter().map(|(c, _)| *c).collect();
        assert_eq!(codes, ["DL3008", "DL3009"]);
        assert_eq!(&line[comment.codes[1].1.clone()], "DL3009");
        assert_eq!(&line[comment.end_of_codes..], " # why");
        let ours = parse_ignore("#dlint ignore=IMG001").unwrap();
        assert_eq!(ours.tool, "dlint");
        assert_eq!(ours.end_of_codes, "#dlint ignore=IMG001".len());
        for not in [
            "# dlint",
            "# dlintignore=X",
            "RUN x # dlint ignore=X",
            "# dlint ignore=",
        ] {
            assert_eq!(parse_ignore(not), None, "{not}");
        }
    }
}
