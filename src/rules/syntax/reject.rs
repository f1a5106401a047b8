//! What the `REJ` rules share: which instructions BuildKit gets to read (its parser accepted
//! them), the arguments it reads them as, the flags each instruction takes, and the
//! "did you mean" search BuildKit adds to its messages.

use crate::rules::Context;
use crate::syntax::{ErrorSeverity, Instruction, Keyword, Span};

/// The instructions BuildKit's instruction parser reads, with their index in
/// `ctx.instructions()`: every top-level instruction the line parser accepted. An instruction
/// with a parse error is DL1000's; BuildKit stops there and says nothing more about it.
pub fn parsed_instructions<'a>(
    ctx: &'a Context<'_>,
) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
    let errors: Vec<_> = ctx
        .parse
        .errors
        .iter()
        .filter(|e| e.severity == ErrorSeverity::Error)
        .map(|e| e.span.clone())
        .collect();
    ctx.instructions()
        .iter()
        .enumerate()
        .filter(move |(_, instr)| !errors.iter().any(|e| instr.span.contains(&e.start)))
        .map(|(index, instr)| (index, *instr))
}

/// BuildKit's arguments of an instruction (`nodeArgs`): the values its parser gives the node.
/// `ENV` and `LABEL` come as (key, value, delimiter) triples.
pub fn buildkit_args(instr: &Instruction) -> &[String] {
    &instr.values
}

/// How BuildKit reads a flag's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagKind {
    /// `--link`, `--link=true|false`.
    Bool,
    /// `--from=x`, once.
    String,
    /// `--mount=…`, any number of times.
    Strings,
}

/// The flags an instruction takes, as BuildKit declares them. `None`: BuildKit never parses
/// the instruction's flags (`ARG`, `STOPSIGNAL`, `HEALTHCHECK NONE`), so any flag passes.
pub fn declared_flags(instr: &Instruction) -> Option<&'static [(&'static str, FlagKind)]> {
    use FlagKind::*;
    Some(match instr.keyword {
        Keyword::Add => &[
            ("chown", String),
            ("chmod", String),
            ("link", Bool),
            ("keep-git-dir", Bool),
            ("checksum", String),
            ("unpack", Bool),
            ("exclude", Strings),
        ],
        Keyword::Copy => &[
            ("chown", String),
            ("from", String),
            ("chmod", String),
            ("link", Bool),
            ("exclude", Strings),
            ("parents", Bool),
        ],
        Keyword::From => &[("platform", String)],
        Keyword::Run => &[
            ("mount", Strings),
            ("network", String),
            ("security", String),
            ("device", Strings),
        ],
        Keyword::Healthcheck => {
            let none = buildkit_args(instr)
                .first()
                .is_some_and(|t| t.eq_ignore_ascii_case("none"));
            if none {
                return None;
            }
            &[
                ("interval", String),
                ("timeout", String),
                ("start-period", String),
                ("start-interval", String),
                ("retries", String),
            ]
        }
        Keyword::Arg | Keyword::StopSignal | Keyword::Unknown => return None,
        _ => &[],
    })
}

/// Every instruction keyword BuildKit knows, as its suggestions spell them.
pub const INSTRUCTIONS: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// BuildKit's `suggest.Search`: the option closest to `value` by edit distance, when that
/// distance is below 3 and not 0. Case-insensitive searches answer in `value`'s case.
pub fn did_you_mean<'o>(
    value: &str,
    options: impl IntoIterator<Item = &'o str>,
    case_sensitive: bool,
) -> Option<String> {
    let fold = |s: &str| {
        if case_sensitive {
            s.to_string()
        } else {
            s.to_lowercase()
        }
    };
    let wanted = fold(value);
    let mut best: Option<(usize, String)> = None;
    for option in options {
        let option = fold(option);
        if option == wanted {
            return None;
        }
        let distance = crate::edit_distance::levenshtein(&wanted, &option);
        if distance < 3 && best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, option));
        }
    }
    let (_, found) = best?;
    Some(if case_sensitive || value == value.to_lowercase() {
        found
    } else if value == value.to_uppercase() {
        found.to_uppercase()
    } else {
        found
    })
}

