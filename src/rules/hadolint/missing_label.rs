use crate::declare_rule;
use crate::rules::hadolint::labels::{label_pairs, schema_labels};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// With a `[label-schema]` configured, flags each stage that ends up as an image without
    /// one of the schema's labels. A stage has a label when it sets it or inherits it from a
    /// stage it is built `FROM`.
    ///
    /// Like hadolint, the check is per stage and is reported at the stage's `FROM`; stages
    /// only used by other stages (`COPY --from`, `RUN --mount=from=`, or as the base of
    /// another stage) are builders, not images anyone pulls, and are not checked. (hadolint
    /// exempts `COPY --from` sources and the bases of labelled unnamed stages only.) Labels
    /// a base image sets cannot be seen and do not count.
    ///
    /// ## Why is this bad?
    /// Teams use the schema to find an image's owner, source and version in a registry; an
    /// image without them cannot be traced back.
    ///
    /// ## Example
    /// With `[label-schema] maintainer = "email"`:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL maintainer="ops@example.com"
    /// RUN apk add --no-cache curl
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows the label's value.
    pub struct MissingLabel {
        code: "DL3049",
        name: "missing-label",
        family: Hadolint,
        severity: Info,
        fix: None,
        sources: [Source::Hadolint("DL3049")],
    }
}

impl Check for MissingLabel {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let required = schema_labels(ctx, None);
        if required.is_empty() {
            return;
        }
        let pairs = label_pairs(ctx);
        let stages = &ctx.model.stages;
        let mut used_by_another = vec![false; stages.len()];
        for stage in stages {
            for &used in ctx.model.dependencies(stage.index) {
                if used != stage.index {
                    if let Some(flag) = used_by_another.get_mut(used) {
                        *flag = true;
                    }
                }
            }
        }
        // Per stage: which required labels its FROM chain sets, and whether a key with an
        // unknown variable (which might be any label) is in it. Parents come first.
        let mut unknown_key = vec![false; stages.len()];
        let mut present = vec![vec![false; required.len()]; stages.len()];
        for p in &pairs {
            let Some(stage) = ctx.model.stage_of(p.instruction) else {
                continue;
            };
            match p.key.as_deref() {
                None => unknown_key[stage] = true,
                Some(key) => {
                    if let Some(r) = required.iter().position(|l| *l == key) {
                        present[stage][r] = true;
                    }
                }
            }
        }
        for stage in stages {
            if let Some(parent) = stage.parent.filter(|&p| p < stage.index) {
                unknown_key[stage.index] |= unknown_key[parent];
                let (before, from_here) = present.split_at_mut(stage.index);
                for (own, inherited) in from_here[0].iter_mut().zip(&before[parent]) {
                    *own |= *inherited;
                }
            }
        }
        for stage in stages {
            // A key with an unknown variable might be any label: give the stage the benefit.
            if used_by_another[stage.index] || unknown_key[stage.index] {
                continue;
            }
            let Some(from) = ctx.instructions().get(stage.from_instruction) else {
                continue;
            };
            let span = from.keyword_span.start..from.rest_span().end.max(from.keyword_span.end);
            let stage_name = stage.name.as_ref().map_or_else(
                || format!("unnamed stage {}", stage.index),
                |n| format!("stage `{n}`"),
            );
            for (r, label) in required.iter().enumerate() {
                if !present[stage.index][r] {
                    out.push(Violation::new(
                        span.clone(),
                        format!("Label `{label}` is missing from {stage_name}"),
                    ));
                }
            }
        }
    }
}
