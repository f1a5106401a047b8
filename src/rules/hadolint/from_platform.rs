use crate::declare_rule;
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags `FROM --platform=` with a constant platform (`--platform=linux/amd64`).
    ///
    /// ## Why is this bad?
    /// A fixed platform makes the image build for that platform whatever the build is asked
    /// for: on another architecture it runs under emulation (slowly) or not at all, and
    /// multi-platform builds silently produce the same image for every platform.
    ///
    /// Unlike hadolint, which flags every `--platform`, a platform taken from a variable is
    /// not flagged: `FROM --platform=$BUILDPLATFORM` is the standard way to cross-compile
    /// in a builder stage (`--platform=$TARGETPLATFORM` is DL3065's business).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=linux/amd64 debian:bookworm-slim
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the platform may be needed (a base image published for one platform only).
    pub struct FromPlatform {
        code: "DL3029",
        name: "from-platform",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3029")],
    }
}

impl Check for FromPlatform {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for instr in ctx.instructions() {
            if instr.keyword != Keyword::From {
                continue;
            }
            let Some(flag) = instr.flag("platform") else {
                continue;
            };
            let value = flag.value.as_deref().unwrap_or("");
            if value.is_empty() || value.contains('$') {
                continue;
            }
            out.push(Violation::new(
                flag.span.clone(),
                format!("Do not use a fixed `--platform={value}` with FROM: the image no longer follows the build's target platform"),
            ));
        }
    }
}
