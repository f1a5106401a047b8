use crate::declare_rule;
use crate::rules::{Check, Context, Source, Violation};

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
    /// Like hadolint, earlier stages and `scratch` are exempt. Unlike hadolint, an image named
    /// through an ARG is checked once the ARG is resolved, and skipped when it cannot be.
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
        for stage in &ctx.model.stages {
            let Some(base) = &stage.base else { continue };
            let Some(image) = &base.resolved else {
                continue;
            };
            if image.is_scratch() {
                continue;
            }
            let registry = image.registry.as_deref().unwrap_or("docker.io");
            let allowed = trusted.iter().any(|t| {
                t.eq_ignore_ascii_case(registry)
                    || (registry == "docker.io"
                        && matches!(t.as_str(), "hub.docker.com" | "index.docker.io"))
            });
            if !allowed {
                out.push(Violation::new(
                    base.span.clone(),
                    format!(
                        "`{registry}` is not a trusted registry (trusted: {})",
                        trusted.join(", ")
                    ),
                ));
            }
        }
    }
}
