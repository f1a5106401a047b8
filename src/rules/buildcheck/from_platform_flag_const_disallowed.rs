use crate::declare_rule;
use crate::rules::buildcheck::common::{parse_platform, var_refs};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `FROM --platform=<constant>` (`linux/amd64`), as BuildKit does: not when the
    /// value has a variable, not when containerd could not parse it, and not when the
    /// stage's name contains the platform's OS or architecture (`FROM --platform=linux/arm64
    /// … AS build-arm64` is deliberate). Docker's build check
    /// `FromPlatformFlagConstDisallowed`
    /// (<https://docs.docker.com/go/dockerfile/rule/from-platform-flag-const-disallowed/>).
    ///
    /// Off by default: `DL3029` (`from-platform`) flags every constant `--platform`, these
    /// included, and is on by default. Select this rule to get Docker's narrower test and
    /// message.
    ///
    /// ## Why is this bad?
    /// A fixed platform ignores the build's target: a multi-platform build produces the same
    /// architecture for every platform, and builds on other machines run under emulation.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=linux/amd64 alpine:3.20 AS base
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM --platform=$BUILDPLATFORM alpine:3.20 AS base
    /// ```
    ///
    /// ## Fix safety
    /// No fix: whether the stage should follow the build or the target platform depends on
    /// what it does.
    pub struct FromPlatformFlagConstDisallowed {
        code: "BK018",
        name: "from-platform-flag-const-disallowed",
        family: BuildCheck,
        severity: Warning,
        fix: None,
        default_enabled: false,
        sources: [Source::BuildKit("FromPlatformFlagConstDisallowed")],
    }
}

impl Check for FromPlatformFlagConstDisallowed {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let escape = ctx.tree().escape;
        for stage in &ctx.model.stages {
            let Some(instr) = ctx.instructions().get(stage.from_instruction) else {
                continue;
            };
            let Some(flag) = instr.flag("platform") else {
                continue;
            };
            let Some(value) = flag.value.as_deref() else {
                continue;
            };
            if !var_refs(value, escape).is_empty() || value.contains('$') {
                continue;
            }
            let Some((os, arch)) = parse_platform(value) else {
                continue;
            };
            let name = stage.name.as_deref().unwrap_or("");
            // Go's strings.Contains is true for an empty needle.
            if name.contains(os.as_str()) || name.contains(arch.as_str()) {
                continue;
            }
            out.push(Violation::new(
                flag.span.clone(),
                format!("FROM --platform flag should not use constant value {value:?}"),
            ));
        }
    }
}
