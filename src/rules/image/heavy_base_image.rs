use crate::declare_rule;
use crate::fix::Fix;
use crate::knowledge::Suggestion;
use crate::knowledge::TagClass;
use crate::rules::image::common::{describe_swap, saving, shipped_bases, swap_image, ShippedBase};
use crate::rules::image::provides::{describe, install_edits, missing, uses};
use crate::rules::split::build_in_runtime_stage::splits_onto;
use crate::rules::{Check, Context, Violation};

/// The swap to the slim variant, when the stages built on the image keep what they use:
/// the slim image has it, or the fix installs it with apt-get. A compiler or headers the
/// build uses are not added to the slim image: that work belongs in a builder stage that
/// keeps the full image (STG001), so the swap is advice only. `Err` holds the reason and
/// whether a builder stage is the way out.
fn slim_swap(
    ctx: &Context<'_>,
    shipped: &ShippedBase<'_>,
    slim: &Suggestion,
) -> Result<Fix, (String, bool)> {
    let swap = swap_image(shipped, slim).map_err(|reason| (reason, false))?;
    let target = ctx
        .knowledge()
        .classify(&slim.repository, slim.tag.as_deref());
    let target_provides = target.as_ref().and_then(|t| t.provides.as_ref());
    let uses = uses(ctx, shipped.stage);
    let lacking = missing(&uses, shipped.info.provides.as_ref(), target_provides);
    if lacking.is_empty() {
        return Ok(Fix::unsafe_edit(
            format!("Use `{}`", slim.reference()),
            vec![swap],
        ));
    }
    let Some((mut edits, installed)) = install_edits(ctx, shipped.stage, &lacking, target_provides)
    else {
        // The slim image is named in the fix title already: the reason names what it lacks.
        let toolchain = lacking.iter().any(|u| u.needed.is_toolchain());
        return Err((format!("it lacks {}", describe(&lacking)), toolchain));
    };
    edits.insert(0, swap);
    Ok(Fix::unsafe_edit(
        format!(
            "Use `{}` and install `{}` it lacks",
            slim.reference(),
            installed.join(" ")
        ),
        edits,
    ))
}

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
    /// Unsafe. The fix switches to the slim variant of the same version (and Debian release)
    /// only when the stages built on the image keep what their RUNs use: the knowledge base
    /// lists what each variant provides (`curl`, `wget`, `gpg`, `git`, compilers, CA
    /// certificates …, read from the images' own Dockerfiles). A command the slim image lacks
    /// is installed with apt-get before its first use, in the file's own `apt-get install`
    /// when there is one. A compiler or headers a build needs (`gcc` for a package pip
    /// builds from source, node-gyp for a `binding.gyp`) are not added: the swap is then
    /// display-only and names them, since that work belongs in a builder stage on the full
    /// image. A digest-pinned FROM is never rewritten (dlint cannot know the new digest), and a
    /// stage STG001 splits keeps its image as the builder. When a distroless or Chainguard
    /// image exists for exactly the same runtime version, a display-only note names it.
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
            // A stage STG001 splits keeps its image as the builder; the split picks the runtime.
            if let Some(runtime) = splits_onto(ctx, shipped.stage) {
                out.push(violation.with_fix(Fix::display_only(format!(
                    "Not swapped here: STG001 moves the build into a builder stage on `{}` and \
                     runs the result on `{runtime}`",
                    shipped.base.raw
                ))));
                continue;
            }
            violation = match slim_swap(ctx, &shipped, slim) {
                Ok(fix) => violation.with_fix(fix),
                Err((reason, builder)) => {
                    let fix = Fix::display_only(format!(
                        "Use `{}` (not rewritten: {reason})",
                        slim.reference()
                    ));
                    let violation = violation.with_fix(fix);
                    if builder {
                        violation.with_suggestion(Fix::display_only(format!(
                            "Or build in a stage on `{}` and copy the result into the slim image",
                            shipped.base.raw
                        )))
                    } else {
                        violation
                    }
                }
            };
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
