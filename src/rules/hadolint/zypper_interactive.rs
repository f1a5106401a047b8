use crate::declare_rule;
use crate::fix::{Edit, Fix};
use crate::rules::cache::common::package_commands;
use crate::rules::hadolint::common::has_flag;
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `zypper install` (`in`, `remove`, `rm`, `source-install`, `si`, `patch`,
    /// `update`, `up`, `dist-upgrade`, `dup`) without a non-interactive switch.
    ///
    /// ## Why is this bad?
    /// A build has no terminal to answer zypper's questions: zypper waits or aborts, and the
    /// build fails.
    ///
    /// Accepted: the global `--non-interactive` (`-n`, before the subcommand) and the
    /// command's `--no-confirm` (`-y`); after `install`, `-n` means `--name`.
    ///
    /// Unlike hadolint, `zypper -n install …` is accepted (hadolint does not know `-n`), and
    /// `update` and `dist-upgrade` are checked too: they ask the same question.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN zypper install httpd=2.4.58
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN zypper --non-interactive install httpd=2.4.58
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the switch only answers questions a build cannot answer. The fix inserts the
    /// global `--non-interactive` right after `zypper`, where it works for every
    /// subcommand.
    pub struct ZypperInteractive {
        code: "DL3034",
        name: "zypper-interactive",
        family: Hadolint,
        severity: Warning,
        fix: Always,
        sources: [Source::Hadolint("DL3034")],
    }
}

/// zypper's global options that take a value.
pub(crate) const ZYPPER_GLOBAL_VALUE_OPTIONS: &[&str] = &[
    "-R",
    "--root",
    "-c",
    "--config",
    "-D",
    "--reposd-dir",
    "-C",
    "--cache-dir",
    "--raw-cache-dir",
    "--solv-cache-dir",
    "--pkg-cache-dir",
    "--installroot",
];

const ASKING: &[&str] = &[
    "install",
    "in",
    "remove",
    "rm",
    "source-install",
    "si",
    "patch",
    "update",
    "up",
    "dist-upgrade",
    "dup",
];

impl Check for ZypperInteractive {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for run in ctx.runs_with_onbuild() {
            for command in package_commands(run, &["zypper"], ASKING, ZYPPER_GLOBAL_VALUE_OPTIONS) {
                let global = &command.view.args()[..command.subcommand_at];
                if has_flag(global, &['n'], &["--non-interactive"])
                    || has_flag(command.rest(), &['y'], &["--no-confirm"])
                {
                    continue;
                }
                let mut violation = Violation::new(
                    command.command.span.clone(),
                    format!(
                        "Non-interactive switch missing from `zypper {}`: it fails when zypper asks",
                        command.subcommand().text()
                    ),
                );
                if let Some(zypper) = command.view.words.first() {
                    violation = violation.with_fix(Fix::safe(
                        "Add `--non-interactive`",
                        vec![Edit::insert(zypper.span.end, " --non-interactive")],
                    ));
                }
                out.push(violation);
            }
        }
    }
}
