use super::reject::{buildkit_args, is_heredoc_word, parsed_instructions};
use crate::declare_rule;
use crate::rules::{Check, Context, Violation};
use crate::semantic::{expand, expand_raw, Lookup};
use crate::syntax::{Instruction, Keyword, Span};

declare_rule! {
    /// ## What it does
    /// Reports a word BuildKit cannot expand, whatever the build arguments: an unsupported
    /// substitution (`${VERSION:0:3}`, `${x:i}`), an unclosed `${`, an unterminated quote
    /// (`ENV GREETING="hello`), `${}`. BuildKit's messages:
    ///
    /// | Class | BuildKit's message |
    /// |---|---|
    /// | a modifier other than `-`, `+`, `?`, `#`, `%`, `/` (`${x:i}`, `${v:0:3}`, `${x^^}`) | `unsupported modifier (i) in substitution` |
    /// | `${NAME` without `}` | `unsupported modifier (�) in substitution` (Go's end-of-input rune) |
    /// | `${` alone, `${x:-word` without `}` | `syntax error: missing '}'` |
    /// | `${}`, `${:x}` | `syntax error: bad substitution` |
    /// | `${x/a` without the closing `}` | `syntax error: missing '/' in ${}` |
    /// | an unterminated `'` or `"` | `unexpected end of statement while looking for matching double-quote` |
    /// | one of the `${…}` errors above inside the body of a `COPY <<EOF`/`ADD <<EOF` whose marker is not quoted (BuildKit expands the body, with quotes as text) | `unsupported modifier (:i) in substitution` |
    ///
    /// Words checked are those BuildKit expands: `FROM`'s image and `--platform`, `ENV`,
    /// `LABEL` and `ARG` names and values, `COPY`/`ADD` paths and `--chown`, `--chmod`,
    /// `--checksum`, `WORKDIR`, `USER`, `VOLUME`, `EXPOSE`, `STOPSIGNAL`, and `RUN --mount`
    /// values.
    ///
    /// ## Why is this bad?
    /// BuildKit's shell lexer fails on the word and `docker build` fails on the instruction.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ARG VERSION=1.2.3
    /// ENV MAJOR=${VERSION:0:1}
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ARG VERSION=1.2.3
    /// ENV MAJOR=${VERSION%%.*}
    /// ```
    ///
    /// ## Differences from BuildKit
    /// BuildKit expands the instructions of the stages it builds; dlint checks every stage,
    /// since another `--target` builds the others. `${VAR:?message}` fails only when the
    /// variable is unset, which depends on the build and is not reported. Heredoc bodies
    /// of `COPY`/`ADD` are not checked.
    ///
    /// ## Fix safety
    /// No fix: the intended value is for the author to write.
    pub struct InvalidSubstitution {
        code: "REJ005",
        name: "invalid-substitution",
        family: Syntax,
        severity: Error,
        fix: None,
    }
}

impl Check for InvalidSubstitution {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let escape = ctx.tree().escape;
        let unknown = |_: &str| Lookup::Unknown;
        for (index, instr) in parsed_instructions(ctx) {
            let mut words = expanded_words(instr);
            if instr.keyword == Keyword::Run {
                for mount in ctx.model.mounts(index) {
                    for (key, value) in &mount.options {
                        if let (false, Some(value)) = (key == "from", value) {
                            words.push((value.clone(), mount.span.clone()));
                        }
                    }
                }
            }
            let mut reported = false;
            for (word, span) in words {
                if let Err(error) = expand(&word, escape, &unknown) {
                    out.push(Violation::new(
                        span,
                        format!("{}; BuildKit cannot expand `{word}`", error.0),
                    ));
                    reported = true;
                    break;
                }
            }
            if reported || !matches!(instr.keyword, Keyword::Copy | Keyword::Add) {
                continue;
            }
            // BuildKit expands the body of a `COPY <<EOF` whose marker is not quoted, with
            // quotes as plain text (a `RUN` body is left to the shell).
            for heredoc in instr.heredocs.iter().filter(|h| h.expand) {
                let body = ctx
                    .source()
                    .get(heredoc.body_span.clone())
                    .unwrap_or_default();
                if let Err(error) = expand_raw(body, &unknown) {
                    out.push(Violation::new(
                        heredoc.marker_span.clone(),
                        format!(
                            "{}; BuildKit expands the body of <<{} (quote the marker, \
                             <<'{}', to copy it as written)",
                            error.0, heredoc.name, heredoc.name
                        ),
                    ));
                    break;
                }
            }
        }
    }
}

/// The words of `instr` BuildKit expands, with where each is written.
fn expanded_words(instr: &Instruction) -> Vec<(String, Span)> {
    let args = buildkit_args(instr);
    let span_of = |value: &str| {
        instr
            .args
            .iter()
            .find(|a| a.value == value || a.value.contains(value))
            .map(|a| a.span.clone())
            .unwrap_or_else(|| instr.rest_span())
    };
    let flag = |name: &str| {
        instr.flag(name).and_then(|f| {
            let span = f.value_span.clone().unwrap_or_else(|| f.span.clone());
            f.value.clone().map(|v| (v, span))
        })
    };
    let mut words: Vec<(String, Span)> = Vec::new();
    match instr.keyword {
        Keyword::From => {
            words.extend(args.first().map(|a| (a.clone(), span_of(a))));
            words.extend(flag("platform"));
        }
        Keyword::Env | Keyword::Label => {
            for kv in args.chunks(3) {
                let span = span_of(&kv[0]);
                words.push((kv[0].clone(), span.clone()));
                if let Some(value) = kv.get(1) {
                    words.push((value.clone(), span));
                }
            }
        }
        Keyword::Arg => {
            for arg in args {
                let span = span_of(arg);
                match arg.split_once('=') {
                    Some((key, value)) => {
                        words.push((key.to_string(), span.clone()));
                        words.push((value.to_string(), span));
                    }
                    None => words.push((arg.clone(), span)),
                }
            }
        }
        Keyword::Add | Keyword::Copy => {
            for name in ["chown", "chmod", "checksum"] {
                words.extend(flag(name));
            }
            for arg in args.iter().filter(|a| !is_heredoc_word(a)) {
                words.push((arg.clone(), span_of(arg)));
            }
        }
        Keyword::Workdir
        | Keyword::User
        | Keyword::StopSignal
        | Keyword::Volume
        | Keyword::Expose => {
            for arg in args {
                words.push((arg.clone(), span_of(arg)));
            }
        }
        _ => {}
    }
    words
}
