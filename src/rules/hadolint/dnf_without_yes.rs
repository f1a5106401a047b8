use crate::declare_rule;
use crate::rules::hadolint::common::{report_missing_yes, AssumeYesRule};
use crate::rules::hadolint::yum_without_yes::assumes_yes;
use crate::rules::options::RPM_VALUE_OPTIONS;
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

const DNF: AssumeYesRule = AssumeYesRule {
    tools: &["dnf", "dnf5", "dnf-3"],
    installs: &["install", "groupinstall", "localinstall"],
    value_options: RPM_VALUE_OPTIONS,
    answered: assumes_yes,
    message: "`dnf install` without `-y` fails when dnf asks for confirmation",
};

impl Check for DnfWithoutYes {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        report_missing_yes(ctx, &DNF, out);
    }
}
