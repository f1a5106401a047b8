use crate::declare_rule;
use crate::fix::{Edit, Fix};
use crate::rules::hadolint::common::operands;
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `apt` in a `RUN`; `apt-get` and `apt-cache` are the tools for scripts.
    ///
    /// ## Why is this bad?
    /// `apt` is the interactive front end: its output and behaviour may change between
    /// releases (it warns "apt does not have a stable CLI interface"), it draws progress bars
    /// into the build log, and some subcommands differ from their `apt-get` namesakes.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt update && apt install -y curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y curl
    /// ```
    ///
    /// ## Fix safety
    /// The fix replaces `apt` with the tool that does the same:
    /// - safe for `update`, `remove`, `purge`, `autoremove`, `clean`, `autoclean`, `source`,
    ///   `build-dep`, `download`, `check` and `satisfy` (to `apt-get`), and for `show`,
    ///   `search`, `policy`, `depends`, `rdepends` and `showsrc` (to `apt-cache`): they
    ///   behave alike;
    /// - unsafe for `install` and `reinstall`: `apt` deletes the downloaded `.deb` files
    ///   after installing, `apt-get` keeps them in `/var/cache/apt/archives` unless the
    ///   image configures otherwise (Docker's Debian and Ubuntu images do), so the layer
    ///   may grow;
    /// - none for `upgrade` (`apt upgrade` also installs new dependencies, `apt-get upgrade`
    ///   does not), `full-upgrade`, `list`, `edit-sources` and the rest.
    pub struct AptInsteadOfAptGet {
        code: "DL3027",
        name: "apt-instead-of-apt-get",
        family: Hadolint,
        severity: Warning,
        fix: Sometimes,
        sources: [Source::Hadolint("DL3027")],
    }
}

const SAME_IN_APT_GET: &[&str] = &[
    "update",
    "remove",
    "purge",
    "autoremove",
    "auto-remove",
    "clean",
    "autoclean",
    "auto-clean",
    "source",
    "build-dep",
    "download",
    "check",
    "satisfy",
];
const SAME_IN_APT_CACHE: &[&str] = &["show", "search", "policy", "depends", "rdepends", "showsrc"];

impl Check for AptInsteadOfAptGet {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for run in ctx.runs_with_onbuild() {
            for command in run.commands_named(&["apt"]) {
                let view = command.effective();
                let Some(word) = view.words.first() else {
                    continue;
                };
                let subcommand = operands(view.args(), &["-o", "-c", "-t"])
                    .first()
                    .map(|w| w.text())
                    .unwrap_or("");
                let mut violation = Violation::new(
                    word.span.clone(),
                    "Do not use `apt` in scripts: use `apt-get` or `apt-cache`",
                );
                let written = run.source.get(word.span.clone()).unwrap_or("");
                if written == &*word.raw && written.ends_with("apt") {
                    let prefix = &written[..written.len() - 3];
                    let edit = |tool: &str| {
                        vec![Edit::replace(word.span.clone(), format!("{prefix}{tool}"))]
                    };
                    if SAME_IN_APT_GET.contains(&subcommand) {
                        violation = violation
                            .with_fix(Fix::safe("Replace `apt` with `apt-get`", edit("apt-get")));
                    } else if SAME_IN_APT_CACHE.contains(&subcommand) {
                        violation = violation.with_fix(Fix::safe(
                            "Replace `apt` with `apt-cache`",
                            edit("apt-cache"),
                        ));
                    } else if matches!(subcommand, "install" | "reinstall") {
                        violation = violation.with_fix(Fix::unsafe_edit(
                            "Replace `apt` with `apt-get` (it keeps downloaded packages unless configured not to)",
                            edit("apt-get"),
                        ));
                    }
                }
                out.push(violation);
            }
        }
    }
}
