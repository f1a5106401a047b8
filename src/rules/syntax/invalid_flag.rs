use super::reject::{
    declared_flags, did_you_mean, go_bool, go_duration, labs_frontend, parsed_instructions,
    with_suggestion, FlagKind,
};
use crate::declare_rule;
use crate::rules::{Check, Context, Violation};
use crate::semantic::{csv_error, csv_fields};
use crate::syntax::{Flag, Instruction, Keyword};

declare_rule! {
    /// ## What it does
    /// Reports an instruction flag BuildKit refuses. The classes, with BuildKit's messages:
    ///
    /// | Class | BuildKit's message |
    /// |---|---|
    /// | a flag the instruction does not take (`COPY --user`, `RUN --foo`, any flag on `ENV`, `WORKDIR`, …) | `unknown flag: --user` |
    /// | a string flag without `=value` (`ADD --chmod 777 …`) | `missing a value on flag: --chmod` |
    /// | a boolean flag with `=` and nothing after it | `missing a value on flag: --link` |
    /// | a boolean flag with a value other than true/false (`--parents=yes`) | `expecting boolean value for flag --parents, not: yes` |
    /// | a flag given twice (only `--mount`, `--exclude` and `--device` may repeat) | `duplicate flag specified: --from` |
    /// | `RUN --network` other than `default`, `none`, `host` | `invalid network mode "bridge"` |
    /// | `RUN --security` other than `sandbox`, `insecure` | `security "x" is not valid` |
    /// | a `HEALTHCHECK` duration Go cannot read, or below 1ms | `time: missing unit in duration "5"`, `Interval "interval" cannot be less than 1ms` |
    /// | `HEALTHCHECK --retries` not a number, or negative | `--retries cannot be negative (-1)` |
    /// | a `RUN --device` value BuildKit's reader refuses, on any frontend: bad CSV quoting, a second name, a non-boolean `required`, an unknown key | `device name already set to /dev/a`, `unexpected key 'mode' in 'mode=rw'` |
    /// | `RUN --device` without a labs frontend (`# syntax=docker/dockerfile:1-labs`) | `device feature is only supported in Dockerfile frontend 1.14.0-labs or later` |
    ///
    /// BuildKit never expands these values, so `--network=$NET` is refused whatever the
    /// build arguments. `ARG`, `STOPSIGNAL` and `HEALTHCHECK NONE` are not checked: BuildKit
    /// ignores their flags.
    ///
    /// ## Why is this bad?
    /// `docker build` fails with "dockerfile parse error" before it runs anything.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// COPY --user=app app.sh /usr/local/bin/
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// COPY --chown=app app.sh /usr/local/bin/
    /// ```
    ///
    /// ## Differences from BuildKit
    /// BuildKit stops at the first bad flag of the file; dlint reports the first bad flag of
    /// every instruction. Flags inside `ONBUILD` are read only by the build that inherits the
    /// image and are not reported.
    ///
    /// ## Fix safety
    /// No fix: which flag was meant is for the author to say.
    pub struct InvalidFlag {
        code: "REJ002",
        name: "invalid-flag",
        family: Syntax,
        severity: Error,
        fix: None,
    }
}

impl Check for InvalidFlag {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let labs = labs_frontend(ctx);
        for (_, instr) in parsed_instructions(ctx) {
            if let Some(violation) = first_flag_error(instr, labs) {
                out.push(violation);
            }
        }
    }
}

/// BuildKit's `BFlags.Parse` and the checks on flag values right after it, in its order.
fn first_flag_error(instr: &Instruction, labs: bool) -> Option<Violation> {
    let declared = declared_flags(instr)?;
    let mut seen: Vec<&str> = Vec::new();
    for flag in &instr.flags {
        if flag.buildkit == "--" {
            break;
        }
        let written = format!("--{}", flag.name);
        let Some(&(_, kind)) = declared.iter().find(|(name, _)| *name == flag.name) else {
            let message = format!("unknown flag: {written}");
            let suggestion = did_you_mean(&flag.name, declared.iter().map(|(n, _)| *n), true)
                .map(|s| format!("--{s}"));
            let message = with_suggestion(message, suggestion);
            return Some(Violation::new(
                flag.name_span.clone(),
                format!("{message}; {}", accepted(instr, declared)),
            ));
        };
        if kind != FlagKind::Strings && seen.contains(&flag.name.as_str()) {
            return Some(Violation::new(
                flag.span.clone(),
                format!("duplicate flag specified: {written}; give it once"),
            ));
        }
        seen.push(&flag.name);
        match (kind, flag.value.as_deref()) {
            (FlagKind::Bool, Some("")) => {
                return Some(Violation::new(
                    flag.span.clone(),
                    format!("missing a value on flag: {written}; write {written} or {written}=true"),
                ))
            }
            (FlagKind::Bool, Some(value))
                if !matches!(value.to_ascii_lowercase().as_str(), "true" | "false") =>
            {
                return Some(Violation::new(
                    value_span(flag),
                    format!(
                        "expecting boolean value for flag {written}, not: {value}; use true or false"
                    ),
                ))
            }
            (FlagKind::String | FlagKind::Strings, None) => {
                return Some(Violation::new(
                    flag.span.clone(),
                    format!(
                        "missing a value on flag: {written}; BuildKit reads only {written}=VALUE, \
                         with no space"
                    ),
                ))
            }
            _ => {}
        }
    }
    value_error(instr, labs)
}

