//! `RUN --mount=…` options: BuildKit reads the flag value as one CSV record of `key=value`
//! fields (`type=cache,target=/root/.cache,sharing=locked`).

use super::expand::{expand_known, Env};
use super::paths::resolve_dir;
use crate::syntax::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MountKind {
    Bind,
    Cache,
    Tmpfs,
    Secret,
    Ssh,
    /// A type BuildKit rejects, lower-cased as written.
    Other(String),
}

impl MountKind {
    fn from_value(value: &str) -> MountKind {
        match value.to_ascii_lowercase().as_str() {
            "bind" => MountKind::Bind,
            "cache" => MountKind::Cache,
            "tmpfs" => MountKind::Tmpfs,
            "secret" => MountKind::Secret,
            "ssh" => MountKind::Ssh,
            other => MountKind::Other(other.to_string()),
        }
    }
}

/// One `--mount` flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// `type=`, `bind` when absent.
    pub kind: MountKind,
    /// `from=` as written (BuildKit does not expand it).
    pub from: Option<String>,
    /// `source=`/`src=` as written.
    pub source: Option<String>,
    /// `target=`/`dst=`/`destination=` as written.
    pub target: Option<String>,
    /// The target expanded and made absolute against the WORKDIR; `None` when unknown.
    pub target_path: Option<String>,
    /// `id=` as written.
    pub id: Option<String>,
    /// `sharing=` lower-cased.
    pub sharing: Option<String>,
    /// Every field in order: key lower-cased, value as written (`None` for a bare `ro`).
    pub options: Vec<(String, Option<String>)>,
    /// The whole `--mount=…` flag in the file.
    pub span: Span,
}

impl Mount {
    /// The target to report: the resolved absolute path, else the target as written.
    pub fn target_display(&self) -> Option<&str> {
        self.target_path.as_deref().or(self.target.as_deref())
    }
}

/// Parses one `--mount` value. `workdir` is the working directory of the RUN (for relative
/// targets), `env` the variables in scope (BuildKit expands every value but `from`).
pub fn parse_mount(
    value: &str,
    span: Span,
    workdir: Option<&str>,
    escape: char,
    env: &dyn Env,
) -> Mount {
    let mut mount = Mount {
        kind: MountKind::Bind,
        from: None,
        source: None,
        target: None,
        target_path: None,
        id: None,
        sharing: None,
        options: Vec::new(),
        span,
    };
    for field in csv_fields(value) {
        let (key, value) = match field.split_once('=') {
            Some((k, v)) => (k.to_ascii_lowercase(), Some(v.to_string())),
            None => (field.to_ascii_lowercase(), None),
        };
        if let Some(v) = &value {
            match key.as_str() {
                "type" => mount.kind = MountKind::from_value(v),
                "from" => mount.from = Some(v.clone()),
                "source" | "src" => mount.source = Some(v.clone()),
                "target" | "dst" | "destination" => mount.target = Some(v.clone()),
                "id" => mount.id = Some(v.clone()),
                "sharing" => mount.sharing = Some(v.to_ascii_lowercase()),
                _ => {}
            }
        }
        mount.options.push((key, value));
    }
    mount.target_path = mount.target.as_deref().and_then(|target| {
        let expanded = expand_known(target, escape, env)?;
        resolve_dir(workdir, &expanded)
    });
    mount
}

/// Why BuildKit's CSV reader refuses a `--mount` value, in Go's words (`parse error on line
/// 1, column N: …`, the column a 1-based byte offset); `None` when it reads it.
pub fn csv_error(record: &str) -> Option<String> {
    const BARE: &str = "bare \" in non-quoted-field";
    const QUOTE: &str = "extraneous or missing \" in quoted-field";
    let error =
        |at: usize, what: &str| Some(format!("parse error on line 1, column {}: {what}", at + 1));
    let bytes = record.as_bytes();
    let mut pos = 0;
    'field: loop {
        if bytes.get(pos) != Some(&b'"') {
            let end = record[pos..].find(',').map_or(record.len(), |i| pos + i);
            if let Some(quote) = record[pos..end].find('"') {
                return error(pos + quote, BARE);
            }
            if end == record.len() {
                return None;
            }
            pos = end + 1;
            continue;
        }
        pos += 1;
        loop {
            let Some(quote) = record[pos..].find('"').map(|i| pos + i) else {
                return error(pos, QUOTE);
            };
            pos = quote + 1;
            match bytes.get(pos) {
                Some(b'"') => pos += 1,
                Some(b',') => {
                    pos += 1;
                    continue 'field;
                }
                None => return None,
                Some(_) => return error(quote, QUOTE),
            }
        }
    }
}

