use crate::declare_rule;
use crate::rules::cache::common::package_commands;
use crate::rules::hadolint::common::{name_list, option_value, packages, unpinned, value_text};
use crate::rules::hadolint::dl3034::ZYPPER_GLOBAL_VALUE_OPTIONS;
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

impl Check for ZypperUnpinned {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for run in ctx.runs_with_onbuild() {
            for install in package_commands(
                run,
                &["zypper"],
                &["install", "in"],
                ZYPPER_GLOBAL_VALUE_OPTIONS,
            ) {
                let kind = option_value(install.rest(), 't', "--type")
                    .map(|w| value_text(w, 't', "--type"));
                if kind.is_some_and(|k| k != "package") {
                    continue;
                }
                let packages = packages(&install, ZYPPER_INSTALL_VALUE_OPTIONS);
                let loose = unpinned(&packages, |p| {
                    p.contains(['=', '<', '>']) || p.ends_with(".rpm")
                });
                if loose.is_empty() {
                    continue;
                }
                out.push(Violation::new(
                    install.command.span.clone(),
                    format!(
                        "Pin versions in `zypper install`: {} (use `{}=<version>`)",
                        name_list(loose.iter().copied()),
                        loose[0].text()
                    ),
                ));
            }
        }
    }
}
