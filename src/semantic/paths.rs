//! Container paths: WORKDIR and mount targets are resolved against the working directory and
//! cleaned lexically, as BuildKit does with Go's `path.Join`/`path.Clean`.

/// Resolves `requested` against `current` (the working directory, `None` when unknown).
/// `None` when a relative path meets an unknown working directory.
pub fn resolve_dir(current: Option<&str>, requested: &str) -> Option<String> {
    if requested.starts_with('/') {
        return Some(clean_path(requested));
    }
    let current = current?;
    Some(clean_path(&format!("/{current}/{requested}")))
}

/// Go's `path.Clean`: collapses `//`, `.` and `..` (never above `/`; a relative path keeps
/// its leading `..` and cleans to `.` when nothing is left).
pub fn clean_path(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            _ => parts.push(part),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
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
