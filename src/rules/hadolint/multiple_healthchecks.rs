use crate::declare_rule;
use crate::rules::hadolint::common::report_repeats;
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags a second (and any further) `HEALTHCHECK` in one stage.
    ///
    /// ## Why is this bad?
    /// Only the last `HEALTHCHECK` of a stage takes effect: the earlier ones are dead code
    /// that misleads the reader about how the container is checked.
    ///
    /// ## Example
    /// ```dockerfile
    /// HEALTHCHECK CMD curl -f http://localhost/ || exit 1
    /// HEALTHCHECK CMD wget -q --spider http://localhost/ || exit 1
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// HEALTHCHECK CMD wget -q --spider http://localhost/ || exit 1
    /// ```
    ///
    /// ## Fix safety
    /// No fix: which check was meant is for the author to say.
    pub struct MultipleHealthchecks {
        code: "DL3012",
        name: "multiple-healthchecks",
        family: Hadolint,
        severity: Error,
        fix: None,
        sources: [Source::Hadolint("DL3012")],
    }
}

impl Check for MultipleHealthchecks {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        report_repeats(
            ctx,
            Keyword::Healthcheck,
            "Multiple HEALTHCHECK instructions in this stage: only the last one takes effect",
            out,
        );
    }
}
