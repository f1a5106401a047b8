use crate::declare_rule;
use crate::rules::cache::common::{report_missing_cleanup, CleanupSpec};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `dnf install` with no `dnf clean all` in the same `RUN`.
    ///
    /// ## Why is this bad?
    /// dnf keeps downloaded packages and metadata in its cache directory. Unless the same
    /// `RUN` cleans it, the cache is stored in the layer, and a clean-up in a later `RUN`
    /// cannot take the bytes back out of the earlier layer. Removing the cache directory
    /// (`/var/cache/dnf`) or a cache mount on it also satisfies the rule.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN dnf install example-package
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN dnf install example-package && dnf clean all
    /// ```
    ///
    /// ## Fix safety
    /// Safe: only the package manager's cache is removed. The fix appends `&& dnf clean all` to the
    /// end of the `RUN` (on a new continued line when the `RUN` spans several lines).
    pub struct DnfCleanAll {
        code: "DL3040",
        name: "dnf-clean-all",
        family: Cache,
        severity: Warning,
        fix: Sometimes,
        sources: [Source::Hadolint("DL3040")],
    }
}

const SPEC: CleanupSpec = CleanupSpec {
    tools: &["dnf", "microdnf"],
    installs: &["install", "groupinstall", "localinstall", "reinstall"],
    cleanup: &[&["clean", "all"]],
    cache_dirs: &["/var/cache/dnf", "/var/cache/yum"],
    fix_command: "dnf clean all",
    message:
        "`dnf install` without `dnf clean all` in the same RUN leaves the dnf cache in the layer",
};

impl Check for DnfCleanAll {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        report_missing_cleanup(ctx, &SPEC, false, out);
    }
}
