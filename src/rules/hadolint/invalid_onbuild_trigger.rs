use crate::declare_rule;
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags `ONBUILD ONBUILD`, `ONBUILD FROM` and `ONBUILD MAINTAINER`.
    ///
    /// ## Why is this bad?
    /// BuildKit refuses these triggers: the image that inherits them cannot be built.
    /// Chaining `ONBUILD` is not allowed, a trigger cannot start a stage, and `MAINTAINER`
    /// is deprecated anyway.
    ///
    /// ## Example
    /// ```dockerfile
    /// ONBUILD FROM debian:bookworm-slim
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ONBUILD RUN ./configure
    /// ```
    ///
    /// ## Fix safety
    /// No fix: what the trigger should do is for the author to say.
    pub struct InvalidOnbuildTrigger {
        code: "DL3043",
        name: "invalid-onbuild-trigger",
        family: Hadolint,
        severity: Error,
        fix: None,
        sources: [Source::Hadolint("DL3043")],
    }
}

impl Check for InvalidOnbuildTrigger {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for instr in ctx.instructions() {
            let Some(inner) = instr.onbuild.as_deref() else {
                continue;
            };
            if matches!(
                inner.keyword,
                Keyword::Onbuild | Keyword::From | Keyword::Maintainer
            ) {
                out.push(Violation::new(
                    inner.keyword_span.clone(),
                    format!(
                        "`{}` cannot be triggered from within ONBUILD",
                        inner.keyword.as_str()
                    ),
                ));
            }
        }
    }
}
