use super::reject::{buildkit_args, is_heredoc_word, parsed_instructions, word_span};
use crate::declare_rule;
use crate::rules::{Check, Context, Violation};
use crate::syntax::{Instruction, Keyword};

declare_rule! {
    /// ## What it does
    /// Reports an instruction whose arguments BuildKit's instruction reader refuses. The
    /// classes, with BuildKit's messages:
    ///
    /// | Class | BuildKit's message |
    /// |---|---|
    /// | `ENV`, `LABEL`, `ARG`, `EXPOSE`, `VOLUME`, `HEALTHCHECK`, `ONBUILD`, `SHELL` with nothing after them (`SHELL []` too) | `EXPOSE requires at least one argument` |
    /// | `WORKDIR`, `USER`, `STOPSIGNAL`, `MAINTAINER` with nothing after them | `WORKDIR requires exactly one argument` |
    /// | `COPY`/`ADD` with one argument | `COPY requires at least two arguments, but only one was provided. Destination could not be determined` |
    /// | a heredoc as the destination of `COPY`/`ADD` | `COPY cannot accept a heredoc as a destination` |
    /// | `FROM` with two, or more than three, words, or a third word after something else than `AS` | `FROM requires either one or three arguments` |
    /// | a stage name that does not match `[a-z][a-z0-9-_.]*` (`AS 1abc`, `AS platform-arm/v7`) | `invalid name for build stage: "1abc", name can't start with a number or contain symbols` |
    /// | `ARG =x`, `ENV =x`, `LABEL =x` | `ARG names can not be blank` |
    /// | `VOLUME` with an empty path (`VOLUME ["", "/data"]`) | `VOLUME specified can not be an empty string` |
    /// | `HEALTHCHECK NONE` followed by anything | `HEALTHCHECK NONE takes no arguments` |
    /// | `HEALTHCHECK` with a type other than `CMD`/`NONE` | `Unknown type "RUN" in HEALTHCHECK (try CMD)` |
    /// | `HEALTHCHECK CMD []` | `Missing command after HEALTHCHECK CMD` |
    /// | `SHELL` in shell form | `SHELL requires the arguments to be in JSON form` |
    ///
    /// `ONBUILD ONBUILD`, `ONBUILD FROM` and `ONBUILD MAINTAINER` are DL3043's.
    ///
    /// ## Why is this bad?
    /// `docker build` fails with "dockerfile parse error" before it runs anything.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22 AS build-amd64 build
    /// SHELL /bin/bash -c
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.22 AS build-amd64
    /// SHELL ["/bin/bash", "-c"]
    /// ```
    ///
    /// ## Differences from BuildKit
    /// BuildKit stops at the first refused instruction; dlint reports every one. Instructions
    /// inside `ONBUILD` are read only by the build that inherits the image and are not
    /// reported.
    ///
    /// ## Fix safety
    /// No fix: the missing or extra words are for the author to choose.
    pub struct InvalidArguments {
        code: "REJ003",
        name: "invalid-arguments",
        family: Syntax,
        severity: Error,
        fix: None,
    }
}

impl Check for InvalidArguments {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for (_, instr) in parsed_instructions(ctx) {
            if let Some(violation) = argument_error(instr) {
                out.push(violation);
            }
        }
    }
}

/// `ADD requires at least one argument`, `WORKDIR requires exactly one argument`.
fn requires(instr: &Instruction, count: &str) -> Violation {
    let keyword = instr.keyword.as_str();
    Violation::new(
        instr.keyword_span.clone(),
        format!("{keyword} requires {count} argument"),
    )
}

