use super::reject::{did_you_mean, parsed_instructions, with_suggestion, INSTRUCTIONS};
use crate::declare_rule;
use crate::rules::{Check, Context, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Reports a line BuildKit reads as an instruction it does not know: a misspelt keyword,
    /// a package list that goes on after a missing `\`, the body lines of `CMD <<EOF` (only
    /// `RUN`, `COPY` and `ADD` take heredocs), a template placeholder.
    ///
    /// BuildKit's message: `unknown instruction: FOO` (with `(did you mean RUN?)` when a
    /// keyword is close).
    ///
    /// ## Why is this bad?
    /// BuildKit's parser accepts any word as an instruction, and its instruction reader then
    /// rejects the file: `docker build` fails with "dockerfile parse error".
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// RUN apt-get update && apt-get install -y \
    ///     curl
    ///     git
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// RUN apt-get update && apt-get install -y \
    ///     curl \
    ///     git
    /// ```
    ///
    /// ## Differences from hadolint
    /// hadolint's parser fails on such a file and reports DL1000 alone; dlint keeps DL1000
    /// for what BuildKit's line parser rejects (hadolint's meaning) and reports the
    /// instruction here, linting the rest of the file. An unknown instruction inside
    /// `ONBUILD` is not reported: BuildKit only reads it in the build that inherits the image.
    ///
    /// ## Fix safety
    /// No fix: a missing `\` or a misspelling is for the author to confirm.
    pub struct UnknownInstruction {
        code: "REJ001",
        name: "unknown-instruction",
        family: Syntax,
        severity: Error,
        fix: None,
    }
}

impl Check for UnknownInstruction {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let source = ctx.source();
        let instructions = ctx.instructions();
        for (index, instr) in parsed_instructions(ctx) {
            if instr.keyword != Keyword::Unknown {
                continue;
            }
            let word = &instr.keyword_text;
            let mut message = with_suggestion(
                format!("unknown instruction: {word}"),
                did_you_mean(word, INSTRUCTIONS.iter().copied(), false),
            );
            let previous = index.checked_sub(1).map(|i| instructions[i]);
            let line_start = source[..instr.keyword_span.start]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            let indented = instr.keyword_span.start > line_start;
            if previous.is_some_and(|p| {
                !matches!(p.keyword, Keyword::Run | Keyword::Copy | Keyword::Add)
                    && p.rest_text().contains("<<")
            }) {
                message.push_str("; only RUN, COPY and ADD take heredocs");
            } else if indented && previous.is_some() {
                message.push_str("; is a `\\` missing at the end of the line before?");
            }
            out.push(Violation::new(instr.keyword_span.clone(), message));
        }
    }
}
