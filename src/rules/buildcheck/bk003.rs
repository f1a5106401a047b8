use crate::declare_rule;
use crate::fix::{Edit, Fix};
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::ErrorSeverity;

declare_rule! {
    /// ## What it does
    /// Flags an empty line inside an instruction continued with `\` (the parser's warning,
    /// reported once per instruction at its first empty line). Docker's build check
    /// `NoEmptyContinuation`
    /// (<https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/>).
    ///
    /// ## Why is this bad?
    /// BuildKit drops the empty line and carries on, but says this will become an error in a
    /// future release; an empty line also looks like the end of the instruction, so the
    /// lines after it read as if they were separate.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apk add \
    ///
    ///     curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apk add \
    ///     curl
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix deletes the empty line, which BuildKit ignores anyway.
    pub struct NoEmptyContinuation {
        code: "BK003",
        name: "no-empty-continuation",
        family: BuildCheck,
        severity: Warning,
        fix: Always,
        sources: [Source::BuildKit("NoEmptyContinuation")],
    }
}

impl Check for NoEmptyContinuation {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let source = ctx.source();
        for error in &ctx.parse.errors {
            if error.severity != ErrorSeverity::Warning
                || !error.message.starts_with("empty continuation line")
            {
                continue;
            }
            let start = error.span.start.min(source.len());
            let line_end = source[start..]
                .find('\n')
                .map_or(source.len(), |i| start + i);
            let delete_end = (line_end + 1).min(source.len());
            out.push(
                Violation::new(start..line_end, "Empty continuation line").with_fix(Fix::safe(
                    "Delete the empty line",
                    vec![Edit::delete(start..delete_end)],
                )),
            );
        }
    }
}
