use crate::declare_rule;
use crate::rules::hadolint::common::repeated_in_stages;
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags a `CMD`, `ENTRYPOINT` or `HEALTHCHECK` that a later one of the same kind in
    /// the same stage overrides. As in BuildKit, the finding is on the earlier, ignored
    /// instruction. Docker's build check `MultipleInstructionsDisallowed`
    /// (<https://docs.docker.com/go/dockerfile/rule/multiple-instructions-disallowed/>).
    ///
    /// Off by default: `DL4003` (`CMD`), `DL4004` (`ENTRYPOINT`) and `DL3012`
    /// (`HEALTHCHECK`) report the same repeats (on the later instruction) and are on by
    /// default. Select this rule to get Docker's name and message.
    ///
    /// ## Why is this bad?
    /// Only the last one takes effect; the others are dead code that suggests the image
    /// does something it does not.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// CMD ["echo", "hello"]
    /// CMD ["echo", "world"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// CMD ["echo", "world"]
    /// ```
    ///
    /// ## Fix safety
    /// No fix: which one was meant is the author's call.
    pub struct MultipleInstructionsDisallowed {
        code: "BK012",
        name: "multiple-instructions-disallowed",
        family: BuildCheck,
        severity: Warning,
        fix: None,
        default_enabled: false,
        sources: [Source::BuildKit("MultipleInstructionsDisallowed")],
    }
}

impl Check for MultipleInstructionsDisallowed {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for keyword in [Keyword::Cmd, Keyword::Entrypoint, Keyword::Healthcheck] {
            for found in repeated_in_stages(ctx, keyword) {
                for instr in &found[..found.len() - 1] {
                    out.push(Violation::new(
                        instr.keyword_span.clone(),
                        format!(
                            "Multiple {} instructions should not be used in the same stage because only the last one will be used",
                            keyword.as_str()
                        ),
                    ));
                }
            }
        }
    }
}
