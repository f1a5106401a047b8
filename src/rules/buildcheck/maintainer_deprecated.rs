use crate::declare_rule;
use crate::fix::{Edit, Fix};
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags the deprecated `MAINTAINER` instruction. Docker's build check
    /// `MaintainerDeprecated`
    /// (<https://docs.docker.com/go/dockerfile/rule/maintainer-deprecated/>).
    ///
    /// Off by default: `DL4000` (`maintainer-deprecated`) reports the same thing and is on
    /// by default. Select this rule to get Docker's name, message and label.
    ///
    /// ## Why is this bad?
    /// `MAINTAINER` is deprecated; a label says who wrote the image in a way tools read.
    ///
    /// ## Example
    /// ```dockerfile
    /// MAINTAINER Jane Doe <jane@example.com>
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix writes the label Docker's documentation recommends,
    /// `org.opencontainers.image.authors`, with the same text. (The image's legacy `Author`
    /// field is no longer set; nothing current reads it.)
    pub struct MaintainerDeprecated {
        code: "BK008",
        name: "maintainer-deprecated",
        family: BuildCheck,
        severity: Warning,
        fix: Sometimes,
        default_enabled: false,
        sources: [Source::BuildKit("MaintainerDeprecated")],
    }
}

impl Check for MaintainerDeprecated {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for instr in ctx.instructions() {
            if instr.keyword != Keyword::Maintainer {
                continue;
            }
            let mut violation = Violation::new(
                instr.keyword_span.clone(),
                "Maintainer instruction is deprecated in favor of using label",
            );
            let text = instr.rest_text();
            if !text.is_empty() {
                let keyword = if instr.keyword_text == instr.keyword_text.to_lowercase() {
                    "label"
                } else {
                    "LABEL"
                };
                let label = format!(
                    "{keyword} org.opencontainers.image.authors={}",
                    crate::syntax::quote_value(text, ctx.tree().escape)
                );
                violation = violation.with_fix(Fix::safe(
                    format!("Replace with `{label}`"),
                    vec![Edit::replace(
                        instr.keyword_span.start..instr.rest_span().end,
                        label,
                    )],
                ));
            }
            out.push(violation);
        }
    }
}
