use std::collections::HashMap;

use crate::declare_rule;
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags a `RUN` that directly follows another `RUN` with the same flags, when both run
    /// a single command.
    ///
    /// ## Why is this bad?
    /// Each `RUN` makes a layer. Short consecutive `RUN`s (`RUN apt-get update`, then
    /// `RUN apt-get install …`) are usually one step split in two: merged with `&&` they make
    /// one layer, build faster and cannot go stale separately (an `apt-get update` cached in
    /// its own layer is the classic case).
    ///
    /// Like hadolint, `RUN`s that chain several commands (`a && b`, `a | b`) are taken as
    /// deliberately separate steps (bare assignments and `[ … ]` tests do not count), `RUN`s with different flags (`--mount`, `--network`) cannot be merged, and
    /// comments between the two do not break the sequence; any other instruction does.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update
    /// RUN apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// ## Differences from hadolint
    /// A `RUN` in a PowerShell or cmd stage (`SHELL ["powershell", …]`, or a Windows base image
    /// such as `mcr.microsoft.com/windows/servercore`, whose default shell is cmd) is never
    /// flagged: hadolint reads such bodies as POSIX shell and counts their commands wrongly.
    ///
    /// ## Fix safety
    /// No fix: merging changes the layer structure and the build cache, and is best done by
    /// hand.
    pub struct ConsecutiveRuns {
        code: "DL3059",
        name: "consecutive-runs",
        family: Hadolint,
        severity: Info,
        fix: None,
        sources: [Source::Hadolint("DL3059")],
    }
}

impl Check for ConsecutiveRuns {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let counts: HashMap<usize, usize> = ctx
            .runs()
            .map(|run| {
                // As hadolint counts: bare assignments and `[ … ]` tests are not commands, and
                // `sh -c '…'` is one command (hadolint does not read the nested script). An
                // exec-form RUN with no shell runs one command.
                let commands = run
                    .commands()
                    .filter(|c| c.context.nested_in.is_none())
                    .filter(|c| !c.words.is_empty() && !matches!(c.name(), Some("[" | "[[")))
                    .count();
                (run.index, commands.max(1))
            })
            .collect();
        // (flags, command count) of the previous instruction when it was a RUN. hadolint 2.15
        // leaves a RUN of two or more commands alone (its threshold reads `> 2`, but it counts
        // one more than the commands).
        let mut previous: Option<(Vec<&str>, usize)> = None;
        for (index, instruction) in ctx.instructions().iter().enumerate() {
            if instruction.keyword != Keyword::Run {
                previous = None;
                continue;
            }
            let flags: Vec<&str> = instruction
                .flags
                .iter()
                .map(|f| f.buildkit.as_str())
                .collect();
            // A RUN the shell layer does not read (PowerShell): never merged.
            let count = counts.get(&index).copied().unwrap_or(usize::MAX);
            if let Some((previous_flags, previous_count)) = &previous {
                if *previous_flags == flags && *previous_count <= 1 && count <= 1 {
                    out.push(Violation::new(
                        instruction.keyword_span.clone(),
                        "Multiple consecutive `RUN` instructions: consider merging them with `&&`",
                    ));
                }
            }
            previous = Some((flags, count));
        }
    }
}
