//! Reading an image tag (`3.12.4-slim-bookworm`, `21-jre-alpine`, `windowsservercore-ltsc2022`)
//! into the facts the classifier needs. The words and what they mean come from
//! `rules/images.toml`; this module only knows how tags are put together.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::model::Libc;

/// What a tag word means. Names match the group names of `[tokens]` in `rules/images.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum TokenKind {
    Slim,
    Alpine,
    Windows,
    Jdk,
    Jre,
    Minimal,
    Dev,
    Prerelease,
    Alias,
    Arch,
    Modifier,
    Blocking,
    DebianSuite,
    UbuntuSuite,
    Os,
    Variant,
    JdkVendor,
}

impl TokenKind {
    pub(crate) fn from_name(name: &str) -> Option<TokenKind> {
        Some(match name {
            "slim" => TokenKind::Slim,
            "alpine" => TokenKind::Alpine,
            "windows" => TokenKind::Windows,
            "jdk" => TokenKind::Jdk,
            "jre" => TokenKind::Jre,
            "minimal" => TokenKind::Minimal,
            "dev" => TokenKind::Dev,
            "prerelease" => TokenKind::Prerelease,
            "alias" => TokenKind::Alias,
            "arch" => TokenKind::Arch,
            "modifier" => TokenKind::Modifier,
            "blocking" => TokenKind::Blocking,
            "debian_suite" => TokenKind::DebianSuite,
            "ubuntu_suite" => TokenKind::UbuntuSuite,
            "os" => TokenKind::Os,
            "variant" => TokenKind::Variant,
            "jdk_vendor" => TokenKind::JdkVendor,
            _ => return None,
        })
    }

    /// All group names, for error messages.
    pub(crate) const NAMES: &'static str = "slim, alpine, windows, jdk, jre, minimal, dev, \
        prerelease, alias, arch, modifier, blocking, debian_suite, ubuntu_suite, os, variant, \
        jdk_vendor";

    fn is_suite(self) -> bool {
        matches!(
            self,
            TokenKind::DebianSuite | TokenKind::UbuntuSuite | TokenKind::Os
        )
    }
}

/// Java flavour named by the tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JavaKind {
    Jdk,
    Jre,
}

impl JavaKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            JavaKind::Jdk => "jdk",
            JavaKind::Jre => "jre",
        }
    }
}

/// The words one image understands: its own first, then the global ones.
pub(crate) struct Vocabulary<'a> {
    pub global: &'a BTreeMap<String, TokenKind>,
    pub image: &'a BTreeMap<String, TokenKind>,
    pub libc_words: &'a BTreeMap<String, Libc>,
    pub version_aliases: &'a BTreeMap<String, String>,
}

impl Vocabulary<'_> {
    fn kind(&self, word: &str) -> Option<TokenKind> {
        if let Some(kind) = self.image.get(word) {
            return Some(*kind);
        }
        if self.libc_words.contains_key(word) {
            return Some(TokenKind::Variant);
        }
        self.global.get(word).copied()
    }
}

/// Everything a tag says, with the words kept as written so suggestions can reuse them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ParsedTag {
    /// Version as written, with pre-release words folded in (`3.15-rc`); an alias such as
    /// `lts` or `stable` counts as the version, `latest` does not.
    pub version: Option<String>,
    /// The first word when it is an alias (`latest`, `lts`, `jod` …).
    pub alias: Option<String>,
    pub prerelease: bool,
    /// OS words as written, joined (`bookworm`, `ubi9-minimal`, `azurelinux3.0`).
    pub suite: Option<String>,
    /// `suite` is exactly one Debian suite name.
    pub debian_suite: bool,
    pub slim: bool,
    /// The Alpine word(s) as written (`alpine`, `alpine3.20`, `alpine-3.24`).
    pub alpine: Option<String>,
    pub windows: bool,
    pub java_kind: Option<JavaKind>,
    /// JDK version named next to a JDK word or vendor (`jdk21`, `eclipse-temurin-21`).
    pub jdk_version: Option<String>,
    pub minimal: bool,
    /// A debug or -dev variant (distroless `debug`, Chainguard `latest-dev`).
    pub dev: bool,
    /// Image-specific variant words, carried into suggestions (`fpm`, `threaded`).
    pub variants: Vec<String>,
    /// libc named by a variant word (busybox `musl`).
    pub libc: Option<Libc>,
    /// A word that makes any rewrite unsafe (`aot`, a date stamp).
    pub blocking: bool,
    /// Words nobody recognised; suggestions are withheld when there are any.
    pub unrecognized: Vec<String>,
}

