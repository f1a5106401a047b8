use crate::declare_rule;
use crate::knowledge::{packages, Ecosystem, Evidence};
use crate::rules::musl::common::{
    attach_migration, context_copies, context_files, musl_stages, node_installs, package_json,
    read_context_file,
};
use crate::rules::{Check, Context, Violation};

declare_rule! {
    /// ## What it does
    /// Flags npm packages with native addons or per-libc binaries (`bcrypt`, `canvas`,
    /// `better-sqlite3`, `sharp`, `puppeteer`, `@swc/core` …) installed on a musl image
    /// (Alpine): named on an `npm install`, `yarn add` or `pnpm add` line, or listed in a
    /// `package.json` that the stage copies from the build context (read from the Dockerfile's
    /// directory when it is there) and installs. The list lives in `rules/packages.toml`.
    ///
    /// ## Why is this bad?
    /// Native addons download prebuilt binaries keyed by libc. When a package has no musl
    /// build for that version, `node-gyp` compiles it from source, which needs `python3`,
    /// `make` and `g++` in the image and slows every build; some packages (puppeteer's
    /// Chrome, canvas) ship glibc-only binaries. `node_modules` installed on one libc and
    /// copied to a stage on the other break at run time. The `-slim` variant of the same Node
    /// image is glibc-based and takes the prebuilt binaries as they are.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-alpine
    /// RUN apk add --no-cache python3 make g++
    /// RUN npm install bcrypt canvas
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22-slim
    /// RUN npm install bcrypt canvas
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: as for `MUSL001`, the fix moves the stage (and every musl stage it exchanges
    /// files with) to the same version's glibc image (`node:22-alpine` → `node:22-slim`) and
    /// rewrites `apk add`/`apk del` as `apt-get install`/`apt-get purge`. When an image has no
    /// known glibc variant or an apk line cannot be translated, the advice is display-only.
    pub struct MuslNodeNativeModule {
        code: "MUSL002",
        name: "musl-node-native-module",
        family: Musl,
        severity: Warning,
        fix: Sometimes,
    }
}

impl Check for MuslNodeNativeModule {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let mut found = Vec::new();
        // For each stage: does it, or a stage built FROM it, install node modules (and any with
        // dev dependencies)? One pass from the last stage back, so thousands of stages stay
        // linear.
        let mut installs_below = vec![(false, false); ctx.model.stages.len()];
        for stage in ctx.model.stages.iter().rev() {
            let (mut any, mut dev) = installs_below[stage.index];
            for install in ctx.runs_in(stage.index).flat_map(|r| node_installs(ctx, r)) {
                any = true;
                dev |= !install.production;
            }
            installs_below[stage.index] = (any, dev);
            if let Some(parent) = stage.parent {
                let below = &mut installs_below[parent];
                below.0 |= any;
                below.1 |= dev;
            }
        }
        for musl in musl_stages(ctx) {
            let image = musl.image_text().to_string();
            let mut installs_here = 0;
            for run in ctx.runs_in(musl.stage) {
                for install in node_installs(ctx, run) {
                    installs_here += 1;
                    for word in install.packages {
                        let Some(package) = packages().musl_sensitive(Ecosystem::Node, word.text())
                        else {
                            continue;
                        };
                        let has = match package.evidence {
                            Evidence::Unverified => "likely has",
                            _ => "has",
                        };
                        found.push((
                            musl.stage,
                            Violation::new(
                                word.span.clone(),
                                format!(
                                    "`{}` {has} native code and `{image}` uses musl: {}",
                                    package.name, package.reason
                                ),
                            ),
                        ));
                    }
                }
            }
            if ctx.path.is_none() {
                continue;
            }
            // package.json copied into this stage and installed here or in a stage built on it.
            let (any_install, with_dev) = installs_below[musl.stage];
            if !any_install && installs_here == 0 {
                continue;
            }
            for copy in context_copies(ctx, musl.stage) {
                let Some(source) = copy.source.value.as_deref() else {
                    continue;
                };
                for file in context_files(ctx, source, &|name| name == "package.json") {
                    let Some(text) = read_context_file(ctx, &file) else {
                        continue;
                    };
                    let mut names: Vec<String> = Vec::new();
                    for dependency in package_json(&text, with_dev) {
                        if let Some(package) =
                            packages().musl_sensitive(Ecosystem::Node, &dependency)
                        {
                            if !names.contains(&package.name) {
                                names.push(package.name.clone());
                            }
                        }
                    }
                    if names.is_empty() {
                        continue;
                    }
                    let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                    found.push((
                        musl.stage,
                        Violation::new(
                            copy.source.span(),
                            format!(
                                "`{file}` depends on packages with native code and `{image}` uses \
                                 musl: {}: without musl prebuilds node-gyp compiles them from \
                                 source",
                                list.join(", ")
                            ),
                        ),
                    ));
                }
            }
        }
        attach_migration(ctx, found, out);
    }
}
