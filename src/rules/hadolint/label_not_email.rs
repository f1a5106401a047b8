use crate::declare_rule;
use crate::rules::hadolint::labels::{check_values, is_email};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags a label the `[label-schema]` types as `email` whose value is not an RFC 5322 email address.
    /// An address is the RFC 5322 `local@domain` form (what hadolint's `email-validate`
    /// accepts); a display name (`Jane <jane@example.com>`) is not part of it.
    /// Values that come from unknown variables (build-time ARGs) are not judged; empty
    /// ones are DL3051's.
    ///
    /// ## Why is this bad?
    /// Tools that read the label (registries, SBOM and provenance tooling, dashboards) parse
    /// it as an RFC 5322 email address; a free-form value breaks them or is silently dropped.
    ///
    /// ## Example
    /// With `[label-schema] maintainer = "email"`:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL maintainer="Payments team"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL maintainer="payments@example.com"
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows the right value.
    pub struct LabelNotEmail {
        code: "DL3058",
        name: "label-not-email",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3058")],
    }
}

impl Check for LabelNotEmail {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        check_values(ctx, out, "email", is_email, "an RFC 5322 email address");
    }
}
