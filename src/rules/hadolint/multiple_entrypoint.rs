use crate::declare_rule;
use crate::rules::hadolint::common::report_repeats;
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags a second (and any further) `ENTRYPOINT` in one stage.
    ///
    /// ## Why is this bad?
    /// Only the last `ENTRYPOINT` of a stage takes effect: the earlier ones are dead code that
    /// misleads the reader about what the container runs.
    ///
    /// ## Example
    /// ```dockerfile
    /// ENTRYPOINT ["/entrypoint.sh"]
    /// ENTRYPOINT ["node"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ENTRYPOINT ["node"]
    /// ```
    ///
    /// ## Fix safety
    /// No fix: which one was meant is for the author to say.
    pub struct MultipleEntrypoint {
        code: "DL4004",
        name: "multiple-entrypoint",
        family: Hadolint,
        severity: Error,
        fix: None,
        sources: [Source::Hadolint("DL4004")],
    }
}

impl Check for MultipleEntrypoint {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        report_repeats(
            ctx,
            Keyword::Entrypoint,
            "Multiple `ENTRYPOINT` instructions in this stage: only the last one takes effect",
            out,
        );
    }
}
