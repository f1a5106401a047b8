use crate::declare_rule;
use crate::fix::Fix;
use crate::rules::image::common::{all_bases, swap_image};
use crate::rules::{Check, Context, Violation};

declare_rule! {
    /// ## What it does
    /// Flags a deprecated or removed base image in any stage: `openjdk` (deprecated in favour
    /// of `eclipse-temurin` and others), `centos` (end of life), distroless `*-debian11`, and
    /// the distroless node/java/python `*-debian12` images removed in 2026.
    ///
    /// ## Why is this bad?
    /// A removed image makes the build fail; a deprecated one gets no security updates. The
    /// knowledge base (`rules/images.toml`) records when and where each image was retired.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM openjdk:17
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM eclipse-temurin:17
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the replacement is a different build of the same runtime. When the only
    /// replacement changes the runtime version (distroless python3-debian12 shipped Python 3.11,
    /// -debian13 ships 3.13), the replacement is shown but never applied.
    pub struct DeprecatedImage {
        code: "IMG004",
        name: "deprecated-image",
        family: Image,
        severity: Warning,
        fix: Sometimes,
    }
}

impl Check for DeprecatedImage {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for base in all_bases(ctx) {
            let Some(deprecation) = &base.info.deprecated else {
                continue;
            };
            let since = deprecation
                .since
                .as_deref()
                .map(|s| format!(" since {s}"))
                .unwrap_or_default();
            let mut violation = Violation::new(
                base.base.span.clone(),
                format!(
                    "`{}` is {}{since}: {}",
                    base.base.raw,
                    deprecation.status.as_str(),
                    deprecation.note
                ),
            );
            for replacement in &deprecation.replacements {
                let edit = if replacement.changes_version {
                    Err(String::new())
                } else {
                    swap_image(&base, replacement)
                };
                match (edit, violation.fix.is_none()) {
                    (Ok(edit), true) => {
                        violation = violation.with_fix(Fix::unsafe_edit(
                            format!("Use `{}`", replacement.reference()),
                            vec![edit],
                        ));
                    }
                    (edit, _) => {
                        let mut note = format!("Replace with `{}`", replacement.reference());
                        if replacement.changes_version {
                            note.push_str(" (a different runtime version: check your application)");
                        } else if let Err(reason) = &edit {
                            note.push_str(&format!(" (not rewritten: {reason})"));
                        }
                        violation = violation.with_suggestion(Fix::display_only(note));
                    }
                }
            }
            out.push(violation);
        }
    }
}
