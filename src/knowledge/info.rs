//! What `Knowledge::classify` returns: the image's facts and the suggestions rules can offer.

use super::model::{ImageKind, Libc, LifecycleStatus, Provides, Runtime, Source, TagClass};
use super::size::{Size, SizeChange, SizeMeasure};

/// Everything the knowledge base says about one image reference.
///
/// Suggestions are computed up front and are always safe to show: each names an image the
/// knowledge base lists as current (not deprecated, past end of life or removed), with a tag
/// it understands, and the slim/glibc/runtime/minimal ones keep the runtime version exactly.
/// Nothing is suggested for Windows images or for tags with words dlint does not understand.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageInfo {
    /// The repository as written (lower-cased), e.g. `docker.io/library/python`.
    pub repository: String,
    /// The knowledge-base entry it matched, e.g. `python`.
    pub entry: String,
    /// The tag as given, without digest; `None` means `latest`.
    pub tag: Option<String>,
    pub kind: ImageKind,
    pub class: TagClass,
    pub libc: Libc,
    /// The version word of the tag as written: `3.12.4`, `lts`, `3.15-rc`; for maven and gradle
    /// the tool version (the JDK version is in `runtime`).
    pub version: Option<String>,
    /// The runtime the image carries and the version the tag pins (`python` `3.12`).
    pub runtime: Option<Runtime>,
    /// OS release named in the tag (`bookworm`, `noble`, `ubi9-minimal`).
    pub os_suite: Option<String>,
    /// The image carries a compiler/SDK/JDK and belongs in a build stage (IMG002).
    pub build_only: bool,
    /// A debug or -dev variant with a shell added (distroless `:debug`, Chainguard
    /// `:latest-dev`) (IMG003).
    pub debug_variant: bool,
    /// The image has a POSIX shell (`/bin/sh`) for `RUN` and shell-form `CMD`: every class
    /// but `minimal` does, debug variants do, and so do the minimal images whose entry says
    /// `shell = true` (busybox, wolfi-base).
    pub has_shell: bool,
    /// The tag names a pre-release (`3.15-rc`, `1.24rc1`).
    pub prerelease: bool,
    /// Known sizes of this class of image, at most one per measure (see [`ImageInfo::size`]).
    pub sizes: Vec<Size>,
    /// Set when the image is deprecated, past end of life or removed (IMG004).
    pub deprecated: Option<Deprecation>,
    /// Facts worth telling the user about this image (variant caveats, scratch needs …).
    pub notes: Vec<String>,
    /// Where the facts about this entry come from.
    pub sources: Vec<Source>,
    /// Tag words dlint did not recognise; when non-empty no suggestion is made.
    pub unrecognized_tokens: Vec<String>,
    /// What this variant provides to RUN lines; `None` when the knowledge base does not say.
    pub provides: Option<Provides>,
    pub(crate) slim: Option<Suggestion>,
    pub(crate) glibc: Option<Suggestion>,
    pub(crate) runtime_image: Option<Suggestion>,
    pub(crate) minimal: Vec<Suggestion>,
}

impl ImageInfo {
    /// `repository:tag` as written (no tag when none was given).
    pub fn reference(&self) -> String {
        reference(&self.repository, self.tag.as_deref())
    }

    /// The size to quote for this image: of the measure estimates use (compressed) if known,
    /// else on disk, else a publisher's round figure.
    pub fn size(&self) -> Option<&Size> {
        [
            SizeMeasure::Compressed,
            SizeMeasure::OnDisk,
            SizeMeasure::Unspecified,
        ]
        .into_iter()
        .find_map(|measure| self.sizes.iter().find(|size| size.measure == measure))
    }

    /// Same image, same version and OS release, `-slim` variant: `python:3.12` ->
    /// `python:3.12-slim`, `python:3.12-bookworm` -> `python:3.12-slim-bookworm`,
    /// `debian:bookworm` -> `debian:bookworm-slim`. Only for full, full-OS and SDK tags.
    pub fn slim_alternative(&self) -> Option<&Suggestion> {
        self.slim.as_ref()
    }

    /// Minimal runtime images (distroless, chiseled, Chainguard, scratch) that fit: for a
    /// language image only those shipping exactly the same runtime version
    /// (`python:3.13` -> `gcr.io/distroless/python3-debian13`, nothing for `python:3.12`);
    /// for Go/Rust/C toolchains the static and glibc bases, each with what it `requires`.
    pub fn minimal_alternatives(&self) -> &[Suggestion] {
        &self.minimal
    }

    /// For an Alpine (musl) tag, the same version on glibc: `python:3.12-alpine` ->
    /// `python:3.12-slim`, `golang:1.23-alpine` -> `golang:1.23`.
    pub fn glibc_alternative(&self) -> Option<&Suggestion> {
        self.glibc.as_ref()
    }

    /// For an SDK/JDK/toolchain image, the image to run the result on:
    /// `eclipse-temurin:21-jdk` -> `eclipse-temurin:21-jre`, `dotnet/sdk:8.0` ->
    /// `dotnet/aspnet:8.0`, `maven:3-eclipse-temurin-21` -> `eclipse-temurin:21-jre`,
    /// `golang:1.23` -> `gcr.io/distroless/base-debian13`.
    pub fn runtime_alternative(&self) -> Option<&Suggestion> {
        self.runtime_image.as_ref()
    }

    /// Every suggestion, replacements of a deprecated image included.
    pub fn all_suggestions(&self) -> impl Iterator<Item = &Suggestion> {
        let replacements = self
            .deprecated
            .iter()
            .flat_map(|deprecation| deprecation.replacements.iter());
        self.slim
            .iter()
            .chain(self.glibc.iter())
            .chain(self.runtime_image.iter())
            .chain(self.minimal.iter())
            .chain(replacements)
    }
}

/// Why an image should not be used any more, and what to use instead.
#[derive(Debug, Clone, PartialEq)]
pub struct Deprecation {
    pub status: LifecycleStatus,
    /// When it happened (`2026-05-12`, `2024-06`), when known.
    pub since: Option<String>,
    pub note: String,
    pub sources: Vec<Source>,
    /// Concrete current images to move to, if one can be named for this tag. A replacement
    /// may change the runtime version (see [`Suggestion::changes_version`]).
    pub replacements: Vec<Suggestion>,
}

/// What a suggestion is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SuggestionKind {
    Slim,
    Glibc,
    Runtime,
    Minimal,
    Replacement,
}

/// An image to use instead, with the facts a message or a fix needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub kind: SuggestionKind,
    /// Repository to write, keeping the user's Docker Hub prefix for library images.
    pub repository: String,
    /// Tag to write; `None` means no tag (`scratch`, or the image's default `latest`).
    pub tag: Option<String>,
    pub class: TagClass,
    pub libc: Libc,
    pub runtime: Option<Runtime>,
    /// True when the runtime or OS version differs from the current image (only possible for
    /// replacements of deprecated images): never apply such a suggestion automatically.
    pub changes_version: bool,
    /// What the application must satisfy for the suggestion to work (a static binary, a
    /// venv built for /usr/bin/python …).
    pub requires: Option<String>,
    pub note: Option<String>,
    /// Sizes of the current and suggested image, measured the same way, when both are known.
    pub size_change: Option<SizeChange>,
}

impl Suggestion {
    /// `repository:tag`, ready to put after `FROM`.
    pub fn reference(&self) -> String {
        reference(&self.repository, self.tag.as_deref())
    }
}

fn reference(repository: &str, tag: Option<&str>) -> String {
    match tag {
        Some(tag) => format!("{repository}:{tag}"),
        None => repository.to_string(),
    }
}
