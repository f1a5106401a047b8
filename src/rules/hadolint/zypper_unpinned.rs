use crate::declare_rule;
use crate::rules::hadolint::common::{option_value, report_unpinned, value_text, PinningRule};
use crate::rules::hadolint::zypper_interactive::ZYPPER_GLOBAL_VALUE_OPTIONS;
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `zypper install` (`in`) of a package without a version (`httpd` instead of
    /// `httpd=2.4.58`).
    ///
    /// ## Why is this bad?
    /// Without a version, each build installs whatever the repositories hold that day:
    /// builds are not reproducible, and an upgrade can break the image with no change to the
    /// Dockerfile.
    ///
    /// A package is pinned by a version constraint (`=`, `<`, `>`, `<=`, `>=`) or as an
    /// `.rpm` file. Patterns, patches and products (`-t pattern`) have no versions to pin
    /// and are not reported.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN zypper --non-interactive install httpd
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN zypper --non-interactive install httpd=2.4.58
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows which version the image was tested with.
    pub struct ZypperUnpinned {
        code: "DL3037",
        name: "zypper-unpinned",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3037")],
    }
}

/// `zypper install` options that take a value.
const ZYPPER_INSTALL_VALUE_OPTIONS: &[&str] =
    &["-t", "--type", "-r", "--repo", "--from", "--download"];

const ZYPPER_INSTALL: PinningRule = PinningRule {
    tools: &["zypper"],
    installs: &["install", "in"],
    global_options: ZYPPER_GLOBAL_VALUE_OPTIONS,
    install_options: ZYPPER_INSTALL_VALUE_OPTIONS,
    pinned: |p| p.contains(['=', '<', '>']) || p.ends_with(".rpm"),
    command: "zypper install",
    example: |name| format!("{name}=<version>"),
    // `-t pattern`, `-t patch` …: not packages.
    skip: |install| {
        option_value(install.rest(), 't', "--type")
            .is_some_and(|w| value_text(w, 't', "--type") != "package")
    },
};

impl Check for ZypperUnpinned {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        report_unpinned(ctx, &ZYPPER_INSTALL, out);
    }
}
