//! Container paths: WORKDIR and mount targets are resolved against the working directory and
//! cleaned lexically, as BuildKit does with Go's `path.Join`/`path.Clean`.

/// Resolves `requested` against `current` (the working directory, `None` when unknown).
/// `None` when a relative path meets an unknown working directory.
pub fn resolve_dir(current: Option<&str>, requested: &str) -> Option<String> {
    if requested.starts_with('/') {
        return Some(clean(requested));
    }
    let current = current?;
    Some(clean(&format!("/{current}/{requested}")))
}

/// Go's `path.Clean` for absolute paths: collapses `//`, `.` and `..` (never above `/`).
pub fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_and_cleans() {
        let cases = [
            (Some("/"), "app", Some("/app")),
            (Some("/app"), "src", Some("/app/src")),
            (Some("/app"), "../etc", Some("/etc")),
            (Some("/app"), "/opt//x/./y/", Some("/opt/x/y")),
            (Some("/"), "../..", Some("/")),
            (None, "/abs", Some("/abs")),
            (None, "rel", None),
            (Some("/a"), ".", Some("/a")),
            (Some("/a"), "", Some("/a")),
        ];
        for (current, requested, expected) in cases {
            assert_eq!(
                resolve_dir(current, requested).as_deref(),
                expected,
                "{current:?} + {requested}"
            );
        }
    }
}
