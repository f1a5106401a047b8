use crate::declare_rule;
use crate::fix::{Edit, Fix};
use crate::rules::hadolint::common::drop_quotes;
use crate::rules::{Check, Context, Source, Violation};
use crate::semantic::expand_known;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags a `COPY` (or `ADD`) with several sources whose destination does not end with
    /// `/`.
    ///
    /// ## Why is this bad?
    /// With more than one source the destination must be a directory, and BuildKit requires
    /// it to end with `/`: the build fails otherwise. A destination given through a variable
    /// is checked with its value when the file defines it.
    ///
    /// Unlike hadolint, `ADD` is checked too: BuildKit applies the same rule to it.
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY package.json package-lock.json /app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// COPY package.json package-lock.json /app/
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix appends `/` to the destination (inside its quotes). The instruction
    /// could not build before, so nothing that worked changes.
    pub struct CopyDestNotDirectory {
        code: "DL3021",
        name: "copy-dest-not-directory",
        family: Hadolint,
        severity: Error,
        fix: Always,
        sources: [Source::Hadolint("DL3021")],
    }
}

impl Check for CopyDestNotDirectory {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for (index, instr) in ctx.instructions().iter().enumerate() {
            if !matches!(instr.keyword, Keyword::Copy | Keyword::Add) || instr.args.len() < 3 {
                continue;
            }
            let Some(dest) = instr.args.last() else {
                continue;
            };
            let Some(state) = ctx.model.state_at(index) else {
                continue;
            };
            let Some(value) =
                expand_known(drop_quotes(&dest.value), ctx.tree().escape, &state.vars)
            else {
                continue;
            };
            if value.ends_with('/') {
                continue;
            }
            let source = ctx.source();
            let written = &source[dest.span.clone()];
            let at = if written.len() > 1 && written.ends_with(['"', '\'']) {
                dest.span.end - 1
            } else {
                dest.span.end
            };
            let keyword = instr.keyword.as_str();
            out.push(
                Violation::new(
                    dest.span.clone(),
                    format!(
                        "{keyword} with more than 2 arguments requires the last argument to end with `/`"
                    ),
                )
                .with_fix(Fix::safe("Append `/` to the destination", vec![Edit::insert(at, "/")])),
            );
        }
    }
}
