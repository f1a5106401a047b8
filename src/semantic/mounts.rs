//! `RUN --mount=…` flags: BuildKit's comma-separated `key=value` list.

use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Mount {
    /// `bind` (the default), `cache`, `tmpfs`, `secret`, `ssh`.
    pub kind: String,
    pub target: Option<String>,
    pub source: Option<String>,
    /// A stage name or index, or an image.
    pub from: Option<String>,
    pub id: Option<String>,
}

impl Mount {
    /// Parses the value of one `--mount` flag. Unknown keys are ignored; a bare word is a
    /// boolean option (`readonly`).
    pub fn parse(value: &str) -> Mount {
        let mut mount = Mount {
            kind: "bind".into(),
            ..Mount::default()
        };
        for field in split_csv(value) {
            let (key, val) = match field.split_once('=') {
                Some((k, v)) => (k.trim().to_ascii_lowercase(), v.trim().to_string()),
                None => continue,
            };
            match key.as_str() {
                "type" => mount.kind = val.to_ascii_lowercase(),
                "target" | "dst" | "destination" => mount.target = Some(val),
                "source" | "src" => mount.source = Some(val),
                "from" => mount.from = Some(val),
                "id" => mount.id = Some(val),
                _ => {}
            }
        }
        mount
    }

    pub fn is_cache(&self) -> bool {
        self.kind == "cache"
    }
}

/// Splits on commas outside double quotes, removing the quotes (Go's `csv` reader, as
/// BuildKit uses it).
fn split_csv(value: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in value.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    fields.push(current);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_mounts() {
        let m = Mount::parse("type=cache,target=/root/.cache/pip,sharing=locked");
        assert!(m.is_cache());
        assert_eq!(m.target.as_deref(), Some("/root/.cache/pip"));
        let m = Mount::parse("from=build,source=/out,target=/app");
        assert_eq!(m.kind, "bind");
        assert_eq!(m.from.as_deref(), Some("build"));
        let m = Mount::parse("type=secret,id=npmrc,\"target=/a,b\"");
        assert_eq!(m.target.as_deref(), Some("/a,b"));
    }
}
