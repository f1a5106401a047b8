use crate::declare_rule;
use crate::rules::{Check, Context, Violation};

declare_rule! {
    /// ## What it does
    /// Flags a suppression comment (`# dlint ignore=…`, `# hadolint ignore=…`, their `global`
    /// and `stage` forms) that silences nothing: no finding of a named, enabled rule falls in
    /// its scope, or the code names no rule at all. A code for a rule that is not running is
    /// left alone: the comment may be meant for another configuration.
    ///
    /// ## Why is this bad?
    /// Stale suppressions hide future problems and tell readers something that is no longer
    /// true. Off by default: enable it with `--extend-select SUP001`.
    ///
    /// ## Example
    /// ```dockerfile
    /// # dlint ignore=DL3019
    /// RUN apk add --no-cache curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apk add --no-cache curl
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: removing the comment is easy, and the author may want to keep a
    /// suppression for a rule that is currently disabled.
    pub struct UnusedSuppression {
        code: "SUP001",
        name: "unused-suppression",
        family: Syntax,
        severity: Info,
        fix: None,
        default_enabled: false,
    }
}

impl Check for UnusedSuppression {
    /// The engine reports unused suppressions itself, once every other rule has run.
    fn check(&self, _ctx: &Context<'_>, _out: &mut Vec<Violation>) {}
}
