use crate::declare_rule;
use crate::rules::hadolint::labels::{check_values, is_rfc3339};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags a label the `[label-schema]` types as `rfc3339` whose value is not an RFC 3339 time.
    /// RFC 3339 is `2024-05-01T12:30:00Z` or with an offset (`+02:00`) and optional
    /// fractions of a second; a date alone or a time without its zone is not.
    /// Values that come from unknown variables (build-time ARGs) are not judged; empty
    /// ones are DL3051's.
    ///
    /// ## Why is this bad?
    /// Tools that read the label (registries, SBOM and provenance tooling, dashboards) parse
    /// it as an RFC 3339 time; a free-form value breaks them or is silently dropped.
    ///
    /// ## Example
    /// With `[label-schema] "org.opencontainers.image.created" = "rfc3339"`:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.created="2024-05-01 12:30"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.created="2024-05-01T12:30:00Z"
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows the right value.
    pub struct LabelNotRfc3339 {
        code: "DL3053",
        name: "label-not-rfc-time",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3053")],
    }
}

impl Check for LabelNotRfc3339 {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        check_values(ctx, out, "rfc3339", is_rfc3339, "an RFC 3339 time");
    }
}
