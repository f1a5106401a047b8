use crate::declare_rule;
use crate::rules::{Check, Context, Source, Violation};
use crate::shell::basename;

declare_rule! {
    /// ## What it does
    /// Flags `sudo` (and `doas`) in a `RUN`.
    ///
    /// ## Why is this bad?
    /// A `RUN` already runs as the current `USER`; `sudo` only adds a package, a TTY and
    /// environment quirks (it resets `PATH` and drops variables), and leaving it installed
    /// lets anyone in the container become root. Switch with `USER root` for the steps that
    /// need it, then back; at run time, drop privileges with a tool such as `gosu` or
    /// `su-exec`.
    ///
    /// Like `sudo`, `doas` is flagged (hadolint knows only `sudo`).
    ///
    /// ## Example
    /// ```dockerfile
    /// USER app
    /// RUN sudo apt-get install -y curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// USER root
    /// RUN apt-get install -y curl
    /// USER app
    /// ```
    ///
    /// ## Fix safety
    /// No fix: removing `sudo` would run the command as the current user, which may lack the
    /// rights it needs.
    pub struct SudoInRun {
        code: "DL3004",
        name: "sudo-in-run",
        family: Hadolint,
        severity: Error,
        fix: None,
        sources: [Source::Hadolint("DL3004")],
    }
}

const SUDO: &[&str] = &["sudo", "doas"];

impl Check for SudoInRun {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for run in ctx.runs_with_onbuild() {
            for command in run.commands() {
                let view = command.effective();
                let word = command
                    .words
                    .first()
                    .filter(|_| command.name().is_some_and(|n| SUDO.contains(&n)))
                    .or_else(|| {
                        view.wrappers.iter().copied().find(|w| {
                            w.value
                                .as_deref()
                                .and_then(basename)
                                .is_some_and(|n| SUDO.contains(&n))
                        })
                    });
                if let Some(word) = word {
                    let name = word.value.as_deref().and_then(basename).unwrap_or("sudo");
                    out.push(Violation::new(
                        word.span.clone(),
                        format!(
                            "Do not use `{name}` in RUN: switch with USER instead, and use gosu or su-exec at run time"
                        ),
                    ));
                }
            }
        }
    }
}
