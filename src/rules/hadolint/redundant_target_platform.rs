use crate::declare_rule;
use crate::fix::{Edit, Fix};
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags `FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`).
    ///
    /// ## Why is this bad?
    /// A stage is built for the target platform by default: the flag says nothing and
    /// suggests, wrongly, that it changes something (it is `$BUILDPLATFORM` that matters
    /// for cross-compilation).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=$TARGETPLATFORM alpine:3.20
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix deletes the flag, and the stage is built for the same platform. Not
    /// offered when the file gives `TARGETPLATFORM` a default of its own in a global `ARG`.
    pub struct RedundantTargetPlatform {
        code: "DL3065",
        name: "redundant-target-platform",
        family: Hadolint,
        severity: Warning,
        fix: Sometimes,
        sources: [Source::Hadolint("DL3065")],
    }
}

impl Check for RedundantTargetPlatform {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let redefined = ctx
            .model
            .global_args
            .get("TARGETPLATFORM")
            .is_some_and(|v| v.value.known().is_some());
        let source = ctx.source();
        for instr in ctx.instructions() {
            if instr.keyword != Keyword::From {
                continue;
            }
            let Some(flag) = instr.flag("platform") else {
                continue;
            };
            if !matches!(
                flag.value.as_deref(),
                Some("$TARGETPLATFORM" | "${TARGETPLATFORM}")
            ) {
                continue;
            }
            let mut violation = Violation::new(
                flag.span.clone(),
                "`--platform=$TARGETPLATFORM` is redundant: it is the default",
            );
            if !redefined {
                let rest = &source[flag.span.end..];
                let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
                violation = violation.with_fix(Fix::safe(
                    "Remove `--platform=$TARGETPLATFORM`",
                    vec![Edit::delete(flag.span.start..flag.span.end + blanks)],
                ));
            }
            out.push(violation);
        }
    }
}
