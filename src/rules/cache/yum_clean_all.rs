use crate::declare_rule;
use crate::rules::cache::common::{report_missing_cleanup, CleanupSpec};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `yum install` with no `yum clean all` in the same `RUN`.
    ///
    /// ## Why is this bad?
    /// yum keeps downloaded packages and metadata in its cache directory. Unless the same
    /// `RUN` cleans it, the cache is stored in the layer, and a clean-up in a later `RUN`
    /// cannot take the bytes back out of the earlier layer. Removing the cache directory
    /// (`/var/cache/yum`) or a cache mount on it also satisfies the rule.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN yum install example-package
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN yum install example-package && yum clean all
    /// ```
    ///
    /// ## Fix safety
    /// Safe: only the package manager's cache is removed. The fix appends `&& yum clean all` to the
    /// end of the `RUN` (on a new continued line when the `RUN` spans several lines).
    pub struct YumCleanAll {
        code: "DL3032",
        name: "yum-clean-all",
        family: Cache,
        severity: Warning,
        fix: Sometimes,
        sources: [Source::Hadolint("DL3032")],
    }
}

const SPEC: CleanupSpec = CleanupSpec {
    tools: &["yum"],
    installs: &["install", "groupinstall", "localinstall", "reinstall"],
    cleanup: &[&["clean", "all"]],
    cache_dirs: &["/var/cache/yum"],
    fix_command: "yum clean all",
    message:
        "`yum install` without `yum clean all` in the same RUN leaves the yum cache in the layer",
};

impl Check for YumCleanAll {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        report_missing_cleanup(ctx, &SPEC, false, out);
    }
}
