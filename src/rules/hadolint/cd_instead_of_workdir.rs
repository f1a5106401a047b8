use crate::declare_rule;
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `cd` in a `RUN`.
    ///
    /// ## Why is this bad?
    /// A `cd` lasts until the end of its `RUN`: the next `RUN`, `COPY` and `CMD` start again
    /// from the `WORKDIR`. Long `cd a && … && cd ../b && …` chains are hard to follow, and it
    /// is easy to forget that the directory does not carry over. `WORKDIR` states where the
    /// following instructions run, for all of them.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN cd /usr/src/app && make
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// WORKDIR /usr/src/app
    /// RUN make
    /// ```
    ///
    /// ## Differences from hadolint
    /// A `cd` inside a subshell (`(cd src && make)`) or a command substitution
    /// (`$(cd "$dir" && pwd)`) is not flagged: it is scoped on purpose, which is what the rule
    /// asks for. hadolint flags every `cd`. Neither flags a `cd` in the script of
    /// `su user -c "…"`: another user's shell, which WORKDIR does not replace. dlint flags a
    /// `cd` in `sh -c '…'`, which hadolint does not read.
    ///
    /// ## Fix safety
    /// No fix: splitting a `RUN` around a `WORKDIR` moves files between layers and changes
    /// the directory of every later instruction.
    pub struct CdInsteadOfWorkdir {
        code: "DL3003",
        name: "cd-instead-of-workdir",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3003")],
    }
}

impl Check for CdInsteadOfWorkdir {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for run in ctx.runs_with_onbuild() {
            for command in run.commands_named(&["cd"]) {
                let scoped = command.context.in_subshell || command.context.in_substitution;
                // `su user -c "cd …"` runs in another user's shell, which `su -`/`-l` starts
                // in that user's home: WORKDIR cannot stand in for it (hadolint agrees).
                let other_user = command
                    .context
                    .nested_in
                    .as_deref()
                    .is_some_and(|n| n.starts_with("su") || n.starts_with("runuser"));
                if scoped || other_user {
                    continue;
                }
                out.push(Violation::new(
                    command.span.clone(),
                    "Use WORKDIR to switch to a directory: `cd` only lasts until the end of the RUN",
                ));
            }
        }
    }
}
