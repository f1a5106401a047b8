use crate::declare_rule;
use crate::fix::{Edit, Fix};
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::ErrorSeverity;

declare_rule! {
    /// ## What it does
    /// Flags empty lines inside an instruction continued with `\`, once per instruction, on
    /// the line where the instruction ends, as `docker build --check` reports it; the message
    /// names the empty lines. Docker's build check
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
    /// Safe: the fix deletes the empty lines, which BuildKit ignores anyway.
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
            let Some(instr) = ctx
                .instructions()
                .iter()
                .find(|i| i.span.contains(&error.span.start))
            else {
                continue;
            };
            // BuildKit reports the line where the instruction's continuation ends.
            let text_len = instr.line.text.len();
            let last = instr.line.span(text_len.saturating_sub(1)..text_len).start;
            let last_start = source[..last].rfind('\n').map_or(0, |i| i + 1);
            let last_end = source[last..].find('\n').map_or(source.len(), |i| last + i);
            let empty = empty_lines(source, instr.span.start..last_start);
            if empty.is_empty() {
                continue;
            }
            let numbers: Vec<String> = empty
                .iter()
                .map(|r| (source[..r.start].matches('\n').count() + 1).to_string())
                .collect();
            let message = match numbers.as_slice() {
                [one] => format!("Empty continuation line (line {one})"),
                many => format!("Empty continuation lines (lines {})", many.join(", ")),
            };
            let span_start = last_start
                + (source[last_start..last_end].len()
                    - source[last_start..last_end].trim_start().len());
            out.push(
                Violation::new(span_start..last_end, message).with_fix(Fix::safe(
                    "Delete the empty lines",
                    empty.into_iter().map(Edit::delete).collect(),
                )),
            );
        }
    }
}

/// The whitespace-only lines in `range` of `source`, each with its line ending.
fn empty_lines(source: &str, range: std::ops::Range<usize>) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut at = range.start;
    while at < range.end {
        let end = source[at..].find('\n').map_or(source.len(), |i| at + i + 1);
        if at > range.start && source[at..end].trim().is_empty() {
            out.push(at..end);
        }
        at = end;
    }
    out
}
