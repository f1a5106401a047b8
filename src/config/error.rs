//! Configuration errors: where in which file, what is wrong, and a hint, with the span and
//! text a renderer needs to draw a code frame.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A configuration problem, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    /// Byte range of the offending text in `source`, when known.
    pub span: Option<Range<usize>>,
    /// The configuration file's text, for code frames (`None` when it could not be read).
    pub source: Option<Arc<str>>,
    pub message: String,
    pub hint: Option<String>,
}

impl ConfigError {
    /// An error about `span` of the configuration `text` (read from `path`).
    pub fn at(
        path: &Path,
        text: &str,
        span: Option<Range<usize>>,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> ConfigError {
        let span = span.map(|s| clamp(text, s));
        ConfigError {
            path: path.to_path_buf(),
            span,
            source: Some(Arc::from(text)),
            message: message.into(),
            hint,
        }
    }

    /// An error with no position in the file (it could not be read).
    pub fn whole_file(path: &Path, message: impl Into<String>) -> ConfigError {
        ConfigError {
            path: path.to_path_buf(),
            span: None,
            source: None,
            message: message.into(),
            hint: None,
        }
    }
}

impl ConfigError {
    /// 1-based line and column of the span's start, when known.
    pub fn position(&self) -> Option<(usize, usize)> {
        let (source, span) = (self.source.as_deref()?, self.span.as_ref()?);
        Some(line_col(source, span.start))
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some((line, col)) = self.position() {
            write!(f, ":{line}:{col}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

/// A span inside `text`, on character boundaries.
fn clamp(text: &str, span: Range<usize>) -> Range<usize> {
    let floor = |mut at: usize| {
        at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let start = floor(span.start);
    start..floor(span.end).max(start)
}

pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The first `needle` in `text` at or after `from`, as a span.
pub(crate) fn find_span(text: &str, needle: &str, from: usize) -> Option<Range<usize>> {
    if needle.is_empty() {
        return None;
    }
    let from = from.min(text.len());
    let at = text.get(from..)?.find(needle)? + from;
    Some(at..at + needle.len())
}

/// The span of `key` written as a mapping key (`key:` in YAML, `key =` in TOML, quoted or
/// not) at or after `from`; failing that, its first occurrence.
pub(crate) fn find_key_span(text: &str, key: &str, from: usize) -> Option<Range<usize>> {
    let mut at = from.min(text.len());
    while let Some(span) = find_span(text, key, at) {
        let before = text[..span.start].trim_end_matches(['"', '\'']);
        let after = text[span.end..]
            .trim_start_matches(['"', '\''])
            .trim_start();
        let line_start = before
            .rsplit('\n')
            .next()
            .is_some_and(|b| b.trim().is_empty() || b.trim_end().ends_with('-'));
        if line_start && (after.starts_with(':') || after.starts_with('=')) {
            return Some(span);
        }
        at = span.end;
    }
    find_span(text, key, from)
}

/// "did you mean `x`?" when one candidate is close to `word` (by edit distance).
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| {
            (
                crate::edit_distance::levenshtein(
                    &word.to_ascii_lowercase(),
                    &c.to_ascii_lowercase(),
                ),
                c,
            )
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

/// `a`, `b` and `c` as a list of valid values for a hint.
pub(crate) fn one_of(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    format!("expected one of {}", quoted.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_by_edit_distance() {
        let keys = ["select", "extend-select", "ignore"];
        assert_eq!(
            did_you_mean("extnd-select", keys).as_deref(),
            Some("did you mean `extend-select`?")
        );
        assert_eq!(
            did_you_mean("igonre", keys).as_deref(),
            Some("did you mean `ignore`?")
        );
        assert_eq!(did_you_mean("colour", keys), None);
        assert_eq!(crate::edit_distance::levenshtein("kitten", "sitting"), 3);
    }

    #[test]
    fn key_spans_skip_values_with_the_same_text() {
        let text = "a: ignored\nignored: [x]\n";
        assert_eq!(find_key_span(text, "ignored", 0), Some(11..18));
    }
}
