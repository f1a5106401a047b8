use crate::declare_rule;
use crate::knowledge::PackageManager;
use crate::rules::musl::common::{attach_migration, musl_stages, node_installs, pip_install_args};
use crate::rules::stage::common::{package_ops, NATIVE_BUILD_COMMANDS};
use crate::rules::{Check, Context, Violation};

declare_rule! {
    /// ## What it does
    /// Flags compilers added with `apk add` (`build-base`, `gcc`, `g++`, `clang`, `musl-dev`)
    /// on a musl (Alpine) stage whose only use for them is `pip install`/`pip wheel` or an
    /// npm/yarn/pnpm install: no `RUN` of the stage calls a compiler or build system itself
    /// (`gcc`, `make`, `cmake`, `cargo`, `go`, `./configure` …).
    ///
    /// ## Why is this bad?
    /// The compilers are there because pip or node-gyp found no musl binary and builds the
    /// package from source. That costs minutes per build and tens of megabytes per layer. On
    /// the glibc (`-slim`) variant of the same image the prebuilt `manylinux` wheels and
    /// prebuilt addons install as they are, and the compilers are usually not needed at all.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-alpine
    /// RUN apk add --no-cache build-base libffi-dev \
    ///     && pip install --no-cache-dir cffi
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN pip install --no-cache-dir cffi
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: as for `MUSL001`, the fix moves the stage (and every musl stage it exchanges
    /// files with) to the same version's glibc image and rewrites `apk add`/`apk del` as
    /// `apt-get install`/`apt-get purge`, keeping the compilers (`build-base` →
    /// `build-essential`): whether they can go is for the author to check. When an image has no
    /// known glibc variant or an apk line cannot be translated, the advice is display-only.
    pub struct MuslCompilersForPackages {
        code: "MUSL004",
        name: "musl-compilers-for-packages",
        family: Musl,
        severity: Warning,
        fix: Sometimes,
    }
}

/// Alpine packages that are there to compile C/C++.
const COMPILERS: &[&str] = &["build-base", "gcc", "g++", "clang", "musl-dev"];

impl Check for MuslCompilersForPackages {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let mut found = Vec::new();
        for musl in musl_stages(ctx) {
            let runs: Vec<_> = ctx.runs_in(musl.stage).collect();
            let compiles_itself = runs.iter().any(|run| {
                run.commands_named(NATIVE_BUILD_COMMANDS).next().is_some()
                    || run.commands_named(&["configure"]).next().is_some()
            });
            if compiles_itself {
                continue;
            }
            let pip = runs.iter().any(|r| !pip_install_args(r).is_empty());
            let node = runs.iter().any(|r| !node_installs(ctx, r).is_empty());
            let what = match (pip, node) {
                (true, true) => "Python and Node packages",
                (true, false) => "Python packages",
                (false, true) => "Node modules",
                (false, false) => continue,
            };
            let instead = match musl.glibc_alternative() {
                Some(glibc) => format!(
                    "on `{}` (glibc) prebuilt binaries install as they are",
                    glibc.reference()
                ),
                None => "a glibc-based image takes prebuilt binaries".to_string(),
            };
            for run in &runs {
                for op in package_ops(run, false) {
                    if op.installer.manager != PackageManager::Apk {
                        continue;
                    }
                    let compilers: Vec<_> = op
                        .packages
                        .iter()
                        .filter(|w| COMPILERS.contains(&op.name(w).as_str()))
                        .collect();
                    let (Some(first), Some(last)) = (compilers.first(), compilers.last()) else {
                        continue;
                    };
                    let names: Vec<String> = compilers
                        .iter()
                        .map(|w| format!("`{}`", op.name(w)))
                        .collect();
                    found.push((
                        musl.stage,
                        Violation::new(
                            first.span.start..last.span.end,
                            format!(
                                "{} added on musl (`{}`) only to compile {what} from source: \
                                 {instead}",
                                names.join(", "),
                                musl.image_text()
                            ),
                        ),
                    ));
                }
            }
        }
        attach_migration(ctx, found, out);
    }
}