impl ParsedTag {
    /// True when every word was understood and none forbids a rewrite.
    pub(crate) fn fully_understood(&self) -> bool {
        self.unrecognized.is_empty() && !self.blocking
    }
}

/// Parse one tag. Never fails: words it cannot place land in `unrecognized`.
pub(crate) fn parse_tag(tag: &str, vocabulary: &Vocabulary<'_>) -> ParsedTag {
    let lowered = tag.trim().to_ascii_lowercase();
    let words: Vec<&str> = lowered.split('-').collect();
    let mut parsed = ParsedTag::default();
    let mut index = read_version(&words, vocabulary, &mut parsed);
    let mut previous: Option<TokenKind> = None;
    while index < words.len() {
        if let Some((kind, consumed, text, number)) = match_words(&words[index..], vocabulary) {
            apply(kind, &text, number, previous, vocabulary, &mut parsed);
            previous = Some(kind);
            index += consumed;
            continue;
        }
        let word = words[index];
        previous = absorb_unmatched(word, previous, &mut parsed);
        index += 1;
    }
    parsed
}

/// Read a leading version (`3.12.4`, `3.15-rc`) or alias (`lts`, `jod`); returns the index of
/// the first word left to read.
fn read_version(words: &[&str], vocabulary: &Vocabulary<'_>, parsed: &mut ParsedTag) -> usize {
    let Some(first) = words.first() else {
        return 0;
    };
    if first.starts_with(|c: char| c.is_ascii_digit()) {
        let mut version = first.to_string();
        parsed.prerelease = has_prerelease_suffix(first);
        let mut index = 1;
        while let Some(word) = words.get(index) {
            if !is_prerelease_word(word, vocabulary) {
                break;
            }
            version.push('-');
            version.push_str(word);
            parsed.prerelease = true;
            index += 1;
        }
        parsed.version = Some(version);
        return index;
    }
    let is_alias = vocabulary.version_aliases.contains_key(*first)
        || vocabulary.kind(first) == Some(TokenKind::Alias);
    if is_alias {
        parsed.alias = Some(first.to_string());
        if *first != "latest" {
            parsed.version = Some(first.to_string());
        }
        return 1;
    }
    0
}

fn is_prerelease_word(word: &str, vocabulary: &Vocabulary<'_>) -> bool {
    if vocabulary.kind(word) == Some(TokenKind::Prerelease) {
        return true;
    }
    split_trailing_number(word)
        .is_some_and(|(stem, _)| vocabulary.kind(stem) == Some(TokenKind::Prerelease))
}

/// `3.14.0rc1`, `1.23beta1`, `19beta3` are pre-releases; `8u412` and `21.0.4_7` are not.
fn has_prerelease_suffix(version: &str) -> bool {
    let rest = version.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let letters = rest.trim_end_matches(|c: char| c.is_ascii_digit());
    matches!(letters, "rc" | "a" | "b" | "alpha" | "beta" | "ea")
}

/// Find the longest run of up to three words the vocabulary knows, directly or by stem
/// (`alpine3.20` -> `alpine`, `jdk21` -> `jdk` + 21).
fn match_words(
    words: &[&str],
    vocabulary: &Vocabulary<'_>,
) -> Option<(TokenKind, usize, String, Option<String>)> {
    for length in (1..=words.len().min(3)).rev() {
        let candidate = words[..length].join("-");
        if let Some(kind) = vocabulary.kind(&candidate) {
            return Some((kind, length, candidate, None));
        }
        if let Some((stem, number)) = split_trailing_number(&candidate) {
            if let Some(kind) = vocabulary.kind(stem) {
                let number = number.to_string();
                return Some((kind, length, candidate, Some(number)));
            }
        }
    }
    None
}

