use crate::declare_rule;
use crate::fix::Fix;
use crate::rules::cache::common::package_commands;
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `apt-get install` without `--no-install-recommends` (or the equivalent
    /// `-o APT::Install-Recommends=false`).
    ///
    /// ## Why is this bad?
    /// By default apt also installs every "recommended" package, often tens or hundreds of
    /// megabytes the application never uses (documentation, X11 libraries, extra tools).
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: a recommended package the application relies on without declaring it (a common
    /// case is `ca-certificates`) would be dropped. The fix inserts the flag right after the
    /// subcommand and its options (`apt-get install -y --no-install-recommends …`).
    pub struct AptNoInstallRecommends {
        code: "DL3015",
        name: "apt-no-install-recommends",
        family: Cache,
        severity: Info,
        fix: Always,
        sources: [Source::Hadolint("DL3015")],
    }
}

impl Check for AptNoInstallRecommends {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for run in ctx.runs_with_onbuild() {
            for install in package_commands(run, &["apt-get"], &["install"], &["-o", "-c", "-t"]) {
                let disabled = install.has_option(&["--no-install-recommends"])
                    || install.view.args().iter().any(|w| {
                        let t = w.text();
                        t.contains("Install-Recommends=false")
                            || t.contains("Install-Recommends=0")
                            || t.contains("Install-Recommends=\"false\"")
                    });
                if disabled {
                    continue;
                }
                out.push(
                    Violation::new(
                        install.command.span.clone(),
                        "`apt-get install` without `--no-install-recommends` installs recommended packages too",
                    )
                    .with_fix(Fix::unsafe_edit(
                        "Add `--no-install-recommends`",
                        vec![install.insert_option("--no-install-recommends")],
                    )),
                );
            }
        }
    }
}
