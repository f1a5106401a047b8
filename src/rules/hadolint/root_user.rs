use crate::declare_rule;
use crate::rules::hadolint::common::image_user;
use crate::rules::{Check, Context, Source, Violation};
use crate::semantic::expand_known;

declare_rule! {
    /// ## What it does
    /// Flags a final image whose last `USER` is `root` (or `0`, `root:…`, `0:…`).
    ///
    /// ## Why is this bad?
    /// A container runs as the image's last `USER`. Running as root gives a process that is
    /// broken into every permission inside the container and makes escapes through kernel or
    /// runtime bugs worse. Switch back to an unprivileged user after the steps that need
    /// root.
    ///
    /// An image with no `USER` at all is not flagged (the base image may set one).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// USER root
    /// RUN apt-get update
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// USER root
    /// RUN apt-get update
    /// USER app
    /// ```
    ///
    /// ## Differences from hadolint
    /// hadolint checks the last `USER` of every stage; here only the image that is built
    /// counts: the runtime stage (the last one, or `--target`), with the `USER` it inherits
    /// from the stages it is built `FROM`. A builder stage may stay root.
    ///
    /// ## Fix safety
    /// No fix: which user the program can run as is for the author to decide.
    pub struct RootUser {
        code: "DL3002",
        name: "root-user",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3002")],
    }
}

/// `root`, `0`, `root:group`, `0:group`.
fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user).trim();
    name == "root" || name == "0"
}

impl Check for RootUser {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let Some(index) = image_user(ctx) else {
            return;
        };
        let instructions = ctx.instructions();
        let instr = instructions[index];
        let Some(state) = ctx.model.state_at(index) else {
            return;
        };
        let Some(user) = expand_known(instr.rest_text(), ctx.tree().escape, &state.vars) else {
            return;
        };
        if is_root(&user) {
            out.push(Violation::new(
                instr.rest_span(),
                "Last USER should not be root: the container runs as root",
            ));
        }
    }
}
