use crate::declare_rule;
use crate::fix::{Edit, Fix};
use crate::rules::cache::common::{
    append_command, has_cache_mount, package_commands, removes_dir, PackageCommand,
};
use crate::rules::context::RunInfo;
use crate::rules::{Check, Context, Source, Violation};
use crate::shell::{Command, CommandContext};

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
    /// Safe. When no later `RUN` reads the lists, the fix appends `&& rm -rf
    /// /var/lib/apt/lists/*` to the `RUN`, on a new continued line with the `RUN`'s own
    /// indentation.
    ///
    /// A later `RUN` of the stage, or of a stage built `FROM` it, that installs (or otherwise
    /// reads the lists: `upgrade`, `apt-cache`, …) before running its own `apt-get update`
    /// needs them: removing them would make its `apt-get install` fail with "Unable to locate
    /// package". When the flagged `RUN` only runs `apt-get update` and the very next
    /// instruction is a plain `RUN` that starts with the install, the fix moves the update to
    /// the front of that `RUN` (`RUN apt-get update && apt-get install …`), where the next pass
    /// removes the lists. Otherwise the finding is display-only and names the `RUN` that needs
    /// the lists.
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
        let runs: Vec<&RunInfo<'_>> = ctx.runs().collect();
        for (position, run) in runs.iter().copied().enumerate() {
            if !ctx.ships(run.stage) {
                continue;
            }
            let updates = apt_updates(run);
            let Some(update) = updates.first() else {
                continue;
            };
            // `apt-get dist-clean` (apt 2.9+) removes the lists as well as the archives.
            let dist_clean =
                !package_commands(run, &["apt-get", "apt"], &["dist-clean"], &[]).is_empty();
            if dist_clean || removes_dir(run, LISTS) || has_cache_mount(run, &[LISTS]) {
                continue;
            }
            let violation = Violation::new(
                update.command.span.clone(),
                "apt lists are left in the layer: remove /var/lib/apt/lists/* in the same RUN",
            )
            .with_saving(Some(20_000_000));
            let violation = match later_list_reader(ctx, run, &runs[position + 1..]) {
                None => match append_command(run, "rm -rf /var/lib/apt/lists/*") {
                    Some(edit) => violation.with_fix(Fix::safe(
                        "Remove /var/lib/apt/lists/* at the end of the RUN",
                        vec![edit],
                    )),
                    None => violation,
                },
                Some(reader) => match move_update_into(ctx, run, update, &reader) {
                    Some(fix) => violation.with_fix(fix),
                    None => violation.with_fix(Fix::display_only(format!(
                        "Not fixed automatically: the RUN on line {} (`{}`) reads these \
                         lists; run `apt-get update` in that RUN and remove the lists there",
                        reader.run.instruction.start_line,
                        command_text(reader.run, reader.command),
                    ))),
                },
            };
            out.push(violation);
        }
    }
}

/// `apt-get update` / `apt update` commands of a RUN.
fn apt_updates<'a>(run: &'a RunInfo<'a>) -> Vec<PackageCommand<'a>> {
    package_commands(run, APT, &["update"], APT_VALUE_OPTIONS)
}

const APT: &[&str] = &["apt-get", "apt"];
const APT_VALUE_OPTIONS: &[&str] = &["-o", "-c", "-t"];
/// apt subcommands that read the package lists `apt-get update` downloads (every
/// `apt-cache` subcommand does too).
const LIST_READERS: &[&str] = &[
    "install",
    "reinstall",
    "upgrade",
    "dist-upgrade",
    "full-upgrade",
    "build-dep",
    "source",
    "download",
    "satisfy",
    "changelog",
    "show",
    "search",
    "list",
    "policy",
];

/// A later RUN that reads the package lists an earlier RUN left, and its first command
/// that does.
struct ListReader<'r, 'a> {
    run: &'r RunInfo<'a>,
    command: &'r Command,
}

/// What a RUN does with the apt package lists it finds.
enum ListUse<'r> {
    /// Reads them (its first reading command) before refreshing them itself.
    Reads(&'r Command),
    /// Downloads fresh ones (`apt-get update`) or deletes them before reading any: the lists
    /// an earlier RUN left no longer matter after it.
    Replaces,
    Ignores,
}

