use crate::declare_rule;
use crate::rules::cache::common::{report_missing_cleanup, CleanupSpec};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `zypper install` with no `zypper clean` in the same `RUN`.
    ///
    /// ## Why is this bad?
    /// zypper keeps downloaded packages and metadata in its cache directory. Unless the same
    /// `RUN` cleans it, the cache is stored in the layer, and a clean-up in a later `RUN`
    /// cannot take the bytes back out of the earlier layer. Removing the cache directory
    /// (`/var/cache/zypp`) or a cache mount on it also satisfies the rule.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN zypper install example-package
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN zypper install example-package && zypper clean
    /// ```
    ///
    /// ## Fix safety
    /// Safe: only the package manager's cache is removed. The fix appends `&& zypper clean` to the
    /// end of the `RUN` (on a new continued line when the `RUN` spans several lines).
    pub struct ZypperClean {
        code: "DL3036",
        name: "zypper-clean",
        family: Cache,
        severity: Warning,
        fix: Sometimes,
        sources: [Source::Hadolint("DL3036")],
    }
}

const SPEC: CleanupSpec = CleanupSpec {
    tools: &["zypper"],
    installs: &["install", "in", "remove", "rm", "source-install", "si", "patch"],
    cleanup: &[&["clean"]],
    cache_dirs: &["/var/cache/zypp"],
    fix_command: "zypper clean",
    message: "`zypper install` without `zypper clean` in the same RUN leaves the zypper cache in the layer",
};

impl Check for ZypperClean {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        report_missing_cleanup(ctx, &SPEC, false, out);
    }
}
