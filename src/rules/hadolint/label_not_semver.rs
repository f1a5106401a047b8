use crate::declare_rule;
use crate::rules::hadolint::labels::{check_values, is_semver};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags a label the `[label-schema]` types as `semver` whose value is not a semantic version.
    /// A semantic version is `MAJOR.MINOR.PATCH` with optional `-pre.release` and
    /// `+build` parts (semver.org 2.0.0): no `v` prefix, no leading zeros.
    /// Values that come from unknown variables (build-time ARGs) are not judged; empty
    /// ones are DL3051's.
    ///
    /// ## Why is this bad?
    /// Tools that read the label (registries, SBOM and provenance tooling, dashboards) parse
    /// it as a semantic version; a free-form value breaks them or is silently dropped.
    ///
    /// ## Example
    /// With `[label-schema] "org.opencontainers.image.version" = "semver"`:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.version="v1.2"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.version="1.2.0"
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows the right value.
    pub struct LabelNotSemver {
        code: "DL3056",
        name: "label-not-semver",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3056")],
    }
}

impl Check for LabelNotSemver {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        check_values(ctx, out, "semver", is_semver, "a semantic version");
    }
}
