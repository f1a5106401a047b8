use crate::declare_rule;
use crate::rules::hadolint::common::drop_quotes;
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags `COPY` to a relative destination (`COPY . app/`) in a stage where no `WORKDIR`
    /// has been set, neither in the stage nor in a stage it is built `FROM`.
    ///
    /// ## Why is this bad?
    /// A relative destination is resolved against the working directory, which then comes
    /// from the base image: `/` for most, something else for some, and it can change with
    /// a new version of the base. Set `WORKDIR` first, or copy to an absolute path.
    ///
    /// Destinations starting with `/`, a Windows drive (`C:\`, `C:/`) or a variable are not
    /// flagged.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// COPY package.json .
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22-slim
    /// WORKDIR /app
    /// COPY package.json .
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the directory the author expected is the base image's, which dlint does not
    /// know.
    pub struct CopyRelativeWithoutWorkdir {
        code: "DL3045",
        name: "copy-relative-without-workdir",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3045")],
    }
}

fn is_absolute(dest: &str) -> bool {
    let bytes = dest.as_bytes();
    let windows = bytes.len() >= 3
        && bytes[0].is_ascii_alphabetic()
        && bytes[1] == b':'
        && (bytes[2] == b'\\' || bytes[2] == b'/');
    dest.starts_with('/') || dest.starts_with('$') || windows
}

impl Check for CopyRelativeWithoutWorkdir {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let instructions = ctx.instructions();
        let has_workdir = |range: std::ops::Range<usize>| {
            range
                .into_iter()
                .any(|i| instructions[i].keyword == Keyword::Workdir)
        };
        // Per stage: it or a stage it is built FROM sets a WORKDIR. A parent comes before its
        // child, so one pass suffices (walking up every chain is quadratic on long chains).
        let mut sets_workdir: Vec<bool> = Vec::with_capacity(ctx.model.stages.len());
        for stage in &ctx.model.stages {
            let inherited = stage
                .parent
                .is_some_and(|parent| match sets_workdir.get(parent) {
                    Some(&known) => known,
                    None => ctx
                        .model
                        .inherits(stage.index)
                        .any(|s| has_workdir(ctx.model.stages[s].instructions.clone())),
                });
            sets_workdir.push(inherited || has_workdir(stage.instructions.clone()));
            if inherited {
                continue;
            }
            for instr in &instructions[stage.instructions.clone()] {
                if instr.keyword == Keyword::Workdir {
                    break;
                }
                if instr.keyword != Keyword::Copy || instr.args.len() < 2 {
                    continue;
                }
                let Some(dest) = instr.args.last() else {
                    continue;
                };
                if is_absolute(drop_quotes(&dest.value)) {
                    continue;
                }
                out.push(Violation::new(
                    dest.span.clone(),
                    format!(
                        "`COPY` to a relative destination (`{}`) without WORKDIR set: it depends on the base image's working directory",
                        dest.value
                    ),
                ));
            }
        }
    }
}
