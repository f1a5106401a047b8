use crate::declare_rule;
use crate::fix::Fix;
use crate::knowledge::{packages, PackageManager};
use crate::rules::context::RunInfo;
use crate::rules::{Check, Context, Violation};
use crate::shell::{Command, CommandView};

use super::rewrite::{Planned, Reason, Single};
use super::{c_direct, c_make, go, java, node, python, python_build_deps, rust};

declare_rule! {
    /// ## What it does
    /// Flags a runtime stage that compiles or bundles the application: `go build`,
    /// `cargo build`, `mvn package`, `gradle build`, `javac`, `dotnet publish`, `npm run build` (and
    /// yarn/pnpm), `gcc`/`make`/`cmake`, or `pip install` with compilers and `-dev` headers
    /// installed in the image.
    ///
    /// ## Why is this bad?
    /// Whatever the build needs ships with the application: the compiler or SDK, the module
    /// and package caches, the sources, the dev dependencies. The image is often ten to a
    /// hundred times larger than the program, and every tool in it is attack surface. A
    /// builder stage does the work; the runtime stage copies only the result onto a small
    /// image (distroless, `-slim`, a JRE). A `RUN` that installs build packages and removes
    /// them again (`apk del .build-deps`) is not flagged for `gcc`/`make`.
    ///
    /// Only for applications: when the image is a base image, an SDK/toolchain image, a
    /// devcontainer, a build environment, an ONBUILD template or a test fixture (as read from
    /// the file or stated with `# dlint purpose=…` or `[lint.per-file-purpose]`; see
    /// `docs/purpose.md`), its size is its author's choice and the rule stays quiet.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23
    /// WORKDIR /src
    /// COPY . .
    /// RUN go build -o /usr/local/bin/server ./cmd/server
    /// CMD ["server"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// WORKDIR /src
    /// COPY . .
    /// RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /usr/local/bin/server ./cmd/server
    ///
    /// FROM gcr.io/distroless/static-debian13
    /// WORKDIR /src
    /// COPY --from=build /usr/local/bin/server /usr/local/bin/server
    /// USER 65532:65532
    /// CMD ["server"]
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the runtime image changes. When the file has a single stage and dlint knows
    /// the build, the fix turns the stage into a builder (` AS build`, the build command
    /// adjusted in place) and appends a runtime stage that copies only the result and carries
    /// over ARG, ENV, WORKDIR, EXPOSE, LABEL, VOLUME, STOPSIGNAL, USER, ENTRYPOINT and CMD:
    ///
    /// - Go: `CGO_ENABLED=0`, `-ldflags="-s -w"` and an explicit `-o` (`go build`); distroless
    ///   static (`:nonroot`). `go install ./cmd/app` keeps its command: the binary is taken
    ///   from `$GOBIN`, else `$GOPATH/bin` (`/go/bin` on the golang image), and put in
    ///   `/usr/local/bin` when the container runs it by name. When the program needs cgo (a
    ///   module `go.mod` requires that needs it, such as `github.com/mattn/go-sqlite3`, listed
    ///   in `rules/packages.toml`; `import "C"`; a `-dev` library the file installs;
    ///   `CGO_ENABLED=1`), cgo stays on and the binary runs on distroless `base` (`cc` for
    ///   C++), with the shared libraries of the installed `-dev` packages copied from the
    ///   builder (`rules/packages.toml` names them; an unknown one: advice only). A start line
    ///   that needs a shell (`sh -c "app | tee log"`) runs the static binary on the image the
    ///   knowledge base names for that (`debian:trixie-slim`) when it has every other command.
    ///   What `COPY .` brought besides the Go sources (templates, static files,
    ///   configuration, minus `.dockerignore`) and what `COPY --from` put in the builder are
    ///   copied into the runtime stage at the same path, since the program may read them at
    ///   run time. With no WORKDIR in the file, the golang image's own (`/go`) is kept.
    ///   Multi-stage files are split too when their last stage is the one that builds on the
    ///   Go image (the other stages stay as they are).
    /// - Rust: `RUSTFLAGS="-C target-feature=+crt-static"` with an explicit `--target`
    ///   (x86_64 unless the FROM says `--platform=linux/arm64`; a musl toolchain is static
    ///   already); distroless static. The binary is named by `--bin`, by `Cargo.toml` next to
    ///   the Dockerfile, or by the CMD/ENTRYPOINT path.
    /// - Node.js: dev dependencies pruned after the build (`npm prune --omit=dev`,
    ///   `pnpm prune --prod`), the application directory copied; distroless `nodejs<major>`
    ///   when the knowledge base lists the same major version and the container starts with
    ///   `node`, else the `-slim` image. A start script that needs a dev dependency fails.
    /// - Python: packages installed into `/venv`, which is copied with the application
    ///   directory into the `-slim` image of the same version. The builder keeps its image
    ///   (a builder is never moved to a smaller image); when a package pip always compiles
    ///   (no Linux wheel) would link against a library the `-slim` image lacks, the split is
    ///   advice only. Distroless python3 is only named, when its Python version is the same: a venv from
    ///   the official image does not run on it.
    /// - Python with the image's own compilers: a `pip install` on a full image (`python:3.13`)
    ///   of a package pip always builds from source (no Linux wheel, `rules/packages.toml`) is
    ///   flagged too, and split the same way.
    ///   A RUN that installs packages the runtime may need besides the build ones (`curl`
    ///   with `build-essential`) is repeated in the runtime stage with only the build packages
    ///   taken out of its install list, so what else it does (an installer it fetches) happens
    ///   there too; only when it runs before any COPY and runs no compiler or `pip` itself.
    /// - Python from the distribution (`apk add python3`, `apt-get install python3` on
    ///   `alpine`, `debian`, `ubuntu`) with the packages in a venv the stage creates
    ///   (`python3 -m venv /venv`, used through `/venv/bin/pip`, `activate` or PATH): the
    ///   runtime stage is on the same image (digest pin kept) and installs only the
    ///   interpreter, the packages that are not for the build and the runtime libraries
    ///   (`libffi-dev` → `libffi`; on Alpine gcc → `libgcc`, g++ → `libstdc++`;
    ///   `rules/packages.toml`), then copies the venv and the application directory. pip into
    ///   the system Python (no venv) is advice only.
    /// - Java: the JRE image of the same Java version (`eclipse-temurin:<v>-jre`), with the
    ///   jar the CMD/ENTRYPOINT runs; for plain `javac` and `java <Class>`, the working
    ///   directory with the classes.
    /// - C/C++ with `make` or CMake on a Debian image: the program (a path in the build
    ///   directory, or what the install step puts on the PATH: the `DESTDIR=/out` tree of
    ///   `cmake --install` or of a `make install` whose every install line honours `DESTDIR`,
    ///   else the file the Makefile names) copied into the `-slim` image of the same Debian
    ///   release, which installs the runtime packages of the libraries the build links
    ///   (Makefile `-lcurl`, CMake `SQLite::SQLite3` → `libcurl4t64`, `libsqlite3-0` on
    ///   trixie, `rules/packages.toml`). Only the program (or the installed tree) is carried.
    ///   Not when the build computes its flags (`pkg-config`, `$(shell …)`), links a library
    ///   dlint does not know, or runs `gcc` itself besides `make`.
    /// - C/C++ compiled by one direct compiler call (`gcc -static app.c -o /usr/bin/app`) on a
    ///   Debian image: the `-o` output copied the same way, with the runtime packages of the
    ///   command's own `-l` flags (none with `-static`); when the output lands in the
    ///   directory the build context filled, that whole directory is carried. Later RUNs that
    ///   only `chmod`/`chown` the program (`chmod +s`) are repeated after the copy. Not for
    ///   several compile commands, flags that are not literal, `-L` directories, shared
    ///   objects or an unknown library.
    ///
    /// On distroless images a named USER becomes the numeric nonroot user (`65532:65532`)
    /// and a plain shell-form ENTRYPOINT/CMD the exec form; on images with a shell, RUNs that
    /// only create users are repeated. A digest-pinned builder keeps its pin and a note says
    /// the new runtime stage is not pinned. A base read from ARG defaults (`golang:${GO}`)
    /// comes with a note that a `--build-arg` may change it. Whenever dlint is not sure the
    /// result builds and runs (several stages, but for Go's case above; a RUN
    /// that may set up the runtime, shell syntax in CMD, an unknown binary name, cgo, `-dev`
    /// libraries the runtime would need, a HEALTHCHECK), the split is display-only advice
    /// with the reason. .NET builds always get advice only.
    pub struct BuildInRuntimeStage {
        code: "STG001",
        name: "build-in-runtime-stage",
        family: Stage,
        severity: Warning,
        fix: Sometimes,
    }
}

