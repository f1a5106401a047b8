//! Image entries with `like` resolved and templates checked: the form classification uses.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::error::KnowledgeError;
use super::model::{ImageKind, Libc, TagClass};
use super::raw::{entry_path, RawImage, RawLifecycle, RawProvides, RawSize, RawTemplate};
use super::tag::TokenKind;

/// A placeholder a template segment can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Placeholder {
    Version,
    RuntimeVersion,
    Suite,
    DebianSuite,
    Variant,
    JavaKind,
    Alpine,
    AlpinePlain,
    Slim,
    Tag,
}

impl Placeholder {
    fn from_name(name: &str) -> Option<Placeholder> {
        Some(match name {
            "version" => Placeholder::Version,
            "runtime_version" => Placeholder::RuntimeVersion,
            "suite" => Placeholder::Suite,
            "debian_suite" => Placeholder::DebianSuite,
            "variant" => Placeholder::Variant,
            "java_kind" => Placeholder::JavaKind,
            "alpine" => Placeholder::Alpine,
            "alpine_plain" => Placeholder::AlpinePlain,
            "slim" => Placeholder::Slim,
            "tag" => Placeholder::Tag,
            _ => return None,
        })
    }
}

/// One `-`-separated piece of a suggested tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Segment {
    Literal(String),
    Placeholder { name: Placeholder, required: bool },
}

/// A checked suggestion template.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Template {
    pub repository: Option<String>,
    /// `None`: suggest the repository without a tag (`scratch`, distroless `latest`).
    pub segments: Option<Vec<Segment>>,
    pub when_versions: Option<Vec<String>>,
    pub when_libc: Option<Libc>,
    pub requires: Option<String>,
    pub note: Option<String>,
}

/// A resolved entry of the knowledge base.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ImageEntry {
    pub key: String,
    pub repositories: Vec<String>,
    pub kind: ImageKind,
    pub default_class: TagClass,
    pub libc: Libc,
    pub libc_words: BTreeMap<String, Libc>,
    pub runtime: Option<String>,
    pub fixed_runtime_version: Option<String>,
    pub version_precision: usize,
    pub version_is_runtime: bool,
    pub known_versions: Option<Vec<String>>,
    pub version_aliases: BTreeMap<String, String>,
    pub build_only: bool,
    /// Whether non-debug tags have `/bin/sh`; `None`: every class but `minimal` has one.
    pub shell: Option<bool>,
    pub words: BTreeMap<String, TokenKind>,
    pub lifecycle: Option<RawLifecycle>,
    pub notes: Vec<String>,
    pub sources: Vec<String>,
    pub requires: Option<String>,
    pub raw_sizes: Vec<RawSize>,
    pub slim: Vec<Template>,
    pub glibc: Vec<Template>,
    pub runtime_alternatives: Vec<Template>,
    pub minimal: Vec<Template>,
    pub replacements: Vec<Template>,
    /// What each variant provides to RUN lines, keyed like `provides` in the TOML.
    pub provides: BTreeMap<String, RawProvides>,
    /// The tag a suggestion of this image writes when its template names none.
    pub default_tag: Option<String>,
}

/// How many `like` links an entry may follow; deeper chains are a mistake.
const MAX_LIKE_DEPTH: usize = 8;

/// Resolve every entry. `table` is the name used in error paths (`image` or `images`).
pub(crate) fn resolve_entries(
    raw: &BTreeMap<String, RawImage>,
    table: &str,
) -> Result<BTreeMap<String, ImageEntry>, KnowledgeError> {
    raw.keys()
        .map(|key| resolve_entry(raw, key, table).map(|entry| (key.clone(), entry)))
        .collect()
}

