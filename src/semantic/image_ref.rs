//! Image references (`[registry/]repository[:tag][@digest]`) per Docker's reference grammar
//! (`github.com/distribution/reference`), read leniently: any text gives an [`ImageRef`],
//! and [`ImageRef::is_valid`] says whether the grammar accepts it.
//!
//! A reference may contain unresolved ARGs. Its parts are then read from the structure that is
//! certain: in `python:${PY}-slim` the repository is `python` whatever `PY` is, in
//! `${REPO}:9.0-alpine` the tag is `9.0-alpine`. A part that depends on an unknown value is
//! `None`, so when [`ImageRef::resolved`] is `None` a `None` part means "unknown or absent".

use super::expand::Expanded;

/// Docker Hub, the registry of references that name none.
pub const DOCKER_HUB: &str = "docker.io";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// The reference as written in the Dockerfile, ARGs and all.
    pub raw: String,
    /// The reference after ARG expansion; `None` when any part of it is unknown.
    pub resolved: Option<String>,
    /// The name as written (after expansion): `docker.io/library/python`, `ghcr.io/a/b`.
    pub name: Option<String>,
    /// The registry host (with port) when the reference names one, as written:
    /// `ghcr.io`, `localhost:5000`, `docker.io`. `None` for `python` (Docker Hub implied).
    pub registry: Option<String>,
    /// The repository path, normalised for Docker Hub: `python`, `library/python` and
    /// `docker.io/library/python` all give `python`; `ghcr.io/a/b` gives `a/b`.
    pub repository: Option<String>,
    pub tag: Option<String>,
    /// `algorithm:hex`, e.g. `sha256:…`.
    pub digest: Option<String>,
}

impl ImageRef {
    /// Reads a reference that needed no expansion.
    pub fn parse(reference: &str) -> ImageRef {
        Self::from_expanded(
            reference,
            &Expanded {
                text: reference.to_string(),
                holes: Vec::new(),
            },
        )
    }

    /// Reads the reference `raw` from its expansion (which may have holes).
    pub fn from_expanded(raw: &str, expanded: &Expanded) -> ImageRef {
        let mut parts = read_parts(&expanded.text, &expanded.holes);
        let resolved = expanded
            .resolved()
            .filter(|text| !text.is_empty())
            .map(str::to_string);
        if resolved.is_none() && expanded.holes.is_empty() {
            parts = Parts::default();
        }
        let (registry, repository) = match &parts.name {
            Some(name) => split_name(name),
            None => (parts.registry, None),
        };
        ImageRef {
            raw: raw.to_string(),
            resolved,
            name: parts.name,
            registry,
            repository,
            tag: parts.tag,
            digest: parts.digest,
        }
    }

    /// A reference whose expansion failed: nothing about it is known.
    pub fn unresolved(raw: &str) -> ImageRef {
        ImageRef {
            raw: raw.to_string(),
            resolved: None,
            name: None,
            registry: None,
            repository: None,
            tag: None,
            digest: None,
        }
    }

    /// `FROM scratch`: the empty image (BuildKit matches the exact word).
    pub fn is_scratch(&self) -> bool {
        self.resolved.as_deref() == Some("scratch")
    }

    /// The registry host, with Docker Hub's aliases and the implicit default normalised to
    /// `docker.io`. `None` when it depends on an unknown value.
    pub fn registry_host(&self) -> Option<&str> {
        match self.registry.as_deref() {
            Some("index.docker.io" | "registry-1.docker.io") => Some(DOCKER_HUB),
            Some(host) => Some(host),
            None if self.name.is_some() => Some(DOCKER_HUB),
            None => None,
        }
    }

    pub fn is_docker_hub(&self) -> bool {
        self.registry_host() == Some(DOCKER_HUB)
    }

    /// Neither a tag nor a digest: BuildKit pulls `:latest`. Only answered when resolved.
    pub fn is_implicit_latest(&self) -> bool {
        self.resolved.is_some() && self.tag.is_none() && self.digest.is_none()
    }

