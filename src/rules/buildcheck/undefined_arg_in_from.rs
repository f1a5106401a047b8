use crate::declare_rule;
use crate::rules::buildcheck::common::{line_span, suggest, var_refs, written_args};
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags a variable in a `FROM` line (image or `--platform`) that no global `ARG` (an
    /// `ARG` before the first `FROM`) declares and that is not one of BuildKit's built-in
    /// platform args (`BUILDPLATFORM`, `TARGETPLATFORM`, `TARGETOS`, `TARGETARCH`, …),
    /// with a "did you mean" for a near miss. A reference with a default
    /// (`${TAG:-latest}`) is not flagged: the author has handled the unset case. Docker's
    /// build check `UndefinedArgInFrom`
    /// (<https://docs.docker.com/go/dockerfile/rule/undefined-arg-in-from/>).
    ///
    /// ## Why is this bad?
    /// `FROM` only sees global `ARG`s: an undeclared one expands to the empty string, so
    /// `FROM node:${NODE_VERSION}` pulls `node:` (an error) or, with a typo in the name,
    /// a different image than intended.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG NODE_VERSION=22
    /// FROM node:${NODE_VERSON}-alpine
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ARG NODE_VERSION=22
    /// FROM node:${NODE_VERSION}-alpine
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the suggestion may not be what was meant.
    pub struct UndefinedArgInFrom {
        code: "BK009",
        name: "undefined-arg-in-from",
        family: BuildCheck,
        severity: Warning,
        fix: None,
        sources: [Source::BuildKit("UndefinedArgInFrom")],
    }
}

/// Args BuildKit defines for every build besides those the model knows.
const MORE_BUILTINS: &[&str] = &["BUILDOSVERSION", "TARGETOSVERSION"];

impl Check for UndefinedArgInFrom {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let globals = &ctx.model.global_args;
        let escape = ctx.tree().escape;
        for instr in ctx.instructions() {
            if instr.keyword != Keyword::From {
                continue;
            }
            let mut words: Vec<(String, std::ops::Range<usize>)> = Vec::new();
            if let Some((text, range)) = written_args(instr).next() {
                words.push((text.to_string(), range));
            }
            for flag in instr.flags.iter().filter(|f| f.name == "platform") {
                let (Some(value), Some(span)) = (&flag.value, &flag.value_span) else {
                    continue;
                };
                // Flag values are reported at the flag: their text may be quoted.
                for found in var_refs(value, escape) {
                    if found.guarded
                        || globals.get(&found.name).is_some()
                        || MORE_BUILTINS.contains(&found.name.as_str())
                    {
                        continue;
                    }
                    out.push(violation(ctx, &found.name, span.clone()));
                }
            }
            for (text, range) in words {
                for found in var_refs(&text, escape) {
                    if found.guarded
                        || globals.get(&found.name).is_some()
                        || MORE_BUILTINS.contains(&found.name.as_str())
                    {
                        continue;
                    }
                    let span = line_span(
                        instr,
                        range.start + found.range.start..range.start + found.range.end,
                    );
                    out.push(violation(ctx, &found.name, span));
                }
            }
        }
    }
}

fn violation(ctx: &Context<'_>, name: &str, span: crate::syntax::Span) -> Violation {
    let options = ctx.model.global_args.iter().map(|(n, _)| n);
    let mut message = format!("FROM argument '{name}' is not declared");
    if let Some(suggestion) = suggest(name, options) {
        message.push_str(&format!(" (did you mean {suggestion}?)"));
    }
    Violation::new(span, message)
}
