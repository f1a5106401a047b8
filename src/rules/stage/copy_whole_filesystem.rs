use crate::declare_rule;
use crate::rules::stage::common::copy_args;
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags `COPY --from=STAGE / /`: copying another stage's (or image's) whole filesystem
    /// over the current one.
    ///
    /// ## Why is this bad?
    /// Everything comes along: package caches, compilers, headers, shells and the other
    /// stage's `/etc`, overwriting the current stage's files. The image is as large as the
    /// source stage, and the split into build and runtime stages gains nothing. Copy the
    /// directories the program needs instead.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12 AS build
    /// RUN pip install --prefix=/install -r requirements.txt
    /// FROM python:3.12-slim
    /// COPY --from=build / /
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12 AS build
    /// RUN pip install --prefix=/install -r requirements.txt
    /// FROM python:3.12-slim
    /// COPY --from=build /install /usr/local
    /// ```
    ///
    /// ## Fix safety
    /// No fix: which directories the program needs is not visible in the Dockerfile.
    pub struct CopyWholeFilesystem {
        code: "DL3067",
        name: "copy-whole-filesystem",
        family: Stage,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3067")],
    }
}

impl Check for CopyWholeFilesystem {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for (index, instr) in ctx.instructions().iter().enumerate() {
            if instr.keyword != Keyword::Copy || instr.flag("from").is_none() {
                continue;
            }
            let Some(paths) = copy_args(ctx, index) else {
                continue;
            };
            let is_root = |v: &Option<String>| v.as_deref() == Some("/");
            let Some(root) = paths.sources.iter().find(|s| is_root(&s.value)) else {
                continue;
            };
            if !is_root(&paths.dest.value) {
                continue;
            }
            out.push(Violation::new(
                root.span().start..paths.dest.span().end,
                "Do not copy an entire filesystem from another stage: copy only the directories \
                 the program needs",
            ));
        }
    }
}
