use crate::declare_rule;
use crate::rules::hadolint::labels::{check_values, is_spdx_expression};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags a label the `[label-schema]` types as `spdx` whose value is not an SPDX licence expression.
    /// Identifiers come from the SPDX licence list embedded in `rules/spdx.toml` (with its
    /// source and date) and match case-insensitively. hadolint accepts a single identifier;
    /// dlint also accepts what SPDX allows in expressions: `MIT OR Apache-2.0`, parentheses,
    /// `AND`, `GPL-2.0-or-later WITH Classpath-exception-2.0`, `+` and `LicenseRef-…`.
    /// Values that come from unknown variables (build-time ARGs) are not judged; empty
    /// ones are DL3051's.
    ///
    /// ## Why is this bad?
    /// Tools that read the label (registries, SBOM and provenance tooling, dashboards) parse
    /// it as an SPDX licence expression; a free-form value breaks them or is silently dropped.
    ///
    /// ## Example
    /// With `[label-schema] "org.opencontainers.image.licenses" = "spdx"`:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.licenses="Apache 2.0"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.licenses="Apache-2.0"
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows the right value.
    pub struct LabelNotSpdx {
        code: "DL3054",
        name: "label-not-spdx",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3054")],
    }
}

impl Check for LabelNotSpdx {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        check_values(
            ctx,
            out,
            "spdx",
            is_spdx_expression,
            "an SPDX licence expression",
        );
    }
}
