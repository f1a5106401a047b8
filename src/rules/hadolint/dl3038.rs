use crate::declare_rule;
use crate::fix::Fix;
use crate::rules::cache::common::package_commands;
use crate::rules::hadolint::common::RPM_VALUE_OPTIONS;
use crate::rules::hadolint::dl3030::assumes_yes;
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `dnf install` (`groupinstall`, `localinstall`) without `-y` (`--assumeyes`).
    ///
    /// ## Why is this bad?
    /// A build has no terminal to answer dnf's "Is this ok [y/N]": dnf reads end-of-file,
    /// takes it as no, and the build fails. `--setopt=assumeyes=1` is accepted too.
    ///
    /// Unlike hadolint, `microdnf` is not flagged: it never asks (its `-y` is documented as
    /// doing nothing).
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN dnf install httpd-2.4.57 && dnf clean all
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN dnf install -y httpd-2.4.57 && dnf clean all
    /// ```
    ///
    /// ## Fix safety
    /// Safe: `-y` only answers the question a build cannot answer. The fix inserts `-y`
    /// right after the subcommand.
    pub struct DnfWithoutYes {
        code: "DL3038",
        name: "dnf-without-yes",
        family: Hadolint,
        severity: Warning,
        fix: Always,
        sources: [Source::Hadolint("DL3038")],
    }
}

impl Check for DnfWithoutYes {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for run in ctx.runs_with_onbuild() {
            for install in package_commands(
                run,
                &["dnf", "dnf5", "dnf-3"],
                &["install", "groupinstall", "localinstall"],
                RPM_VALUE_OPTIONS,
            ) {
                if assumes_yes(install.view.args()) {
                    continue;
                }
                out.push(
                    Violation::new(
                        install.command.span.clone(),
                        "`dnf install` without `-y` fails when dnf asks for confirmation",
                    )
                    .with_fix(Fix::safe("Add `-y`", vec![install.insert_option("-y")])),
                );
            }
        }
    }
}
