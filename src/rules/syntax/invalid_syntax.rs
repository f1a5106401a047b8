use crate::declare_rule;
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::ErrorSeverity;

declare_rule! {
    /// ## What it does
    /// Reports what makes BuildKit reject the file: a JSON array with a non-string element,
    /// `ENV`/`LABEL` without a value, an unterminated heredoc, a repeated or invalid parser
    /// directive, a file with no instructions.
    ///
    /// ## Why is this bad?
    /// `docker build` fails on the first such error. dlint reports every one of them and keeps
    /// linting the rest of the file.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine
    /// ENV ONLY_A_KEY
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine
    /// ENV ONLY_A_KEY=value
    /// ```
    ///
    /// ## Differences from hadolint
    /// dlint's parser follows BuildKit's, so it reports exactly what BuildKit's parser rejects.
    /// hadolint's own parser also fails on files BuildKit's parser reads (heredoc forms it does
    /// not know, lines of template files that BuildKit takes as unknown instructions) and on
    /// errors BuildKit only reports when it runs an instruction (`RUN --mount=from=x` without
    /// a target, an unknown `COPY` flag such as `--user`): hadolint then reports DL1000 and no
    /// other finding for the file. dlint lints such files in full (36 corpus files), and
    /// reports what BuildKit rejects after parsing under `REJ001`…`REJ010` (unknown
    /// instructions and flags, argument counts, …), so DL1000 keeps hadolint's meaning: the
    /// file does not parse.
    ///
    /// ## Fix safety
    /// No fix: only the author knows what was meant.
    pub struct InvalidSyntax {
        code: "DL1000",
        name: "invalid-syntax",
        family: Syntax,
        severity: Error,
        fix: None,
        sources: [Source::Hadolint("DL1000")],
    }
}

impl Check for InvalidSyntax {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for error in &ctx.parse.errors {
            if error.severity == ErrorSeverity::Error {
                out.push(Violation::new(error.span.clone(), error.message.clone()));
            }
        }
    }
}
