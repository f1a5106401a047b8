use crate::declare_rule;
use crate::fix::{Edit, Fix};
use crate::rules::hadolint::common::{drop_quotes, keyword_like};
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::{Instruction, Keyword};

declare_rule! {
    /// ## What it does
    /// Flags `MAINTAINER`.
    ///
    /// ## Why is this bad?
    /// `MAINTAINER` is deprecated: it fills the image's legacy `Author` field, which tools no
    /// longer read. A `maintainer` label (or the OCI `org.opencontainers.image.authors`
    /// label) carries the same information where tools look for it.
    ///
    /// ## Example
    /// ```dockerfile
    /// MAINTAINER Jane Doe <jane@example.com>
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// LABEL maintainer="Jane Doe <jane@example.com>"
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the image's filesystem and what it runs do not change; only its metadata moves
    /// from the `Author` field to a label. The fix rewrites the instruction as
    /// `LABEL maintainer="…"` with quotes, `$` and the escape character escaped, so the
    /// label holds the text exactly (`MAINTAINER` does not expand variables, `LABEL` does).
    /// When the stage already has a `maintainer` label, the fix removes the `MAINTAINER`
    /// line instead.
    pub struct MaintainerDeprecated {
        code: "DL4000",
        name: "maintainer-deprecated",
        family: Hadolint,
        severity: Error,
        fix: Sometimes,
        sources: [Source::Hadolint("DL4000")],
    }
}

/// The stage of the MAINTAINER at `index` already has a `maintainer` label.
fn has_maintainer_label(ctx: &Context<'_>, index: usize) -> bool {
    let Some(stage) = ctx.model.stage_of(index) else {
        return false;
    };
    let stage = &ctx.model.stages[stage];
    ctx.instructions()[stage.instructions.clone()]
        .iter()
        .filter(|i| i.keyword == Keyword::Label)
        .any(|i| {
            i.values
                .chunks(3)
                .any(|pair| drop_quotes(&pair[0]) == "maintainer")
        })
}

fn fix(ctx: &Context<'_>, index: usize, instr: &Instruction) -> Option<Fix> {
    if has_maintainer_label(ctx, index) {
        return Some(Fix::safe(
            "Remove MAINTAINER: the stage already has a `maintainer` label",
            vec![Edit::delete(instr.span.clone())],
        ));
    }
    let text = instr.rest_text();
    if text.is_empty() {
        return None;
    }
    let label = format!(
        "{} maintainer={}",
        keyword_like(&instr.keyword_text, "LABEL"),
        crate::syntax::quote_value(text, ctx.tree().escape)
    );
    Some(Fix::safe(
        format!("Replace with `{label}`"),
        vec![Edit::replace(
            instr.keyword_span.start..instr.rest_span().end,
            label,
        )],
    ))
}

impl Check for MaintainerDeprecated {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for (index, instr) in ctx.instructions().iter().enumerate() {
            if instr.keyword != Keyword::Maintainer {
                continue;
            }
            let mut violation = Violation::new(
                instr.keyword_span.clone(),
                "MAINTAINER is deprecated: use `LABEL maintainer=\"…\"`",
            );
            if let Some(fix) = fix(ctx, index, instr) {
                violation = violation.with_fix(fix);
            }
            out.push(violation);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::semantic::{expand_known, Scope};

    #[test]
    fn quoted_label_reads_back_exactly() {
        for text in [
            r#"Jane "JD" Doe <jane@example.com>"#,
            r"C:\path $HOME",
            "a`b",
        ] {
            for escape in ['\\', '`'] {
                let quoted = crate::syntax::quote_value(text, escape);
                assert_eq!(
                    expand_known(&quoted, escape, &Scope::new(false)).as_deref(),
                    Some(text),
                    "{quoted}"
                );
            }
        }
    }
}
