use crate::declare_rule;
use crate::fix::Fix;
use crate::knowledge::packages;
use crate::rules::stage::common::{package_ops, removed_in_run, stage_label};
use crate::rules::{Check, Context, Violation};
use crate::semantic::EdgeKind;

declare_rule! {
    /// ## What it does
    /// In a multi-stage build, flags a build toolchain installed in a stage that ships in the
    /// final image: compilers (`build-essential`, `build-base`, `gcc`, `g++`, `clang`), build
    /// tools (`make`, `cmake`, `autoconf`), version control (`git`), `-dev`/`-devel` header
    /// packages and language SDKs (`golang`, `cargo`, `rustc`), installed with apt, apk,
    /// yum/dnf or zypper. The package lists live in `rules/packages.toml`.
    ///
    /// ## Why is this bad?
    /// The file already has stages: the toolchain belongs in the builder, and only what it
    /// builds belongs in the runtime stage. Compilers and headers add tens to hundreds of
    /// megabytes to every pull and carry vulnerabilities the running program never needs.
    /// Packages removed again in the same `RUN` (`apt-get purge`, `apk del` of a `--virtual`
    /// group) do not stay in the layer and are not flagged. Version control tools alone (`git`,
    /// `mercurial`, `subversion`) are not flagged either: programs often call them at run time.
    /// A runtime stage built on an SDK image (`golang`, `buildpack-deps`, a JDK) is a build
    /// environment by design; `IMG002` speaks about that instead.
    ///
    /// Only for applications: when the image is a base image, an SDK/toolchain image, a
    /// devcontainer, a build environment, an ONBUILD template or a test fixture (as read from
    /// the file or stated with `# dlint purpose=…` or `[lint.per-file-purpose]`; see
    /// `docs/purpose.md`), its size is its author's choice and the rule stays quiet.
    ///
    /// Off by default: 67 % precision on hand-judged real files, below dlint's 90 %
    /// bar (`docs/precision.md`); enable it with `--select`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim AS build
    /// RUN pip wheel --no-cache-dir -w /wheels -r requirements.txt
    ///
    /// FROM python:3.12-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \
    ///     && rm -rf /var/lib/apt/lists/*
    /// COPY --from=build /wheels /wheels
    /// RUN pip install --no-cache-dir /wheels/*
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim AS build
    /// RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev
    /// RUN pip wheel --no-cache-dir -w /wheels -r requirements.txt
    ///
    /// FROM python:3.12-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends libpq5 \
    ///     && rm -rf /var/lib/apt/lists/*
    /// COPY --from=build /wheels /wheels
    /// RUN pip install --no-cache-dir /wheels/*
    /// ```
    ///
    /// ## Fix safety
    /// Display-only: moving an install between stages can break a later `RUN` of the runtime
    /// stage that compiles something, and the runtime library a `-dev` package stands for
    /// (`libpq5` for `libpq-dev`) has to be chosen by hand.
    pub struct ToolchainInRuntimeStage {
        code: "STG002",
        name: "toolchain-in-runtime-stage",
        family: Stage,
        severity: Warning,
        fix: None,
        default_enabled: false,
    }
}

/// Build-only packages that running programs often need too: alone, they are not flagged.
const VERSION_CONTROL: &[&str] = &["git", "mercurial", "subversion"];

impl Check for ToolchainInRuntimeStage {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let start = out.len();
        let model = ctx.model;
        if model.stages.len() < 2 {
            return;
        }
        // The builder: a stage that does not ship but whose files the final image copies.
        let builder = model
            .edges
            .iter()
            .filter(|e| e.kind != EdgeKind::From && ctx.ships(e.to) && !ctx.ships(e.from))
            .map(|e| &model.stages[e.from])
            .next();
        let advice = match builder {
            Some(stage) => format!(
                "Install these in the builder ({}) and copy only what it builds",
                stage_label(stage)
            ),
            None => "Install these in a builder stage and copy only what it builds".to_string(),
        };
        let sdk_runtime = model.runtime.and_then(|r| ctx.root_info(r));
        if sdk_runtime.is_some_and(|info| info.build_only) {
            return;
        }
        for run in ctx.runs() {
            if !ctx.ships(run.stage) {
                continue;
            }
            let removed = removed_in_run(run);
            for op in package_ops(run, false) {
                if op
                    .virtual_name
                    .as_ref()
                    .is_some_and(|v| removed.contains(&v.to_ascii_lowercase()))
                {
                    continue;
                }
                let toolchain: Vec<_> = op
                    .packages
                    .iter()
                    .filter(|w| w.value.is_some())
                    .filter(|w| {
                        packages().is_build_toolchain(op.installer.manager, w.text())
                            && !removed.contains(&op.name(w))
                    })
                    .collect();
                let (Some(first), Some(last)) = (toolchain.first(), toolchain.last()) else {
                    continue;
                };
                if toolchain
                    .iter()
                    .all(|w| VERSION_CONTROL.contains(&op.name(w).as_str()))
                {
                    continue;
                }
                let names: Vec<String> = toolchain
                    .iter()
                    .map(|w| format!("`{}`", w.text()))
                    .collect();
                out.push(
                    Violation::new(
                        first.span.start..last.span.end,
                        format!(
                            "build toolchain installed in the runtime stage of a multi-stage \
                             build: {}",
                            names.join(", ")
                        ),
                    )
                    .with_suggestion(Fix::display_only(advice.clone())),
                );
            }
        }
        // Size advice is for applications: base images, SDKs and devcontainers are heavy
        // on purpose (`dlint graph` shows the file's purpose). Asked only when needed.
        ctx.keep_only_if(out, start, Context::builds_application);
    }
}