/// The message with BuildKit's ` (did you mean X?)` when a suggestion exists.
pub fn with_suggestion(message: String, suggestion: Option<String>) -> String {
    match suggestion {
        Some(s) => format!("{message} (did you mean {s}?)"),
        None => message,
    }
}

/// A `# syntax=` directive names a labs frontend (`docker/dockerfile:1-labs`), which enables
/// features the stable frontend refuses.
pub fn labs_frontend(ctx: &Context<'_>) -> bool {
    ctx.tree()
        .directives()
        .any(|d| d.name == "syntax" && d.value.contains("labs"))
}

/// A value BuildKit reads without expanding, or with nothing in it to expand: the same for
/// every build.
pub fn is_literal(value: &str) -> bool {
    !value.contains('$')
}

/// Go's `time.ParseDuration`: the duration in nanoseconds, or Go's error message.
pub fn go_duration(text: &str) -> Result<f64, String> {
    let invalid = || format!("time: invalid duration \"{text}\"");
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(0.0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..number_end];
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return Err(invalid());
        }
        let value: f64 = number.parse().map_err(|_| invalid())?;
        rest = &rest[number_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_end];
        let scale = match unit {
            "" => return Err(format!("time: missing unit in duration \"{text}\"")),
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => {
                return Err(format!(
                    "time: unknown unit \"{unit}\" in duration \"{text}\""
                ))
            }
        };
        total += value * scale;
        rest = &rest[unit_end..];
    }
    Ok(if negative { -total } else { total })
}

/// Go's `strconv.ParseBool`.
pub fn go_bool(text: &str) -> bool {
    matches!(
        text,
        "1" | "t" | "T" | "TRUE" | "true" | "True" | "0" | "f" | "F" | "FALSE" | "false" | "False"
    )
}

/// A word BuildKit reads as a heredoc marker (`<<EOF`, `<<-"EOF"`, `3<<EOF`).
pub fn is_heredoc_word(word: &str) -> bool {
    let rest = word.trim_start_matches(|c: char| c.is_ascii_digit());
    let Some(rest) = rest.strip_prefix("<<") else {
        return false;
    };
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    crate::shell::is_name(rest.trim_matches(|c| c == '"' || c == '\''))
}

/// The span of the instruction's word `value` when it is one, else the whole text after the
/// keyword.
pub fn word_span(instr: &Instruction, value: &str) -> Span {
    instr
        .args
        .iter()
        .find(|a| a.value == value)
        .map(|a| a.span.clone())
        .unwrap_or_else(|| {
            if instr.rest.is_empty() {
                instr.keyword_span.clone()
            } else {
                instr.rest_span()
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_follow_buildkit() {
        assert_eq!(
            did_you_mean("RUNN", INSTRUCTIONS.iter().copied(), false).as_deref(),
            Some("RUN")
        );
        assert_eq!(
            did_you_mean("cmdd", INSTRUCTIONS.iter().copied(), false).as_deref(),
            Some("cmd")
        );
        assert_eq!(
            did_you_mean("apt-get", INSTRUCTIONS.iter().copied(), false),
            None
        );
        assert_eq!(
            did_you_mean("froms", ["from", "chown"], true).as_deref(),
            Some("from")
        );
    }

    #[test]
    fn durations_follow_go() {
        assert_eq!(go_duration("30s"), Ok(30e9));
        assert_eq!(go_duration("1m30s"), Ok(90e9));
        assert_eq!(go_duration("0"), Ok(0.0));
        assert_eq!(go_duration("1.5h"), Ok(1.5 * 3600e9));
        assert!(go_duration("5").unwrap_err().contains("missing unit"));
        assert!(go_duration("5x").unwrap_err().contains("unknown unit"));
        assert!(go_duration("").is_err());
        assert!(go_duration("$INTERVAL").is_err());
    }

    #[test]
    fn heredoc_words() {
        assert!(is_heredoc_word("<<EOF"));
        assert!(is_heredoc_word("<<-\"EOF\""));
        assert!(is_heredoc_word("3<<EOF"));
        assert!(!is_heredoc_word("/app"));
        assert!(!is_heredoc_word("<<"));
    }
}
