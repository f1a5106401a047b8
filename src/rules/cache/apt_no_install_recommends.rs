use crate::declare_rule;
use crate::fix::Fix;
use crate::rules::cache::common::package_commands;
use crate::rules::cache::recommends::RecommendIndex;
use crate::rules::hadolint::common::packages;
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
    ///
    /// Display-only when the file itself shows that a later step needs a recommend: the
    /// install names a package of `rules/apt-recommends.toml` (for example `python3-pip`,
    /// which recommends the compilers and headers pip uses to build an sdist) and a later
    /// command of the stage, or of a stage built `FROM` it, needs them (`pip install`), while
    /// the file does not install them by name. The advice names the package, its recommends
    /// and the command that needs them.
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
        // Built on the first install that lacks the flag: most files have none.
        let index = std::cell::OnceCell::new();
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
                let installed: Vec<String> = packages(&install, &["-o", "-c", "-t"])
                    .iter()
                    .filter_map(|w| w.value.as_deref())
                    .map(|v| v.split(['=', '/', ':']).next().unwrap_or(v).to_string())
                    .collect();
                let index = index.get_or_init(|| RecommendIndex::new(ctx));
                let fix = match index.blocker(run.stage, install.command.span.start, &installed) {
                    None => Fix::unsafe_edit(
                        "Add `--no-install-recommends`",
                        vec![install.insert_option("--no-install-recommends")],
                    ),
                    Some(b) => Fix::display_only(format!(
                        "Not fixed automatically: `{}` recommends {}, which `{}` (RUN on line {}) \
                         needs: {}. Name {} in the install before adding \
                         `--no-install-recommends`",
                        b.package,
                        b.missing.join(", "),
                        short(b.needed_by_run.source, b.needed_by),
                        b.needed_by_run.instruction.start_line,
                        b.why,
                        if b.missing.len() == 1 { "it" } else { "them" },
                    )),
                };
                out.push(
                    Violation::new(
                        install.command.span.clone(),
                        "`apt-get install` without `--no-install-recommends` installs recommended packages too",
                    )
                    .with_fix(fix),
                );
            }
        }
    }
}

/// A command's text as written, on one line, shortened for a message.
fn short(source: &str, command: &crate::shell::Command) -> String {
    let text = source.get(command.span.clone()).unwrap_or_default();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}
