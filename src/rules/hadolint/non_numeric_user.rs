use crate::declare_rule;
use crate::rules::hadolint::common::image_user;
use crate::rules::{Check, Context, Source, Violation};
use crate::semantic::expand_known;

declare_rule! {
    /// ## What it does
    /// Flags an image whose last `USER` is given by name (`USER app`) instead of a numeric
    /// UID (`USER 10001`).
    ///
    /// ## Why is this bad?
    /// The host and the orchestrator only see the numeric UID: Kubernetes cannot check
    /// `runAsNonRoot` for a named user (the pod is refused), and file ownership on volumes
    /// is decided by numbers. A numeric `USER` (optionally `UID:GID`) is unambiguous.
    ///
    /// ## Example
    /// ```dockerfile
    /// USER app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// USER 10001:10001
    /// ```
    ///
    /// ## Differences from hadolint
    /// hadolint flags every non-numeric `USER` in the file. dlint judges only the user the
    /// container runs as: the last `USER` of the runtime stage (or of the stages it is built
    /// `FROM`). A `USER root` for installation steps, a builder stage's user, or a Windows
    /// `USER ContainerAdministrator` followed by another `USER` never reaches the host.
    /// A user given through a variable is judged by its value when the file defines it
    /// (`ARG user=jenkins` then `USER ${user}` is flagged; hadolint skips any `USER` naming an
    /// `ARG`), and not at all otherwise: `USER $APP_UID`, set by the .NET base images to a
    /// number, is not flagged (hadolint flags it).
    ///
    /// ## Fix safety
    /// No fix: the UID of the user is defined inside the image, which dlint does not read.
    pub struct NonNumericUser {
        code: "DL3066",
        name: "non-numeric-user",
        family: Hadolint,
        severity: Info,
        fix: None,
        sources: [Source::Hadolint("DL3066")],
    }
}

impl Check for NonNumericUser {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let Some(index) = image_user(ctx) else {
            return;
        };
        let instr = ctx.instructions()[index];
        let Some(state) = ctx.model.state_at(index) else {
            return;
        };
        let Some(user) = expand_known(instr.rest_text(), ctx.tree().escape, &state.vars) else {
            return;
        };
        let uid = user.split(':').next().unwrap_or(&user);
        if !uid.is_empty() && !uid.chars().all(|c| c.is_ascii_digit()) {
            out.push(Violation::new(
                instr.rest_span(),
                format!("Non-numeric user `{uid}` may not be resolvable by the host system: use a numeric UID"),
            ));
        }
    }
}
