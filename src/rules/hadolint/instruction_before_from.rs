use crate::declare_rule;
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags an instruction other than `ARG` before the first `FROM`.
    ///
    /// ## Why is this bad?
    /// A Dockerfile must begin with `FROM`, optionally preceded by `ARG`s (and parser
    /// directives and comments): there is no image yet for anything else to act on, and
    /// BuildKit rejects the file.
    ///
    /// ## Example
    /// ```dockerfile
    /// LABEL org.opencontainers.image.authors="ops@example.com"
    /// FROM debian:bookworm-slim
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// LABEL org.opencontainers.image.authors="ops@example.com"
    /// ```
    ///
    /// ## Fix safety
    /// No fix: where the instruction belongs is for the author to say.
    pub struct InstructionBeforeFrom {
        code: "DL3061",
        name: "instruction-before-from",
        family: Hadolint,
        severity: Error,
        fix: None,
        sources: [Source::Hadolint("DL3061")],
    }
}

impl Check for InstructionBeforeFrom {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for instr in ctx.instructions() {
            match instr.keyword {
                Keyword::From => break,
                Keyword::Arg => {}
                _ => out.push(Violation::new(
                    instr.keyword_span.clone(),
                    format!(
                        "Invalid instruction order: `{}` before the first FROM (only ARG may come first)",
                        instr.keyword_text
                    ),
                )),
            }
        }
    }
}
