use crate::declare_rule;
use crate::rules::hadolint::labels::{check_values, is_git_hash};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags a label the `[label-schema]` types as `hash` whose value is not a git hash.
    /// As hadolint, a git hash is 7 (short) or 40 (full) lower-case hexadecimal digits.
    /// Values that come from unknown variables (build-time ARGs) are not judged; empty
    /// ones are DL3051's.
    ///
    /// ## Why is this bad?
    /// Tools that read the label (registries, SBOM and provenance tooling, dashboards) parse
    /// it as a git hash; a free-form value breaks them or is silently dropped.
    ///
    /// ## Example
    /// With `[label-schema] "org.opencontainers.image.revision" = "hash"`:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.revision="main"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.revision="3f4e2d1"
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows the right value.
    pub struct LabelNotGitHash {
        code: "DL3055",
        name: "label-not-git-hash",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3055")],
    }
}

impl Check for LabelNotGitHash {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        check_values(ctx, out, "hash", is_git_hash, "a git hash");
    }
}
