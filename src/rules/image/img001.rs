use crate::declare_rule;
use crate::fix::Fix;
use crate::knowledge::TagClass;
use crate::rules::image::common::{describe_swap, saving, shipped_bases, swap_image};
use crate::rules::{Check, Context, Violation};

declare_rule! {
    /// ## What it does
    /// Flags a heavy base image in the runtime stage (or a stage it is built `FROM`): the full,
    /// Debian/Ubuntu-based variant of a language image (`python:3.12`, `node:22`,
    /// `ruby:3.3`) or a full OS image with a slim variant, used to run an application.
    ///
    /// ## Why is this bad?
    /// Full language images are built on `buildpack-deps`: compilers, `-dev` headers, version
    /// control tools. A running application needs none of it, and the image is several times
    /// larger than the `-slim` variant (about 1.1 GB against 119 MB for Python), slower to pull
    /// and carries more packages with vulnerabilities. Builder stages may be heavy: only stages
    /// that ship count. Sizes come from the knowledge base (`rules/images.toml`), with the date
    /// they were measured.
    ///
    /// Only for applications: when the image is a base image, an SDK/toolchain image, a
    /// devcontainer, a build environment, an ONBUILD template or a test fixture (as read from
    /// the file or stated with `# dlint purpose=…` or `[lint.per-file-purpose]`; see
    /// `docs/purpose.md`), its size is its author's choice and the rule stays quiet.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12
    /// COPY . /app
    /// CMD ["python", "/app/main.py"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY . /app
    /// CMD ["python", "/app/main.py"]
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the slim variant lacks compilers and headers, so a `RUN` that builds native
    /// code (e.g. `pip install` of a package without a wheel) may fail after the swap. The
    /// fix switches to the slim variant of the same version (and Debian release). When a
    /// distroless or Chainguard image exists for exactly the same runtime version, a
    /// display-only note names it.
    pub struct HeavyBaseImage {
        code: "IMG001",
        name: "heavy-base-image",
        family: Image,
        severity: Warning,
        fix: Sometimes,
    }
}

impl Check for HeavyBaseImage {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let start = out.len();
        for shipped in shipped_bases(ctx) {
            let info = &shipped.info;
            if !matches!(info.class, TagClass::Full | TagClass::FullOs) || info.build_only {
                continue;
            }
            let Some(slim) = info.slim_alternative() else {
                continue;
            };
            let mut violation = Violation::new(
                shipped.base.span.clone(),
                format!(
                    "heavy base image in the runtime stage: {}",
                    describe_swap(&shipped, slim)
                ),
            )
            .with_saving(saving(slim));
            if let Some(edit) = swap_image(&shipped, slim) {
                violation = violation.with_fix(Fix::unsafe_edit(
                    format!("Use `{}`", slim.reference()),
                    vec![edit],
                ));
            }
            for minimal in info.minimal_alternatives() {
                let mut note = format!(
                    "A minimal runtime exists for this version: `{}`",
                    minimal.reference()
                );
                if let Some(requires) = &minimal.requires {
                    note.push_str(&format!(" ({requires})"));
                }
                violation = violation.with_suggestion(Fix::display_only(note));
            }
            out.push(violation);
        }
        // Size advice is for applications: base images, SDKs and devcontainers are heavy
        // on purpose (`dlint graph` shows the file's purpose). Asked only when needed.
        ctx.keep_only_if(out, start, Context::builds_application);
    }
}
