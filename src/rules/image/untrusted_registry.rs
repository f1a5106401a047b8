use crate::declare_rule;
use crate::rules::stage::common::{copy_from, named_stage};
use crate::rules::{Check, Context, Source, Violation};
use crate::semantic::ImageRef;
use crate::syntax::{Keyword, Span};

declare_rule! {
    /// ## What it does
    /// Flags a `FROM` whose image comes from a registry that is not in the configured
    /// `trusted-registries` (`trustedRegistries` in `.hadolint.yaml`). Images without a
    /// registry come from `docker.io`. Does nothing unless the list is configured.
    ///
    /// ## Why is this bad?
    /// Many organisations only allow base images from registries they mirror or scan. An
    /// image from anywhere else bypasses that control.
    ///
    /// Like hadolint, images that `COPY --from` and `RUN --mount=…,from=` name are checked too;
    /// stages and `scratch` are exempt; `*` trusts every registry and `*.example.com` every
    /// registry whose name ends in `.example.com` (the port, when written, is part of the
    /// name). Unlike hadolint, an image named through an ARG is checked once the ARG is
    /// resolved, and skipped when it cannot be.
    ///
    /// ## Example
    /// ```dockerfile
    /// # dlint.toml: trusted-registries = ["registry.example.com"]
    /// FROM quay.io/some/image:1.0
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM registry.example.com/mirror/some/image:1.0
    /// ```
    ///
    /// ## Fix safety
    /// No fix: which mirror holds the image is for the organisation to say.
    pub struct UntrustedRegistry {
        code: "DL3026",
        name: "untrusted-registry",
        family: Image,
        severity: Error,
        fix: None,
        sources: [Source::Hadolint("DL3026")],
    }
}

impl Check for UntrustedRegistry {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let Some(trusted) = ctx.rule_options().map(|o| &o.trusted_registries) else {
            return;
        };
        if trusted.is_empty() {
            return;
        }
        let mut report = |image: &ImageRef, span: Span| {
            if image.is_scratch() {
                return;
            }
            let registry = image.registry.as_deref().unwrap_or("docker.io");
            if !is_trusted(trusted, registry) {
                out.push(Violation::new(
                    span,
                    format!(
                        "`{registry}` is not a trusted registry (trusted: {})",
                        trusted.join(", ")
                    ),
                ));
            }
        };
        for stage in &ctx.model.stages {
            if let Some(base) = &stage.base {
                if let Some(image) = &base.resolved {
                    report(image, base.span.clone());
                }
            }
        }
        let stages = &ctx.model.stages;
        for (index, instr) in ctx.instructions().iter().enumerate() {
            if instr.keyword == Keyword::Copy {
                let Some(Ok(from)) = copy_from(ctx, index) else {
                    continue;
                };
                let Some(flag) = instr.flag("from") else {
                    continue;
                };
                if named_stage(stages, &from).is_none() {
                    if let Some(image) = ImageRef::parse(&from) {
                        let span = flag.value_span.clone().unwrap_or_else(|| flag.span.clone());
                        report(&image, span);
                    }
                }
            } else if instr.keyword == Keyword::Run {
                for mount in ctx.model.mounts(index) {
                    let Some(from) = mount.from.as_deref().filter(|f| !f.contains('$')) else {
                        continue;
                    };
                    if named_stage(stages, from).is_none() {
                        if let Some(image) = ImageRef::parse(from) {
                            report(&image, mount.span.clone());
                        }
                    }
                }
            }
        }
    }
}

/// hadolint's matching: a registry as written, `*` for any, `*suffix` for registries ending
/// in `suffix` (`*.example.com`); Docker Hub also answers to `hub.docker.com` and
/// `index.docker.io`.
fn is_trusted(trusted: &[String], registry: &str) -> bool {
    let names: &[&str] = if registry == "docker.io" {
        &["docker.io", "hub.docker.com", "index.docker.io"]
    } else {
        &[registry]
    };
    trusted.iter().any(|t| {
        names.iter().any(|name| match t.strip_prefix('*') {
            Some(suffix) => name
                .to_ascii_lowercase()
                .ends_with(&suffix.to_ascii_lowercase()),
            None => t.eq_ignore_ascii_case(name),
        })
    })
}
