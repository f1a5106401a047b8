//! Public vocabulary of the knowledge base: classes, libc, lifecycle, sources, runtimes.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What a tag's variant makes of an image, the axis the IMG rules reason about.
///
/// Precedence when a tag says several things: `Windows` > `Minimal` > `Alpine` > the JDK/JRE
/// word > the image's own role (`Sdk`, `Runtime`, `Minimal`) > `Slim` > the image's default.
/// So `golang:1.23-alpine` is `Alpine` (and [`ImageInfo::build_only`](super::ImageInfo) is
/// still true), `rust:1-slim` is `Sdk`, `eclipse-temurin:21-jre` is `Runtime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TagClass {
    /// Default Debian-based language tag built on buildpack-deps: compilers, headers, heavy.
    Full,
    /// A whole general-purpose OS image (debian, ubuntu, fedora …).
    FullOs,
    /// Debian `-slim` (or an OS's minimal flavour): only what running needs, glibc.
    Slim,
    /// Alpine Linux based: small, musl libc.
    Alpine,
    /// A build toolchain / SDK / JDK that should not be the runtime stage.
    Sdk,
    /// A runtime-only image (JRE, ASP.NET runtime, service images such as nginx).
    Runtime,
    /// A minimal final image (distroless, chiseled, Chainguard, scratch, busybox): no package
    /// manager and usually no shell.
    Minimal,
    /// windowsservercore / nanoserver: dlint does not rewrite these.
    Windows,
    /// The knowledge base does not say (only for user-added entries without a class).
    Unknown,
}

impl TagClass {
    /// The kebab-case name used in `rules/images.toml` and in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            TagClass::Full => "full",
            TagClass::FullOs => "full-os",
            TagClass::Slim => "slim",
            TagClass::Alpine => "alpine",
            TagClass::Sdk => "sdk",
            TagClass::Runtime => "runtime",
            TagClass::Minimal => "minimal",
            TagClass::Windows => "windows",
            TagClass::Unknown => "unknown",
        }
    }
}

impl fmt::Display for TagClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The C library programs in the image link against; the MUSL rules key on this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Libc {
    Glibc,
    Musl,
    /// No shared C library at all (scratch, distroless static, static busybox builds).
    None,
    /// A Windows image: libc does not apply.
    Windows,
    /// The knowledge base does not say.
    Unknown,
}

impl Libc {
    /// The name used in `rules/images.toml` and in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Libc::Glibc => "glibc",
            Libc::Musl => "musl",
            Libc::None => "none",
            Libc::Windows => "windows",
            Libc::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Libc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an image repository is for, independent of the tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImageKind {
    /// An operating-system base (debian, alpine, ubuntu …).
    Os,
    /// A language runtime or SDK (python, node, golang, dotnet …).
    Language,
    /// A build tool image (maven, gradle, gcc, buildpack-deps).
    BuildTool,
    /// A packaged service (nginx, postgres, redis …).
    Service,
    /// A minimal runtime base (distroless, Chainguard, scratch, busybox).
    Minimal,
    /// A Windows base image.
    Windows,
    /// Not said (user-added entries).
    Unknown,
}

/// How far along its end an image is. Any of these means "do not suggest it".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LifecycleStatus {
    /// Still pullable, but its publisher tells users to move away.
    Deprecated,
    /// Past its announced end of life: no more updates.
    EndOfLife,
    /// No longer published.
    Removed,
}

impl LifecycleStatus {
    /// The kebab-case name used in `rules/images.toml` and in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            LifecycleStatus::Deprecated => "deprecated",
            LifecycleStatus::EndOfLife => "end-of-life",
            LifecycleStatus::Removed => "removed",
        }
    }
}

impl fmt::Display for LifecycleStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a fact comes from, so every message can say how old and how trustworthy it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Short id used in the TOML (`repo-info`, `distroless` …).
    pub id: String,
    pub description: String,
    pub url: Option<String>,
    /// Commit of the source repository the fact was read at.
    pub commit: Option<String>,
    /// When the source was read or, for sizes, when the measured image was built.
    pub date: String,
    /// File inside the source the fact was read from, when known.
    pub file: Option<String>,
}

/// The language or OS runtime an image carries and the version its tag pins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runtime {
    /// `python`, `node`, `java`, `go`, `dotnet`, `debian`, `enterprise-linux` …
    pub name: String,
    /// Version at the precision that identifies a runtime (`3.12` for Python, `22` for Node,
    /// `21` for Java, `8.0` for .NET); `None` when the tag does not pin it (`python:3`,
    /// `node:lts`, `latest`, pre-releases).
    pub version: Option<String>,
}

/// A recipe for building a statically linked binary, for the STAT rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaticRecipe {
    /// `go`, `rust`, `c`, `dotnet`.
    pub language: String,
    pub summary: String,
    /// Environment the build needs (`CGO_ENABLED=0` for Go), in name order.
    pub env: Vec<(String, String)>,
    /// Flags or settings that help, each with what it does.
    pub options: Vec<RecipeOption>,
    pub caveats: Vec<String>,
    /// An image with a shell for a static binary started through one (`debian:trixie-slim`).
    pub shell_runtime: Option<String>,
    pub sources: Vec<Source>,
}

/// One flag or setting of a [`StaticRecipe`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipeOption {
    pub value: String,
    pub effect: String,
}

/// What one variant of an image provides to the RUN lines of a stage built on it, read from
/// the image's own Dockerfile (`provides` in `rules/images.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provides {
    /// Programs on the PATH (`curl`, `gcc`, `apt-get` …), BusyBox applets included.
    pub commands: Vec<String>,
    /// The programs that are BusyBox applets, with BusyBox's options (Alpine's `wget`).
    pub busybox: Vec<String>,
    /// Notable packages (`ca-certificates`, `libpq-dev` …).
    pub packages: Vec<String>,
    /// Environment the image's Dockerfile sets (`GOPATH=/go`), where a recipe needs it.
    pub env: std::collections::BTreeMap<String, String>,
    /// The working directory the image's Dockerfile sets (`/go`), where a recipe needs it.
    pub workdir: Option<String>,
    /// Where the facts come from (`file` says which Dockerfile).
    pub source: Source,
}

impl Provides {
    /// The image has `command` on its PATH (a BusyBox applet counts).
    pub fn has_command(&self, command: &str) -> bool {
        self.commands
            .iter()
            .chain(&self.busybox)
            .any(|c| c == command)
    }

    /// `command` is a BusyBox applet here (it takes BusyBox's options, not GNU's).
    pub fn is_busybox(&self, command: &str) -> bool {
        self.busybox.iter().any(|c| c == command)
    }

    pub fn has_package(&self, package: &str) -> bool {
        self.packages.iter().any(|p| p == package)
    }

    /// A variable the image's Dockerfile sets.
    pub fn env(&self, name: &str) -> Option<&str> {
        self.env.get(name).map(String::as_str)
    }
}
