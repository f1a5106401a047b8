//! What dlint knows about base images and packages, and the lookups rules use.
//!
//! The facts live in `rules/images.toml` and `rules/packages.toml` (dated, with sources) and are
//! embedded at compile time; this module parses them once and answers questions about them.
//! Rules never hard-code image names: they ask [`Knowledge::classify`] and
//! [`packages()`].
//!
//! ```
//! use dlint::knowledge::{Knowledge, Libc, TagClass};
//!
//! let kb = Knowledge::builtin();
//! let info = kb.classify("python", Some("3.12")).unwrap();
//! assert_eq!(info.class, TagClass::Full);
//! assert_eq!(info.libc, Libc::Glibc);
//! let slim = info.slim_alternative().unwrap();
//! assert_eq!(slim.reference(), "python:3.12-slim");
//! // python:3.12 gets no distroless suggestion: distroless python3 ships Python 3.13.
//! assert!(info.minimal_alternatives().is_empty());
//! ```
//!
//! Which rule uses what:
//! - IMG001 heavy base: [`ImageInfo::class`] (`Full`, `FullOs`), [`ImageInfo::size`],
//!   [`ImageInfo::slim_alternative`], [`ImageInfo::minimal_alternatives`].
//! - IMG002 SDK in the runtime stage: [`ImageInfo::build_only`],
//!   [`ImageInfo::runtime_alternative`].
//! - IMG003 dev/debug variants: [`ImageInfo::debug_variant`].
//! - IMG004 deprecated or removed images: [`ImageInfo::deprecated`].
//! - MUSL001-004: [`ImageInfo::libc`], [`ImageInfo::glibc_alternative`], [`packages()`].
//! - STAT: [`Knowledge::static_recipe`], the `requires` of minimal suggestions, and the notes
//!   of `scratch`.

mod build;
mod classify;
mod entry;
mod error;
mod info;
mod memo;
mod model;
mod packages;
mod raw;
mod size;
mod suggest;
mod tag;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

pub use error::KnowledgeError;
pub use info::{Deprecation, ImageInfo, Suggestion, SuggestionKind};
pub use model::{
    ImageKind, Libc, LifecycleStatus, Provides, RecipeOption, Runtime, Source, StaticRecipe,
    TagClass,
};
pub use packages::{
    npm_package_name, packages, python_package_name, CommandPackages, DistroPython, Ecosystem,
    Evidence, MuslSensitivePackage, PackageManager, Packages, SourceBuild,
};
pub use size::{format_megabytes, Size, SizeChange, SizeMeasure, ESTIMATE_MEASURE};

use classify::ResolvedSize;
use entry::ImageEntry;
use raw::RawImage;
use tag::TokenKind;

/// The image knowledge base shipped with dlint, embedded at compile time.
const BUILTIN_IMAGES: &str = include_str!("../../rules/images.toml");
/// The same, finished by `build.rs` (entries resolved, indexes built, everything checked) and
/// stored with postcard: decoding it is all a start pays. Empty if the TOML is malformed.
const BUILTIN_IMAGES_BIN: &[u8] = include_out_dir!(bytes "images.bin");
/// The entries of `BUILTIN_IMAGES` as written, for [`Knowledge::with_overrides`] only.
const BUILTIN_RAW_ENTRIES_BIN: &[u8] = include_out_dir!(bytes "images-raw.bin");

/// Image facts: families, tag grammar, sizes, lifecycle, suggestions, static-link recipes.
///
/// Get the built-in one with [`Knowledge::builtin`]; layer a user's `[images]` table with
/// [`Knowledge::with_overrides`].
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Knowledge {
    compiled: String,
    compiled_from: String,
    sources: BTreeMap<String, Source>,
    /// Longest first, so `docker.io/library/` wins over `docker.io/`.
    library_prefixes: Vec<String>,
    vocabulary: BTreeMap<String, TokenKind>,
    /// Entries as written, kept so overrides can patch them and re-resolve `like`; `None` in
    /// the built-in knowledge base, which decodes them only when an override needs them
    /// ([`builtin_raw_entries`]).
    #[serde(skip)]
    raw_entries: Option<BTreeMap<String, RawImage>>,
    entries: BTreeMap<String, ImageEntry>,
    #[serde(serialize_with = "build::sorted")]
    by_repository: HashMap<String, String>,
    sizes: BTreeMap<String, Vec<ResolvedSize>>,
    static_recipes: BTreeMap<String, StaticRecipe>,
}

