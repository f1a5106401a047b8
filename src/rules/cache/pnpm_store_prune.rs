use crate::declare_rule;
use crate::rules::cache::common::{report_missing_cleanup, CleanupSpec};
use crate::rules::{Check, Context, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `pnpm install` with no `pnpm store prune` in the same `RUN`, in stages that ship
    /// in the final image. hadolint has no such rule (it covers only yarn, DL3060).
    ///
    /// ## Why is this bad?
    /// pnpm keeps every downloaded package in its cache (`/root/.local/share/pnpm/store`). Unless the same
    /// `RUN` cleans it, the cache is stored in the layer, often as large as the installed
    /// dependencies. Removing the directory or a cache mount on it also satisfies the rule.
    ///
    /// Quiet when the image is a build environment or a test fixture (`docs/purpose.md`):
    /// nobody ships its layers.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN pnpm install
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN pnpm install && pnpm store prune
    /// ```
    ///
    /// ## Fix safety
    /// Safe: only the package manager's cache is removed. The fix appends `&& pnpm store prune` to the
    /// end of the `RUN`.
    pub struct PnpmStorePrune {
        code: "CCH002",
        name: "pnpm-store-prune",
        family: Cache,
        severity: Warning,
        fix: Sometimes,
    }
}

const SPEC: CleanupSpec = CleanupSpec {
    tools: &["pnpm"],
    installs: &["install", "i", "add"],
    cleanup: &[&["store", "prune"]],
    cache_dirs: &["/root/.local/share/pnpm/store", "/root/.cache/pnpm", "/pnpm/store"],
    fix_command: "pnpm store prune",
    message: "`pnpm install` without `pnpm store prune` in the same RUN leaves the pnpm store in the layer",
};

impl Check for PnpmStorePrune {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let start = out.len();
        report_missing_cleanup(ctx, &SPEC, true, out);
        // Layer size matters for images that are shipped, not for build environments and
        // test fixtures (`docs/purpose.md`). Asked only when needed.
        ctx.keep_only_if(out, start, Context::layer_size_matters);
    }
}
