use crate::declare_rule;
use crate::fix::{Edit, Fix};
use crate::knowledge::StaticRecipe;
use crate::rules::static_link::common::{copied_builds, minimal_runtime, Build, Language};
use crate::rules::{Check, Context, Violation};

declare_rule! {
    /// ## What it does
    /// Flags a binary built without static-link flags and copied into a runtime with no C
    /// library: `scratch`, `gcr.io/distroless/static-*`, `cgr.dev/chainguard/static`. The
    /// rule follows each `COPY --from` of the runtime stage back to the build commands of the
    /// stage it copies from:
    ///
    /// - `go build`/`go install` without `CGO_ENABLED=0` (on the command, `export`ed, or in an
    ///   ENV/ARG), `-tags netgo` or `-extldflags -static`; an Alpine Go image with no C compiler
    ///   added builds without cgo and is not flagged;
    /// - `cargo build`/`cargo install` for a gnu target without `-C target-feature=+crt-static`
    ///   (a musl target, or a COPY from `target/*-musl/`, is static);
    /// - `gcc`/`cc`/`clang` linking a program without `-static`.
    ///
    /// When a build names its output (`-o /app`), only the COPY that copies that path counts.
    /// A runtime with no `ENTRYPOINT` or `CMD` is taken for an export of files to the host
    /// (`docker build --output`) and not checked, nor are builds whose flags come from a
    /// variable (`gcc $CFLAGS`, `-ldflags "$LDFLAGS"`). Builds for WebAssembly
    /// (`cargo build --target wasm32-wasip1`, `GOARCH=wasm go build`) make modules that link
    /// no C library and are left out.
    ///
    /// ## Why is this bad?
    /// A dynamically linked binary needs the dynamic loader and libc at run time. In a
    /// runtime without them it fails to start with the misleading `exec /app: no such file or
    /// directory`: the missing file is `/lib64/ld-linux-x86-64.so.2`, not the binary. Go
    /// links libc as soon as a package uses cgo, which `net` and `os/user` do by default when
    /// a C compiler is present (as in the Debian-based `golang` images).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// WORKDIR /src
    /// COPY . .
    /// RUN go build -o /app .
    ///
    /// FROM scratch
    /// COPY --from=build /app /app
    /// ENTRYPOINT ["/app"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// WORKDIR /src
    /// COPY . .
    /// RUN CGO_ENABLED=0 go build -ldflags '-s -w' -o /app .
    ///
    /// FROM scratch
    /// COPY --from=build /app /app
    /// ENTRYPOINT ["/app"]
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the flags come from the knowledge base's static-link recipes
    /// (`rules/images.toml`). For Go the fix prefixes `CGO_ENABLED=0` to the command and adds
    /// `-ldflags '-s -w'` (strip symbols) when there are no `-ldflags`; a program that really
    /// needs cgo no longer builds. For C it adds `-static`. For Rust it prefixes
    /// `RUSTFLAGS='-C target-feature=+crt-static'` only when the command passes an explicit
    /// gnu `--target`: without one, the flag also applies to build scripts and proc-macros,
    /// which then fail to build, so the advice (a musl target, or an explicit `--target`,
    /// which moves the output to `target/<triple>/release`) is display-only. Commands inside
    /// `sh -c` strings, behind wrappers such as `sudo`, or where the author set
    /// `CGO_ENABLED=1` get display-only advice.
    pub struct DynamicBinaryInStaticRuntime {
        code: "STAT001",
        name: "dynamic-binary-in-static-runtime",
        family: Static,
        severity: Warning,
        fix: Sometimes,
    }
}