impl Knowledge {
    /// The knowledge base of `rules/images.toml`, decoded on first use from the form `build.rs`
    /// finished it in.
    ///
    /// # Panics
    /// Only if the embedded `rules/images.toml` is malformed, which `cargo test --test library knowledge::`
    /// rules out before a release; user input never reaches this.
    pub fn builtin() -> &'static Knowledge {
        static BUILTIN: OnceLock<Knowledge> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            // `build.rs` left no data only if the TOML is malformed: parsing it says where.
            Knowledge::from_embedded(BUILTIN_IMAGES_BIN).unwrap_or_else(|| {
                match Knowledge::from_toml_str(BUILTIN_IMAGES) {
                    Ok(knowledge) => knowledge,
                    Err(error) => panic!("rules/images.toml is invalid: {error}"),
                }
            })
        })
    }

    /// Layer the `[images]` table of a `dlint.toml` on top: add a company's own base images or
    /// change a built-in entry. `images_table` is the value of `images`, keyed by repository;
    /// each value takes the keys of `rules/images.toml` entries, all optional:
    ///
    /// ```toml
    /// [images."registry.example.com/base/python"]
    /// like = "python"          # read tags like the official python image
    /// default_class = "slim"   # …but every tag of ours is slim
    ///
    /// [images."registry.example.com/base/old-java"]
    /// like = "eclipse-temurin"
    /// lifecycle = { status = "deprecated", note = "use base/java", src = ["config"] }
    /// ```
    ///
    /// `like` copies the tag grammar (kind, class, libc, runtime, tag words) but not the
    /// suggestions, because a private registry need not publish the same tags. A key naming a
    /// built-in repository patches that entry field by field. Errors name the key that is
    /// wrong, e.g. `images."registry.example.com/base/python".default_class`.
    pub fn with_overrides(&self, images_table: &toml::Value) -> Result<Knowledge, KnowledgeError> {
        self.layered(images_table)
    }

    /// Classify an image reference. `repository` is as written in `FROM` (a `docker.io/library/`,
    /// mirror or per-architecture prefix such as `arm64v8/` is understood), `tag` is the tag
    /// without digest (`None` = `latest`). Returns `None` for images the knowledge base does not
    /// list (rules then say nothing).
    pub fn classify(&self, repository: &str, tag: Option<&str>) -> Option<ImageInfo> {
        let classified = self.classify_shallow(repository, tag)?;
        Some(self.image_info(&classified))
    }

    /// How to build a statically linked binary for `language` (`go`, `rust`, `c`, `dotnet`).
    pub fn static_recipe(&self, language: &str) -> Option<&StaticRecipe> {
        self.static_recipes.get(language)
    }

    /// Every repository name the knowledge base recognises (entries and their aliases).
    pub fn repositories(&self) -> impl Iterator<Item = &str> {
        self.entries
            .values()
            .flat_map(|entry| entry.repositories.iter().map(String::as_str))
    }

    /// When the data was compiled (`2026-11-23`).
    pub fn compiled(&self) -> &str {
        &self.compiled
    }

    /// What the data was compiled from.
    pub fn compiled_from(&self) -> &str {
        &self.compiled_from
    }

    /// A source by its id (`repo-info`, `distroless` …).
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.get(id)
    }
}

/// The entries of the built-in knowledge base as written, decoded on first use.
fn builtin_raw_entries() -> &'static BTreeMap<String, RawImage> {
    static RAW: OnceLock<BTreeMap<String, RawImage>> = OnceLock::new();
    RAW.get_or_init(|| {
        postcard::from_bytes(BUILTIN_RAW_ENTRIES_BIN)
            .ok()
            .or_else(|| Knowledge::from_toml_str(BUILTIN_IMAGES).ok()?.raw_entries)
            .unwrap_or_default()
    })
}