/// Split `alpine3.20` into (`alpine`, `3.20`); `None` when there is no stem or no number.
fn split_trailing_number(word: &str) -> Option<(&str, &str)> {
    let stem = word.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    let number = &word[stem.len()..];
    let starts_with_digit = number.starts_with(|c: char| c.is_ascii_digit());
    if stem.is_empty() || stem.ends_with('-') || !starts_with_digit {
        return None;
    }
    Some((stem, number))
}

fn apply(
    kind: TokenKind,
    text: &str,
    number: Option<String>,
    previous: Option<TokenKind>,
    vocabulary: &Vocabulary<'_>,
    parsed: &mut ParsedTag,
) {
    match kind {
        TokenKind::Slim => parsed.slim = true,
        TokenKind::Alpine => parsed.alpine = Some(text.to_string()),
        TokenKind::Windows => parsed.windows = true,
        TokenKind::Jdk | TokenKind::Jre => {
            parsed.java_kind = Some(if kind == TokenKind::Jdk {
                JavaKind::Jdk
            } else {
                JavaKind::Jre
            });
            if number.is_some() {
                parsed.jdk_version = number;
            }
        }
        TokenKind::Minimal => parsed.minimal = true,
        TokenKind::Dev => parsed.dev = true,
        TokenKind::Prerelease => parsed.prerelease = true,
        TokenKind::Alias => parsed.unrecognized.push(text.to_string()),
        TokenKind::Arch | TokenKind::Modifier | TokenKind::JdkVendor => {}
        TokenKind::Blocking => parsed.blocking = true,
        TokenKind::DebianSuite | TokenKind::UbuntuSuite | TokenKind::Os => {
            add_suite_word(kind, text, previous, parsed)
        }
        TokenKind::Variant => {
            if let Some(libc) = vocabulary.libc_words.get(text) {
                parsed.libc = Some(*libc);
            }
            parsed.variants.push(text.to_string());
        }
    }
}

fn add_suite_word(
    kind: TokenKind,
    text: &str,
    previous: Option<TokenKind>,
    parsed: &mut ParsedTag,
) {
    match parsed.suite.as_mut() {
        Some(suite) => {
            suite.push('-');
            suite.push_str(text);
            parsed.debian_suite = false;
            // Two separate OS names in one tag: nothing safe to build from it.
            if !previous.is_some_and(TokenKind::is_suite) {
                parsed.blocking = true;
            }
        }
        None => {
            parsed.suite = Some(text.to_string());
            parsed.debian_suite = kind == TokenKind::DebianSuite;
        }
    }
}

/// Handle a word the vocabulary does not know: a number that belongs to the word before it
/// (`alpine-3.24`, `eclipse-temurin-21`, `nanoserver-1809`), a date stamp, or unknown.
fn absorb_unmatched(
    word: &str,
    previous: Option<TokenKind>,
    parsed: &mut ParsedTag,
) -> Option<TokenKind> {
    let numeric = !word.is_empty() && word.chars().all(|c| c.is_ascii_digit() || c == '.');
    let is_date = word.len() == 8 && word.chars().all(|c| c.is_ascii_digit());
    match previous {
        _ if is_date => parsed.blocking = true,
        Some(TokenKind::JdkVendor | TokenKind::Jdk | TokenKind::Jre)
            if numeric && parsed.jdk_version.is_none() =>
        {
            parsed.jdk_version = Some(word.to_string());
        }
        Some(TokenKind::Alpine) if numeric => {
            if let Some(alpine) = parsed.alpine.as_mut() {
                alpine.push('-');
                alpine.push_str(word);
            }
        }
        Some(TokenKind::Windows) if numeric => {}
        _ => {
            parsed.unrecognized.push(word.to_string());
            return None;
        }
    }
    previous
}

/// The first `precision` numeric components of a version (`3.12.4`, 2 -> `3.12`;
/// `8u412`, 1 -> `8`); `None` when the version is less precise than that.
pub(crate) fn leading_components(version: &str, precision: usize) -> Option<String> {
    let numeric_end = version
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(version.len());
    let components: Vec<&str> = version[..numeric_end]
        .split('.')
        .take_while(|part| !part.is_empty())
        .collect();
    if precision == 0 || components.len() < precision {
        return None;
    }
    Some(components[..precision].join("."))
}