    /// Whether Docker's reference grammar accepts the resolved reference.
    pub fn is_valid(&self) -> bool {
        let (Some(_), Some(name)) = (&self.resolved, &self.name) else {
            return false;
        };
        let mut components: Vec<&str> = name.split('/').collect();
        if self.registry.is_some() {
            let host = components.remove(0);
            if !valid_host(host) {
                return false;
            }
        }
        let name_ok = !components.is_empty()
            && name.len() <= 255
            && components.iter().all(|c| valid_path_component(c));
        let tag_ok = self.tag.as_deref().is_none_or(valid_tag);
        let digest_ok = self.digest.as_deref().is_none_or(valid_digest);
        name_ok && tag_ok && digest_ok
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

/// Splits a name into (registry as written, normalised repository).
fn split_name(name: &str) -> (Option<String>, Option<String>) {
    let (registry, path) = match name.split_once('/') {
        Some((first, rest)) if is_registry_component(first) => (Some(first.to_string()), rest),
        _ => (None, name),
    };
    let hub = matches!(
        registry.as_deref(),
        None | Some("docker.io" | "index.docker.io" | "registry-1.docker.io")
    );
    let repository = match path.strip_prefix("library/") {
        Some(official) if hub && !official.contains('/') => official,
        _ => path,
    };
    (registry, Some(repository.to_string()))
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
fn valid_path_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !alnum(bytes[i]) {
            i += 1;
        }
        let separator = &component[start..i];
        let ok = matches!(separator, "." | "_" | "__") || separator.bytes().all(|b| b == b'-');
        if !ok {
            return false;
        }
    }
    true
}

/// A host name or IP (IPv6 in brackets), with an optional numeric port.
fn valid_host(host: &str) -> bool {
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((ip, after)) => {
                if ip.is_empty() || !ip.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
                    return false;
                }
                match after {
                    "" => return true,
                    _ => match after.strip_prefix(':') {
                        Some(port) => {
                            return !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())
                        }
                        None => return false,
                    },
                }
            }
            None => return false,
        }
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let label_ok = |label: &str| {
        let b = label.as_bytes();
        !b.is_empty()
            && b[0].is_ascii_alphanumeric()
            && b[b.len() - 1].is_ascii_alphanumeric()
            && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
    };
    port_ok && name.split('.').all(label_ok)
}

/// `[\w][\w.-]{0,127}`
fn valid_tag(tag: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = tag.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 128
        && word(bytes[0])
        && bytes.iter().all(|&b| word(b) || b == b'.' || b == b'-')
}

