use crate::declare_rule;
use crate::fix::Fix;
use crate::rules::cache::common::package_commands;
use crate::rules::hadolint::common::{has_flag, RPM_VALUE_OPTIONS};
use crate::rules::{Check, Context, Source, Violation};
use crate::shell::Word;

declare_rule! {
    /// ## What it does
    /// Flags `yum install` (`groupinstall`, `localinstall`) without `-y` (`--assumeyes`).
    ///
    /// ## Why is this bad?
    /// A build has no terminal to answer yum's "Is this ok [y/N]": yum reads end-of-file,
    /// takes it as no, and the build fails. `--setopt=assumeyes=1` is accepted too.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN yum install httpd-2.4.57 && yum clean all
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN yum install -y httpd-2.4.57 && yum clean all
    /// ```
    ///
    /// ## Fix safety
    /// Safe: `-y` only answers the question a build cannot answer. The fix inserts `-y`
    /// right after the subcommand.
    pub struct YumWithoutYes {
        code: "DL3030",
        name: "yum-without-yes",
        family: Hadolint,
        severity: Warning,
        fix: Always,
        sources: [Source::Hadolint("DL3030")],
    }
}

/// `-y`, `--assumeyes`, `--setopt=assumeyes=1`.
pub(crate) fn assumes_yes(args: &[Word]) -> bool {
    has_flag(args, &['y'], &["--assumeyes"])
        || args.iter().any(|w| {
            let t = w.text().to_ascii_lowercase().replace(' ', "");
            t.contains("assumeyes=1") || t.contains("assumeyes=true")
        })
}

impl Check for YumWithoutYes {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for run in ctx.runs_with_onbuild() {
            for install in package_commands(
                run,
                &["yum"],
                &["install", "groupinstall", "localinstall"],
                RPM_VALUE_OPTIONS,
            ) {
                if assumes_yes(install.view.args()) {
                    continue;
                }
                out.push(
                    Violation::new(
                        install.command.span.clone(),
                        "`yum install` without `-y` fails when yum asks for confirmation",
                    )
                    .with_fix(Fix::safe("Add `-y`", vec![install.insert_option("-y")])),
                );
            }
        }
    }
}