fn resolve_entry(
    raw: &BTreeMap<String, RawImage>,
    key: &str,
    table: &str,
) -> Result<ImageEntry, KnowledgeError> {
    let path = entry_path(table, key);
    let chain = like_chain(raw, key, &path)?;
    let own = chain[0];
    // Tag-grammar fields come from the nearest entry in the `like` chain that sets them.
    macro_rules! grammar {
        ($field:ident) => {
            chain.iter().find_map(|entry| entry.$field.clone())
        };
    }
    if own.runtime_version.is_some() && grammar!(runtime).is_none() {
        return Err(KnowledgeError::new(
            format!("{path}.runtime_version"),
            "runtime_version needs a runtime",
        ));
    }
    let mut repositories = vec![key.to_string()];
    repositories.extend(own.also.clone().unwrap_or_default());
    Ok(ImageEntry {
        key: key.to_string(),
        repositories,
        kind: grammar!(kind).unwrap_or(ImageKind::Unknown),
        default_class: grammar!(default_class).unwrap_or(TagClass::Unknown),
        libc: grammar!(libc).unwrap_or(Libc::Unknown),
        libc_words: grammar!(libc_tokens).unwrap_or_default(),
        runtime: grammar!(runtime),
        fixed_runtime_version: grammar!(runtime_version),
        version_precision: grammar!(version_precision).unwrap_or(1),
        version_is_runtime: grammar!(version_is_runtime).unwrap_or(true),
        known_versions: grammar!(known_versions),
        version_aliases: grammar!(version_aliases).unwrap_or_default(),
        build_only: grammar!(build_only).unwrap_or(false),
        shell: grammar!(shell),
        words: word_kinds(
            grammar!(tokens).unwrap_or_default(),
            &format!("{path}.tokens"),
        )?,
        lifecycle: own.lifecycle.clone(),
        notes: own.notes.clone().unwrap_or_default(),
        sources: own.src.clone().unwrap_or_default(),
        requires: own.requires.clone(),
        raw_sizes: own.sizes.clone().unwrap_or_default(),
        slim: templates(&own.slim_alternatives, &path, "slim_alternatives")?,
        glibc: templates(&own.glibc_alternatives, &path, "glibc_alternatives")?,
        runtime_alternatives: templates(&own.runtime_alternatives, &path, "runtime_alternatives")?,
        minimal: templates(&own.minimal_alternatives, &path, "minimal_alternatives")?,
        replacements: templates(&own.replacements, &path, "replacements")?,
        provides: grammar!(provides).unwrap_or_default(),
        default_tag: grammar!(default_tag),
    })
}

/// The entry followed by the entries its `like` names, nearest first.
fn like_chain<'a>(
    raw: &'a BTreeMap<String, RawImage>,
    key: &str,
    path: &str,
) -> Result<Vec<&'a RawImage>, KnowledgeError> {
    let mut chain = Vec::new();
    let mut seen = BTreeSet::new();
    let mut current = key.to_string();
    loop {
        let Some(entry) = raw.get(&current) else {
            return Err(KnowledgeError::new(
                format!("{path}.like"),
                format!("no image entry named \"{current}\""),
            ));
        };
        if !seen.insert(current.clone()) || chain.len() >= MAX_LIKE_DEPTH {
            return Err(KnowledgeError::new(
                format!("{path}.like"),
                "`like` links form a loop or are nested too deeply",
            ));
        }
        chain.push(entry);
        match &entry.like {
            Some(next) => current = next.clone(),
            None => return Ok(chain),
        }
    }
}

/// Turn `{ group = [words] }` into word -> kind.
pub(crate) fn word_kinds(
    groups: BTreeMap<String, Vec<String>>,
    path: &str,
) -> Result<BTreeMap<String, TokenKind>, KnowledgeError> {
    let mut words = BTreeMap::new();
    for (group, members) in groups {
        let kind = TokenKind::from_name(&group).ok_or_else(|| {
            KnowledgeError::new(
                format!("{path}.{group}"),
                format!("unknown word group; expected one of: {}", TokenKind::NAMES),
            )
        })?;
        for word in members {
            words.insert(word.to_ascii_lowercase(), kind);
        }
    }
    Ok(words)
}

fn templates(
    raw: &Option<Vec<RawTemplate>>,
    path: &str,
    list: &str,
) -> Result<Vec<Template>, KnowledgeError> {
    let Some(raw) = raw else {
        return Ok(Vec::new());
    };
    raw.iter()
        .enumerate()
        .map(|(index, template)| {
            let tag_path = format!("{path}.{list}[{index}].tag");
            let segments = match &template.tag {
                Some(parts) => Some(
                    parts
                        .iter()
                        .map(|part| parse_segment(part, &tag_path))
                        .collect::<Result<Vec<_>, _>>()?,
                ),
                None => None,
            };
            Ok(Template {
                repository: template.repository.clone(),
                segments,
                when_versions: template.when_versions.clone(),
                when_libc: template.when_libc,
                requires: template.requires.clone(),
                note: template.note.clone(),
            })
        })
        .collect()
}

fn parse_segment(part: &str, path: &str) -> Result<Segment, KnowledgeError> {
    let Some(inner) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) else {
        if part.is_empty() || part.contains(['{', '}', '-', ':', '@', '/']) {
            return Err(KnowledgeError::new(
                path,
                format!("\"{part}\" is neither a placeholder nor a plain tag word"),
            ));
        }
        return Ok(Segment::Literal(part.to_string()));
    };
    let (name, required) = match inner.strip_suffix('!') {
        Some(name) => (name, true),
        None => (inner, false),
    };
    let name = Placeholder::from_name(name).ok_or_else(|| {
        KnowledgeError::new(
            path,
            format!(
                "unknown placeholder {{{name}}}; expected version, runtime_version, suite, \
                 debian_suite, variant, java_kind, alpine, alpine_plain, slim or tag"
            ),
        )
    })?;
    Ok(Segment::Placeholder { name, required })
}
