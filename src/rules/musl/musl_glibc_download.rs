use crate::declare_rule;
use crate::fix::Fix;
use crate::rules::musl::common::{musl_stages, pip_install_args};
use crate::rules::stage::common::copy_args;
use crate::rules::{Check, Context, Violation};
use crate::shell::Word;
use crate::syntax::{Keyword, Span};

declare_rule! {
    /// ## What it does
    /// Flags a download of a glibc build on a musl (Alpine) stage: a URL given to `curl`,
    /// `wget`, `ADD` or `pip install` that names `linux-gnu` (as in
    /// `x86_64-unknown-linux-gnu`), `glibc` or `manylinux`.
    ///
    /// ## Why is this bad?
    /// A binary linked against glibc does not start on musl: the shell reports `not found`
    /// for a file that is plainly there, because its interpreter `/lib64/ld-linux-x86-64.so.2`
    /// is missing; with `gcompat` some run and others crash on missing symbols. Download the
    /// `linux-musl` (or static) build of the tool, or use a glibc-based image.
    ///
    /// Stages that install a glibc compatibility layer (`gcompat`, `libc6-compat`) are not
    /// flagged, nor are Alpine packages (`.apk`) such as the sgerrand glibc package.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN wget -qO- https://github.com/BurntSushi/ripgrep/releases/download/14.1.0/ripgrep-14.1.0-x86_64-unknown-linux-gnu.tar.gz | tar xz
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN wget -qO- https://github.com/BurntSushi/ripgrep/releases/download/14.1.0/ripgrep-14.1.0-x86_64-unknown-linux-musl.tar.gz | tar xz
    /// ```
    ///
    /// ## Fix safety
    /// Display-only: whether the project publishes a musl build, and under which name, is not
    /// known to dlint. The note suggests the `linux-musl` name where the URL says `linux-gnu`,
    /// and the glibc variant of the image.
    pub struct MuslGlibcDownload {
        code: "MUSL003",
        name: "musl-glibc-download",
        family: Musl,
        severity: Warning,
        fix: None,
    }
}

/// What in a URL says it is a glibc build.
const GLIBC_MARKERS: &[&str] = &["linux-gnu", "manylinux", "glibc"];

/// Alpine packages that make (some) glibc binaries run.
const GLIBC_SHIMS: &[&str] = &["gcompat", "libc6-compat"];

fn glibc_marker(url: &str) -> Option<&'static str> {
    let lower = url.to_ascii_lowercase();
    if !lower.contains("://") || lower.ends_with(".apk") || lower.contains("musl") {
        return None;
    }
    GLIBC_MARKERS.iter().copied().find(|m| lower.contains(m))
}

impl Check for MuslGlibcDownload {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        // A glibc shim installed in the stage or a stage it is built FROM: one pass in file
        // order (a FROM names only earlier stages).
        let mut shimmed_chain = vec![false; ctx.model.stages.len()];
        for stage in &ctx.model.stages {
            let here = ctx.runs_in(stage.index).any(|run| {
                run.commands_named(&["apk"]).any(|c| {
                    c.effective().args().iter().any(|w| {
                        GLIBC_SHIMS.contains(&w.text())
                            || (w.text().ends_with(".apk") && w.text().contains("glibc"))
                    })
                })
            });
            let inherited = stage.parent.is_some_and(|p| shimmed_chain[p]);
            shimmed_chain[stage.index] = here || inherited;
        }
        for musl in musl_stages(ctx) {
            let shimmed = shimmed_chain[musl.stage];
            if shimmed {
                continue;
            }
            let mut urls: Vec<(Span, String)> = Vec::new();
            let word_url = |w: &Word| (w.span.clone(), w.text().to_string());
            for run in ctx.runs_in(musl.stage) {
                for command in run.commands_named(&["curl", "wget"]) {
                    urls.extend(command.effective().args().iter().map(word_url));
                }
                for pip in pip_install_args(run) {
                    urls.extend(pip.requirements.iter().map(|w| word_url(w)));
                }
            }
            let stage = &ctx.model.stages[musl.stage];
            for index in stage.from_instruction..stage.instructions.end {
                if ctx.instructions()[index].keyword != Keyword::Add {
                    continue;
                }
                if let Some(paths) = copy_args(ctx, index) {
                    urls.extend(paths.sources.iter().map(|s| {
                        (
                            s.span(),
                            s.value.clone().unwrap_or_else(|| s.arg.value.clone()),
                        )
                    }));
                }
            }
            for (span, url) in urls {
                let Some(marker) = glibc_marker(&url) else {
                    continue;
                };
                let mut violation = Violation::new(
                    span,
                    format!(
                        "downloads a glibc build (`{marker}`) on musl (`{}`): glibc binaries do \
                         not run on Alpine",
                        musl.image_text()
                    ),
                );
                if marker == "linux-gnu" {
                    violation = violation.with_suggestion(Fix::display_only(
                        "Download the `linux-musl` build if the project publishes one",
                    ));
                }
                if let Some(glibc) = musl.glibc_alternative() {
                    violation = violation.with_suggestion(Fix::display_only(format!(
                        "Or use a glibc-based image: `{}`",
                        glibc.reference()
                    )));
                }
                out.push(violation);
            }
        }
    }
}
