use crate::declare_rule;
use crate::rules::cache::common::{report_missing_cleanup, CleanupSpec};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `yarn install` with no `yarn cache clean` in the same `RUN` (in stages that ship in
    /// the final image).
    ///
    /// ## Why is this bad?
    /// yarn keeps downloaded packages and metadata in its cache directory. Unless the same
    /// `RUN` cleans it, the cache is stored in the layer, and a clean-up in a later `RUN`
    /// cannot take the bytes back out of the earlier layer. Removing the cache directory
    /// (`/usr/local/share/.cache/yarn`) or a cache mount on it also satisfies the rule.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN yarn install example-package
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN yarn install example-package && yarn cache clean
    /// ```
    ///
    /// ## Fix safety
    /// Safe: only the package manager's cache is removed. The fix appends `&& yarn cache clean` to the
    /// end of the `RUN` (on a new continued line when the `RUN` spans several lines).
    pub struct YarnCacheClean {
        code: "DL3060",
        name: "yarn-cache-clean",
        family: Cache,
        severity: Info,
        fix: Sometimes,
        sources: [Source::Hadolint("DL3060")],
    }
}

const SPEC: CleanupSpec = CleanupSpec {
    tools: &["yarn"],
    installs: &["install", "add"],
    cleanup: &[&["cache", "clean"]],
    cache_dirs: &["/usr/local/share/.cache/yarn"],
    fix_command: "yarn cache clean",
    message: "`yarn install` without `yarn cache clean` in the same RUN leaves the yarn cache in the layer",
};

impl Check for YarnCacheClean {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        report_missing_cleanup(ctx, &SPEC, true, out);
    }
}
