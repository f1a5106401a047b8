use crate::declare_rule;
use crate::fix::Fix;
use crate::rules::image::common::shipped_bases;
use crate::rules::image::common::ShippedBase;
use crate::rules::image::jre_swap::jre_swap;
use crate::rules::split::build_in_runtime_stage::{build_steps, split_runtime};
use crate::rules::{Check, Context, Violation};

declare_rule! {
    /// ## What it does
    /// Flags a build-only SDK image in the runtime stage: `golang`, `rust`, `maven`, `gradle`,
    /// `mcr.microsoft.com/dotnet/sdk`, JDK images, `gcc`, `buildpack-deps` and the like.
    ///
    /// ## Why is this bad?
    /// An SDK image carries a whole toolchain (often 500 MB to 1 GB or more) that the running
    /// program never uses. The program should be built in a builder stage and copied into a
    /// small runtime image (a JRE, `dotnet/aspnet`, distroless, or `scratch` for a static
    /// binary).
    ///
    /// Only for applications: when the image is a base image, an SDK/toolchain image, a
    /// devcontainer, a build environment, an ONBUILD template or a test fixture (as read from
    /// the file or stated with `# dlint purpose=…` or `[lint.per-file-purpose]`; see
    /// `docs/purpose.md`), its size is its author's choice and the rule stays quiet.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23
    /// COPY . .
    /// RUN go build -o /app .
    /// CMD ["/app"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// COPY . .
    /// RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /app .
    ///
    /// FROM gcr.io/distroless/static-debian13
    /// COPY --from=build /app /app
    /// CMD ["/app"]
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe, for a JDK image whose stage only runs Java (`java -jar app.jar` from a jar
    /// built elsewhere): the FROM becomes the same vendor's JRE of the same Java version
    /// (`eclipse-temurin:21-jdk` → `eclipse-temurin:21-jre`), on glibc images, when no RUN or
    /// HEALTHCHECK uses a JDK tool (`javac`, `jar`, `jcmd` …), the container starts `java`
    /// without the source launcher (`java Main.java` needs the compiler), and no other stage
    /// builds on the image. A digest-pinned FROM is never rewritten. Otherwise display-only:
    /// splitting the build from the runtime is a rewrite of the whole file (`STG001` offers it
    /// where dlint can do it with confidence); the note names the runtime image that matches
    /// the SDK. `openjdk` images are deprecated and their JRE would be another vendor's build,
    /// so they get the advice only. The note says why no edit is offered: the split is
    /// `STG001`'s, the build runs in the image's ONBUILD triggers (retired `onbuild` tags), the
    /// stage builds nothing dlint recognises, or the image is a .NET SDK (whether `dotnet/runtime`
    /// or `dotnet/aspnet` runs the app is in the project file).
    pub struct SdkImageInRuntime {
        code: "IMG002",
        name: "sdk-image-in-runtime",
        family: Image,
        severity: Warning,
        fix: Sometimes,
    }
}

impl Check for SdkImageInRuntime {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let start = out.len();
        for shipped in shipped_bases(ctx) {
            if !shipped.info.build_only {
                continue;
            }
            // The runtime STG001 names when it sees the build, so the two rules agree.
            let alternative = shipped.info.runtime_alternative();
            let advice = match (split_runtime(ctx), alternative) {
                (Some(runtime), _) => format!("Build in a separate stage and run on `{runtime}`"),
                // The knowledge base's note says when another runtime image fits (.NET's
                // `runtime` for a console app rather than `aspnet`).
                (None, Some(alternative)) => match &alternative.note {
                    Some(note) => format!(
                        "Build in a separate stage and run on `{}` ({note})",
                        alternative.reference()
                    ),
                    None => format!(
                        "Build in a separate stage and run on `{}`",
                        alternative.reference()
                    ),
                },
                (None, None) => {
                    "Build in a separate stage and copy the result into a small runtime image"
                        .to_string()
                }
            };
            let violation = Violation::new(
                shipped.base.span.clone(),
                format!(
                    "`{}` is a build-only SDK image in the runtime stage: split build and runtime stages",
                    shipped.base.raw
                ),
            );
            // A JDK that only runs Java: its JRE is the fix, no split needed.
            let violation = match jre_swap(ctx, &shipped) {
                Ok(fix) => violation.with_fix(fix),
                Err(reason)
                    if shipped
                        .info
                        .runtime
                        .as_ref()
                        .is_some_and(|r| r.name == "java") =>
                {
                    violation.with_suggestion(Fix::display_only(format!(
                        "{advice} (the JRE is not swapped in: {reason})"
                    )))
                }
                Err(_) => violation.with_suggestion(Fix::display_only(format!(
                    "{advice} (not rewritten: {})",
                    not_rewritten(ctx, &shipped)
                ))),
            };
            out.push(violation);
        }
        // Size advice is for applications: base images, SDKs and devcontainers are heavy
        // on purpose (`dlint graph` shows the file's purpose). Asked only when needed.
        ctx.keep_only_if(out, start, Context::builds_application);
    }
}

/// Why an SDK image other than a JDK gets advice rather than an edit.
fn not_rewritten(ctx: &Context<'_>, shipped: &ShippedBase<'_>) -> String {
    let tag = shipped.info.tag.as_deref().unwrap_or("");
    if tag.split('-').any(|word| word == "onbuild") {
        return format!(
            "the build runs in the ONBUILD triggers of `{}`, which the file does not show; \
             the official images no longer publish `onbuild` variants",
            shipped.base.raw
        );
    }
    if shipped
        .info
        .runtime
        .as_ref()
        .is_some_and(|r| r.name == "dotnet")
    {
        return "dlint has no .NET rewrite: which runtime image fits depends on the project \
                file, which the Dockerfile does not show"
            .to_string();
    }
    if build_steps(ctx).is_empty() {
        return "the stage builds nothing dlint recognises, so there is no build to move into a \
                builder stage"
            .to_string();
    }
    "the split of the stage that builds is STG001's".to_string()
}
