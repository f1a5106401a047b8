use crate::declare_rule;
use crate::rules::hadolint::labels::{label_pairs, schema_labels};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// With `strict-labels = true`, flags each `LABEL` key that the `[label-schema]` does
    /// not list. hadolint reports the `LABEL` instruction once; dlint points at each extra
    /// key. Keys given through unknown variables are not judged.
    ///
    /// ## Why is this bad?
    /// A strict schema keeps an organisation's labels consistent: a typo
    /// (`org.opencontainers.image.verison`) or an ad-hoc label is caught before it spreads.
    ///
    /// ## Example
    /// With `strict-labels = true` and `[label-schema] maintainer = "email"`:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL maintainer="ops@example.com" team="payments"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL maintainer="ops@example.com"
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the label may be wanted, and the schema is what should change.
    pub struct SuperfluousLabel {
        code: "DL3050",
        name: "superfluous-label",
        family: Hadolint,
        severity: Info,
        fix: None,
        sources: [Source::Hadolint("DL3050")],
    }
}

impl Check for SuperfluousLabel {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        if !ctx.rule_options().is_some_and(|o| o.strict_labels) {
            return;
        }
        let schema = schema_labels(ctx, None);
        for pair in label_pairs(ctx) {
            let Some(key) = pair.key else {
                continue;
            };
            if !schema.contains(&key.as_str()) {
                out.push(Violation::new(
                    pair.key_span,
                    format!(
                        "Superfluous label `{key}`: it is not in the label schema (strict-labels)"
                    ),
                ));
            }
        }
    }
}
