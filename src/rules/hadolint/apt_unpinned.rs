use crate::declare_rule;
use crate::rules::cache::common::package_commands;
use crate::rules::hadolint::common::{name_list, packages, unpinned, variable_list};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `apt-get install` of a package without a version (`curl` instead of
    /// `curl=7.88.1-10+deb12u5`).
    ///
    /// ## Why is this bad?
    /// Without a version, each build installs whatever the archive holds that day: builds are
    /// not reproducible, and an upgrade can break the image with no change to the Dockerfile.
    ///
    /// A package counts as pinned when it names a version (`pkg=1.2`), a release
    /// (`pkg/bookworm-backports`) or a `.deb` file. A variable (`$fetchDeps`) set by a bare
    /// assignment earlier in the same `RUN` (`fetchDeps='wget'; apt-get install $fetchDeps`)
    /// is judged by its packages. `ONBUILD RUN` is checked too.
    ///
    /// ## Differences from hadolint
    /// hadolint flags every package named through a variable. dlint judges a variable only by
    /// the value the same `RUN` gives it: one set elsewhere (`ENV`, `ARG`, a build argument,
    /// another `RUN`) may hold pinned packages, so it is not flagged.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows which version the image was tested with.
    pub struct AptUnpinned {
        code: "DL3008",
        name: "apt-unpinned",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3008")],
    }
}

/// apt-get options that take a value.
pub(crate) const APT_VALUE_OPTIONS: &[&str] = &[
    "-o",
    "-c",
    "-t",
    "--option",
    "--config-file",
    "--target-release",
    "--default-release",
];

impl Check for AptUnpinned {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for run in ctx.runs_with_onbuild() {
            for install in package_commands(run, &["apt-get"], &["install"], APT_VALUE_OPTIONS) {
                let packages = packages(&install, APT_VALUE_OPTIONS);
                let pinned = |p: &str| p.contains('=') || p.contains('/') || p.ends_with(".deb");
                let mut loose = unpinned(&packages, pinned);
                // Variables holding a list set in this RUN: flagged when a package is loose.
                loose.extend(packages.iter().copied().filter(|w| {
                    variable_list(run, w)
                        .is_some_and(|list| list.iter().any(|p| !p.is_empty() && !pinned(p)))
                }));
                loose.sort_by_key(|w| w.span.start);
                if loose.is_empty() {
                    continue;
                }
                // The example names a package, also when the first loose word is a variable.
                let example = match variable_list(run, loose[0]) {
                    Some(list) => list.into_iter().find(|p| !pinned(p)).unwrap_or_default(),
                    None => loose[0].text().to_string(),
                };
                out.push(Violation::new(
                    install.command.span.clone(),
                    format!(
                        "Pin versions in `apt-get install`: {} (use `{example}=<version>`)",
                        name_list(loose.iter().copied()),
                    ),
                ));
            }
        }
    }
}
