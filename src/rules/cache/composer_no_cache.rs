use crate::declare_rule;
use crate::fix::Fix;
use crate::rules::cache::common::{has_cache_mount, package_commands, removes_dir};
use crate::rules::{Check, Context, Violation};

const CACHE_DIRS: &[&str] = &[
    "/root/.composer/cache",
    "/root/.cache/composer",
    "/tmp/cache",
];

declare_rule! {
    /// ## What it does
    /// Flags `composer install` / `composer require` / `composer update` without `--no-cache`
    /// in stages that ship in the final image.
    ///
    /// ## Why is this bad?
    /// Composer keeps every downloaded package archive in its cache directory
    /// (`$COMPOSER_HOME/cache`), which stays in the layer. `COMPOSER_CACHE_DIR=/dev/null`,
    /// removing the cache directory, or a cache mount on it also satisfy the rule.
    ///
    /// Quiet when the image is a build environment or a test fixture (`docs/purpose.md`):
    /// nobody ships its layers.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN composer install --no-dev
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN composer install --no-cache --no-dev
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the same packages are installed; nothing is cached. `--no-cache` needs Composer 2.
    pub struct ComposerNoCache {
        code: "CCH004",
        name: "composer-no-cache",
        family: Cache,
        severity: Info,
        fix: Always,
    }
}

impl Check for ComposerNoCache {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let start = out.len();
        for run in ctx.runs() {
            if !ctx.ships(run.stage)
                || has_cache_mount(run, CACHE_DIRS)
                || CACHE_DIRS.iter().any(|d| removes_dir(run, d))
                || run.env_is_set("COMPOSER_CACHE_DIR")
            {
                continue;
            }
            for install in
                package_commands(run, &["composer"], &["install", "require", "update"], &[])
            {
                if install.has_option(&["--no-cache"]) {
                    continue;
                }
                out.push(
                    Violation::new(
                        install.command.span.clone(),
                        "`composer` without `--no-cache` keeps downloaded packages in the layer",
                    )
                    .with_fix(Fix::safe(
                        "Add `--no-cache`",
                        vec![install.insert_option("--no-cache")],
                    )),
                );
            }
        }
        // Layer size matters for images that are shipped, not for build environments and
        // test fixtures (`docs/purpose.md`). Asked only when needed.
        ctx.keep_only_if(out, start, Context::layer_size_matters);
    }
}
