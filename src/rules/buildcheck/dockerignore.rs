//! `.dockerignore` patterns with the semantics of moby's `patternmatcher`, which BuildKit uses:
//!
//! - one pattern a line; blank lines and lines starting with `#` are skipped;
//! - a leading `!` makes an exception (a file it matches is included again);
//! - patterns are cleaned like Go's `filepath.Clean` (`./a//b/` is `a/b`), and a leading `/`
//!   is dropped: patterns are relative to the context root;
//! - `*` matches any run of characters but `/`, `?` one character but `/`, `[…]` a class,
//!   `**` any run of characters including `/` (`**/` any number of leading directories),
//!   and the escape `\` makes the next character literal;
//! - a path is excluded when the last pattern that matches it, or one of its parent
//!   directories, is not an exception.

use std::path::Path;
use std::sync::Arc;

use crate::rules::ContextFiles;
use crate::semantic::clean_path as clean;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Literal(char),
    /// `*`
    Star,
    /// `?`
    Any,
    /// `**` not followed by `/`.
    DoubleStar,
    /// `**/`: nothing, or anything ending in `/`.
    Directories,
    /// `[…]`: ranges, negated when the first character is `^` or `!`.
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    /// The cleaned pattern, for `Debug` output and tests.
    #[allow(dead_code)]
    pub text: String,
    pub exclusion: bool,
    tokens: Vec<Token>,
}

/// The patterns of one ignore file, in order.
#[derive(Debug, Clone, Default)]
pub(crate) struct IgnoreFile {
    pub patterns: Vec<Pattern>,
}

impl IgnoreFile {
    pub fn parse(text: &str) -> IgnoreFile {
        let patterns = text
            .lines()
            .filter_map(|line| {
                let line = line.trim_end_matches('\r');
                if line.starts_with('#') {
                    return None;
                }
                let line = line.trim();
                if line.is_empty() {
                    return None;
                }
                let (exclusion, body) = match line.strip_prefix('!') {
                    Some(rest) => (true, rest.trim()),
                    None => (false, line),
                };
                let mut cleaned = clean(body);
                if cleaned.len() > 1 && cleaned.starts_with('/') {
                    cleaned.remove(0);
                }
                if cleaned.is_empty() {
                    return None;
                }
                Some(Pattern {
                    tokens: tokenize(&cleaned),
                    text: cleaned,
                    exclusion,
                })
            })
            .collect();
        IgnoreFile { patterns }
    }

    /// The ignore file BuildKit reads for the Dockerfile at `dockerfile`, its directory taken
    /// as the build context: `<name>.dockerignore` beside it first, then `.dockerignore`.
    /// `Err` when one exists that dlint will not read (see [`ContextFiles::read`]).
    pub fn for_dockerfile(
        dockerfile: &Path,
        files: &ContextFiles,
    ) -> Result<Option<IgnoreFile>, Arc<str>> {
        let (Some(dir), Some(name)) = (dockerfile.parent(), dockerfile.file_name()) else {
            return Ok(None);
        };
        let name = name.to_string_lossy();
        for path in [
            dir.join(format!("{name}.dockerignore")),
            dir.join(".dockerignore"),
        ] {
            if let Some(text) = files.read(&path)? {
                return Ok(Some(IgnoreFile::parse(&text)));
            }
        }
        Ok(None)
    }

    /// Some pattern is an exception (`!keep`).
    pub fn has_exclusions(&self) -> bool {
        self.patterns.iter().any(|p| p.exclusion)
    }

    /// moby's `MatchesOrParentMatches`: is `path` (relative to the context, `/`-separated)
    /// excluded, by itself or through a parent directory?
    pub fn excludes(&self, path: &str) -> bool {
        let path = clean(path);
        let parents: Vec<&str> = path.split('/').collect();
        let mut excluded = false;
        for pattern in &self.patterns {
            if pattern.exclusion != excluded {
                // Only a pattern that could change the answer needs looking at.
                continue;
            }
            let mut matched = matches(&pattern.tokens, &path);
            if !matched && parents.len() > 1 {
                matched =
                    (1..parents.len()).any(|n| matches(&pattern.tokens, &parents[..n].join("/")));
            }
            if matched {
                excluded = !pattern.exclusion;
            }
        }
        excluded
    }
}

fn tokenize(pattern: &str) -> Vec<Token> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' if chars.get(i + 1) == Some(&'*') => {
                if chars.get(i + 2) == Some(&'/') {
                    tokens.push(Token::Directories);
                    i += 3;
                } else {
                    tokens.push(Token::DoubleStar);
                    i += 2;
                }
                continue;
            }
            '*' => tokens.push(Token::Star),
            '?' => tokens.push(Token::Any),
            '\\' if i + 1 < chars.len() => {
                i += 1;
                tokens.push(Token::Literal(chars[i]));
            }
            '[' => {
                if let Some((class, next)) = class_at(&chars, i) {
                    tokens.push(class);
                    i = next;
                    continue;
                }
                tokens.push(Token::Literal('['));
            }
            c => tokens.push(Token::Literal(c)),
        }
        i += 1;
    }
    tokens
}

