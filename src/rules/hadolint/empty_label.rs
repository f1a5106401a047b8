use crate::declare_rule;
use crate::rules::hadolint::labels::{label_pairs, schema_labels};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags a label of the `[label-schema]` set to an empty value (`LABEL maintainer=""`,
    /// or a variable that is certainly unset). Labels outside the schema may be empty.
    ///
    /// ## Why is this bad?
    /// An empty required label satisfies DL3049 on paper and tells nobody anything.
    ///
    /// ## Example
    /// With `[label-schema] maintainer = "text"`:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL maintainer=""
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL maintainer="Payments team"
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows the value.
    pub struct EmptyLabel {
        code: "DL3051",
        name: "empty-label",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3051")],
    }
}

impl Check for EmptyLabel {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let schema = schema_labels(ctx, None);
        if schema.is_empty() {
            return;
        }
        for pair in label_pairs(ctx) {
            let (Some(key), Some(value)) = (&pair.key, &pair.value) else {
                continue;
            };
            if value.is_empty() && schema.contains(&key.as_str()) {
                out.push(Violation::new(
                    pair.value_span,
                    format!("Label `{key}` is empty"),
                ));
            }
        }
    }
}
