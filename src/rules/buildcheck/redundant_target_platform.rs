use crate::declare_rule;
use crate::fix::{Edit, Fix};
use crate::rules::buildcheck::common::var_refs;
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags `FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`, or with a default,
    /// `${TARGETPLATFORM:-linux/amd64}`, which BuildKit never uses since the variable is
    /// always set): the value is nothing but the target platform. Docker's build check
    /// `RedundantTargetPlatform`
    /// (<https://docs.docker.com/go/dockerfile/rule/redundant-target-platform/>).
    ///
    /// Off by default: `DL3065` (`redundant-target-platform`) reports the same thing and
    /// is on by default. Select this rule to get Docker's name and message.
    ///
    /// ## Why is this bad?
    /// Stages are built for the target platform anyway; the flag adds noise and suggests a
    /// choice was made.
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
    /// Safe: without the flag BuildKit uses the target platform, which is what the flag
    /// said. No fix when a global `ARG TARGETPLATFORM` gives it another value.
    pub struct RedundantTargetPlatform {
        code: "BK015",
        name: "redundant-target-platform",
        family: BuildCheck,
        severity: Warning,
        fix: Sometimes,
        default_enabled: false,
        sources: [Source::BuildKit("RedundantTargetPlatform")],
    }
}

impl Check for RedundantTargetPlatform {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let escape = ctx.tree().escape;
        let redefined = ctx
            .model
            .global_args
            .get("TARGETPLATFORM")
            .is_some_and(|v| v.instruction.is_some());
        for instr in ctx.instructions() {
            if instr.keyword != Keyword::From {
                continue;
            }
            let Some(flag) = instr.flag("platform") else {
                continue;
            };
            let Some(value) = &flag.value else { continue };
            let refs = var_refs(value, escape);
            let [only] = refs.as_slice() else { continue };
            if only.name != "TARGETPLATFORM" || only.range != (0..value.len()) {
                continue;
            }
            // TARGETPLATFORM is always set: `${TARGETPLATFORM:-…}` and `${TARGETPLATFORM:?…}`
            // give its value as BuildKit sees it; `${TARGETPLATFORM:+…}` gives the other word.
            let modifier = value["${TARGETPLATFORM".len().min(value.len())..]
                .trim_start_matches(':')
                .chars()
                .next();
            if only.guarded && !matches!(modifier, Some('-' | '?')) {
                continue;
            }
            let mut violation = Violation::new(
                flag.span.clone(),
                format!("Setting platform to predefined {value} in FROM is redundant as this is the default behavior"),
            );
            if !redefined {
                let source = ctx.source();
                let after = source[flag.span.end..]
                    .bytes()
                    .take_while(|b| *b == b' ' || *b == b'\t')
                    .count();
                violation = violation.with_fix(Fix::safe(
                    "Remove the `--platform` flag",
                    vec![Edit::delete(flag.span.start..flag.span.end + after)],
                ));
            }
            out.push(violation);
        }
    }
}