pub(crate) use crate::rules::language::Language;

/// One command that builds, in a stage that ships.
pub(crate) struct BuildStep<'a> {
    pub language: Language,
    pub run: &'a RunInfo<'a>,
    pub command: &'a Command,
    /// `go build`, `npm run build` …, for the message.
    pub label: String,
    /// For a `pip install` that compiles: the build packages installed for it.
    pub toolchain: Vec<String>,
    /// For a `pip install` that compiles with the image's own compilers: the projects it
    /// builds from source.
    pub compiled: Vec<String>,
}

const MAVEN_GOALS: &[&str] = &["compile", "package", "verify", "install", "deploy"];
const GRADLE_TASKS: &[&str] = &[
    "build",
    "assemble",
    "jar",
    "bootJar",
    "shadowJar",
    "installDist",
    "war",
    "bootWar",
    "compileJava",
    "classes",
];
/// Build-only packages that compile nothing: `git` next to `pip install` fetches sources.
const VERSION_CONTROL: &[&str] = &["git", "git-core", "mercurial", "subversion"];
const NATIVE_TOOLS: &[&str] = &[
    "gcc", "g++", "cc", "c++", "clang", "clang++", "make", "cmake",
];

/// Non-option arguments.
fn operands<'a>(view: &CommandView<'a>) -> Vec<&'a str> {
    view.args()
        .iter()
        .map(|w| w.text())
        .filter(|t| !t.starts_with('-'))
        .collect()
}

