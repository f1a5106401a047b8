use super::reject::{did_you_mean, go_bool, is_literal, parsed_instructions, with_suggestion};
use crate::declare_rule;
use crate::rules::{Check, Context, Violation};
use crate::semantic::{csv_error, Mount};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Reports a `RUN --mount` BuildKit refuses. The classes, with BuildKit's messages:
    ///
    /// | Class | BuildKit's message |
    /// |---|---|
    /// | an unknown field (`dest=`, `mode` misspelt) | `unexpected key 'dest' in 'dest=/x'` |
    /// | a field without `=` other than `ro`, `rw`, `readonly`, `readwrite`, `required` | `invalid field 'cache' must be a key=value pair` |
    /// | an unknown `type=` | `unsupported mount type "cahce"` |
    /// | an unknown `sharing=` | `unsupported sharing value "shard"` |
    /// | a non-boolean `ro=`/`rw=`/`required=`, a non-octal `mode=`, a non-numeric `uid=`/`gid=` | `invalid value for ro: maybe`, `invalid value 0x1 for mode` |
    /// | a field the type does not take (`size` off tmpfs, `required` off secret/ssh) | `unexpected key 'size' for mount type 'cache'` |
    /// | `mode`, `uid`, `gid` on a bind or tmpfs mount | `mode not allowed for "bind" type mounts` |
    /// | `sharing` off a cache mount | `invalid cache sharing set for bind mount` |
    /// | a secret mount with `from`, `sharing`, none of `id`/`source`/`target`, or both `id` and `source` | `secret mount should not have a from` |
    /// | a variable in `from=` | `'from' doesn't support variable expansion, define alias stage instead` |
    /// | an ssh mount with `source=` | `ssh does not support source` |
    /// | quoting Go's CSV reader refuses (`id="a"b`, a `"` never closed) | `failed to parse csv mounts: parse error on line 1, column 25: bare " in non-quoted-field` |
    /// | a target of `/`, or a relative one that the known `WORKDIR` makes `/` (`target=.` in `/`) | `invalid mount target "/"` |
    ///
    /// A value with a `$` is checked only where BuildKit does not expand it (`from`): the
    /// rest depends on the build.
    ///
    /// ## Why is this bad?
    /// `docker build` fails on the `RUN` before it runs anything.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN --mount=type=cache,dest=/root/.cache/pip pip install -r requirements.txt
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
    /// ```
    ///
    /// ## Fix safety
    /// No fix: which field was meant is for the author to say.
    pub struct InvalidMount {
        code: "REJ004",
        name: "invalid-mount",
        family: Syntax,
        severity: Error,
        fix: None,
    }
}

impl Check for InvalidMount {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for (index, instr) in parsed_instructions(ctx) {
            if instr.keyword != Keyword::Run {
                continue;
            }
            for mount in ctx.model.mounts(index) {
                let value = instr
                    .flags
                    .iter()
                    .find(|f| f.span == mount.span)
                    .and_then(|f| f.value.as_deref())
                    .unwrap_or_default();
                if let Some(error) = csv_error(value) {
                    out.push(Violation::new(
                        mount.span.clone(),
                        format!(
                            "failed to parse csv mounts: {error}; quote a whole field \
                             (\"target=/a,b\") and double a quote inside it"
                        ),
                    ));
                    continue;
                }
                if let Some(message) = mount_error(mount) {
                    out.push(Violation::new(mount.span.clone(), message));
                }
            }
        }
    }
}

const KEYS: &[&str] = &[
    "type",
    "from",
    "source",
    "target",
    "readonly",
    "id",
    "sharing",
    "required",
    "size",
    "mode",
    "uid",
    "gid",
    "src",
    "dst",
    "destination",
    "ro",
    "rw",
    "readwrite",
    "env",
];

/// The mount type as far as it is known: `None` once a `type=` holds a variable.
type Kind = Option<String>;

