use crate::declare_rule;
use crate::knowledge::{packages, Ecosystem, Evidence, MuslSensitivePackage};
use crate::rules::musl::common::{
    attach_migration, context_copies, context_files, musl_stages, pip_install_args, pyproject_toml,
    read_context_file, requirements_txt, MuslStage,
};
use crate::rules::{Check, Context, Violation};
use crate::syntax::Span;

declare_rule! {
    /// ## What it does
    /// Flags Python packages with native extensions (`numpy`, `pandas`, `grpcio`,
    /// `cryptography`, `psycopg2`, `torch` …) installed on a musl image (Alpine): named on a
    /// `pip install` line, or listed in a `requirements*.txt` or `pyproject.toml` that the stage
    /// copies from the build context (read from the Dockerfile's directory when it is there).
    /// The package list and the reason for each package live in `rules/packages.toml`.
    ///
    /// ## Why is this bad?
    /// PyPI's binary wheels are built for glibc (`manylinux`). On musl pip needs a `musllinux`
    /// wheel; when the package has none for that version and architecture, pip compiles it
    /// from source, which needs compilers and headers in the image and can take tens of
    /// minutes (grpcio, pandas), or fails outright (torch has no source distribution). The
    /// `-slim` variant of the same image is glibc-based, installs the wheels as they are, and
    /// is usually smaller than Alpine plus a compiler toolchain.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-alpine
    /// RUN apk add --no-cache build-base
    /// RUN pip install --no-cache-dir pandas
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends build-essential \
    ///     && rm -rf /var/lib/apt/lists/*
    /// RUN pip install --no-cache-dir pandas
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the fix moves the stage (and every musl stage it exchanges files with) to the
    /// same version's glibc image (`python:3.12-alpine` → `python:3.12-slim`) and rewrites each
    /// `apk add` as `apt-get install` (and `apk del` as `apt-get purge`) using the Alpine to
    /// Debian names in `rules/packages.toml`. When an image has no known glibc variant, or an
    /// apk line cannot be translated (an unknown package, `apk upgrade`, BusyBox `adduser`
    /// options), the advice is display-only: dlint never writes a half-translated file.
    /// When no package of the stages builds from source on glibc (every native package has
    /// a manylinux wheel, no local project, no node addon), the compilers and headers the
    /// Alpine build needed are dropped rather than translated. What the stages use that the
    /// glibc image lacks (Alpine's BusyBox `wget`, its CA bundle) is installed with apt-get.
    pub struct MuslPythonNativePackage {
        code: "MUSL001",
        name: "musl-python-native-package",
        family: Musl,
        severity: Warning,
        fix: Sometimes,
    }
}

fn is_python_dependency_file(name: &str) -> bool {
    (name.starts_with("requirements") && name.ends_with(".txt")) || name == "pyproject.toml"
}

fn evidence_word(found: &MuslSensitivePackage) -> &'static str {
    match found.evidence {
        Evidence::Found | Evidence::Seed => "has",
        Evidence::Unverified => "likely has",
    }
}

impl Check for MuslPythonNativePackage {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let mut found = Vec::new();
        let mut report = |musl: &MuslStage<'_>, span: Span, message: String| {
            found.push((musl.stage, Violation::new(span, message)));
        };
        // Does the stage, or a stage built FROM it, run pip? One pass from the last stage back
        // (a FROM names only earlier stages), so thousands of stages stay linear.
        let mut pip_below = vec![false; ctx.model.stages.len()];
        for stage in ctx.model.stages.iter().rev() {
            let here = ctx
                .runs_in(stage.index)
                .any(|r| !pip_install_args(r).is_empty());
            pip_below[stage.index] |= here;
            if let Some(parent) = stage.parent {
                if pip_below[stage.index] {
                    pip_below[parent] = true;
                }
            }
        }
        for musl in musl_stages(ctx) {
            let image = musl.image_text().to_string();
            // Packages named on pip's command line.
            let runs: Vec<_> = ctx.runs_in(musl.stage).collect();
            let mut requirement_files = Vec::new();
            let mut installs = 0;
            for run in &runs {
                for pip in pip_install_args(run) {
                    installs += 1;
                    requirement_files.extend(pip.requirement_files.clone());
                    for word in pip.requirements {
                        let Some(found) = packages().musl_sensitive(Ecosystem::Python, word.text())
                        else {
                            continue;
                        };
                        report(
                            &musl,
                            word.span.clone(),
                            format!(
                                "`{}` {} native code and `{image}` uses musl: pip needs a \
                                 musllinux wheel or builds it from source ({})",
                                found.name,
                                evidence_word(found),
                                found.reason
                            ),
                        );
                    }
                }
            }
            // Dependency files copied from the build context, when a stage built on this one
            // runs pip.
            let pip_later = installs > 0 || pip_below[musl.stage];
            if !pip_later || ctx.path.is_none() {
                continue;
            }
            for copy in context_copies(ctx, musl.stage) {
                let Some(source) = copy.source.value.as_deref() else {
                    continue;
                };
                let whole_dir = matches!(source.trim_end_matches('/'), "." | "");
                let wanted = |name: &str| {
                    is_python_dependency_file(name)
                        && (!whole_dir
                            || requirement_files
                                .iter()
                                .any(|f| f.trim_start_matches("./") == name))
                };
                for file in context_files(ctx, source, &wanted) {
                    let Some(text) = read_context_file(ctx, &file) else {
                        continue;
                    };
                    let requirements = if file.ends_with(".toml") {
                        pyproject_toml(&text)
                    } else {
                        requirements_txt(&text)
                    };
                    let mut names: Vec<String> = Vec::new();
                    for requirement in &requirements {
                        if let Some(found) =
                            packages().musl_sensitive(Ecosystem::Python, requirement)
                        {
                            if !names.contains(&found.name) {
                                names.push(found.name.clone());
                            }
                        }
                    }
                    if names.is_empty() {
                        continue;
                    }
                    let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                    report(
                        &musl,
                        copy.source.span(),
                        format!(
                            "`{file}` lists packages with native code and `{image}` uses musl: \
                             {}: pip needs musllinux wheels or builds them from source",
                            list.join(", ")
                        ),
                    );
                }
            }
        }
        attach_migration(ctx, found, out);
    }
}
