//! BuildKit's variable expansion in instruction arguments: `$VAR`, `${VAR}`, `${VAR:-default}`,
//! `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`, and escapes. A variable that is not known
//! makes the result unknown (`None`): dlint never guesses.

use std::collections::HashMap;

/// Variables in scope: `Some(value)` when known, `None` when declared without a value.
pub type Scope = HashMap<String, Option<String>>;

/// Expands `text`; `None` when it uses a variable whose value is unknown.
pub fn expand(text: &str, scope: &Scope, escape: char) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        if c == escape && quote != Some('\'') {
            match chars.next() {
                Some(next) => out.push(next),
                None => out.push(c),
            }
            continue;
        }
        if (c == '\'' || c == '"') && quote.is_none_or(|q| q == c) {
            quote = if quote.is_some() { None } else { Some(c) };
            continue;
        }
        if c != '$' || quote == Some('\'') {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('{') => {
                chars.next();
                let mut inner = String::new();
                let mut depth = 1;
                for c in chars.by_ref() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    inner.push(c);
                }
                out.push_str(&expand_braced(&inner, scope, escape)?);
            }
            Some(&n) if n == '_' || n.is_ascii_alphabetic() => {
                let mut name = String::new();
                while let Some(&n) = chars.peek() {
                    if n == '_' || n.is_ascii_alphanumeric() {
                        name.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push_str(lookup(scope, &name)?);
            }
            _ => out.push('$'),
        }
    }
    Some(out)
}

fn lookup<'a>(scope: &'a Scope, name: &str) -> Option<&'a str> {
    scope.get(name)?.as_deref()
}

fn expand_braced(inner: &str, scope: &Scope, escape: char) -> Option<String> {
    let name_len = inner
        .find(|c: char| !(c == '_' || c.is_ascii_alphanumeric()))
        .unwrap_or(inner.len());
    let (name, modifier) = inner.split_at(name_len);
    let value = scope.get(name);
    let set = value.is_some_and(|v| v.is_some());
    let non_empty = value.is_some_and(|v| v.as_deref().is_some_and(|s| !s.is_empty()));
    let known_unset = value.is_none();
    let word = |w: &str| expand(w, scope, escape);
    match modifier {
        "" => lookup(scope, name).map(str::to_string),
        m if m.starts_with(":-") => {
            if non_empty {
                lookup(scope, name).map(str::to_string)
            } else if known_unset || set {
                word(&m[2..])
            } else {
                None
            }
        }
        m if m.starts_with('-') => {
            if set {
                lookup(scope, name).map(str::to_string)
            } else if known_unset {
                word(&m[1..])
            } else {
                None
            }
        }
        m if m.starts_with(":+") => {
            if non_empty {
                word(&m[2..])
            } else if known_unset || set {
                Some(String::new())
            } else {
                None
            }
        }
        m if m.starts_with('+') => {
            if set {
                word(&m[1..])
            } else if known_unset {
                Some(String::new())
            } else {
                None
            }
        }
        // Pattern removal and other forms: not resolved.
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(pairs: &[(&str, Option<&str>)]) -> Scope {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
            .collect()
    }

    #[test]
    fn expands_like_buildkit() {
        let s = scope(&[
            ("PY", Some("3.12")),
            ("EMPTY", Some("")),
            ("NODEFAULT", None),
        ]);
        let cases = [
            ("python:${PY}-slim", Some("python:3.12-slim")),
            ("python:$PY", Some("python:3.12")),
            ("${MISSING:-alpine}", Some("alpine")),
            ("${EMPTY:-alpine}", Some("alpine")),
            ("${EMPTY-alpine}", Some("")),
            ("${PY:+set}", Some("set")),
            ("${MISSING:+set}", Some("")),
            ("${NODEFAULT}", None),
            ("${NODEFAULT:-x}", None),
            ("$MISSING", None),
            ("a\\$PY", Some("a$PY")),
            ("'$PY'", Some("$PY")),
            ("price: $5", Some("price: $5")),
        ];
        for (text, want) in cases {
            assert_eq!(expand(text, &s, '\\').as_deref(), want, "{text}");
        }
    }
}
