use crate::declare_rule;
use crate::fix::{Edit, Fix};
use crate::rules::image::common::shipped_bases;
use crate::rules::{Check, Context, Violation};

declare_rule! {
    /// ## What it does
    /// Flags a development or debug variant in the runtime stage: distroless `:debug`
    /// (`:debug-nonroot`), Chainguard `-dev` tags, and other `-dev`/`-sdk` variants.
    ///
    /// ## Why is this bad?
    /// Debug variants add a shell (busybox) and tools to an image whose point is to have none:
    /// more attack surface, and a larger image. They are meant for troubleshooting, not for
    /// production.
    ///
    /// Only for applications: when the image is a base image, an SDK/toolchain image, a
    /// devcontainer, a build environment, an ONBUILD template or a test fixture (as read from
    /// the file or stated with `# dlint purpose=…` or `[lint.per-file-purpose]`; see
    /// `docs/purpose.md`), its size is its author's choice and the rule stays quiet.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM gcr.io/distroless/static-debian13:debug
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM gcr.io/distroless/static-debian13
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: a `RUN`, a shell-form `CMD` or a `HEALTHCHECK` that needs the debug shell stops
    /// working. The fix removes the debug part of the tag (`debug` → `latest`,
    /// `debug-nonroot` → `nonroot`, `latest-dev` → `latest`).
    pub struct DebugVariantInRuntime {
        code: "IMG003",
        name: "debug-variant-in-runtime",
        family: Image,
        severity: Warning,
        fix: Sometimes,
    }
}

/// The tag without its debug/dev part; `Some(None)` when no tag is left.
fn release_tag(tag: &str) -> Option<Option<String>> {
    let stripped = if tag == "debug" || tag == "dev" {
        return Some(None);
    } else if let Some(rest) = tag.strip_prefix("debug-") {
        rest.to_string()
    } else if let Some(rest) = tag
        .strip_suffix("-debug")
        .or_else(|| tag.strip_suffix("-dev"))
    {
        rest.to_string()
    } else {
        return None;
    };
    Some(Some(stripped))
}

impl Check for DebugVariantInRuntime {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let start = out.len();
        for shipped in shipped_bases(ctx) {
            if !shipped.info.debug_variant {
                continue;
            }
            let mut violation = Violation::new(
                shipped.base.span.clone(),
                format!(
                    "`{}` is a debug/development variant in the runtime stage",
                    shipped.base.raw
                ),
            );
            let raw = &shipped.base.raw;
            let tag = shipped.image.tag.as_deref().unwrap_or_default();
            let written_tag = raw
                .rsplit_once(':')
                .filter(|(_, t)| *t == tag && !raw.contains('$'));
            if let (Some((name, _)), Some(release)) = (written_tag, release_tag(tag)) {
                let replacement = match &release {
                    Some(t) => format!("{name}:{t}"),
                    None => name.to_string(),
                };
                violation = violation.with_fix(Fix::unsafe_edit(
                    format!("Use `{replacement}`"),
                    vec![Edit::replace(shipped.base.span.clone(), replacement)],
                ));
            }
            out.push(violation);
        }
        // Size advice is for applications: base images, SDKs and devcontainers are heavy
        // on purpose (`dlint graph` shows the file's purpose). Asked only when needed.
        ctx.keep_only_if(out, start, Context::builds_application);
    }
}

#[cfg(test)]
mod tests {
    use super::release_tag;

    #[test]
    fn strips_debug_parts() {
        assert_eq!(release_tag("debug"), Some(None));
        assert_eq!(release_tag("debug-nonroot"), Some(Some("nonroot".into())));
        assert_eq!(release_tag("latest-dev"), Some(Some("latest".into())));
        assert_eq!(release_tag("3.12"), None);
    }
}
