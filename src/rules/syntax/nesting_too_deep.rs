use crate::declare_rule;
use crate::rules::{Check, Context, Violation};
use crate::shell::{MAX_SCRIPT_DEPTH, MAX_SUBSTITUTION_DEPTH};

declare_rule! {
    /// ## What it does
    /// Reports a `RUN` whose script nests deeper than dlint reads: command substitutions
    /// (`$(…)`, `` `…` ``, `<(…)`) more than 100 levels deep, or more than 5,000 levels of
    /// `( … )`, `{ … }`, `if`, `case` or loops (brackets and keywords in quotes count too).
    /// dlint does not parse that script, so no rule about commands looks at it; the rest of
    /// the file is linted as usual.
    ///
    /// ## Why is this bad?
    /// No one writes such a script by hand: it is generated or hostile, and every level costs
    /// a shell (and a linter) time and memory. `sh` itself may run out of stack.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// # … with 100 more levels of $(
    /// RUN echo $(echo $(echo $(echo x)))
    /// ```
    ///
    /// Use instead: a script file `COPY`'d into the image and run from there, written for
    /// people to read.
    ///
    /// ## Fix safety
    /// No fix.
    pub struct NestingTooDeep {
        code: "LIM002",
        name: "nesting-too-deep",
        family: Syntax,
        severity: Warning,
        fix: None,
    }
}

impl Check for NestingTooDeep {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for run in ctx.runs_with_onbuild() {
            if run.scripts.iter().any(|s| s.too_deep) {
                let instruction = ctx.instructions()[run.index];
                out.push(Violation::new(
                    instruction.keyword_span.clone(),
                    format!(
                        "this RUN nests command substitutions more than \
                         {MAX_SUBSTITUTION_DEPTH} levels deep, or other constructs more than \
                         {MAX_SCRIPT_DEPTH}; dlint does not read its commands"
                    ),
                ));
            }
        }
    }
}
