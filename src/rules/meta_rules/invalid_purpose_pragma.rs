use crate::declare_rule;
use crate::rules::{Check, Context, Violation};

declare_rule! {
    /// ## What it does
    /// Flags a `# dlint purpose=…` comment whose value names no image purpose.
    ///
    /// ## Why is this bad?
    /// The comment states what the image is for (`application`, `base-image`, `toolchain`,
    /// `devcontainer`, `build-environment`, `onbuild-template`, `test-fixture`; see
    /// `docs/purpose.md`), which decides whether the size rules apply. A misspelt value is
    /// ignored, so the purpose falls back to what dlint reads from the file, silently.
    ///
    /// ## Example
    /// ```dockerfile
    /// # dlint purpose=base
    /// FROM debian:bookworm
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// # dlint purpose=base-image
    /// FROM debian:bookworm
    /// ```
    ///
    /// ## Fix safety
    /// No fix: which purpose was meant is the author's call; the message lists them.
    pub struct InvalidPurposePragma {
        code: "SUP002",
        name: "invalid-purpose-pragma",
        family: Syntax,
        severity: Warning,
        fix: None,
    }
}

impl Check for InvalidPurposePragma {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for error in crate::semantic::purpose_pragma_errors(ctx.parse, ctx.model) {
            out.push(Violation::new(
                error.span,
                format!("{}: expected {}", error.message, error.hint),
            ));
        }
    }
}
