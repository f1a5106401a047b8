//! From a repository and tag to an entry and what the tag says about it, with no suggestions
//! yet. Suggestions re-use this to check that what they propose exists.

use std::collections::BTreeMap;

use super::entry::ImageEntry;
use super::model::{Libc, TagClass};
use super::size::{Size, SizeMeasure};
use super::tag::{leading_components, parse_tag, JavaKind, ParsedTag, TokenKind, Vocabulary};
use super::Knowledge;

/// What one tag of one entry says.
#[derive(Debug, Clone)]
pub(crate) struct TagReading {
    pub parsed: ParsedTag,
    pub class: TagClass,
    pub libc: Libc,
    pub runtime_version: Option<String>,
    pub build_only: bool,
}

/// A classified reference: the entry, how the repository was written, and the tag reading.
#[derive(Debug, Clone)]
pub(crate) struct Classified<'k> {
    pub entry: &'k ImageEntry,
    /// The repository as the user wrote it (trimmed, lower-cased).
    pub written_repository: String,
    /// A Docker Hub library prefix that was stripped (`docker.io/library/`, `arm64v8/`), so
    /// suggestions of other library images can keep it.
    pub library_prefix: Option<String>,
    pub tag: Option<String>,
    pub reading: TagReading,
}

/// A size figure with the tag reading of the tag it was measured on.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct ResolvedSize {
    pub size: Size,
    pub class: TagClass,
    pub libc: Libc,
    /// `rust:1` and `rust:1-slim` share a class; the slim word still tells them apart.
    pub slim: bool,
    pub runtime_version: Option<String>,
}

/// Read `tag` (None = latest) in the grammar of `entry`.
pub(crate) fn read_tag(
    global: &BTreeMap<String, TokenKind>,
    entry: &ImageEntry,
    tag: Option<&str>,
) -> TagReading {
    let vocabulary = Vocabulary {
        global,
        image: &entry.words,
        libc_words: &entry.libc_words,
        version_aliases: &entry.version_aliases,
    };
    let parsed = parse_tag(tag.unwrap_or("latest"), &vocabulary);
    let role = match parsed.java_kind {
        Some(JavaKind::Jre) => TagClass::Runtime,
        Some(JavaKind::Jdk) => TagClass::Sdk,
        None => entry.default_class,
    };
    let class = if parsed.windows || entry.default_class == TagClass::Windows {
        TagClass::Windows
    } else if parsed.minimal {
        TagClass::Minimal
    } else if parsed.alpine.is_some() {
        TagClass::Alpine
    } else if matches!(
        role,
        TagClass::Sdk | TagClass::Runtime | TagClass::Minimal | TagClass::Alpine
    ) {
        role
    } else if parsed.slim {
        TagClass::Slim
    } else {
        role
    };
    let libc = if class == TagClass::Windows {
        Libc::Windows
    } else if parsed.alpine.is_some() {
        Libc::Musl
    } else {
        parsed.libc.unwrap_or(entry.libc)
    };
    TagReading {
        runtime_version: runtime_version(entry, &parsed),
        build_only: entry.build_only || role == TagClass::Sdk,
        parsed,
        class,
        libc,
    }
}

fn runtime_version(entry: &ImageEntry, parsed: &ParsedTag) -> Option<String> {
    entry.runtime.as_ref()?;
    if let Some(fixed) = &entry.fixed_runtime_version {
        return Some(fixed.clone());
    }
    if parsed.prerelease {
        return None;
    }
    if !entry.version_is_runtime {
        let jdk = parsed.jdk_version.as_deref()?;
        return leading_components(jdk, entry.version_precision);
    }
    if let Some(alias) = &parsed.alias {
        return entry.version_aliases.get(alias).cloned();
    }
    leading_components(parsed.version.as_deref()?, entry.version_precision)
}

/// Tag as given, without a digest or surrounding space; empty means "no tag".
fn clean_tag(tag: Option<&str>) -> Option<String> {
    let tag = tag?.trim();
    let tag = tag.split('@').next().unwrap_or(tag).trim();
    (!tag.is_empty()).then(|| tag.to_string())
}

impl Knowledge {
    /// Find the entry for `repository` and read `tag` in its grammar.
    pub(crate) fn classify_shallow(
        &self,
        repository: &str,
        tag: Option<&str>,
    ) -> Option<Classified<'_>> {
        let written_repository = repository.trim().to_ascii_lowercase();
        let (library_prefix, entry) = self.find_entry(&written_repository)?;
        let tag = clean_tag(tag);
        let reading = read_tag(&self.vocabulary, entry, tag.as_deref());
        Some(Classified {
            entry,
            written_repository,
            library_prefix,
            tag,
            reading,
        })
    }

    /// Look the repository up as written, then without a Docker Hub library prefix.
    fn find_entry(&self, repository: &str) -> Option<(Option<String>, &ImageEntry)> {
        if let Some(entry) = self.entry_for_repository(repository) {
            return Some((None, entry));
        }
        let prefix = self
            .library_prefixes
            .iter()
            .find(|prefix| repository.starts_with(prefix.as_str()))?;
        let rest = &repository[prefix.len()..];
        let rest = rest.strip_prefix("library/").unwrap_or(rest);
        // Only official (single-name) images live under these prefixes.
        if rest.is_empty() || rest.contains('/') {
            return None;
        }
        let entry = self.entry_for_repository(rest)?;
        let stripped = &repository[..repository.len() - rest.len()];
        Some((Some(stripped.to_string()), entry))
    }

    pub(crate) fn entry_for_repository(&self, repository: &str) -> Option<&ImageEntry> {
        let key = self.by_repository.get(repository)?;
        self.entries.get(key)
    }

    /// The sizes that stand for this reading: same class and libc, preferring a figure
    /// measured on the same runtime version; at most one per measure.
    pub(crate) fn sizes_for(&self, entry: &ImageEntry, reading: &TagReading) -> Vec<Size> {
        let Some(sizes) = self.sizes.get(&entry.key) else {
            return Vec::new();
        };
        let candidates: Vec<&ResolvedSize> = sizes
            .iter()
            .filter(|size| {
                size.class == reading.class
                    && size.libc == reading.libc
                    && size.slim == reading.parsed.slim
            })
            .collect();
        [
            SizeMeasure::OnDisk,
            SizeMeasure::Compressed,
            SizeMeasure::Unspecified,
        ]
        .into_iter()
        .filter_map(|measure| {
            let same_measure = || candidates.iter().filter(move |s| s.size.measure == measure);
            same_measure()
                .find(|s| s.runtime_version == reading.runtime_version)
                .or_else(|| same_measure().next())
                .map(|s| s.size.clone())
        })
        .collect()
    }
}
