use crate::declare_rule;
use crate::fix::Fix;
use crate::rules::cache::common::{has_cache_mount, package_commands, removes_dir};
use crate::rules::{Check, Context, Violation};

/// A compiler whose build cache ends up in the layer.
struct BuildCache {
    tool: &'static str,
    builds: &'static [&'static str],
    dirs: &'static [&'static str],
    /// Every one of `dirs` must be removed (Go's two caches), or any one (Cargo's registry,
    /// spelled several ways, only one of which is `$CARGO_HOME`).
    remove_all: bool,
    mount_hint: &'static str,
}

const CACHES: &[BuildCache] = &[
    BuildCache {
        tool: "go",
        builds: &["build", "install", "mod", "get", "test"],
        dirs: &["/root/.cache/go-build", "/go/pkg/mod"],
        remove_all: true,
        mount_hint:
            "--mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod",
    },
    BuildCache {
        tool: "cargo",
        builds: &["build", "install", "fetch"],
        dirs: &[
            "/usr/local/cargo/registry",
            "/root/.cargo/registry",
            "$CARGO_HOME/registry",
            "${CARGO_HOME}/registry",
        ],
        remove_all: false,
        mount_hint: "--mount=type=cache,target=/usr/local/cargo/registry",
    },
];

declare_rule! {
    /// ## What it does
    /// Flags `go build`/`go install`/`go mod download` and `cargo build`/`cargo install` in a
    /// stage that ships in the final image when their caches (Go's build and module caches,
    /// Cargo's registry) are neither on a cache mount nor removed in the same `RUN`.
    ///
    /// ## Why is this bad?
    /// The module downloads and compiled objects (hundreds of megabytes for a typical project)
    /// stay in the layer. The better fix is a separate build stage (see `STG001`); the least is a
    /// BuildKit cache mount, which keeps the cache between builds and out of the image.
    ///
    /// Quiet when the image is a build environment or a test fixture (`docs/purpose.md`):
    /// nobody ships its layers.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23
    /// RUN go build -o /app ./cmd/app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.23
    /// RUN --mount=type=cache,target=/root/.cache/go-build \
    ///     --mount=type=cache,target=/go/pkg/mod \
    ///     go build -o /app ./cmd/app
    /// ```
    ///
    /// ## Fix safety
    /// Display-only: the advice names the cache mounts; whether to split stages instead is a
    /// design choice.
    pub struct BuildCacheInRuntime {
        code: "CCH005",
        name: "build-cache-in-runtime",
        family: Cache,
        severity: Warning,
        fix: None,
    }
}

impl Check for BuildCacheInRuntime {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let start = out.len();
        for run in ctx.runs() {
            if !ctx.ships(run.stage) {
                continue;
            }
            for cache in CACHES {
                let removed = if cache.remove_all {
                    cache.dirs.iter().all(|d| removes_dir(run, d))
                } else {
                    cache.dirs.iter().any(|d| removes_dir(run, d))
                };
                if has_cache_mount(run, cache.dirs) || removed {
                    continue;
                }
                let cleaned = run
                    .commands_named(&[cache.tool])
                    .any(|c| c.effective().arg("clean").is_some());
                if cleaned {
                    continue;
                }
                if let Some(build) = package_commands(run, &[cache.tool], cache.builds, &[]).first()
                {
                    out.push(
                        Violation::new(
                            build.command.span.clone(),
                            format!(
                                "`{} {}` leaves its build and download caches in a layer of the final image",
                                cache.tool,
                                build.subcommand().text()
                            ),
                        )
                        .with_suggestion(Fix::display_only(format!(
                            "Build in a separate stage, or use `RUN {}`",
                            cache.mount_hint
                        ))),
                    );
                }
            }
        }
        // Layer size matters for images that are shipped, not for build environments and
        // test fixtures (`docs/purpose.md`). Asked only when needed.
        ctx.keep_only_if(out, start, Context::layer_size_matters);
    }
}
