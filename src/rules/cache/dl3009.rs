use crate::declare_rule;
use crate::fix::Fix;
use crate::rules::cache::common::{append_command, has_cache_mount, package_commands, removes_dir};
use crate::rules::{Check, Context, Source, Violation};

const LISTS: &str = "/var/lib/apt/lists";

declare_rule! {
    /// ## What it does
    /// Flags a `RUN` that runs `apt-get update` (or `apt update`) in a stage that ships in the
    /// final image without removing `/var/lib/apt/lists` in the same `RUN`.
    ///
    /// ## Why is this bad?
    /// The package lists downloaded by `apt-get update` (tens of megabytes) stay in the layer
    /// the `RUN` creates. Removing them in a later `RUN` does not help: the earlier layer keeps
    /// the bytes.
    ///
    /// Only stages whose filesystem reaches the final image count (the runtime stage and the
    /// stages it is built `FROM`); a builder stage may keep its lists.
    ///
    /// Removing `/var/lib/apt/lists`, `apt-get dist-clean` (apt 2.9+) and a cache mount
    /// (`--mount=type=cache,target=/var/lib/apt/lists`) satisfy the rule.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl \
    ///     && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Differences from hadolint
    /// - hadolint accepts any `rm -rf` in the `RUN` (`rm -rf /tmp/foo` silences it); dlint
    ///   requires removing `/var/lib/apt/lists`.
    /// - hadolint 2.15 does not know `apt-get dist-clean`, which removes the lists (the
    ///   Debian trixie images use it): it flags such a `RUN`; dlint does not.
    ///
    /// ## Fix safety
    /// Safe: the lists are only used by later `apt-get install` calls in the same `RUN`. The
    /// fix appends `&& rm -rf /var/lib/apt/lists/*` to the `RUN`, on a new continued line
    /// with the `RUN`'s own indentation.
    pub struct AptListsNotDeleted {
        code: "DL3009",
        name: "apt-lists-not-deleted",
        family: Cache,
        severity: Info,
        fix: Sometimes,
        sources: [Source::Hadolint("DL3009")],
    }
}

impl Check for AptListsNotDeleted {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for run in ctx.runs() {
            if !ctx.ships(run.stage) {
                continue;
            }
            let updates = package_commands(run, &["apt-get", "apt"], &["update"], &["-o", "-c"]);
            let Some(update) = updates.first() else {
                continue;
            };
            // `apt-get dist-clean` (apt 2.9+) removes the lists as well as the archives.
            let dist_clean =
                !package_commands(run, &["apt-get", "apt"], &["dist-clean"], &[]).is_empty();
            if dist_clean || removes_dir(run, LISTS) || has_cache_mount(run, &[LISTS]) {
                continue;
            }
            let mut violation = Violation::new(
                update.command.span.clone(),
                "apt lists are left in the layer: remove /var/lib/apt/lists/* in the same RUN",
            )
            .with_saving(Some(20_000_000));
            if let Some(edit) = append_command(run, "rm -rf /var/lib/apt/lists/*") {
                violation = violation.with_fix(Fix::safe(
                    "Remove /var/lib/apt/lists/* at the end of the RUN",
                    vec![edit],
                ));
            }
            out.push(violation);
        }
    }
}