/// Splits one CSV record as Go's `encoding/csv` does for well-formed input: fields separated
/// by commas, a field starting with `"` runs to the closing quote with `""` for a quote.
/// Malformed quoting is read leniently rather than rejected.
pub fn csv_fields(record: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut chars = record.chars().peekable();
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(ch) = chars.next() {
                if ch == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        field.push('"');
                    } else {
                        break;
                    }
                } else {
                    field.push(ch);
                }
            }
            // Anything between the closing quote and the comma stays in the field.
            while let Some(&ch) = chars.peek() {
                if ch == ',' {
                    break;
                }
                field.push(ch);
                chars.next();
            }
        } else {
            while let Some(&ch) = chars.peek() {
                if ch == ',' {
                    break;
                }
                field.push(ch);
                chars.next();
            }
        }
        fields.push(field);
        if chars.next().is_none() {
            break;
        }
    }
    if fields.len() == 1 && fields[0].is_empty() {
        fields.clear();
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::super::expand::Lookup;
    use super::*;

    fn env(name: &str) -> Lookup {
        match name {
            "HOME" => Lookup::Known("/home/app".into()),
            _ => Lookup::Unset,
        }
    }

    fn mount(value: &str, workdir: Option<&str>) -> Mount {
        parse_mount(value, 0..0, workdir, '\\', &env)
    }

    #[test]
    fn cache_mount() {
        let m = mount(
            "type=cache,target=/root/.cache/pip,sharing=LOCKED,id=pip",
            None,
        );
        assert_eq!(m.kind, MountKind::Cache);
        assert_eq!(m.target.as_deref(), Some("/root/.cache/pip"));
        assert_eq!(m.target_path.as_deref(), Some("/root/.cache/pip"));
        assert_eq!(m.sharing.as_deref(), Some("locked"));
        assert_eq!(m.id.as_deref(), Some("pip"));
        assert_eq!(m.options.len(), 4);
    }

    #[test]
    fn defaults_aliases_and_bare_options() {
        let m = mount("from=build,src=/out,dst=/in,ro", Some("/app"));
        assert_eq!(m.kind, MountKind::Bind);
        assert_eq!(m.from.as_deref(), Some("build"));
        assert_eq!(m.source.as_deref(), Some("/out"));
        assert_eq!(m.target_path.as_deref(), Some("/in"));
        assert_eq!(m.options.last(), Some(&("ro".to_string(), None)));
        let m = mount("Type=Secret,ID=npmrc,Destination=/root/.npmrc", None);
        assert_eq!(m.kind, MountKind::Secret);
        assert_eq!(m.id.as_deref(), Some("npmrc"));
        assert_eq!(m.target.as_deref(), Some("/root/.npmrc"));
    }

    #[test]
    fn targets_resolve_against_workdir_and_env() {
        let m = mount("type=cache,target=node_modules/.cache", Some("/app"));
        assert_eq!(m.target_path.as_deref(), Some("/app/node_modules/.cache"));
        let m = mount("type=cache,target=.cache", None);
        assert_eq!(m.target_path, None);
        assert_eq!(m.target_display(), Some(".cache"));
        let m = mount("type=cache,target=$HOME/.cache/go-build", None);
        assert_eq!(m.target_path.as_deref(), Some("/home/app/.cache/go-build"));
        let m = mount("type=cache,target=$NOPE/x", Some("/"));
        assert_eq!(m.target_path, None);
    }

    #[test]
    fn csv_errors_are_go_csv_readers() {
        assert_eq!(csv_error(r#"a=1,"b=2,3",c"#), None);
        assert_eq!(csv_error(r#""say ""hi""""#), None);
        assert_eq!(csv_error("type=cache,target=/x"), None);
        assert_eq!(
            csv_error(r#"type=cache,target=/x,id="a"b"#).as_deref(),
            Some(r#"parse error on line 1, column 25: bare " in non-quoted-field"#)
        );
        assert_eq!(
            csv_error(r#"type=cache,"target=/x"y"#).as_deref(),
            Some(r#"parse error on line 1, column 22: extraneous or missing " in quoted-field"#)
        );
        assert_eq!(
            csv_error(r#"type=cache,"target=/x"#).as_deref(),
            Some(r#"parse error on line 1, column 13: extraneous or missing " in quoted-field"#)
        );
    }

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_fields(r#"a=1,"b=2,3",c"#), ["a=1", "b=2,3", "c"]);
        assert_eq!(csv_fields(r#""say ""hi""""#), [r#"say "hi""#]);
        assert_eq!(csv_fields(""), Vec::<String>::new());
        assert_eq!(csv_fields("a,,b"), ["a", "", "b"]);
        assert_eq!(csv_fields(r#""open"#), ["open"]);
        assert_eq!(
            mount("type=tmpfs,\"target=/t\"", None).target.as_deref(),
            Some("/t")
        );
        assert_eq!(
            mount("type=weird", None).kind,
            MountKind::Other("weird".into())
        );
    }
}
