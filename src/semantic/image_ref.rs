//! Image references (`registry/repo:tag@digest`) per the Docker reference grammar, lenient:
//! anything that is not a valid reference still gives a best-effort value, never a panic.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageRef {
    /// Registry host (`gcr.io`, `localhost:5000`); `None` for Docker Hub.
    pub registry: Option<String>,
    /// Repository path as written after the registry (`library/python`, `distroless/static`).
    pub path: String,
    /// Canonical repository name for lookups: Docker Hub's `docker.io/` and `library/`
    /// removed (`python`), other registries kept (`gcr.io/distroless/static-debian13`).
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    /// Parses a reference such as `python:3.12-slim`, `docker.io/library/python`,
    /// `localhost:5000/app@sha256:…`. Returns `None` for an empty string.
    pub fn parse(text: &str) -> Option<ImageRef> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let (name_and_tag, digest) = match text.split_once('@') {
            Some((n, d)) => (n, Some(d.to_string())),
            None => (text, None),
        };
        // The tag is after the last ':' that comes after the last '/' (a registry port is not
        // a tag).
        let last_slash = name_and_tag.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name_and_tag[last_slash..].rfind(':') {
            Some(i) => (
                &name_and_tag[..last_slash + i],
                Some(name_and_tag[last_slash + i + 1..].to_string()),
            ),
            None => (name_and_tag, None),
        };
        let (registry, path) = match name.split_once('/') {
            Some((first, rest))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (Some(first.to_string()), rest.to_string())
            }
            _ => (None, name.to_string()),
        };
        let docker_hub = matches!(
            registry.as_deref(),
            None | Some("docker.io" | "index.docker.io" | "registry-1.docker.io")
        );
        let repository = if docker_hub {
            path.strip_prefix("library/").unwrap_or(&path).to_string()
        } else {
            format!("{}/{}", registry.as_deref().unwrap_or_default(), path)
        };
        Some(ImageRef {
            registry: if docker_hub { None } else { registry },
            path,
            repository,
            tag,
            digest,
        })
    }

    /// `scratch`: the empty image.
    pub fn is_scratch(&self) -> bool {
        self.repository.eq_ignore_ascii_case("scratch") && self.tag.is_none()
    }

    /// The tag that will be pulled: the written one, or `latest` when there is neither a tag
    /// nor a digest.
    pub fn effective_tag(&self) -> Option<&str> {
        match (&self.tag, &self.digest) {
            (Some(t), _) => Some(t),
            (None, None) => Some("latest"),
            (None, Some(_)) => None,
        }
    }
}

impl std::fmt::Display for ImageRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(r) = &self.registry {
            write!(f, "{r}/")?;
        }
        write!(f, "{}", self.path)?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_references() {
        let cases = [
            ("python:3.12-slim", None, "python", Some("3.12-slim"), None),
            ("docker.io/library/python", None, "python", None, None),
            ("library/node:22", None, "node", Some("22"), None),
            (
                "gcr.io/distroless/static-debian13:nonroot",
                Some("gcr.io"),
                "gcr.io/distroless/static-debian13",
                Some("nonroot"),
                None,
            ),
            (
                "localhost:5000/app:1",
                Some("localhost:5000"),
                "localhost:5000/app",
                Some("1"),
                None,
            ),
            (
                "alpine@sha256:abc",
                None,
                "alpine",
                None,
                Some("sha256:abc"),
            ),
            (
                "bitnami/redis:7.2@sha256:d",
                None,
                "bitnami/redis",
                Some("7.2"),
                Some("sha256:d"),
            ),
        ];
        for (text, registry, repository, tag, digest) in cases {
            let r = ImageRef::parse(text).unwrap();
            assert_eq!(r.registry.as_deref(), registry, "{text}");
            assert_eq!(r.repository, repository, "{text}");
            assert_eq!(r.tag.as_deref(), tag, "{text}");
            assert_eq!(r.digest.as_deref(), digest, "{text}");
        }
        assert!(ImageRef::parse("scratch").unwrap().is_scratch());
        assert_eq!(
            ImageRef::parse("ubuntu").unwrap().effective_tag(),
            Some("latest")
        );
        assert_eq!(ImageRef::parse("").map(|_| ()), None);
        // Garbage never panics.
        for junk in [":", "@", "/", "a:b:c", "::@@//", "é:ü"] {
            let _ = ImageRef::parse(junk);
        }
    }
}