impl Check for DynamicBinaryInStaticRuntime {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let Some(runtime) = minimal_runtime(ctx) else {
            return;
        };
        if !runtime.no_libc() || !runtime.runnable(ctx) {
            return;
        }
        let mut reported = Vec::new();
        for copied in copied_builds(ctx, &runtime.chain) {
            for build in &copied.builds {
                if build.is_static
                    || (build.language == Language::Rust && copied.musl_path)
                    || reported.contains(&build.command.span.start)
                {
                    continue;
                }
                reported.push(build.command.span.start);
                let line = ctx.instructions()[copied.copy].start_line;
                let tool = build
                    .view
                    .words
                    .iter()
                    .take(2)
                    .map(|w| w.text())
                    .collect::<Vec<_>>()
                    .join(" ");
                let what = match build.language {
                    Language::Go => format!(
                        "`{tool}` without `CGO_ENABLED=0`: the binary links libc dynamically \
                         when a package uses cgo (net, os/user)"
                    ),
                    Language::Rust => format!(
                        "`{tool}` for a gnu target without `+crt-static`: the binary links \
                         glibc dynamically"
                    ),
                    Language::Native => format!(
                        "`{}` links without `-static`: the program needs libc at run time",
                        build.view.name().unwrap_or("cc")
                    ),
                    // `copied_builds` finds only the languages above.
                    Language::Node | Language::Python | Language::Java | Language::Dotnet => {
                        continue
                    }
                };
                let mut violation = Violation::new(
                    build.command.span.clone(),
                    format!(
                        "{what}, and `{}` has none (copied on line {line})",
                        runtime.text()
                    ),
                );
                let recipe = build
                    .language
                    .static_recipe()
                    .and_then(|key| ctx.knowledge().static_recipe(key));
                match recipe.and_then(|r| static_fix(build, r)) {
                    Some(fix) => violation = violation.with_fix(fix),
                    None => {
                        if let Some(recipe) = recipe {
                            violation = violation.with_suggestion(Fix::display_only(format!(
                                "Link statically: {}",
                                recipe.summary
                            )));
                        }
                    }
                }
                out.push(violation);
            }
        }
    }
}

/// The edits that make `build` static, following `recipe`; `None` when no edit is safe to
/// write.
fn static_fix(build: &Build<'_>, recipe: &StaticRecipe) -> Option<Fix> {
    let command = build.command;
    let instr = build.run.instruction;
    if instr.json
        || command.context.nested_in.is_some()
        || !build.view.wrappers.is_empty()
        || build.explicitly_dynamic
    {
        return None;
    }
    let args = build.view.args();
    let first = build.view.words.first()?;
    match build.language {
        Language::Go => {
            let env: String = recipe
                .env
                .iter()
                .map(|(k, v)| format!("{k}={v} "))
                .collect();
            if env.is_empty() {
                return None;
            }
            let mut edits = vec![Edit::insert(command.span.start, env.clone())];
            let subcommand = args.iter().find(|w| !w.text().starts_with('-'))?;
            let has_ldflags = args.iter().any(|w| w.text().starts_with("-ldflags"));
            let strip = recipe
                .options
                .iter()
                .find(|o| o.value.starts_with("-ldflags") && o.value.contains("-s -w"));
            if let (false, Some(strip)) = (has_ldflags, strip) {
                edits.push(Edit::insert(
                    subcommand.span.end,
                    format!(" {}", strip.value),
                ));
            }
            Some(Fix::unsafe_edit(
                format!("Build with `{}`", env.trim()),
                edits,
            ))
        }
        Language::Rust => {
            let target = args
                .iter()
                .position(|w| w.text() == "--target" || w.text().starts_with("--target="))?;
            let triple = args[target]
                .text()
                .strip_prefix("--target=")
                .or_else(|| args.get(target + 1).map(|w| w.text()))?;
            if !triple.contains("-gnu")
                || build
                    .view
                    .assignments
                    .iter()
                    .any(|a| a.text().starts_with("RUSTFLAGS="))
            {
                return None;
            }
            let flags = recipe.options.iter().find_map(|o| {
                o.value
                    .split(" with ")
                    .next()
                    .filter(|v| v.starts_with("RUSTFLAGS="))
            })?;
            let flags = match (flags.split_once('='), ctx_has_rustflags(build)) {
                (Some((name, value)), true) => {
                    let inner = value.trim_matches('\'');
                    format!("{name}=\"${name} {inner}\"")
                }
                _ => flags.to_string(),
            };
            Some(Fix::unsafe_edit(
                format!("Build with `{flags}`"),
                vec![Edit::insert(command.span.start, format!("{flags} "))],
            ))
        }
        Language::Native => {
            let flag = recipe.options.iter().find(|o| o.value == "-static")?;
            Some(Fix::unsafe_edit(
                "Link with `-static`",
                vec![Edit::insert(first.span.end, format!(" {}", flag.value))],
            ))
        }
        Language::Node | Language::Python | Language::Java | Language::Dotnet => None,
    }
}

/// RUSTFLAGS is already set (ENV/ARG or `export`): the fix appends to it.
fn ctx_has_rustflags(build: &Build<'_>) -> bool {
    build.run.env_is_set("RUSTFLAGS")
        || build.run.commands().any(|c| {
            c.span.start < build.command.span.start
                && c.name() == Some("export")
                && c.args().iter().any(|w| w.text().starts_with("RUSTFLAGS="))
        })
}
