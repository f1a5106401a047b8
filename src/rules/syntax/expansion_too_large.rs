use crate::declare_rule;
use crate::rules::{Check, Context, Violation};
use crate::semantic::ExpansionBudget;

declare_rule! {
    /// ## What it does
    /// Reports the instruction at which the file's `ARG` and `ENV` values grew past what
    /// dlint expands: 16 MiB of variable values copied into words, plus 16 bytes per byte of
    /// the file. A value that doubles at each `ARG` (`ARG a1=${a0}${a0}`, then
    /// `ARG a2=${a1}${a1}`, …) is 1 GiB after 30 lines and more than any machine holds after
    /// 64. From that instruction on, dlint reads every variable as unknown, and keeps
    /// linting the rest of the file.
    ///
    /// ## Why is this bad?
    /// BuildKit's expansion has no size limit: it builds such a value in memory and the
    /// build fails or takes the machine's memory with it. A value that large cannot reach a
    /// `RUN` anyway: Linux refuses an environment string over 128 KiB
    /// (`MAX_ARG_STRLEN`), so the command fails with "argument list too long".
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG a0=xxxxxxxxxxxxxxxx
    /// ARG a1=${a0}${a0}
    /// ARG a2=${a1}${a1}
    /// # … doubling again on every line
    /// FROM alpine:3.20
    /// ```
    ///
    /// Use instead: values written out, or computed in a `RUN` step where their size is the
    /// step's business.
    ///
    /// ## Fix safety
    /// No fix: only the author knows what the values were for.
    pub struct ExpansionTooLarge {
        code: "LIM001",
        name: "expansion-too-large",
        family: Syntax,
        severity: Error,
        fix: None,
    }
}

impl Check for ExpansionTooLarge {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let Some(index) = ctx.model.expansion_budget_spent_at else {
            return;
        };
        let Some(instruction) = ctx.instructions().get(index) else {
            return;
        };
        let budget = ExpansionBudget::BASE + ctx.source().len() * ExpansionBudget::PER_SOURCE_BYTE;
        out.push(Violation::new(
            instruction.span.clone(),
            format!(
                "variable values expand to more than {} MiB here; dlint reads every variable \
                 from this instruction on as unknown (BuildKit would build the whole value)",
                budget >> 20
            ),
        ));
    }
}
