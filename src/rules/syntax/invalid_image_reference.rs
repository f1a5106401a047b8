use crate::declare_rule;
use crate::rules::{Check, Context, Violation};
use crate::semantic::ImageRef;

use super::reject::is_literal;

declare_rule! {
    /// ## What it does
    /// Reports a `FROM` image that is not a valid image reference (`FROM REPLACE-ME`,
    /// `FROM my image`, `FROM app:`). BuildKit's message: `failed to parse stage name
    /// "REPLACE-ME": invalid reference format: repository name must be lowercase`.
    ///
    /// Only references with no variable in them are checked: the others depend on the
    /// build arguments (BK017 checks their defaults).
    ///
    /// ## Why is this bad?
    /// BuildKit cannot even look the image up: `docker build` fails before any stage runs.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM Debian:bookworm
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the intended image is for the author to name.
    pub struct InvalidImageReference {
        code: "REJ007",
        name: "invalid-image-reference",
        family: Syntax,
        severity: Error,
        fix: None,
    }
}

impl Check for InvalidImageReference {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for stage in &ctx.model.stages {
            let Some(base) = &stage.base else {
                continue;
            };
            let raw = base.raw.as_str();
            if raw.is_empty() || !is_literal(raw) || raw.eq_ignore_ascii_case("scratch") {
                continue;
            }
            if ImageRef::parse(raw).is_some_and(|r| r.is_valid()) {
                continue;
            }
            let lower_is_valid = ImageRef::parse(&raw.to_lowercase()).is_some_and(|r| r.is_valid());
            let detail = if lower_is_valid {
                "invalid reference format: repository name must be lowercase"
            } else {
                "invalid reference format"
            };
            out.push(Violation::new(
                base.span.clone(),
                format!(
                    "failed to parse stage name {raw:?}: {detail}; an image is \
                     [registry/]name[:tag][@digest] in lower case"
                ),
            ));
        }
    }
}
