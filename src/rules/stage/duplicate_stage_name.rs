use std::collections::HashMap;

use crate::declare_rule;
use crate::rules::stage::common::stage_span;
use crate::rules::{Check, Context, Source, Violation};
use crate::semantic::Stage;

declare_rule! {
    /// ## What it does
    /// Flags a stage whose name (`FROM … AS name`) is already used by an earlier stage.
    /// Names are compared case-insensitively, as BuildKit does.
    ///
    /// ## Why is this bad?
    /// BuildKit rejects the file (`duplicate stage name`), and older builders silently resolve
    /// `COPY --from=name` and `--target name` to one of the two stages, which may not be the
    /// one the author meant.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22 AS build
    /// RUN npm ci && npm run build
    /// FROM golang:1.23 AS build
    /// RUN go build -o /server .
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22 AS web
    /// RUN npm ci && npm run build
    /// FROM golang:1.23 AS server
    /// RUN go build -o /server .
    /// ```
    ///
    /// ## Fix safety
    /// No fix: renaming a stage means choosing which `COPY --from` and `--target` use which
    /// name.
    pub struct DuplicateStageName {
        code: "DL3024",
        name: "duplicate-stage-name",
        family: Stage,
        severity: Error,
        fix: None,
        sources: [Source::Hadolint("DL3024")],
    }
}

impl Check for DuplicateStageName {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        // The first stage of each name (a search of the earlier stages is quadratic).
        let mut first_named: HashMap<&str, &Stage> = HashMap::new();
        for stage in &ctx.model.stages {
            let Some(name) = &stage.name else { continue };
            let first = *first_named.entry(name.as_str()).or_insert(stage);
            if std::ptr::eq(first, stage) {
                continue;
            }
            out.push(Violation::new(
                stage_span(ctx, stage),
                format!(
                    "FROM aliases (stage names) must be unique: `{name}` already names the stage \
                     on line {}",
                    ctx.instructions()[first.from_instruction].start_line
                ),
            ));
        }
    }
}
