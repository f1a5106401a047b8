//! Image references (`[registry/]path[:tag][@digest]`) per Docker's reference grammar
//! (`github.com/distribution/reference`), read leniently: any non-empty text gives an
//! [`ImageRef`], and [`ImageRef::is_valid`] says whether the grammar accepts it.
//!
//! A FROM may contain unresolved ARGs. [`RefParts`] then holds what the structure makes
//! certain: in `python:${PY}-slim` the repository is `python` whatever `PY` is, in
//! `${REPO}:9.0-alpine` the tag is `9.0-alpine`.

use std::fmt;

use super::expand::Expanded;
use super::grammar::{valid_digest, valid_host, valid_path_component, valid_tag};

/// Docker Hub, the registry of references that name none.
pub const DOCKER_HUB: &str = "docker.io";

/// A fully known image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// The registry host (with port): `gcr.io`, `localhost:5000`. `None` for Docker Hub,
    /// whether implied (`python`) or written (`docker.io/…`, `index.docker.io/…`).
    pub registry: Option<String>,
    /// The path as written after the registry: `library/python`, `distroless/static`.
    pub path: String,
    /// The canonical repository for lookups: Docker Hub's `docker.io/` and `library/`
    /// removed (`python`, `library/python` and `docker.io/library/python` all give
    /// `python`), other registries kept (`gcr.io/distroless/static-debian13`).
    pub repository: String,
    pub tag: Option<String>,
    /// `algorithm:hex`, e.g. `sha256:…`.
    pub digest: Option<String>,
}

/// What is certain about a reference that may contain unknown values. When the reference is
/// fully known these mirror its [`ImageRef`]; otherwise a `None` means unknown or absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefParts {
    pub registry: Option<String>,
    pub repository: Option<String>,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    /// Reads a reference; `None` for the empty string.
    pub fn parse(reference: &str) -> Option<ImageRef> {
        if reference.is_empty() {
            return None;
        }
        let parts = read_parts(reference, &[]);
        let name = parts.name?;
        let (registry, path) = split_name(&name);
        Some(ImageRef {
            repository: canonical_repository(registry.as_deref(), &path),
            registry: registry.filter(|r| !is_hub_alias(r)),
            path,
            tag: parts.tag,
            digest: parts.digest,
        })
    }

    /// `FROM scratch`: the empty image.
    pub fn is_scratch(&self) -> bool {
        self.registry.is_none()
            && self.path == "scratch"
            && self.tag.is_none()
            && self.digest.is_none()
    }

    /// The tag that will be pulled: the written one, or `latest` when there is neither a tag
    /// nor a digest.
    pub fn effective_tag(&self) -> Option<&str> {
        match (&self.tag, &self.digest) {
            (Some(tag), _) => Some(tag),
            (None, None) => Some("latest"),
            (None, Some(_)) => None,
        }
    }

    /// The registry host, `docker.io` for Docker Hub.
    pub fn registry_host(&self) -> &str {
        self.registry.as_deref().unwrap_or(DOCKER_HUB)
    }

    pub fn is_docker_hub(&self) -> bool {
        self.registry.is_none()
    }

    /// Whether Docker's reference grammar accepts the reference.
    pub fn is_valid(&self) -> bool {
        let registry_ok = self.registry.as_deref().is_none_or(valid_host);
        let name_ok = self.path.len() <= 255
            && !self.path.is_empty()
            && self.path.split('/').all(valid_path_component);
        let tag_ok = self.tag.as_deref().is_none_or(valid_tag);
        let digest_ok = self.digest.as_deref().is_none_or(valid_digest);
        registry_ok && name_ok && tag_ok && digest_ok
    }

    /// The parts, for code that handles known and partly known references alike.
    pub fn parts(&self) -> RefParts {
        RefParts {
            registry: self.registry.clone(),
            repository: Some(self.repository.clone()),
            tag: self.tag.clone(),
            digest: self.digest.clone(),
        }
    }
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(registry) = &self.registry {
            write!(f, "{registry}/")?;
        }
        f.write_str(&self.path)?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

