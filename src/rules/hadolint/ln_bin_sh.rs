use crate::declare_rule;
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `ln` that replaces `/bin/sh` (`ln -sf /bin/bash /bin/sh`).
    ///
    /// ## Why is this bad?
    /// Relinking `/bin/sh` changes the shell of every script in the image, including the
    /// system's own, which may rely on the original one. To run the `RUN` instructions with
    /// another shell, say so with `SHELL ["/bin/bash", "-c"]`: it affects the Dockerfile
    /// only.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN ln -sf /bin/bash /bin/sh
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// SHELL ["/bin/bash", "-c"]
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the image may rely on the relinked shell at run time.
    pub struct LnBinSh {
        code: "DL4005",
        name: "ln-bin-sh",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL4005")],
    }
}

impl Check for LnBinSh {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for run in ctx.runs_with_onbuild() {
            for command in run.commands_named(&["ln"]) {
                if command.effective().arg("/bin/sh").is_some() {
                    out.push(Violation::new(
                        command.span.clone(),
                        "Use SHELL to change the default shell instead of relinking /bin/sh",
                    ));
                }
            }
        }
    }
}
