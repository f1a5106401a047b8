use crate::declare_rule;
use crate::fix::Fix;
use crate::rules::cache::common::{has_cache_mount, package_commands};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `apk add` without `--no-cache`.
    ///
    /// ## Why is this bad?
    /// Without `--no-cache`, apk keeps its package index in `/var/cache/apk` in the layer.
    /// `--no-cache` fetches the index on the fly and leaves nothing behind, which also makes
    /// `apk update` and `rm -rf /var/cache/apk/*` unnecessary.
    ///
    /// A cache mount on `/var/cache/apk` (or `/etc/apk/cache`) satisfies the rule, and so does
    /// `apk add --no-network` (`apk add --no-network --virtual .rundeps $deps`), which
    /// fetches no index.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apk add curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apk add --no-cache curl
    /// ```
    ///
    /// ## Differences from hadolint
    /// hadolint flags `apk add --no-network`, which fetches no index and so leaves no cache.
    ///
    /// ## Fix safety
    /// Safe: the same packages are installed; only the index cache is not kept. The fix
    /// inserts `--no-cache` right after `add` and its options.
    pub struct ApkNoCache {
        code: "DL3019",
        name: "apk-no-cache",
        family: Cache,
        severity: Info,
        fix: Always,
        sources: [Source::Hadolint("DL3019")],
    }
}

impl Check for ApkNoCache {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for run in ctx.runs() {
            if has_cache_mount(run, &["/var/cache/apk", "/etc/apk/cache"]) {
                continue;
            }
            for add in package_commands(
                run,
                &["apk"],
                &["add"],
                &["-X", "--repository", "-p", "--root"],
            ) {
                // `--no-network` installs from what is already there: no index is fetched.
                if add.has_option(&["--no-cache", "--no-network"]) {
                    continue;
                }
                out.push(
                    Violation::new(
                        add.command.span.clone(),
                        "`apk add` without `--no-cache` keeps the package index in the layer",
                    )
                    .with_fix(Fix::safe(
                        "Add `--no-cache`",
                        vec![add.insert_option("--no-cache")],
                    ))
                    .with_saving(Some(2_500_000)),
                );
            }
        }
    }
}
