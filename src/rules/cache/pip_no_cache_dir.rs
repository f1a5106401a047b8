use crate::declare_rule;
use crate::fix::Fix;
use crate::rules::cache::common::{has_cache_mount, package_commands, PackageCommand};
use crate::rules::context::RunInfo;
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `pip install` (also `pip3`, `python -m pip`) without `--no-cache-dir`.
    ///
    /// ## Why is this bad?
    /// pip keeps every downloaded wheel and source archive in `~/.cache/pip`, which stays in the
    /// layer: often as large as the installed packages themselves.
    ///
    /// Accepted instead of the flag: `PIP_NO_CACHE_DIR` set with ENV or ARG in the stage (or on
    /// the command), and a cache mount on `/root/.cache/pip` (or `/root/.cache`).
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN pip install -r requirements.txt
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN pip install --no-cache-dir -r requirements.txt
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the same packages are installed. The fix inserts `--no-cache-dir` right after
    /// `install` and its options.
    pub struct PipNoCacheDir {
        code: "DL3042",
        name: "pip-no-cache-dir",
        family: Cache,
        severity: Warning,
        fix: Always,
        sources: [Source::Hadolint("DL3042")],
    }
}

/// `pip install …`, `pip3 install …`, `python3 -m pip install …`.
pub(crate) fn pip_installs<'a>(run: &'a RunInfo<'a>) -> Vec<PackageCommand<'a>> {
    let mut installs = package_commands(run, &["pip", "pip3", "pip2"], &["install"], &[]);
    installs.extend(
        package_commands(
            run,
            &["python", "python3", "python2"],
            &["pip", "pip3"],
            &[],
        )
        .into_iter()
        .filter(|c| c.rest().first().is_some_and(|w| w.is("install")))
        .map(|c| PackageCommand {
            subcommand_at: c.subcommand_at + 1,
            ..c
        }),
    );
    installs
}

impl Check for PipNoCacheDir {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for run in ctx.runs_with_onbuild() {
            if has_cache_mount(run, &["/root/.cache/pip"]) || run.env_is_set("PIP_NO_CACHE_DIR") {
                continue;
            }
            for install in pip_installs(run) {
                let per_command_env = install
                    .view
                    .assignments
                    .iter()
                    .any(|a| a.text().starts_with("PIP_NO_CACHE_DIR="));
                if per_command_env || install.has_option(&["--no-cache-dir"]) {
                    continue;
                }
                out.push(
                    Violation::new(
                        install.command.span.clone(),
                        "`pip install` without `--no-cache-dir` keeps downloaded packages in the layer",
                    )
                    .with_fix(Fix::safe(
                        "Add `--no-cache-dir`",
                        vec![install.insert_option("--no-cache-dir")],
                    )),
                );
            }
        }
    }
}
