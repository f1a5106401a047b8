use crate::declare_rule;
use crate::rules::hadolint::common::{name_list, rpm_hint, rpm_unpinned};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `dnf install` (also `microdnf`) of a package without a version (`httpd`
    /// instead of `httpd-2.4.57`), and `dnf module install` of a module without a stream
    /// (`nodejs` instead of `nodejs:18`).
    ///
    /// ## Why is this bad?
    /// Without a version, each build installs whatever the repositories hold that day:
    /// builds are not reproducible, and an upgrade can break the image with no change to the
    /// Dockerfile.
    ///
    /// A package is pinned when the part after its name looks like a version
    /// (`python3-pip-21.3.1-1.el9`: `python3-pip` alone is not), or is an `.rpm` file.
    /// Groups (`@core`), globs, paths and capabilities cannot be pinned this way and are not
    /// reported.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN dnf install -y httpd && dnf clean all
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN dnf install -y httpd-2.4.57 && dnf clean all
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows which version the image was tested with.
    pub struct DnfUnpinned {
        code: "DL3041",
        name: "dnf-unpinned",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3041")],
    }
}

impl Check for DnfUnpinned {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for run in ctx.runs_with_onbuild() {
            for (install, loose) in rpm_unpinned(run, &["dnf", "dnf5", "dnf-3", "microdnf"]) {
                out.push(Violation::new(
                    install.command.span.clone(),
                    format!(
                        "Pin versions in `{} install`: {} (use `{}`)",
                        install.view.name().unwrap_or("dnf"),
                        name_list(loose.iter().copied()),
                        rpm_hint(&install, loose[0])
                    ),
                ));
            }
        }
    }
}
