use crate::declare_rule;
use crate::rules::cache::common::package_commands;
use crate::rules::hadolint::zypper_interactive::ZYPPER_GLOBAL_VALUE_OPTIONS;
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `zypper dist-upgrade` (`dup`).
    ///
    /// ## Why is this bad?
    /// A distribution upgrade inside an image build moves the image to whatever the
    /// repositories offer that day, possibly a new release of the distribution: builds are
    /// not reproducible and the result no longer matches the base image's tag. Use a newer
    /// base image instead, or `zypper patch` for security fixes.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN zypper --non-interactive dup
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the right base image is for the author to choose.
    pub struct ZypperDistUpgrade {
        code: "DL3035",
        name: "zypper-dist-upgrade",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3035")],
    }
}

impl Check for ZypperDistUpgrade {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for run in ctx.runs_with_onbuild() {
            for command in package_commands(
                run,
                &["zypper"],
                &["dist-upgrade", "dup"],
                ZYPPER_GLOBAL_VALUE_OPTIONS,
            ) {
                out.push(Violation::new(
                    command.command.span.clone(),
                    "Do not use `zypper dist-upgrade`: use a newer base image",
                ));
            }
        }
    }
}
