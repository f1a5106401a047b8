use crate::declare_rule;
use crate::rules::cache::common::{report_missing_cleanup, CleanupSpec};
use crate::rules::{Check, Context, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `npm install` with no `npm cache clean --force` in the same `RUN`, in stages that ship
    /// in the final image. hadolint has no such rule (it covers only yarn, DL3060).
    ///
    /// ## Why is this bad?
    /// npm keeps every downloaded package in its cache (`/root/.npm`). Unless the same
    /// `RUN` cleans it, the cache is stored in the layer, often as large as the installed
    /// dependencies. Removing the directory or a cache mount on it also satisfies the rule.
    ///
    /// Off by default: 88 % precision on hand-judged real files, below dlint's 90 %
    /// bar (`docs/precision.md`); enable it with `--select`.
    ///
    /// Quiet when the image is a build environment or a test fixture (`docs/purpose.md`):
    /// nobody ships its layers.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN npm install
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN npm install && npm cache clean --force
    /// ```
    ///
    /// ## Fix safety
    /// Safe: only the package manager's cache is removed. The fix appends `&& npm cache clean --force` to the
    /// end of the `RUN`.
    pub struct NpmCacheClean {
        code: "CCH001",
        name: "npm-cache-clean",
        family: Cache,
        severity: Warning,
        fix: Sometimes,
        default_enabled: false,
    }
}

const SPEC: CleanupSpec = CleanupSpec {
    tools: &["npm"],
    installs: &["install", "i", "ci", "add"],
    cleanup: &[&["cache", "clean"], &["cache", "clear"]],
    cache_dirs: &["/root/.npm"],
    fix_command: "npm cache clean --force",
    message: "`npm install` without `npm cache clean --force` in the same RUN leaves the npm cache (~/.npm) in the layer",
};

impl Check for NpmCacheClean {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let start = out.len();
        report_missing_cleanup(ctx, &SPEC, true, out);
        // Layer size matters for images that are shipped, not for build environments and
        // test fixtures (`docs/purpose.md`). Asked only when needed.
        ctx.keep_only_if(out, start, Context::layer_size_matters);
    }
}