fn argument_error(instr: &Instruction) -> Option<Violation> {
    let args = buildkit_args(instr);
    let keyword = instr.keyword.as_str();
    match instr.keyword {
        Keyword::Env | Keyword::Label => {
            if args.is_empty() {
                return Some(requires(instr, "at least one"));
            }
            if args.chunks(3).any(|kv| kv[0].is_empty()) {
                return Some(Violation::new(
                    instr.rest_span(),
                    format!("{keyword} names can not be blank; write NAME=value"),
                ));
            }
            None
        }
        Keyword::Arg => {
            if args.is_empty() {
                return Some(requires(instr, "at least one"));
            }
            let blank = args.iter().find(|a| a.starts_with('='))?;
            Some(Violation::new(
                word_span(instr, blank),
                "ARG names can not be blank; write NAME=value",
            ))
        }
        Keyword::Maintainer | Keyword::Workdir | Keyword::User | Keyword::StopSignal => {
            (args.len() != 1).then(|| requires(instr, "exactly one"))
        }
        Keyword::Add | Keyword::Copy => {
            if args.len() < 2 {
                return Some(Violation::new(
                    instr.keyword_span.clone(),
                    format!(
                        "{keyword} requires at least two arguments, but only one was provided. \
                         Destination could not be determined"
                    ),
                ));
            }
            let dest = args.last()?;
            is_heredoc_word(dest).then(|| {
                Violation::new(
                    word_span(instr, dest),
                    format!(
                        "{keyword} cannot accept a heredoc as a destination; the last argument \
                         is where files go"
                    ),
                )
            })
        }
        Keyword::From => from_error(instr, args),
        Keyword::Onbuild => instr
            .onbuild
            .is_none()
            .then(|| requires(instr, "at least one")),
        Keyword::Expose => args.is_empty().then(|| requires(instr, "at least one")),
        Keyword::Volume => {
            if args.is_empty() {
                return Some(requires(instr, "at least one"));
            }
            args.iter().any(|v| v.trim().is_empty()).then(|| {
                Violation::new(
                    instr.rest_span(),
                    "VOLUME specified can not be an empty string",
                )
            })
        }
        Keyword::Healthcheck => healthcheck_error(instr, args),
        Keyword::Shell => {
            if args.is_empty() {
                return Some(requires(instr, "at least one"));
            }
            (!instr.json).then(|| {
                Violation::new(
                    instr.rest_span(),
                    "SHELL requires the arguments to be in JSON form; write SHELL [\"/bin/sh\", \"-c\"]",
                )
            })
        }
        _ => None,
    }
}

fn from_error(instr: &Instruction, args: &[String]) -> Option<Violation> {
    if args.len() == 3 && args[1].eq_ignore_ascii_case("as") {
        let name = &args[2];
        let lower = name.to_lowercase();
        let mut chars = lower.chars();
        let valid = chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && chars.all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')
            });
        return (!valid).then(|| {
            Violation::new(
                word_span(instr, name),
                format!(
                    "invalid name for build stage: {name:?}, name can't start with a number or \
                     contain symbols; use letters, digits, `-`, `_` and `.`, starting with a letter"
                ),
            )
        });
    }
    (args.len() != 1).then(|| {
        Violation::new(
            if instr.rest.is_empty() {
                instr.keyword_span.clone()
            } else {
                instr.rest_span()
            },
            "FROM requires either one or three arguments; write FROM image [AS name]",
        )
    })
}

fn healthcheck_error(instr: &Instruction, args: &[String]) -> Option<Violation> {
    let Some(kind) = args.first() else {
        return Some(requires(instr, "at least one"));
    };
    let kind_upper = kind.to_uppercase();
    match kind_upper.as_str() {
        "NONE" => (args.len() > 1)
            .then(|| Violation::new(instr.rest_span(), "HEALTHCHECK NONE takes no arguments")),
        "CMD" => (args.len() == 1)
            .then(|| Violation::new(instr.rest_span(), "Missing command after HEALTHCHECK CMD")),
        _ => Some(Violation::new(
            word_span(instr, kind),
            format!("Unknown type {kind_upper:?} in HEALTHCHECK (try CMD)"),
        )),
    }
}
