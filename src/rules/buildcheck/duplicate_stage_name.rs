use crate::declare_rule;
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags a stage whose name is already used by an earlier stage (names compare
    /// case-insensitively). Docker's build check `DuplicateStageName`
    /// (<https://docs.docker.com/go/dockerfile/rule/duplicate-stage-name/>).
    ///
    /// Off by default: `DL3024` (`duplicate-stage-name`, stage family) reports the same
    /// thing and is on by default. Select this rule to get Docker's name and message.
    ///
    /// ## Why is this bad?
    /// BuildKit rejects the file, and older builders resolve `COPY --from=name` and
    /// `--target name` to one of the two stages, maybe not the one meant.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22 AS build
    /// FROM golang:1.23 AS build
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22 AS web
    /// FROM golang:1.23 AS server
    /// ```
    ///
    /// ## Fix safety
    /// No fix: renaming a stage means choosing which references mean which stage.
    pub struct DuplicateStageName {
        code: "BK005",
        name: "duplicate-stage-name",
        family: BuildCheck,
        severity: Error,
        fix: None,
        default_enabled: false,
        sources: [Source::BuildKit("DuplicateStageName")],
    }
}

impl Check for DuplicateStageName {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let mut seen = std::collections::HashSet::new();
        for stage in &ctx.model.stages {
            let (Some(name), Some(span)) = (&stage.name, &stage.name_span) else {
                continue;
            };
            if !seen.insert(name.as_str()) {
                out.push(Violation::new(
                    span.clone(),
                    format!("Duplicate stage name {name:?}, stage names should be unique"),
                ));
            }
        }
    }
}
