use crate::declare_rule;
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags commands that make no sense in a `RUN`: `ssh`, `vim`, `shutdown`, `service`,
    /// `ps`, `free`, `top`, `kill`, `mount`, `ifconfig`.
    ///
    /// ## Why is this bad?
    /// A `RUN` is a build step, not a login session: there are no services running to
    /// manage, nobody to use an editor or a process viewer, and the network and mounts are
    /// the builder's, not the container's. These commands usually come from a shell
    /// session pasted into a Dockerfile, and at best do nothing useful.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN service nginx start
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// CMD ["nginx", "-g", "daemon off;"]
    /// ```
    ///
    /// ## Fix safety
    /// No fix: what the command was meant to achieve is for the author to redo.
    pub struct PointlessCommand {
        code: "DL3001",
        name: "pointless-command",
        family: Hadolint,
        severity: Info,
        fix: None,
        sources: [Source::Hadolint("DL3001")],
    }
}

const POINTLESS: &[&str] = &[
    "free", "ifconfig", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim",
];

impl Check for PointlessCommand {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for run in ctx.runs_with_onbuild() {
            for (command, name) in run.named_commands() {
                if POINTLESS.contains(&name) {
                    out.push(Violation::new(
                        command.span.clone(),
                        format!("`{name}` makes no sense in a container build"),
                    ));
                }
            }
        }
    }
}
