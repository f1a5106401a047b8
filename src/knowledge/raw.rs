//! The shapes of `rules/images.toml` as written, before `like` is resolved. Image entries are
//! read key by key so that a mistake in a user's `[images]` table names the exact key.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::error::KnowledgeError;
use super::model::{ImageKind, Libc, LifecycleStatus, TagClass};
use super::size::SizeMeasure;

/// The whole images file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawImagesFile {
    pub schema_version: u32,
    pub compiled: String,
    pub compiled_from: String,
    pub sources: BTreeMap<String, RawSource>,
    pub registry: RawRegistry,
    pub tokens: BTreeMap<String, Vec<String>>,
    pub image: BTreeMap<String, toml::Table>,
    pub static_link: BTreeMap<String, RawStaticRecipe>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSource {
    pub desc: String,
    pub url: Option<String>,
    pub commit: Option<String>,
    pub date: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRegistry {
    pub library_prefixes: Vec<String>,
    #[allow(dead_code)] // documents provenance in the TOML; not shown to users
    pub src: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStaticRecipe {
    pub summary: String,
    pub env: BTreeMap<String, String>,
    pub options: Vec<RawRecipeOption>,
    pub caveats: Vec<String>,
    /// An image with a shell to run the static binary on when the container starts it
    /// through one (`sh -c "app | tee log"`).
    #[serde(default)]
    pub shell_runtime: Option<String>,
    pub src: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRecipeOption {
    pub value: String,
    pub effect: String,
}

/// A suggestion template (see the header of `rules/images.toml`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTemplate {
    pub repository: Option<String>,
    pub tag: Option<Vec<String>>,
    pub when_versions: Option<Vec<String>>,
    pub when_libc: Option<Libc>,
    pub requires: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSize {
    pub tag: String,
    pub measure: SizeMeasure,
    pub mb: f64,
    pub arch: Option<String>,
    pub src: String,
    pub file: Option<String>,
    pub commit: Option<String>,
    pub date: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLifecycle {
    pub status: LifecycleStatus,
    pub since: Option<String>,
    pub note: String,
    pub src: Vec<String>,
}

/// What one variant of an image provides to RUN lines (`provides` in an image entry).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProvides {
    #[serde(default)]
    pub commands: Vec<String>,
    #[serde(default)]
    pub busybox: Vec<String>,
    #[serde(default)]
    pub packages: Vec<String>,
    /// Environment the image's own Dockerfile sets (`GOPATH`, `PATH`).
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// The working directory the image's Dockerfile sets (`WORKDIR $GOPATH`).
    #[serde(default)]
    pub workdir: Option<String>,
    pub src: String,
    pub file: Option<String>,
}

/// One `[image."<repository>"]` entry; every field optional so entries can inherit (`like`)
/// and user overrides can patch single fields.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct RawImage {
    pub like: Option<String>,
    pub also: Option<Vec<String>>,
    pub kind: Option<ImageKind>,
    pub default_class: Option<TagClass>,
    pub libc: Option<Libc>,
    pub libc_tokens: Option<BTreeMap<String, Libc>>,
    pub runtime: Option<String>,
    pub runtime_version: Option<String>,
    pub version_precision: Option<usize>,
    pub version_is_runtime: Option<bool>,
    pub known_versions: Option<Vec<String>>,
    pub version_aliases: Option<BTreeMap<String, String>>,
    pub build_only: Option<bool>,
    pub shell: Option<bool>,
    pub tokens: Option<BTreeMap<String, Vec<String>>>,
    pub lifecycle: Option<RawLifecycle>,
    pub notes: Option<Vec<String>>,
    pub src: Option<Vec<String>>,
    pub requires: Option<String>,
    pub sizes: Option<Vec<RawSize>>,
    pub slim_alternatives: Option<Vec<RawTemplate>>,
    pub glibc_alternatives: Option<Vec<RawTemplate>>,
    pub runtime_alternatives: Option<Vec<RawTemplate>>,
    pub minimal_alternatives: Option<Vec<RawTemplate>>,
    pub replacements: Option<Vec<RawTemplate>>,
    pub provides: Option<BTreeMap<String, RawProvides>>,
    pub default_tag: Option<String>,
}

/// Keys an image entry may have, in the order the docs list them.
pub(crate) const IMAGE_KEYS: &[&str] = &[
    "like",
    "also",
    "kind",
    "default_class",
    "libc",
    "libc_tokens",
    "runtime",
    "runtime_version",
    "version_precision",
    "version_is_runtime",
    "known_versions",
    "version_aliases",
    "build_only",
    "shell",
    "tokens",
    "lifecycle",
    "notes",
    "src",
    "requires",
    "sizes",
    "slim_alternatives",
    "glibc_alternatives",
    "runtime_alternatives",
    "minimal_alternatives",
    "replacements",
    "provides",
    "default_tag",
];

impl RawImage {
    /// Read one entry; `path` is the dotted key of the entry for error messages.
    pub(crate) fn from_table(path: &str, table: &toml::Table) -> Result<RawImage, KnowledgeError> {
        if let Some(unknown) = table.keys().find(|key| !IMAGE_KEYS.contains(&key.as_str())) {
            return Err(KnowledgeError::new(
                format!("{path}.{unknown}"),
                format!("unknown key; expected one of: {}", IMAGE_KEYS.join(", ")),
            ));
        }
        let reader = FieldReader { path, table };
        Ok(RawImage {
            like: reader.read("like")?,
            also: reader.read("also")?,
            kind: reader.read("kind")?,
            default_class: reader.read("default_class")?,
            libc: reader.read("libc")?,
            libc_tokens: reader.read("libc_tokens")?,
            runtime: reader.read("runtime")?,
            runtime_version: reader.read("runtime_version")?,
            version_precision: reader.read("version_precision")?,
            version_is_runtime: reader.read("version_is_runtime")?,
            known_versions: reader.read("known_versions")?,
            version_aliases: reader.read("version_aliases")?,
            build_only: reader.read("build_only")?,
            shell: reader.read("shell")?,
            tokens: reader.read("tokens")?,
            lifecycle: reader.read("lifecycle")?,
            notes: reader.read("notes")?,
            src: reader.read("src")?,
            requires: reader.read("requires")?,
            sizes: reader.read("sizes")?,
            slim_alternatives: reader.read("slim_alternatives")?,
            glibc_alternatives: reader.read("glibc_alternatives")?,
            runtime_alternatives: reader.read("runtime_alternatives")?,
            minimal_alternatives: reader.read("minimal_alternatives")?,
            replacements: reader.read("replacements")?,
            provides: reader.read("provides")?,
            default_tag: reader.read("default_tag")?,
        })
    }

    /// Fields set in `patch` win; the rest come from `self`. Used for user overrides of a
    /// built-in entry.
    pub(crate) fn patched_with(self, patch: RawImage) -> RawImage {
        RawImage {
            like: patch.like.or(self.like),
            also: patch.also.or(self.also),
            kind: patch.kind.or(self.kind),
            default_class: patch.default_class.or(self.default_class),
            libc: patch.libc.or(self.libc),
            libc_tokens: patch.libc_tokens.or(self.libc_tokens),
            runtime: patch.runtime.or(self.runtime),
            runtime_version: patch.runtime_version.or(self.runtime_version),
            version_precision: patch.version_precision.or(self.version_precision),
            version_is_runtime: patch.version_is_runtime.or(self.version_is_runtime),
            known_versions: patch.known_versions.or(self.known_versions),
            version_aliases: patch.version_aliases.or(self.version_aliases),
            build_only: patch.build_only.or(self.build_only),
            shell: patch.shell.or(self.shell),
            tokens: patch.tokens.or(self.tokens),
            lifecycle: patch.lifecycle.or(self.lifecycle),
            notes: patch.notes.or(self.notes),
            src: patch.src.or(self.src),
            requires: patch.requires.or(self.requires),
            sizes: patch.sizes.or(self.sizes),
            slim_alternatives: patch.slim_alternatives.or(self.slim_alternatives),
            glibc_alternatives: patch.glibc_alternatives.or(self.glibc_alternatives),
            runtime_alternatives: patch.runtime_alternatives.or(self.runtime_alternatives),
            minimal_alternatives: patch.minimal_alternatives.or(self.minimal_alternatives),
            replacements: patch.replacements.or(self.replacements),
            provides: patch.provides.or(self.provides),
            default_tag: patch.default_tag.or(self.default_tag),
        }
    }
}

struct FieldReader<'a> {
    path: &'a str,
    table: &'a toml::Table,
}

impl FieldReader<'_> {
    fn read<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, KnowledgeError> {
        let Some(value) = self.table.get(key) else {
            return Ok(None);
        };
        value.clone().try_into::<T>().map(Some).map_err(|error| {
            KnowledgeError::new(format!("{}.{key}", self.path), one_line(&error.to_string()))
        })
    }
}

/// toml's messages can span lines; configuration errors read better on one.
fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Dotted path of an entry: `image.python`, `images."gcr.io/distroless/static-debian13"`.
pub(crate) fn entry_path(table: &str, key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        format!("{table}.{key}")
    } else {
        format!("{table}.\"{key}\"")
    }
}