/// BuildKit's `parseMount` over the fields, in its order; `None` when it accepts them.
fn mount_error(mount: &Mount) -> Option<String> {
    let mut kind: Kind = Some("bind".into());
    let is = |kind: &Kind, names: &[&str]| kind.as_deref().is_some_and(|k| names.contains(&k));
    let mut set: Vec<&str> = Vec::new();
    for (key, value) in &mount.options {
        let Some(value) = value else {
            match key.as_str() {
                "readonly" | "ro" | "readwrite" | "rw" => continue,
                "required" if kind.is_none() || is(&kind, &["secret", "ssh"]) => continue,
                "required" => return Some(unexpected_for_type(key, &kind)),
                _ => {
                    return Some(format!(
                        "invalid field '{key}' must be a key=value pair; write {key}=VALUE"
                    ))
                }
            }
        };
        if key == "from" {
            if let Some(at) = value.find('$') {
                if at != value.len() - 1 {
                    return Some(
                        "'from' doesn't support variable expansion, define alias stage instead"
                            .into(),
                    );
                }
            }
        }
        if !KEYS.contains(&key.as_str()) {
            let message = format!("unexpected key '{key}' in '{key}={value}'");
            return Some(with_suggestion(
                message,
                did_you_mean(key, KEYS.iter().copied(), true),
            ));
        }
        if !value.is_empty() {
            set.push(canonical_key(key));
        }
        let literal = is_literal(value);
        if key == "type" {
            kind = literal.then(|| value.to_lowercase());
            if let Some(k) = &kind {
                let types = ["bind", "cache", "tmpfs", "secret", "ssh"];
                if !types.contains(&k.as_str()) {
                    return Some(with_suggestion(
                        format!("unsupported mount type {value:?}"),
                        did_you_mean(value, types, true),
                    ));
                }
            }
            continue;
        }
        let type_known = kind.is_some();
        match key.as_str() {
            "required" if type_known && !is(&kind, &["secret", "ssh"]) => {
                return Some(unexpected_for_type(key, &kind))
            }
            "size" if type_known && !is(&kind, &["tmpfs"]) => {
                return Some(unexpected_for_type(key, &kind))
            }
            _ => {}
        }
        if !literal {
            continue;
        }
        let bad = match key.as_str() {
            "readonly" | "ro" | "readwrite" | "rw" | "required" => !go_bool(value),
            "sharing" => {
                let modes = ["shared", "private", "locked"];
                if !modes.contains(&value.to_lowercase().as_str()) {
                    return Some(with_suggestion(
                        format!("unsupported sharing value {value:?}"),
                        did_you_mean(value, modes, true),
                    ));
                }
                false
            }
            "mode" => u32::from_str_radix(value, 8).is_err() || value.starts_with('+'),
            "uid" | "gid" => value.parse::<u32>().is_err() || value.starts_with('+'),
            _ => false,
        };
        if bad {
            return Some(match key.as_str() {
                "mode" | "uid" | "gid" => format!("invalid value {value} for {key}"),
                _ => format!("invalid value for {key}: {value}; use true or false"),
            });
        }
    }
    let kind = kind?;
    if !matches!(kind.as_str(), "secret" | "ssh" | "cache") {
        for key in ["mode", "uid", "gid"] {
            if mount.options.iter().any(|(k, _)| k == key) {
                return Some(format!(
                    "{key} not allowed for {kind:?} type mounts; only cache, secret and ssh \
                     mounts take it"
                ));
            }
        }
    }
    let has = |key: &str| set.contains(&key);
    if kind == "secret" {
        if has("from") {
            return Some("secret mount should not have a from".into());
        }
        if has("sharing") {
            return Some("secret mount should not define sharing".into());
        }
        if !has("source") && !has("target") && !has("id") {
            return Some(
                "invalid secret mount. one of source, target required; add id=NAME".into(),
            );
        }
        if has("source") && has("id") {
            return Some("both source and id can't be set".into());
        }
    }
    if has("sharing") && kind != "cache" {
        return Some(format!(
            "invalid cache sharing set for {kind} mount; only cache mounts take sharing"
        ));
    }
    if kind == "ssh" && has("source") {
        return Some("ssh does not support source".into());
    }
    if !matches!(kind.as_str(), "secret" | "ssh") {
        let target = mount.target.as_deref().unwrap_or_default();
        let literal_root =
            is_literal(target) && target.starts_with('/') && target.trim_matches('/').is_empty();
        // A relative target (`.`, `..`) is joined to the WORKDIR; only a known one counts.
        if literal_root || mount.target_path.as_deref() == Some("/") {
            return Some("invalid mount target \"/\"".into());
        }
    }
    None
}

/// Aliases under the name BuildKit stores them by.
fn canonical_key(key: &str) -> &'static str {
    match key {
        "src" | "source" => "source",
        "dst" | "destination" | "target" => "target",
        "from" => "from",
        "id" => "id",
        "sharing" => "sharing",
        _ => "other",
    }
}

fn unexpected_for_type(key: &str, kind: &Kind) -> String {
    format!(
        "unexpected key '{key}' for mount type '{}'",
        kind.as_deref().unwrap_or_default()
    )
}
