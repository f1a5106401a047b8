use crate::declare_rule;
use crate::rules::{Check, Context, Source, Violation};
use crate::semantic::{expand, ImageRef, Lookup, VarValue};

declare_rule! {
    /// ## What it does
    /// Flags a `FROM` whose image, expanded with the global `ARG`s' default values only (no
    /// `--build-arg`), is empty or not a valid image reference: `ARG TAG` with no default
    /// makes `FROM node:${TAG}` read `node:`. As in BuildKit, an `ARG` without a default
    /// and a variable no `ARG` declares (`FROM alpine:${NOTDECLARED}`) count as empty; a
    /// value dlint cannot know (a built-in platform arg) skips the
    /// check, and so does a `FROM` without variables. Docker's build check
    /// `InvalidDefaultArgInFrom`
    /// (<https://docs.docker.com/go/dockerfile/rule/invalid-default-arg-in-from/>).
    ///
    /// ## Why is this bad?
    /// The build fails unless every caller passes the right `--build-arg`; a default makes
    /// the file build as it is.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG TAG
    /// FROM node:${TAG}
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ARG TAG=22-alpine
    /// FROM node:${TAG}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the right default is the author's choice.
    pub struct InvalidDefaultArgInFrom {
        code: "BK017",
        name: "invalid-default-arg-in-from",
        family: BuildCheck,
        severity: Warning,
        fix: None,
        sources: [Source::BuildKit("InvalidDefaultArgInFrom")],
    }
}

impl Check for InvalidDefaultArgInFrom {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let globals = &ctx.model.global_args;
        let defaults_only = |name: &str| match globals.get(name).map(|v| &v.value) {
            Some(VarValue::Known(v)) => Lookup::Known(v.clone()),
            Some(VarValue::Unknown) => Lookup::Unknown,
            // BuildKit expands an ARG without a default to nothing.
            Some(VarValue::NoDefault) => Lookup::Known(String::new()),
            // Undeclared: BuildKit expands it to nothing too (BK009 also reports the name).
            None => Lookup::Known(String::new()),
        };
        for stage in &ctx.model.stages {
            let Some(instr) = ctx.instructions().get(stage.from_instruction) else {
                continue;
            };
            let Some(arg) = instr.args.first() else {
                continue;
            };
            if !arg.value.contains('$') {
                continue;
            }
            let Ok(expanded) = expand(&arg.value, ctx.tree().escape, &defaults_only) else {
                continue;
            };
            let Some(text) = expanded.resolved() else {
                continue;
            };
            if ImageRef::parse(text).is_some_and(|r| r.is_valid()) {
                continue;
            }
            out.push(Violation::new(
                arg.span.clone(),
                format!(
                    "Default value for ARG {} results in empty or invalid base image name",
                    arg.value
                ),
            ));
        }
    }
}