impl RefParts {
    /// What the expansion of a reference (with holes where values are unknown) makes certain.
    pub fn from_expanded(expanded: &Expanded) -> RefParts {
        if expanded.holes.is_empty() {
            return ImageRef::parse(&expanded.text)
                .map(|r| r.parts())
                .unwrap_or_default();
        }
        let parts = read_parts(&expanded.text, &expanded.holes);
        match parts.name {
            Some(name) => {
                let (registry, path) = split_name(&name);
                RefParts {
                    repository: Some(canonical_repository(registry.as_deref(), &path)),
                    registry: registry.filter(|r| !is_hub_alias(r)),
                    tag: parts.tag,
                    digest: parts.digest,
                }
            }
            None => RefParts {
                registry: parts.registry.filter(|r| !is_hub_alias(r)),
                repository: None,
                tag: parts.tag,
                digest: parts.digest,
            },
        }
    }
}

fn is_hub_alias(registry: &str) -> bool {
    matches!(
        registry,
        "docker.io" | "index.docker.io" | "registry-1.docker.io"
    )
}

/// Docker Hub names lose `library/`; other registries keep their host in front.
fn canonical_repository(registry: Option<&str>, path: &str) -> String {
    match registry {
        Some(host) if !is_hub_alias(host) => format!("{host}/{path}"),
        _ => match path.strip_prefix("library/") {
            Some(official) if !official.contains('/') => official.to_string(),
            _ => path.to_string(),
        },
    }
}

/// The pieces read from the text, before the name is split into registry and repository.
#[derive(Debug, Default)]
struct Parts {
    name: Option<String>,
    /// Set only when the name is unknown but its first component is a certain registry.
    registry: Option<String>,
    tag: Option<String>,
    digest: Option<String>,
}

/// Splits `text` into name, tag and digest. The last `/` separates the path from the final
/// component, which holds `:tag` and `@digest`; with holes, only what the literal text fixes
/// is read (see the module documentation).
fn read_parts(text: &str, holes: &[usize]) -> Parts {
    let tail_start = text.rfind('/').map_or(0, |i| i + 1);
    let tail = &text[tail_start..];
    let tail_holes: Vec<usize> = holes
        .iter()
        .filter(|&&h| h >= tail_start)
        .map(|&h| h - tail_start)
        .collect();
    let first_tail_hole = tail_holes.first().copied();
    // The name ends at the first `:` or `@` of the final component, if it comes before any
    // unknown value there.
    let name_end = tail[..first_tail_hole.unwrap_or(tail.len())]
        .find([':', '@'])
        .or(if first_tail_hole.is_none() {
            Some(tail.len())
        } else {
            None
        })
        .map(|i| tail_start + i);
    // Tag and digest are read from the literal text after the last unknown value.
    let literal_from = tail_holes.last().copied().unwrap_or(0);
    let literal = &tail[literal_from..];
    let (before_digest, digest) = match literal.split_once('@') {
        Some((before, digest)) => (before, Some(digest.to_string())),
        None => (literal, None),
    };
    let tag = before_digest
        .split_once(':')
        .map(|(_, tag)| tag.to_string());
    // Without holes in the final component an absent tag or digest is certain; with holes,
    // one that is not visibly there may come from the unknown value.
    let certain_tail = tail_holes.is_empty();
    let mut parts = Parts {
        name: None,
        registry: None,
        tag: if certain_tail || tag.is_some() {
            tag
        } else {
            None
        },
        digest: if certain_tail || digest.is_some() {
            digest
        } else {
            None
        },
    };
    match name_end {
        Some(end) if !holes.iter().any(|&h| h < end) => {
            parts.name = Some(text[..end].to_string());
        }
        _ => {
            // The name is unknown; its first component may still be a written registry.
            if let Some(slash) = text.find('/') {
                let first = &text[..slash];
                if !holes.iter().any(|&h| h <= slash) && is_registry_component(first) {
                    parts.registry = Some(first.to_string());
                }
            }
        }
    }
    parts
}

/// Docker's `splitDockerDomain` test: a first component with `.` or `:`, `localhost`, or an
/// upper-case letter (which no repository may have) names a registry.
fn is_registry_component(component: &str) -> bool {
    component.contains(['.', ':'])
        || component == "localhost"
        || component.chars().any(|c| c.is_ascii_uppercase())
}

