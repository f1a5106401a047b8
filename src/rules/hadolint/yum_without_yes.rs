use crate::declare_rule;
use crate::rules::hadolint::common::{has_flag, report_missing_yes, AssumeYesRule};
use crate::rules::options::RPM_VALUE_OPTIONS;
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

const YUM: AssumeYesRule = AssumeYesRule {
    tools: &["yum"],
    installs: &["install", "groupinstall", "localinstall"],
    value_options: RPM_VALUE_OPTIONS,
    answered: assumes_yes,
    message: "`yum install` without `-y` fails when yum asks for confirmation",
};

impl Check for YumWithoutYes {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        report_missing_yes(ctx, &YUM, out);
    }
}