fn is_build_script(name: &str) -> bool {
    name == "build" || name.starts_with("build:")
}

/// The build a command runs, if it is one.
fn classify(view: &CommandView<'_>) -> Option<(Language, String)> {
    let name = view.name()?;
    let builder = matches!(
        name,
        "go" | "cargo"
            | "mvn"
            | "mvnw"
            | "gradle"
            | "gradlew"
            | "javac"
            | "dotnet"
            | "npm"
            | "yarn"
            | "pnpm"
    );
    if !builder && !NATIVE_TOOLS.contains(&name) {
        return None; // most commands: spare collecting the operands
    }
    let ops = operands(view);
    let first = ops.first().copied();
    match name {
        "go" => match first? {
            "build" => Some((Language::Go, "go build".into())),
            // A local package (`go install ./cmd/app`), not a tool (`x@v1`, `tool`).
            "install" if ops[1..].iter().all(|p| p.starts_with('.')) => {
                Some((Language::Go, "go install".into()))
            }
            _ => None,
        },
        "cargo" => match first? {
            "build" | "b" => Some((Language::Rust, "cargo build".into())),
            "install" if view.args().iter().any(|w| w.is("--path")) => {
                Some((Language::Rust, "cargo install".into()))
            }
            _ => None,
        },
        "mvn" | "mvnw" => ops
            .iter()
            .find(|g| MAVEN_GOALS.contains(g))
            .map(|g| (Language::Java, format!("{name} {g}"))),
        "gradle" | "gradlew" => ops
            .iter()
            .find(|t| GRADLE_TASKS.contains(&t.rsplit(':').next().unwrap_or(t)))
            .map(|t| (Language::Java, format!("{name} {t}"))),
        "javac" if !ops.is_empty() => Some((Language::Java, "javac".into())),
        "dotnet" => match first? {
            "publish" | "build" => Some((Language::Dotnet, format!("dotnet {}", first?))),
            _ => None,
        },
        "npm" => match ops.as_slice() {
            ["run" | "run-script", script, ..] if is_build_script(script) => {
                Some((Language::Node, format!("npm run {script}")))
            }
            _ => None,
        },
        "yarn" | "pnpm" => match ops.as_slice() {
            ["run", script, ..] | [script, ..] if is_build_script(script) => {
                Some((Language::Node, format!("{name} {script}")))
            }
            _ => None,
        },
        _ if NATIVE_TOOLS.contains(&name) => {
            let version_query = view
                .args()
                .iter()
                .any(|w| matches!(w.text(), "--version" | "-v" | "-dumpversion"));
            (!version_query).then(|| (Language::Native, name.to_string()))
        }
        _ => None,
    }
}

/// The RUN removes packages it installed (`apk del .build-deps`, `apt-get purge`): its
/// compilers do not stay in the image.
fn removes_packages(run: &RunInfo<'_>) -> bool {
    run.named_commands().any(|(command, name)| {
        let Some(manager) = PackageManager::from_command(name) else {
            return false;
        };
        let ops = operands(&command.effective());
        match manager {
            PackageManager::Apk => ops.first() == Some(&"del"),
            _ => matches!(
                ops.first(),
                Some(&("purge" | "remove" | "autoremove" | "erase" | "rm"))
            ),
        }
    })
}