/// Splits a name into (registry as written, path).
fn split_name(name: &str) -> (Option<String>, String) {
    match name.split_once('/') {
        Some((first, rest)) if is_registry_component(first) => {
            (Some(first.to_string()), rest.to_string())
        }
        _ => (None, name.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = "sha256:0178a641fbb4858c5f1b48e34bdaabe0350a330a1b1149aabd498d0699ff5fb2";

    /// (reference, registry, path, repository, tag, valid)
    #[allow(clippy::type_complexity)]
    const CASES: &[(&str, Option<&str>, &str, &str, Option<&str>, bool)] = &[
        ("python", None, "python", "python", None, true),
        (
            "python:3.12-slim",
            None,
            "python",
            "python",
            Some("3.12-slim"),
            true,
        ),
        (
            "library/python:3",
            None,
            "library/python",
            "python",
            Some("3"),
            true,
        ),
        (
            "docker.io/library/python:3",
            None,
            "library/python",
            "python",
            Some("3"),
            true,
        ),
        (
            "index.docker.io/library/python",
            None,
            "library/python",
            "python",
            None,
            true,
        ),
        (
            "docker.io/bitnami/redis:7",
            None,
            "bitnami/redis",
            "bitnami/redis",
            Some("7"),
            true,
        ),
        (
            "library/a/b",
            None,
            "library/a/b",
            "library/a/b",
            None,
            true,
        ),
        (
            "ghcr.io/library/python",
            Some("ghcr.io"),
            "library/python",
            "ghcr.io/library/python",
            None,
            true,
        ),
        (
            "localhost/app",
            Some("localhost"),
            "app",
            "localhost/app",
            None,
            true,
        ),
        (
            "localhost:5000/app:dev",
            Some("localhost:5000"),
            "app",
            "localhost:5000/app",
            Some("dev"),
            true,
        ),
        (
            "registry:5000/team/app",
            Some("registry:5000"),
            "team/app",
            "registry:5000/team/app",
            None,
            true,
        ),
        (
            "gcr.io/distroless/static-debian12:nonroot",
            Some("gcr.io"),
            "distroless/static-debian12",
            "gcr.io/distroless/static-debian12",
            Some("nonroot"),
            true,
        ),
        ("team/app", None, "team/app", "team/app", None, true),
        // An upper-case first component is a registry host, which may be upper-case.
        ("Team/app", Some("Team"), "app", "Team/app", None, true),
        ("Python", None, "Python", "Python", None, false),
        (
            "[::1]:5000/app",
            Some("[::1]:5000"),
            "app",
            "[::1]:5000/app",
            None,
            true,
        ),
        ("scratch", None, "scratch", "scratch", None, true),
        ("a//b", None, "a//b", "a//b", None, false),
        ("app:", None, "app", "app", Some(""), false),
        ("app:tag:more", None, "app", "app", Some("tag:more"), false),
        ("-app", None, "-app", "-app", None, false),
    ];

    #[test]
    fn parse_table() {
        for &(text, registry, path, repository, tag, valid) in CASES {
            let r = ImageRef::parse(text).expect(text);
            assert_eq!(r.registry.as_deref(), registry, "registry of {text}");
            assert_eq!(r.path, path, "path of {text}");
            assert_eq!(r.repository, repository, "repository of {text}");
            assert_eq!(r.tag.as_deref(), tag, "tag of {text}");
            assert_eq!(r.digest, None, "digest of {text}");
            assert_eq!(r.is_valid(), valid, "validity of {text}");
        }
    }

    #[test]
    fn display_keeps_what_was_written_except_hub_hosts() {
        for text in [
            "python:3",
            "gcr.io/a/b:1",
            "localhost:5000/app",
            "library/node:22",
        ] {
            assert_eq!(ImageRef::parse(text).unwrap().to_string(), text);
        }
        let r = ImageRef::parse("docker.io/library/python:3").unwrap();
        assert_eq!(r.to_string(), "library/python:3");
    }

    #[test]
    fn digests() {
        let r = ImageRef::parse(&format!("golang:1.26-alpine@{DIGEST}")).unwrap();
        assert_eq!(r.repository, "golang");
        assert_eq!(r.tag.as_deref(), Some("1.26-alpine"));
        assert_eq!(r.digest.as_deref(), Some(DIGEST));
        assert_eq!(r.effective_tag(), Some("1.26-alpine"));
        assert!(r.is_valid());
        let r = ImageRef::parse(&format!("localhost:5000/app@{DIGEST}")).unwrap();
        assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
        assert_eq!((r.tag.as_deref(), r.effective_tag()), (None, None));
        assert!(!ImageRef::parse("app@sha256:abc").unwrap().is_valid());
    }

    #[test]
    fn hub_spellings_normalise_alike() {
        for s in ["python:3", "library/python:3", "docker.io/library/python:3"] {
            let r = ImageRef::parse(s).unwrap();
            assert_eq!(r.repository, "python", "{s}");
            assert!(r.is_docker_hub(), "{s}");
            assert_eq!(r.registry_host(), DOCKER_HUB);
        }
        assert_eq!(
            ImageRef::parse("quay.io/x/y").unwrap().registry_host(),
            "quay.io"
        );
    }

    #[test]
    fn scratch_and_latest() {
        assert!(ImageRef::parse("scratch").unwrap().is_scratch());
        assert!(!ImageRef::parse("Scratch").unwrap().is_scratch());
        assert!(!ImageRef::parse("scratch:1").unwrap().is_scratch());
        assert_eq!(
            ImageRef::parse("alpine").unwrap().effective_tag(),
            Some("latest")
        );
    }

    /// Builds an expansion from a string where `?` marks each hole.
    fn holed(pattern: &str) -> Expanded {
        let mut e = Expanded::default();
        for ch in pattern.chars() {
            if ch == '?' {
                e.holes.push(e.text.len());
            } else {
                e.text.push(ch);
            }
        }
        e
    }

    /// (expansion with `?` holes, registry, repository, tag, digest)
    #[allow(clippy::type_complexity)]
    const PARTIAL: &[(&str, Option<&str>, Option<&str>, Option<&str>, Option<&str>)] = &[
        ("python:?-slim", None, Some("python"), None, None),
        ("python:3.12-?", None, Some("python"), None, None),
        ("?:9.0-alpine", None, None, Some("9.0-alpine"), None),
        ("?", None, None, None, None),
        ("?/python:3.12", None, None, Some("3.12"), None),
        ("ghcr.io/?/app:1", Some("ghcr.io"), None, Some("1"), None),
        ("docker.io/?/app:1", None, None, Some("1"), None),
        (
            "ghcr.io/org/app:?",
            Some("ghcr.io"),
            Some("ghcr.io/org/app"),
            None,
            None,
        ),
        ("registry:?/app", None, None, None, None),
        ("app@?", None, Some("app"), None, None),
        ("?@sha256:ab", None, None, None, Some("sha256:ab")),
        ("?/base:?", None, None, None, None),
        (
            "buildpack-deps:?-curl",
            None,
            Some("buildpack-deps"),
            None,
            None,
        ),
    ];

    #[test]
    fn partially_known_references() {
        for &(pattern, registry, repository, tag, digest) in PARTIAL {
            let parts = RefParts::from_expanded(&holed(pattern));
            assert_eq!(parts.registry.as_deref(), registry, "registry of {pattern}");
            assert_eq!(
                parts.repository.as_deref(),
                repository,
                "repository of {pattern}"
            );
            assert_eq!(parts.tag.as_deref(), tag, "tag of {pattern}");
            assert_eq!(parts.digest.as_deref(), digest, "digest of {pattern}");
        }
        let known = RefParts::from_expanded(&holed("gcr.io/a/b:1"));
        assert_eq!(known, ImageRef::parse("gcr.io/a/b:1").unwrap().parts());
    }

    #[test]
    fn empty_and_garbage_never_panic() {
        assert_eq!(ImageRef::parse(""), None);
        assert_eq!(
            RefParts::from_expanded(&Expanded::default()),
            RefParts::default()
        );
        for text in [
            ":",
            "@",
            "/",
            "//",
            ":@/",
            "é:ü@ß/",
            "[",
            "[::1",
            "[]:",
            "a/[::1]",
            "[x]/a",
        ] {
            if let Some(r) = ImageRef::parse(text) {
                let _ = (r.is_valid(), r.to_string(), r.is_scratch());
            }
        }
    }
}
