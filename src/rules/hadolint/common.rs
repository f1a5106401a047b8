//! What hadolint's rules share: reading options and operands off a command line, telling a
//! pinned package from an unpinned one, and small helpers for instruction arguments.

use crate::rules::cache::common::PackageCommand;
use crate::shell::Word;

/// Does `args` carry the option: a long option (`--yes`, or `--yes=…`) or a short one, alone
/// or in a bundle of letters (`-y`, `-qy`)? A word like `-oAPT::x` is not a bundle: only
/// `-` followed by letters and digits is.
pub(crate) fn has_flag(args: &[Word], short: &[char], long: &[&str]) -> bool {
    args.iter().any(|w| flag_matches(w.text(), short, long))
}

fn flag_matches(text: &str, short: &[char], long: &[&str]) -> bool {
    if let Some(name) = text.strip_prefix("--") {
        let name = name.split('=').next().unwrap_or(name);
        return long.iter().any(|l| l.trim_start_matches('-') == name);
    }
    match text.strip_prefix('-') {
        Some(bundle) if !bundle.is_empty() && bundle.chars().all(|c| c.is_ascii_alphanumeric()) => {
            bundle.chars().any(|c| short.contains(&c))
        }
        _ => false,
    }
}

/// The operands among `args`: the words that are neither options nor the values of the
/// options in `value_options` (written as `-t` or `--target-release`; `--opt=value` carries
/// its own value). After `--` every word is an operand.
pub(crate) fn operands<'w>(args: &'w [Word], value_options: &[&str]) -> Vec<&'w Word> {
    let mut out = Vec::new();
    let mut iter = args.iter();
    while let Some(w) = iter.next() {
        let text = w.text();
        if text == "--" {
            out.extend(iter.by_ref());
            break;
        }
        if text.starts_with('-') && text.len() > 1 {
            if value_options.contains(&text) {
                iter.next();
            }
            continue;
        }
        out.push(w);
    }
    out
}

/// The operands after the subcommand of a package command (`apt-get install -y curl git` →
/// `curl`, `git`), skipping the values of `value_options`.
pub(crate) fn packages<'w>(install: &PackageCommand<'w>, value_options: &[&str]) -> Vec<&'w Word> {
    operands(install.rest(), value_options)
}

/// The unpinned packages of `words`: the static ones `pinned` rejects. Words whose value is
/// not known statically (`$PACKAGES`) are skipped: dlint never guesses.
pub(crate) fn unpinned<'w>(words: &[&'w Word], pinned: impl Fn(&str) -> bool) -> Vec<&'w Word> {
    words
        .iter()
        .copied()
        .filter(|w| {
            w.value
                .as_deref()
                .is_some_and(|v| !v.is_empty() && !pinned(v))
        })
        .collect()
}

/// `` `a`, `b`, `c` and 4 more ``: names for a message, at most three spelled out.
pub(crate) fn name_list<'w>(words: impl IntoIterator<Item = &'w Word>) -> String {
    let names: Vec<String> = words
        .into_iter()
        .map(|w| format!("`{}`", w.text()))
        .collect();
    match names.len() {
        0 => String::new(),
        1..=3 => names.join(", "),
        n => format!("{} and {} more", names[..3].join(", "), n - 3),
    }
}

/// An instruction's text with one pair of surrounding quotes removed (hadolint's
/// `dropQuotes`).
pub(crate) fn drop_quotes(text: &str) -> &str {
    text.trim_matches(|c| c == '"' || c == '\'')
}

/// `keyword` spelled in the case style of `written` (`ADD` → `COPY`, `add` → `copy`,
/// `Add` → `Copy`).
pub(crate) fn keyword_like(written: &str, keyword: &str) -> String {
    if written.chars().all(|c| !c.is_ascii_lowercase()) {
        keyword.to_ascii_uppercase()
    } else if written.chars().all(|c| !c.is_ascii_uppercase()) {
        keyword.to_ascii_lowercase()
    } else {
        let lower = keyword.to_ascii_lowercase();
        let mut chars = lower.chars();
        chars
            .next()
            .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(texts: &[&str]) -> Vec<Word> {
        texts
            .iter()
            .map(|t| Word {
                raw: t.to_string(),
                value: Some(t.to_string()),
                span: 0..0,
            })
            .collect()
    }

    #[test]
    fn flags_alone_bundled_and_long() {
        let args = words(&["-qy", "install", "curl"]);
        assert!(has_flag(&args, &['y'], &["--yes"]));
        let args = words(&["-oAPT::Get::Assume-Yes=true", "install"]);
        assert!(!has_flag(&args, &['y'], &["--yes"]));
        let args = words(&["--assume-yes=true"]);
        assert!(has_flag(&args, &['y'], &["--assume-yes"]));
    }

    #[test]
    fn operands_skip_option_values() {
        let args = words(&[
            "-t",
            "bookworm",
            "--no-install-recommends",
            "curl",
            "--",
            "-x",
        ]);
        let ops: Vec<&str> = operands(&args, &["-t"]).iter().map(|w| w.text()).collect();
        assert_eq!(ops, ["curl", "-x"]);
    }

    #[test]
    fn keyword_case() {
        assert_eq!(keyword_like("ADD", "copy"), "COPY");
        assert_eq!(keyword_like("add", "COPY"), "copy");
        assert_eq!(keyword_like("Add", "COPY"), "Copy");
    }
}
