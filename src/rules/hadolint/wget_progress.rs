use crate::declare_rule;
use crate::fix::{Edit, Fix};
use crate::rules::image::provides::{wget_kind, WgetKind};
use crate::rules::{Check, Context, Source, Violation};
use crate::shell::Word;

declare_rule! {
    /// ## What it does
    /// Flags `wget` without `--progress` and without an option that quiets it (`-q`,
    /// `-nv`, `-o`/`-a` to a log file).
    ///
    /// ## Why is this bad?
    /// Without a terminal, wget prints a line of dots for every few kilobytes: a large
    /// download fills the build log with thousands of lines. `--progress=dot:giga` prints a
    /// dot per megabyte; `-q` or `-nv` print nothing or one line.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN wget https://example.com/big.tar.gz
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN wget --progress=dot:giga https://example.com/big.tar.gz
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe. Where the wget is GNU's (a Debian-based image, or a `wget` package the file
    /// installs first) the fix inserts `--progress=dot:giga`, which only changes the build log.
    /// BusyBox wget (Alpine's default) rejects that option, so on Alpine, and wherever dlint
    /// does not know which wget runs (an unknown base, an `ONBUILD RUN`), the fix inserts
    /// `-q`, which every wget understands.
    pub struct WgetProgress {
        code: "DL3047",
        name: "wget-progress",
        family: Hadolint,
        severity: Info,
        fix: Always,
        sources: [Source::Hadolint("DL3047")],
    }
}

/// Short wget options that take a value: in a bundle, what follows them is the value.
const VALUE_SHORTS: &str = "OoaPtTwUeiBQDIXlARYCd";

/// `--progress…`, `--quiet`, `--no-verbose`, `--output-file`, `--append-output`, `-nv`, or
/// `-q`/`-o`/`-a` alone or in a bundle (`-qO-`).
fn quiet_or_progress(args: &[Word]) -> bool {
    args.iter().any(|w| {
        let t = w.text();
        if let Some(long) = t.strip_prefix("--") {
            let name = long.split('=').next().unwrap_or(long);
            return matches!(
                name,
                "progress" | "quiet" | "no-verbose" | "output-file" | "append-output"
            );
        }
        if t == "-nv" {
            return true;
        }
        let Some(bundle) = t.strip_prefix('-') else {
            return false;
        };
        if bundle.starts_with('n') {
            return false;
        }
        for c in bundle.chars() {
            if matches!(c, 'q' | 'o' | 'a') {
                return true;
            }
            if VALUE_SHORTS.contains(c) {
                return false;
            }
        }
        false
    })
}

impl Check for WgetProgress {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for run in ctx.runs_with_onbuild() {
            for command in run.commands_named(&["wget"]) {
                let view = command.effective();
                if quiet_or_progress(view.args()) {
                    continue;
                }
                let Some(wget) = view.words.first() else {
                    continue;
                };
                let fix = match wget_kind(ctx, run, command.span.start) {
                    WgetKind::Gnu => Fix::unsafe_edit(
                        "Add `--progress=dot:giga` (GNU wget)",
                        vec![Edit::insert(wget.span.end, " --progress=dot:giga")],
                    ),
                    WgetKind::BusyBox => Fix::unsafe_edit(
                        "Add `-q` (BusyBox wget has no `--progress`)",
                        vec![Edit::insert(wget.span.end, " -q")],
                    ),
                    WgetKind::Unknown => Fix::unsafe_edit(
                        "Add `-q` (which wget runs is not known; every wget takes `-q`)",
                        vec![Edit::insert(wget.span.end, " -q")],
                    ),
                };
                out.push(
                    Violation::new(
                        command.span.clone(),
                        "`wget` without `--progress` fills the build log: use `--progress=dot:giga`, `-q` or `-nv`",
                    )
                    .with_fix(fix),
                );
            }
        }
    }
}