/// Build-only packages (compilers, headers) a command installs.
fn toolchain_installed(view: &CommandView<'_>) -> Vec<String> {
    let Some(manager) = view.name().and_then(PackageManager::from_command) else {
        return Vec::new();
    };
    let ops = operands(view);
    if !matches!(ops.first(), Some(&("install" | "add" | "in"))) {
        return Vec::new();
    }
    ops[1..]
        .iter()
        .filter(|p| packages().is_build_toolchain(manager, p))
        .map(|p| manager.package_name(p))
        .filter(|p| !VERSION_CONTROL.contains(&p.as_str()))
        .collect()
}

/// Every build in a stage that ships, in file order.
pub(crate) fn build_steps<'a>(ctx: &'a Context<'_>) -> Vec<BuildStep<'a>> {
    let mut steps = Vec::new();
    let mut toolchain = Vec::new();
    let mut pip = Vec::new();
    for run in ctx.runs() {
        if !ctx.ships(run.stage) {
            continue;
        }
        let cleaned = removes_packages(run);
        for command in run.commands() {
            let view = command.effective();
            if !cleaned {
                toolchain.extend(toolchain_installed(&view));
            }
            if let Some((language, label)) = classify(&view) {
                if language == Language::Native && cleaned {
                    continue;
                }
                steps.push(BuildStep {
                    language,
                    run,
                    command,
                    label,
                    toolchain: Vec::new(),
                    compiled: Vec::new(),
                });
            }
        }
        for install in crate::rules::cache::pip_no_cache_dir::pip_installs(run) {
            pip.push((run, install.command));
        }
    }
    if steps.is_empty() && !toolchain.is_empty() {
        if let Some((run, command)) = pip.first() {
            let mut seen = std::collections::BTreeSet::new();
            toolchain.retain(|p| seen.insert(p.clone()));
            steps.push(BuildStep {
                language: Language::Python,
                run,
                command,
                label: "pip install".into(),
                toolchain,
                compiled: Vec::new(),
            });
        }
    } else if steps.is_empty() {
        // No compiler installed, but the image has one and pip builds from source with it.
        let compiled = pip.first().map(|(run, command)| {
            (
                *run,
                *command,
                python_build_deps::compiled_with_image_compiler(ctx, run),
            )
        });
        if let Some((run, command, compiled)) = compiled.filter(|(_, _, c)| !c.is_empty()) {
            steps.push(BuildStep {
                language: Language::Python,
                run,
                command,
                label: "pip install".into(),
                toolchain: Vec::new(),
                compiled,
            });
        }
    }
    steps
}

/// The stage the recipe splits: multi-stage files only for the recipes the lab proves on
/// them (Go).
fn single_for<'a, 'f>(
    ctx: &'a Context<'f>,
    step: &BuildStep<'_>,
) -> Result<Single<'a, 'f>, Reason> {
    Single::of_build(ctx, step.run.stage, step.language == Language::Go)
}

/// The recipe's rewrite for the file, or why there is none.
fn rewrite(single: &Single<'_, '_>, language: Language) -> Result<Planned, Reason> {
    match language {
        Language::Go => go::rewrite(single),
        Language::Rust => rust::rewrite(single),
        Language::Node => node::rewrite(single),
        Language::Python => python::rewrite(single),
        Language::Java => java::rewrite(single),
        Language::Native if c_direct::applies(single) => c_direct::rewrite(single),
        Language::Native => c_make::rewrite(single),
        Language::Dotnet => Err(format!(
            "dlint has no {} recipe to split automatically",
            language.name()
        )),
    }
}

/// The runtime image STG001's rewrite splits the stage `root` onto, when it rewrites the
/// file: a size rule then leaves that stage's FROM alone (the builder keeps its image).
pub(crate) fn splits_onto(ctx: &Context<'_>, root: usize) -> Option<String> {
    let steps = build_steps(ctx);
    let first = steps.first()?;
    if ctx.model.stages.get(first.run.stage).map(|s| s.root) != Some(root) {
        return None;
    }
    let single = single_for(ctx, first).ok()?;
    rewrite(&single, first.language)
        .ok()
        .map(|planned| planned.runtime)
}

