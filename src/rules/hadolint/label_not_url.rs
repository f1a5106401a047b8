use crate::declare_rule;
use crate::rules::hadolint::labels::{check_values, is_url};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags a label the `[label-schema]` types as `url` whose value is not a URL.
    /// As hadolint, a URL is an RFC 3986 URI with a scheme (`https://…`, `git+ssh://…`,
    /// `urn:…`); `example.com` without a scheme is not one.
    /// Values that come from unknown variables (build-time ARGs) are not judged; empty
    /// ones are DL3051's.
    ///
    /// ## Why is this bad?
    /// Tools that read the label (registries, SBOM and provenance tooling, dashboards) parse
    /// it as a URL; a free-form value breaks them or is silently dropped.
    ///
    /// ## Example
    /// With `[label-schema] "org.opencontainers.image.url" = "url"`:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.url="www.example.com"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.url="https://www.example.com"
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows the right value.
    pub struct LabelNotUrl {
        code: "DL3052",
        name: "label-not-url",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3052")],
    }
}

impl Check for LabelNotUrl {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        check_values(ctx, out, "url", is_url, "a URL");
    }
}