fn list_use<'r>(run: &'r RunInfo<'_>) -> ListUse<'r> {
    let first_reader = package_commands(run, APT, LIST_READERS, APT_VALUE_OPTIONS)
        .into_iter()
        .map(|p| p.command)
        .chain(run.commands_named(&["apt-cache"]))
        .min_by_key(|c| c.span.start);
    let first_refresh = apt_updates(run)
        .into_iter()
        .map(|p| p.command.span.start)
        .min();
    match (first_reader, first_refresh) {
        (Some(reader), Some(refresh)) if refresh < reader.span.start => ListUse::Replaces,
        (Some(reader), _) => ListUse::Reads(reader),
        (None, Some(_)) => ListUse::Replaces,
        (None, None) if removes_dir(run, LISTS) => ListUse::Replaces,
        (None, None) => ListUse::Ignores,
    }
}

/// The first RUN after `run` that reads the lists `run` downloads: later in its stage, or in
/// a stage built FROM it (directly or through other stages), before anything refreshes them.
/// `later` holds the file's RUNs after `run`, in file order.
fn later_list_reader<'r, 'a>(
    ctx: &'r Context<'a>,
    run: &'r RunInfo<'a>,
    later: &[&'r RunInfo<'a>],
) -> Option<ListReader<'r, 'a>> {
    let scan = |runs: &mut dyn Iterator<Item = &'r RunInfo<'a>>| {
        for later in runs {
            match list_use(later) {
                ListUse::Reads(command) => {
                    return Err(ListReader {
                        run: later,
                        command,
                    })
                }
                ListUse::Replaces => return Ok(true),
                ListUse::Ignores => {}
            }
        }
        Ok(false)
    };
    let same_stage = later.iter().copied().take_while(|r| r.stage == run.stage);
    match scan(&mut same_stage.into_iter()) {
        Err(reader) => return Some(reader),
        Ok(true) => return None,
        Ok(false) => {}
    }
    // Stages built FROM this one, in file order (parents come first); a stage whose nearer
    // parent refreshed the lists is not affected.
    let mut refreshed = Vec::new();
    for stage in run.stage + 1..ctx.model.stages.len() {
        let mut ancestors = ctx.model.inherits(stage);
        let Some(position) = ancestors.position(|s| s == run.stage) else {
            continue;
        };
        let between: Vec<usize> = ctx.model.inherits(stage).take(position).collect();
        if between.iter().any(|s| refreshed.contains(s)) {
            refreshed.push(stage);
            continue;
        }
        match scan(&mut ctx.runs_in(stage)) {
            Err(reader) => return Some(reader),
            Ok(true) => refreshed.push(stage),
            Ok(false) => {}
        }
    }
    None
}

/// The fix for a RUN that only runs `apt-get update` directly followed by a RUN that
/// starts by installing: move the update to the front of that RUN (the next pass of the
/// rule then removes the lists there). `None` in every other case: moving the update past
/// other instructions, into a RUN with other flags, or in front of other commands could
/// change what the build does.
fn move_update_into(
    ctx: &Context<'_>,
    run: &RunInfo<'_>,
    update: &PackageCommand<'_>,
    reader: &ListReader<'_, '_>,
) -> Option<Fix> {
    let lone = run.instruction;
    let target = reader.run.instruction;
    let plain = |r: &RunInfo<'_>| {
        !r.instruction.json
            && r.instruction.heredocs.is_empty()
            && r.instruction.flags.is_empty()
            && r.scripts.iter().all(|s| !s.has_errors)
    };
    if reader.run.index != run.index + 1
        || reader.run.stage != run.stage
        || !plain(run)
        || !plain(reader.run)
        || run.commands().count() != 1
        || update.command.context != CommandContext::default()
        || reader.command.context != CommandContext::default()
    {
        return None;
    }
    // The reading command must be the target RUN's first command, and nothing may run
    // only when it fails (`apt-get install x || true` would hide a failed update).
    let first = reader.run.commands().map(|c| c.span.start).min()?;
    if first != reader.command.span.start || reader.run.commands().any(|c| c.context.after_or) {
        return None;
    }
    let source = ctx.source();
    let update_text = source.get(update.command.span.clone())?;
    if update_text.contains(['\n', '\r']) || target.span.start != lone.span.end {
        return None;
    }
    Some(Fix::safe(
        format!("Run `{update_text}` in the next RUN, which installs from the lists"),
        vec![
            Edit::delete(lone.span.clone()),
            Edit::insert(first, format!("{update_text} && ")),
        ],
    ))
}

/// A command's text as written, on one line, shortened for a message.
fn command_text(run: &RunInfo<'_>, command: &Command) -> String {
    let text = run.source.get(command.span.clone()).unwrap_or_default();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}
