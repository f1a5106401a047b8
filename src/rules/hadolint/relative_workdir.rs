use crate::declare_rule;
use crate::fix::{Edit, Fix};
use crate::rules::hadolint::common::drop_quotes;
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags a `WORKDIR` with a relative path (`WORKDIR app`).
    ///
    /// ## Why is this bad?
    /// A relative `WORKDIR` is resolved against the previous one, which may come from the
    /// base image: where the following instructions run is then not visible in the
    /// Dockerfile, and changes when the base image does. An absolute path says it.
    ///
    /// Paths starting with `/`, a Windows drive (`C:`) or a variable are not flagged.
    ///
    /// ## Example
    /// ```dockerfile
    /// WORKDIR /usr/src
    /// WORKDIR app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// WORKDIR /usr/src
    /// WORKDIR /usr/src/app
    /// ```
    ///
    /// ## Fix safety
    /// Safe. When an absolute `WORKDIR` earlier in the stage (or in a stage it is built
    /// `FROM`) says where the relative one starts, the fix writes the absolute path BuildKit
    /// computes (joined and cleaned, as BuildKit does: `/usr/src` + `../app` gives
    /// `/usr/app`). When the starting directory comes from the base image, or variables are
    /// involved, there is no fix.
    pub struct RelativeWorkdir {
        code: "DL3000",
        name: "relative-workdir",
        family: Hadolint,
        severity: Error,
        fix: Sometimes,
        sources: [Source::Hadolint("DL3000")],
    }
}

fn is_absolute(path: &str) -> bool {
    let bytes = path.as_bytes();
    path.starts_with('/')
        || path.starts_with('$')
        || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
}

/// `base` joined with `relative`, `.` and `..` resolved, as BuildKit's `filepath.Join` does.
fn join_clean(base: &str, relative: &str) -> String {
    crate::semantic::clean_path(&format!("/{base}/{relative}"))
}

/// A path dlint can write back unquoted: no blanks, quotes, escapes or variables.
fn plain_path(path: &str) -> bool {
    !path.is_empty()
        && !path
            .chars()
            .any(|c| c.is_whitespace() || "\"'\\`$".contains(c))
}

impl Check for RelativeWorkdir {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let instructions = ctx.instructions();
        // The working directory each stage ends with, when the file says it.
        let mut final_dirs: Vec<Option<String>> = Vec::new();
        for stage in &ctx.model.stages {
            let mut known = stage
                .parent
                .and_then(|p| final_dirs.get(p).cloned().flatten());
            for instr in &instructions[stage.instructions.clone()] {
                if instr.keyword != Keyword::Workdir {
                    continue;
                }
                let path = drop_quotes(instr.rest_text());
                if is_absolute(path) {
                    known =
                        (plain_path(path) && path.starts_with('/')).then(|| join_clean(path, ""));
                    continue;
                }
                let resolved = known
                    .as_deref()
                    .filter(|_| plain_path(path))
                    .map(|base| join_clean(base, path));
                let mut violation = Violation::new(
                    instr.rest_span(),
                    format!("Use an absolute WORKDIR: `{path}` is relative to the previous one"),
                );
                if let Some(absolute) = &resolved {
                    violation = violation.with_fix(Fix::safe(
                        format!("Write `WORKDIR {absolute}`"),
                        vec![Edit::replace(instr.rest_span(), absolute.clone())],
                    ));
                }
                out.push(violation);
                known = resolved;
            }
            final_dirs.push(known);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::join_clean;

    #[test]
    fn joins_like_buildkit() {
        assert_eq!(join_clean("/usr/src", "app"), "/usr/src/app");
        assert_eq!(join_clean("/usr/src", "../app/"), "/usr/app");
        assert_eq!(join_clean("/", "./a/./b"), "/a/b");
        assert_eq!(join_clean("/a", "../../.."), "/");
    }
}