/// The checks BuildKit makes on flag values once they parsed.
fn value_error(instr: &Instruction, labs: bool) -> Option<Violation> {
    match instr.keyword {
        Keyword::Run => {
            if let Some(flag) = instr.flag("network") {
                let value = flag.value.as_deref().unwrap_or_default();
                if !matches!(value, "default" | "none" | "host") {
                    return Some(Violation::new(
                        value_span(flag),
                        format!(
                            "invalid network mode {value:?}; use default, none or host (the value \
                             is not expanded)"
                        ),
                    ));
                }
            }
            for flag in instr.flags.iter().filter(|f| f.name == "device") {
                let value = flag.value.as_deref().unwrap_or_default();
                if let Some(message) = device_error(value) {
                    return Some(Violation::new(value_span(flag), message));
                }
            }
            if let Some(flag) = instr.flag("security") {
                let value = flag.value.as_deref().unwrap_or_default();
                if !matches!(value, "sandbox" | "insecure") {
                    return Some(Violation::new(
                        value_span(flag),
                        format!(
                            "security {value:?} is not valid; use sandbox or insecure (the value \
                             is not expanded)"
                        ),
                    ));
                }
            }
            if !labs {
                if let Some(flag) = instr.flag("device") {
                    return Some(Violation::new(
                        flag.span.clone(),
                        "device feature is only supported in Dockerfile frontend 1.14.0-labs or \
                         later; add `# syntax=docker/dockerfile:1-labs` as the first line",
                    ));
                }
            }
            None
        }
        Keyword::Healthcheck => healthcheck_error(instr),
        _ => None,
    }
}

/// BuildKit's `ParseDevice`, which every frontend runs while reading the instruction: a
/// CSV of a name (bare or `name=`) and `required`.
fn device_error(value: &str) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    if let Some(error) = csv_error(value) {
        return Some(format!("failed to parse csv devices: {error}"));
    }
    let mut name: Option<String> = None;
    for field in csv_fields(value) {
        let Some((key, field_value)) = field.split_once('=') else {
            if field.eq_ignore_ascii_case("required") {
                continue;
            }
            if name.is_none() {
                name = Some(field);
                continue;
            }
            return Some(format!(
                "invalid field '{field}' must be a key=value pair; a device has one name"
            ));
        };
        let key = key.to_lowercase();
        match key.as_str() {
            "name" => {
                if let Some(name) = &name {
                    return Some(format!(
                        "device name already set to {name}; a device has one name"
                    ));
                }
                name = Some(field_value.to_string());
            }
            "required" if !go_bool(field_value) => {
                return Some(format!(
                    "invalid value for required: {field_value}; use true or false"
                ));
            }
            "required" => {}
            _ if name.is_none() => name = Some(field.clone()),
            _ => {
                let message = format!("unexpected key '{key}' in '{field}'");
                return Some(with_suggestion(
                    message,
                    did_you_mean(&key, ["name", "required"], true),
                ));
            }
        }
    }
    None
}

fn healthcheck_error(instr: &Instruction) -> Option<Violation> {
    for name in ["interval", "timeout", "start-period", "start-interval"] {
        let Some(flag) = instr.flag(name) else {
            continue;
        };
        let value = flag.value.as_deref().unwrap_or_default();
        if value.is_empty() {
            continue;
        }
        match go_duration(value) {
            Err(message) => {
                return Some(Violation::new(
                    value_span(flag),
                    format!("{message}; write a duration such as 30s or 1m30s"),
                ))
            }
            Ok(nanos) if nanos != 0.0 && nanos < 1e6 => {
                return Some(Violation::new(
                    value_span(flag),
                    format!("Interval \"{name}\" cannot be less than 1ms"),
                ))
            }
            Ok(_) => {}
        }
    }
    let flag = instr.flag("retries")?;
    let value = flag.value.as_deref().unwrap_or_default();
    if value.is_empty() {
        return None;
    }
    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
    let number = (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| value.parse::<i32>().ok())
        .flatten();
    match number {
        None => Some(Violation::new(
            value_span(flag),
            format!(
                "strconv.ParseInt: parsing {value:?}: invalid syntax; --retries takes a whole \
                 number (the value is not expanded)"
            ),
        )),
        Some(n) if n < 0 => Some(Violation::new(
            value_span(flag),
            format!("--retries cannot be negative ({n})"),
        )),
        Some(_) => None,
    }
}

fn value_span(flag: &Flag) -> crate::syntax::Span {
    flag.value_span.clone().unwrap_or_else(|| flag.span.clone())
}

/// The hint: what the instruction takes.
fn accepted(instr: &Instruction, declared: &[(&str, FlagKind)]) -> String {
    let keyword = instr.keyword.as_str();
    if declared.is_empty() {
        return format!("{keyword} takes no flags");
    }
    let names: Vec<String> = declared.iter().map(|(n, _)| format!("--{n}")).collect();
    format!("{keyword} takes {}", names.join(", "))
}