/// `algorithm:hex` with at least 32 hex digits.
fn valid_digest(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return false;
    };
    let algorithm_ok = !algorithm.is_empty()
        && algorithm
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+._-".contains(&b));
    algorithm_ok && hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = "sha256:0178a641fbb4858c5f1b48e34bdaabe0350a330a1b1149aabd498d0699ff5fb2";

    /// (reference, registry, repository, tag, digest, valid)
    #[allow(clippy::type_complexity)]
    const CASES: &[(&str, Option<&str>, &str, Option<&str>, bool, bool)] = &[
        ("python", None, "python", None, false, true),
        (
            "python:3.12-slim",
            None,
            "python",
            Some("3.12-slim"),
            false,
            true,
        ),
        ("library/python:3", None, "python", Some("3"), false, true),
        (
            "docker.io/library/python:3",
            Some("docker.io"),
            "python",
            Some("3"),
            false,
            true,
        ),
        (
            "index.docker.io/library/python",
            Some("index.docker.io"),
            "python",
            None,
            false,
            true,
        ),
        (
            "docker.io/bitnami/redis:7",
            Some("docker.io"),
            "bitnami/redis",
            Some("7"),
            false,
            true,
        ),
        (
            "ghcr.io/library/python",
            Some("ghcr.io"),
            "library/python",
            None,
            false,
            true,
        ),
        ("localhost/app", Some("localhost"), "app", None, false, true),
        (
            "localhost:5000/app:dev",
            Some("localhost:5000"),
            "app",
            Some("dev"),
            false,
            true,
        ),
        (
            "registry:5000/team/app",
            Some("registry:5000"),
            "team/app",
            None,
            false,
            true,
        ),
        (
            "gcr.io/distroless/static-debian12:nonroot",
            Some("gcr.io"),
            "distroless/static-debian12",
            Some("nonroot"),
            false,
            true,
        ),
        (
            "mcr.microsoft.com/dotnet/sdk:10.0-alpine",
            Some("mcr.microsoft.com"),
            "dotnet/sdk",
            Some("10.0-alpine"),
            false,
            true,
        ),
        ("team/app", None, "team/app", None, false, true),
        // An upper-case first component is a registry host, which may be upper-case.
        ("Team/app", Some("Team"), "app", None, false, true),
        ("Python", None, "Python", None, false, false),
        (
            "[::1]:5000/app",
            Some("[::1]:5000"),
            "app",
            None,
            false,
            true,
        ),
        ("scratch", None, "scratch", None, false, true),
        ("a//b", None, "a//b", None, false, false),
        ("app:", None, "app", Some(""), false, false),
        ("app:tag:more", None, "app", Some("tag:more"), false, false),
        ("-app", None, "-app", None, false, false),
    ];

    #[test]
    fn parse_table() {
        for &(text, registry, repository, tag, has_digest, valid) in CASES {
            let r = ImageRef::parse(text);
            assert_eq!(r.resolved.as_deref(), Some(text), "{text}");
            assert_eq!(r.registry.as_deref(), registry, "registry of {text}");
            assert_eq!(
                r.repository.as_deref(),
                Some(repository),
                "repository of {text}"
            );
            assert_eq!(r.tag.as_deref(), tag, "tag of {text}");
            assert_eq!(r.digest.is_some(), has_digest, "digest of {text}");
            assert_eq!(r.is_valid(), valid, "validity of {text}");
        }
    }

    #[test]
    fn digests() {
        let r = ImageRef::parse(&format!("golang:1.26-alpine@{DIGEST}"));
        assert_eq!(r.repository.as_deref(), Some("golang"));
        assert_eq!(r.tag.as_deref(), Some("1.26-alpine"));
        assert_eq!(r.digest.as_deref(), Some(DIGEST));
        assert!(r.is_valid());
        let r = ImageRef::parse(&format!("localhost:5000/app@{DIGEST}"));
        assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(r.tag, None);
        assert!(r.is_valid());
        assert!(!ImageRef::parse("app@sha256:abc").is_valid());
    }

    #[test]
    fn hub_spellings_normalise_alike() {
        let spellings = ["python:3", "library/python:3", "docker.io/library/python:3"];
        for s in spellings {
            let r = ImageRef::parse(s);
            assert_eq!(r.repository.as_deref(), Some("python"), "{s}");
            assert!(r.is_docker_hub(), "{s}");
        }
        assert_eq!(
            ImageRef::parse("quay.io/x/y").registry_host(),
            Some("quay.io")
        );
        assert!(ImageRef::parse("index.docker.io/x/y").is_docker_hub());
    }

    #[test]
    fn scratch_and_latest() {
        assert!(ImageRef::parse("scratch").is_scratch());
        assert!(!ImageRef::parse("Scratch").is_scratch());
        assert!(ImageRef::parse("alpine").is_implicit_latest());
        assert!(!ImageRef::parse("alpine:3").is_implicit_latest());
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
        (
            "ghcr.io/org/app:?",
            Some("ghcr.io"),
            Some("org/app"),
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
            let r = ImageRef::from_expanded("raw", &holed(pattern));
            assert_eq!(r.resolved, None, "{pattern}");
            assert_eq!(r.registry.as_deref(), registry, "registry of {pattern}");
            assert_eq!(
                r.repository.as_deref(),
                repository,
                "repository of {pattern}"
            );
            assert_eq!(r.tag.as_deref(), tag, "tag of {pattern}");
            assert_eq!(r.digest.as_deref(), digest, "digest of {pattern}");
            assert!(!r.is_valid());
        }
    }

    #[test]
    fn empty_and_garbage_never_panic() {
        for text in [
            "",
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
        ] {
            let r = ImageRef::parse(text);
            let _ = (r.is_valid(), r.registry_host(), r.is_scratch());
        }
        let empty = ImageRef::parse("");
        assert_eq!(empty.resolved, None);
        assert_eq!(empty.repository, None);
    }
}