/// The runtime image the split of the file names, in its rewrite or its advice: IMG002
/// names the same one, so the file gets one piece of advice.
pub(crate) fn split_runtime(ctx: &Context<'_>) -> Option<String> {
    let steps = build_steps(ctx);
    let first = steps.first()?;
    let single = single_for(ctx, first);
    if let Ok(planned) = single
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|s| rewrite(s, first.language))
    {
        return Some(planned.runtime);
    }
    let root = ctx.model.stages.get(first.run.stage).map(|s| s.root);
    let fallback = root.and_then(|r| Single::of_stage(ctx, r).ok());
    let about = single.as_ref().ok().or(fallback.as_ref());
    match first.language {
        Language::Go => go::runtime(about),
        Language::Rust => rust::runtime(about),
        Language::Node => node::runtime(about),
        Language::Python => python::runtime(about),
        Language::Java => java::runtime(about),
        Language::Native => c_make::runtime(about),
        Language::Dotnet => about
            .and_then(|s| s.info.runtime_alternative())
            .map(|s| s.reference()),
    }
}

/// How to split by hand.
fn advice(single: Option<&Single<'_, '_>>, language: Language) -> String {
    match language {
        Language::Go => go::advice(single),
        Language::Rust => rust::advice(single),
        Language::Node => node::advice(single),
        Language::Python => python::advice(single),
        Language::Java => java::advice(single),
        Language::Dotnet | Language::Native => {
            let runtime = single
                .and_then(|s| match language {
                    Language::Native => c_make::runtime(Some(s)),
                    _ => s.info.runtime_alternative().map(|r| r.reference()),
                })
                .map(|r| format!("`{r}`"))
                .unwrap_or_else(|| "a small runtime image".into());
            format!("Build in a stage of its own and copy only the result into {runtime}")
        }
    }
}

impl Check for BuildInRuntimeStage {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let start = out.len();
        let steps = build_steps(ctx);
        let Some(first) = steps.first() else { return };
        let message = if !first.compiled.is_empty() {
            let base = ctx
                .model
                .stages
                .get(first.run.stage)
                .and_then(|s| ctx.model.stages.get(s.root))
                .and_then(|s| s.base.as_ref())
                .map_or("the base image", |b| b.raw.as_str());
            format!(
                "`{}` compiles `{}` from source with the compilers of `{base}`: they ship in \
                 the final image",
                first.label,
                first.compiled.join("`, `")
            )
        } else if !first.toolchain.is_empty() {
            format!(
                "`{}` compiles native code in the runtime stage: the build packages installed \
                 for it (`{}`) ship in the final image",
                first.label,
                first.toolchain.join(" ")
            )
        } else {
            format!(
                "`{}` builds in the runtime stage: the toolchain and the build's inputs ship in \
                 the final image",
                first.label
            )
        };
        let mut violation = Violation::new(first.command.span.clone(), message);
        let single = single_for(ctx, first);
        let planned = single
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|s| rewrite(s, first.language));
        match planned {
            Ok(planned) => {
                let builder = single
                    .as_ref()
                    .map(|s| s.builder_name())
                    .unwrap_or_default();
                violation = violation.with_fix(Fix::unsafe_edit(
                    format!(
                        "Split into a `{builder}` stage and a runtime stage on `{}`",
                        planned.runtime
                    ),
                    planned.edits,
                ));
                for note in planned.notes {
                    violation = violation.with_suggestion(Fix::display_only(note));
                }
                if let Some(note) = single.as_ref().ok().and_then(Single::arg_note) {
                    violation = violation.with_suggestion(Fix::display_only(note));
                }
                // A runtime stage on the builder's own pinned image keeps the pin.
                let pinned = single
                    .as_ref()
                    .ok()
                    .filter(|s| s.image.digest.is_some() && !planned.runtime.contains('@'));
                if let Some(pinned) = pinned {
                    violation = violation.with_suggestion(Fix::display_only(format!(
                        "The builder keeps its digest pin (`{}`); the new runtime stage's `{}` \
                         is not pinned: pin its digest too",
                        pinned.base.raw, planned.runtime
                    )));
                }
            }
            Err(reason) => {
                // Advice names images for the stage that builds (its FROM chain's root).
                let root = ctx.model.stages.get(first.run.stage).map(|s| s.root);
                let about = single.as_ref().ok();
                let fallback = root.and_then(|r| Single::of_stage(ctx, r).ok());
                let advice = advice(about.or(fallback.as_ref()), first.language);
                violation = violation.with_fix(Fix::display_only(format!(
                    "{advice} (not rewritten: {reason})"
                )));
            }
        }
        out.push(violation);
        // Size advice is for applications: base images, SDKs and devcontainers are heavy
        // on purpose (`dlint graph` shows the file's purpose). Asked only when needed.
        ctx.keep_only_if(out, start, Context::builds_application);
    }
}