/// A `[…]` class starting at `at`, with the index after its `]`.
fn class_at(chars: &[char], at: usize) -> Option<(Token, usize)> {
    let mut i = at + 1;
    let negated = matches!(chars.get(i), Some('^' | '!'));
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    while i < chars.len() {
        let mut c = chars[i];
        if c == ']' && !first {
            return Some((Token::Class { negated, ranges }, i + 1));
        }
        first = false;
        if c == '\\' && i + 1 < chars.len() {
            i += 1;
            c = chars[i];
        }
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|&e| e != ']') {
            ranges.push((c, chars[i + 2]));
            i += 3;
        } else {
            ranges.push((c, c));
            i += 1;
        }
    }
    None
}

/// Does the whole of `text` match the pattern? Memoised over (token, position) so that
/// hostile patterns stay linear in their product.
fn matches(tokens: &[Token], text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let mut memo = vec![None; (tokens.len() + 1) * (chars.len() + 1)];
    match_from(tokens, &chars, 0, 0, &mut memo)
}

fn match_from(
    tokens: &[Token],
    chars: &[char],
    t: usize,
    c: usize,
    memo: &mut Vec<Option<bool>>,
) -> bool {
    let key = t * (chars.len() + 1) + c;
    if let Some(known) = memo[key] {
        return known;
    }
    let result = match tokens.get(t) {
        None => c == chars.len(),
        Some(Token::Literal(l)) => {
            chars.get(c) == Some(l) && match_from(tokens, chars, t + 1, c + 1, memo)
        }
        Some(Token::Any) => {
            chars.get(c).is_some_and(|&ch| ch != '/')
                && match_from(tokens, chars, t + 1, c + 1, memo)
        }
        Some(Token::Class { negated, ranges }) => {
            chars.get(c).is_some_and(|&ch| {
                ch != '/' && ranges.iter().any(|&(lo, hi)| lo <= ch && ch <= hi) != *negated
            }) && match_from(tokens, chars, t + 1, c + 1, memo)
        }
        Some(Token::Star) => {
            let mut end = c;
            loop {
                if match_from(tokens, chars, t + 1, end, memo) {
                    break true;
                }
                if end >= chars.len() || chars[end] == '/' {
                    break false;
                }
                end += 1;
            }
        }
        Some(Token::DoubleStar) => {
            (c..=chars.len()).any(|end| match_from(tokens, chars, t + 1, end, memo))
        }
        Some(Token::Directories) => {
            match_from(tokens, chars, t + 1, c, memo)
                || (c..chars.len())
                    .filter(|&i| chars[i] == '/')
                    .any(|slash| match_from(tokens, chars, t + 1, slash + 1, memo))
        }
    };
    memo[key] = Some(result);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excluded(patterns: &str, path: &str) -> bool {
        IgnoreFile::parse(patterns).excludes(path)
    }

    #[test]
    fn plain_names_and_parents() {
        assert!(excluded("node_modules\n", "node_modules"));
        assert!(excluded("node_modules\n", "node_modules/x/y.js"));
        assert!(!excluded("node_modules\n", "src/node_modules"));
        assert!(excluded("/dist/\n", "dist/app.js"));
        assert!(excluded("./build//out\n", "build/out/a"));
    }

    #[test]
    fn stars_do_not_cross_directories() {
        assert!(excluded("*.md\n", "README.md"));
        assert!(!excluded("*.md\n", "docs/a.md"));
        assert!(excluded("*/*.md\n", "docs/a.md"));
        assert!(excluded("te?t\n", "test"));
        assert!(!excluded("te?t\n", "te/t"));
    }

    #[test]
    fn double_star() {
        assert!(excluded("**/*.md\n", "README.md"));
        assert!(excluded("**/*.md\n", "a/b/c.md"));
        assert!(excluded("docs/**\n", "docs/a/b"));
        assert!(excluded("**\n", "anything/at/all"));
        assert!(excluded("a/**/b\n", "a/b"));
        assert!(excluded("a/**/b\n", "a/x/y/b"));
    }

    #[test]
    fn classes_and_escapes() {
        assert!(excluded("file[0-9]\n", "file7"));
        assert!(!excluded("file[^0-9]\n", "file7"));
        assert!(excluded("file[!0-9]\n", "filex"));
        assert!(excluded("\\*.txt\n", "*.txt"));
        assert!(!excluded("\\*.txt\n", "a.txt"));
    }

    #[test]
    fn exceptions_and_order() {
        let file = "*.md\n!README.md\n";
        assert!(excluded(file, "CHANGES.md"));
        assert!(!excluded(file, "README.md"));
        assert!(excluded("!README.md\n*.md\n", "README.md"));
        assert!(IgnoreFile::parse(file).has_exclusions());
    }

    #[test]
    fn comments_blanks_and_cleaning() {
        let file = IgnoreFile::parse("# comment\n\n  spaced  \n/\n");
        let texts: Vec<&str> = file.patterns.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["spaced", "/"]);
        assert_eq!(clean("./a/../b/"), "b");
        assert_eq!(clean("../x"), "../x");
        assert_eq!(clean("/../x"), "/x");
        assert_eq!(clean(""), ".");
    }

    #[test]
    fn hostile_patterns_stay_fast() {
        let pattern = "*a*a*a*a*a*a*a*a*a*a*a*a*b\n";
        let path = "a".repeat(200);
        assert!(!excluded(pattern, &path));
    }
}
