use crate::declare_rule;
use crate::fix::Fix;
use crate::rules::cache::common::{has_cache_mount, package_commands, removes_dir};
use crate::rules::context::RunInfo;
use crate::rules::{Check, Context, Violation};

/// A cache, the commands that fill it, and the directory that holds it.
struct Cache {
    dir: &'static str,
    /// How the message names the removed files (sentence-initial).
    what: &'static str,
    fills: fn(&RunInfo<'_>) -> bool,
}

const CACHES: &[Cache] = &[
    Cache {
        dir: "/var/lib/apt/lists",
        what: "Apt lists",
        fills: |run| !package_commands(run, &["apt-get", "apt"], &["update"], &["-o"]).is_empty(),
    },
    Cache {
        dir: "/var/cache/apk",
        what: "Apk cache files",
        fills: |run| {
            package_commands(run, &["apk"], &["add", "update"], &[])
                .iter()
                .any(|c| !c.has_option(&["--no-cache"]))
        },
    },
    Cache {
        dir: "/root/.cache/pip",
        what: "Pip cache files",
        fills: |run| {
            crate::rules::cache::pip_no_cache_dir::pip_installs(run)
                .iter()
                .any(|c| !c.has_option(&["--no-cache-dir"]))
        },
    },
    Cache {
        dir: "/root/.npm",
        what: "Npm cache files",
        fills: |run| !package_commands(run, &["npm"], &["install", "i", "ci"], &[]).is_empty(),
    },
];

declare_rule! {
    /// ## What it does
    /// Flags a `RUN` that removes a package cache (apt lists, the apk, pip or npm cache) which an
    /// *earlier* `RUN` of the same stage filled.
    ///
    /// ## Why is this bad?
    /// Each `RUN` is a layer. Deleting files in a later layer hides them but does not take their
    /// bytes out of the image: the earlier layer still holds them. The clean-up only saves space
    /// in the `RUN` that filled the cache. hadolint does not detect this.
    ///
    /// Quiet when the image is a build environment or a test fixture (`docs/purpose.md`):
    /// nobody ships its layers.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// RUN rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl \
    ///     && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Fix safety
    /// Display-only: it names the `RUN` the clean-up belongs in.
    pub struct CacheRemovedInLaterLayer {
        code: "CCH006",
        name: "cache-removed-in-later-layer",
        family: Cache,
        severity: Warning,
        fix: None,
    }
}

impl Check for CacheRemovedInLaterLayer {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let start = out.len();
        let runs: Vec<&RunInfo<'_>> = ctx.runs().collect();
        for (later_at, later) in runs.iter().enumerate() {
            for cache in CACHES {
                if !removes_dir(later, cache.dir) || (cache.fills)(later) {
                    continue;
                }
                let earlier = runs[..later_at].iter().rev().find(|r| {
                    r.stage == later.stage
                        && (cache.fills)(r)
                        && !removes_dir(r, cache.dir)
                        && !has_cache_mount(r, &[cache.dir])
                });
                if let Some(earlier) = earlier {
                    out.push(
                        Violation::new(
                            later.instruction.keyword_span.start..later.instruction.rest_span().end,
                            format!(
                                "{} removed here, but the RUN on line {} stored them, and its layer still holds them",
                                cache.what, earlier.instruction.start_line
                            ),
                        )
                        .with_suggestion(Fix::display_only(format!(
                            "Remove {} in the RUN on line {} instead",
                            cache.dir, earlier.instruction.start_line
                        ))),
                    );
                }
            }
        }
        // Layer size matters for images that are shipped, not for build environments and
        // test fixtures (`docs/purpose.md`). Asked only when needed.
        ctx.keep_only_if(out, start, Context::layer_size_matters);
    }
}
