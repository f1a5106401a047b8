use crate::declare_rule;
use crate::rules::hadolint::common::report_repeats;
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags a second (and any further) `CMD` in one stage.
    ///
    /// ## Why is this bad?
    /// Only the last `CMD` of a stage takes effect: the earlier ones are dead code that
    /// misleads the reader about what the container runs.
    ///
    /// ## Example
    /// ```dockerfile
    /// CMD ["node", "server.js"]
    /// CMD ["node", "worker.js"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// CMD ["node", "worker.js"]
    /// ```
    ///
    /// ## Fix safety
    /// No fix: which one was meant is for the author to say.
    pub struct MultipleCmd {
        code: "DL4003",
        name: "multiple-cmd",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL4003")],
    }
}

impl Check for MultipleCmd {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        report_repeats(
            ctx,
            Keyword::Cmd,
            "Multiple `CMD` instructions in this stage: only the last one takes effect",
            out,
        );
    }
}
