use super::reject::{buildkit_args, is_heredoc_word, is_literal, parsed_instructions, word_span};
use crate::declare_rule;
use crate::rules::{Check, Context, Violation};
use crate::syntax::{Instruction, Keyword};

declare_rule! {
    /// ## What it does
    /// Reports `COPY`/`ADD` sources and options BuildKit refuses when it runs them. The
    /// classes, with BuildKit's messages:
    ///
    /// | Class | BuildKit's message |
    /// |---|---|
    /// | a URL as a `COPY` source | `source can't be a URL for COPY` |
    /// | a `--chmod` starting with a digit that is not an octal mode up to 7777 | `invalid chmod parameter: '888'. it should be octal string and between 0 and 07777` |
    /// | any other `--chmod` that is not a symbolic mode (`u+x,go-w`) | `invalid syntax` |
    /// | `ADD --checksum` with more than one source | `checksum can't be specified for multiple sources` |
    /// | `ADD --checksum` on a source that is not a URL or a Git repository | `checksum requires HTTP(S) or Git sources` |
    ///
    /// Values with a variable are not checked: they depend on the build.
    ///
    /// ## Why is this bad?
    /// `docker build` fails on the instruction.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// COPY https://example.com/tool.tar.gz /tmp/
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /tmp/
    /// ```
    ///
    /// ## Fix safety
    /// No fix: `ADD` fetches and unpacks differently from `COPY`; the author decides.
    pub struct InvalidCopySource {
        code: "REJ010",
        name: "invalid-copy-source",
        family: Syntax,
        severity: Error,
        fix: None,
    }
}

impl Check for InvalidCopySource {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for (_, instr) in parsed_instructions(ctx) {
            if !matches!(instr.keyword, Keyword::Copy | Keyword::Add) {
                continue;
            }
            if let Some(violation) = copy_error(instr) {
                out.push(violation);
            }
        }
    }
}

fn is_url(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

fn is_git(source: &str) -> bool {
    source.starts_with("git@") || source.starts_with("git://") || source.ends_with(".git")
}

/// A symbolic mode such as `u+x,g-w` or `a=rX`.
fn is_symbolic_mode(mode: &str) -> bool {
    mode.split(',').all(|clause| {
        let op = clause.find(['+', '-', '=']);
        op.is_some_and(|at| {
            clause[..at].chars().all(|c| "ugoa".contains(c))
                && clause[at..].chars().all(|c| "+-=rwxXstugo".contains(c))
        })
    })
}

/// BuildKit's reading of `--chmod`: an octal mode up to 07777, else a symbolic mode; a
/// value starting with a digit that is neither gets the octal message.
fn chmod_error(value: &str) -> Option<String> {
    if value.is_empty() || !is_literal(value) {
        return None;
    }
    if u32::from_str_radix(value, 8).is_ok_and(|m| m <= 0o7777) && !value.starts_with('+') {
        return None;
    }
    if value.starts_with(|c: char| c.is_ascii_digit()) {
        return Some(format!(
            "invalid chmod parameter: '{value}'. it should be octal string and between 0 and 07777"
        ));
    }
    (!is_symbolic_mode(value)).then(|| {
        format!(
            "invalid syntax; --chmod={value} is neither an octal mode up to 7777 nor a symbolic \
             mode such as u+x,go-w"
        )
    })
}

fn copy_error(instr: &Instruction) -> Option<Violation> {
    let args = buildkit_args(instr);
    if args.len() < 2 {
        return None;
    }
    let sources: Vec<&String> = args[..args.len() - 1]
        .iter()
        .filter(|s| !is_heredoc_word(s))
        .collect();
    let span_of = |value: &str| word_span(instr, value);
    if let Some(flag) = instr.flag("chmod") {
        let value = flag.value.as_deref().unwrap_or_default();
        if let Some(message) = chmod_error(value) {
            return Some(Violation::new(
                flag.value_span.clone().unwrap_or_else(|| flag.span.clone()),
                message,
            ));
        }
    }
    if instr.keyword == Keyword::Copy {
        let url = sources.iter().find(|s| is_literal(s) && is_url(s))?;
        return Some(Violation::new(
            span_of(url),
            "source can't be a URL for COPY; use ADD (with --checksum) to fetch it",
        ));
    }
    let flag = instr.flag("checksum")?;
    let checksum = flag.value.as_deref().unwrap_or_default();
    if checksum.is_empty() || sources.iter().any(|s| !is_literal(s)) {
        return None;
    }
    let span = flag.span.clone();
    if args.len() != 2 {
        return Some(Violation::new(
            span,
            "checksum can't be specified for multiple sources",
        ));
    }
    let source = &args[0];
    (!is_url(source) && !is_git(source))
        .then(|| Violation::new(span, "checksum requires HTTP(S) or Git sources"))
}
