use crate::declare_rule;
use crate::rules::suppress::{suppressions, SuppressionSource};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags every inline suppression comment: `# hadolint ignore=…` and `# dlint ignore=…`,
    /// including their `global` and `stage` forms (hadolint flags only the plain form).
    /// BuildKit's `# check=skip=…` directive is not a pragma and is not flagged. Off by
    /// default, as in hadolint.
    ///
    /// ## Why is this bad?
    /// Some teams want every exception in one reviewed place, the configuration's
    /// `ignore` and `per-file-ignores`, rather than scattered through Dockerfiles where a
    /// comment can silence a finding unnoticed.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// # hadolint ignore=DL3008
    /// RUN apt-get update && apt-get install -y curl
    /// ```
    ///
    /// Use instead (`dlint.toml`):
    /// ```toml
    /// [lint.per-file-ignores]
    /// "Dockerfile" = ["DL3008"]
    /// ```
    ///
    /// ## Fix safety
    /// No fix: deleting the comment would bring back the findings it silences.
    pub struct InlineIgnorePragma {
        code: "DL1001",
        name: "inline-ignore-pragma",
        family: Hadolint,
        severity: Info,
        fix: None,
        default_enabled: false,
        sources: [Source::Hadolint("DL1001")],
    }
}

impl Check for InlineIgnorePragma {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for suppression in suppressions(ctx.tree()) {
            if suppression.source == SuppressionSource::CheckDirective {
                continue;
            }
            let text = &ctx.source()[suppression.comment.clone()];
            let start = suppression.comment.start + (text.len() - text.trim_start().len());
            let end = suppression.comment.start + text.trim_end().len();
            out.push(Violation::new(
                start..end.max(start),
                format!(
                    "Inline ignore pragma for {}: keep exceptions in the configuration instead",
                    suppression.codes.join(", ")
                ),
            ));
        }
    }
}
