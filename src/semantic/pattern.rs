//! Shell patterns in `${VAR#pattern}` and `${VAR%pattern}`: `*` matches any run of
//! characters, `?` one character, `\` escapes them (BuildKit's `convertShellPatternToRegex`,
//! which has no bracket expressions).

/// Values times pattern lengths beyond this are not matched: the result is left unknown
/// rather than spending the time on a hostile file.
const MAX_PATTERN_WORK: usize = 1 << 20;

/// One element of a shell pattern (BuildKit's `convertShellPatternToRegex`, without brackets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PatternToken {
    Star,
    AnyChar,
    Literal(char),
}

/// Parses a `#`/`%` pattern; `None` for an escape BuildKit rejects.
fn pattern_tokens(pattern: &str) -> Option<Vec<PatternToken>> {
    let mut tokens = Vec::new();
    let mut chars = pattern.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '*' => tokens.push(PatternToken::Star),
            '?' => tokens.push(PatternToken::AnyChar),
            '\\' => match chars.peek().copied() {
                Some('}' | '/') => {}
                Some(next @ ('*' | '?' | '\\')) => {
                    chars.next();
                    tokens.push(PatternToken::Literal(next));
                }
                _ => return None,
            },
            other => tokens.push(PatternToken::Literal(other)),
        }
    }
    Some(tokens)
}

/// `${v#p}`, `${v##p}`, `${v%p}`, `${v%%p}`: removes the shortest (or, doubled, the longest)
/// prefix or suffix of `value` matching `pattern`. `None` when the pattern is invalid or too
/// costly to match.
pub(crate) fn trim_pattern(modifier: char, pattern: &str, value: &str) -> Option<String> {
    let (greedy, pattern) = match pattern.strip_prefix(modifier) {
        Some(rest) => (true, rest),
        None => (false, pattern),
    };
    let mut tokens = pattern_tokens(pattern)?;
    let mut chars: Vec<char> = value.chars().collect();
    if chars.len().saturating_mul(tokens.len() + 1) > MAX_PATTERN_WORK {
        return None;
    }
    let suffix = modifier == '%';
    if suffix {
        tokens.reverse();
        chars.reverse();
    }
    let cut = matching_prefix_len(&tokens, &chars, greedy);
    let mut kept: Vec<char> = chars.into_iter().skip(cut.unwrap_or(0)).collect();
    if suffix {
        kept.reverse();
    }
    Some(kept.into_iter().collect())
}

/// Length (in chars) of the shortest, or with `greedy` the longest, prefix of `value` the
/// whole pattern matches. A linear scan of the pattern's positions (no backtracking).
fn matching_prefix_len(tokens: &[PatternToken], value: &[char], greedy: bool) -> Option<usize> {
    let close = |states: &mut Vec<bool>| {
        for j in 0..tokens.len() {
            if states[j] && tokens[j] == PatternToken::Star {
                states[j + 1] = true;
            }
        }
    };
    let mut states = vec![false; tokens.len() + 1];
    states[0] = true;
    close(&mut states);
    let mut found = None;
    for i in 0..=value.len() {
        if states[tokens.len()] {
            found = Some(i);
            if !greedy {
                return found;
            }
        }
        let Some(&ch) = value.get(i) else { break };
        let mut next = vec![false; tokens.len() + 1];
        let mut any = false;
        for (j, token) in tokens.iter().enumerate() {
            if !states[j] {
                continue;
            }
            match *token {
                PatternToken::Star => next[j] = true,
                PatternToken::AnyChar => next[j + 1] = true,
                PatternToken::Literal(l) if l == ch => next[j + 1] = true,
                PatternToken::Literal(_) => continue,
            }
            any = true;
        }
        if !any {
            break;
        }
        close(&mut next);
        states = next;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortest_and_longest_prefixes_and_suffixes() {
        let cases = [
            ('#', "*/", "/usr/local/bin", "usr/local/bin"),
            ('#', "#*/", "/usr/local/bin", "bin"),
            ('%', "/*", "/usr/local/bin", "/usr/local"),
            ('%', "%/*", "/usr/local/bin", ""),
            ('%', "-?", "1.2-r3", "1.2-r3"),
            ('%', "-??", "1.2-r3", "1.2"),
            ('#', "\\*", "*star", "star"),
            ('#', "x", "abc", "abc"),
            ('#', "", "abc", "abc"),
            ('%', "*", "abc", "abc"),
            ('%', "%*", "abc", ""),
        ];
        for (modifier, pattern, value, expected) in cases {
            assert_eq!(
                trim_pattern(modifier, pattern, value).as_deref(),
                Some(expected),
                "${{v{modifier}{pattern}}} of {value}"
            );
        }
    }

    #[test]
    fn invalid_or_costly_patterns_are_unknown() {
        assert_eq!(trim_pattern('#', "\\x", "abc"), None);
        assert_eq!(trim_pattern('#', "\\", "abc"), None);
        let long = "a".repeat(1 << 12);
        assert_eq!(trim_pattern('#', &"*".repeat(1 << 9), &long), None);
    }
}
