use crate::declare_rule;
use crate::rules::{Check, Context, Source, Violation};
use crate::semantic::expand_known;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags a `COPY` or `ADD` source from the build context that `.dockerignore` excludes,
    /// so the build cannot find it. dlint takes the Dockerfile's directory as the build
    /// context (the usual `docker build .` next to the Dockerfile) and reads
    /// `<Dockerfile-name>.dockerignore` there, else `.dockerignore`, with Docker's pattern
    /// rules (`*`, `**`, `?`, `[…]`, leading `/` ignored, parent directories matching).
    /// As in BuildKit, nothing is checked when the ignore file has exceptions (`!pattern`),
    /// since an excluded directory may have an included file inside; sources with unknown
    /// variables, `COPY --from`, URLs and heredocs are skipped, and so is a file read from
    /// stdin. Docker's build check `CopyIgnoredFile` (experimental in BuildKit)
    /// (<https://docs.docker.com/go/dockerfile/rule/copy-ignored-file/>).
    ///
    /// ## Why is this bad?
    /// The file is not sent to the builder: the build fails with "not found", or a
    /// wildcard silently copies less than intended.
    ///
    /// ## Example
    /// ```dockerfile
    /// # .dockerignore: *.md
    /// COPY README.md /app/
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// # .dockerignore: *.md and !README.md, or no pattern matching README.md
    /// COPY README.md /app/
    /// ```
    ///
    /// ## Fix safety
    /// No fix: either the ignore file or the instruction is wrong.
    pub struct CopyIgnoredFile {
        code: "BK019",
        name: "copy-ignored-file",
        family: BuildCheck,
        severity: Warning,
        fix: None,
        sources: [Source::BuildKit("CopyIgnoredFile")],
    }
}

impl Check for CopyIgnoredFile {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let Some(path) = ctx.path else { return };
        let has_copies = ctx
            .instructions()
            .iter()
            .any(|i| matches!(i.keyword, Keyword::Copy | Keyword::Add));
        if !has_copies {
            return;
        }
        let Some(ignore) = ctx.dockerignore(path) else {
            return;
        };
        if ignore.patterns.is_empty() || ignore.has_exclusions() {
            return;
        }
        let escape = ctx.tree().escape;
        for (index, instr) in ctx.instructions().iter().enumerate() {
            let verb = match instr.keyword {
                Keyword::Copy => "Copy",
                Keyword::Add => "Add",
                _ => continue,
            };
            if instr.flag("from").is_some() || ctx.model.stage_of(index).is_none() {
                continue;
            }
            let Some(state) = ctx.model.state_at(index) else {
                continue;
            };
            let Some((_, sources)) = instr.args.split_last() else {
                continue;
            };
            for arg in sources {
                let raw = &arg.value;
                if raw.starts_with("<<") || raw.contains("://") || raw.starts_with("git@") {
                    continue;
                }
                let expanded = if instr.json {
                    Some(raw.clone()).filter(|r| !r.contains('$'))
                } else {
                    expand_known(raw, escape, &state.vars)
                };
                let Some(source) = expanded else { continue };
                let source = crate::semantic::clean_path(&source);
                if ignore.excludes(&source) {
                    out.push(Violation::new(
                        arg.span.clone(),
                        format!("Attempting to {verb} file {source:?} that is excluded by .dockerignore"),
                    ));
                }
            }
        }
    }
}
