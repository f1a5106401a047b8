use crate::declare_rule;
use crate::rules::context::RunInfo;
use crate::rules::{Check, Context, Source, Violation};
use crate::shell::Command;

declare_rule! {
    /// ## What it does
    /// Flags a `RUN` with a pipe (`curl … | tar x`) when the shell does not run with
    /// `-o pipefail`.
    ///
    /// ## Why is this bad?
    /// A pipeline's exit status is that of its last command. In
    /// `RUN wget -O - https://example.com/x.tgz | tar xz`, a failed download still lets `tar`
    /// succeed on an empty stream: the build goes on with a broken image. With
    /// `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` any failing command fails the pipe.
    ///
    /// The rule is satisfied by a `SHELL` with `-o pipefail` (in the stage or a stage it is
    /// built `FROM`), by a non-POSIX `SHELL` (PowerShell), and, unlike hadolint, by
    /// `set -o pipefail` (or `set -eo pipefail`) earlier in the same `RUN`. Only pipes the
    /// `RUN`'s own shell runs count: a pipe inside `bash -c "…"` is not helped by `SHELL`.
    ///
    /// A pipe from `echo` or `printf` is flagged too, as hadolint does: `echo` cannot fail, but
    /// one `SHELL` line covers every `RUN` and keeps the file consistent.
    ///
    /// On Alpine, `/bin/sh` is busybox `ash`, which knows `-o pipefail`;
    /// `SHELL ["/bin/ash", "-o", "pipefail", "-c"]` works there.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN wget -O - https://example.com/x.tgz | tar xz
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    /// RUN wget -O - https://example.com/x.tgz | tar xz
    /// ```
    ///
    /// ## Differences from hadolint
    /// - `set -o pipefail` (or `set -eo pipefail`) earlier in the same `RUN` satisfies the
    ///   rule; hadolint only looks at `SHELL`.
    /// - A pipeline whose commands before the last are all `yes` (`yes | pecl install x`) is not
    ///   flagged: under `pipefail` it fails the build, because `yes` ends on `SIGPIPE`.
    /// - A pipe inside `bash -c "…"` is not flagged: `SHELL` does not reach that shell.
    ///
    /// ## Fix safety
    /// No fix: which shell has `pipefail` depends on the base image (Debian's `dash` did not
    /// have it before 0.5.12).
    pub struct PipeWithoutPipefail {
        code: "DL4006",
        name: "pipe-without-pipefail",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL4006")],
    }
}

/// `-o pipefail` among a shell's arguments (`-o pipefail`, `-eo pipefail`, `-euxo pipefail`).
fn sets_pipefail<'s>(args: impl IntoIterator<Item = &'s str>) -> bool {
    let mut previous: Option<&str> = None;
    for arg in args {
        if arg == "pipefail"
            && previous
                .is_some_and(|p| p.starts_with('-') && !p.starts_with("--") && p.ends_with('o'))
        {
            return true;
        }
        previous = Some(arg);
    }
    false
}

fn is_set_pipefail(command: &Command) -> bool {
    command.context.nested_in.is_none()
        && command.name() == Some("set")
        && sets_pipefail(command.args().iter().map(|w| w.text()))
}

/// Commands that must not run under `pipefail`: `yes` ends on `SIGPIPE`, which `pipefail`
/// would turn into a failed build.
const HARMLESS_SOURCES: &[&str] = &["yes"];

/// The text from `at` on, past blanks, line continuations and the comment lines BuildKit
/// drops inside a continuation.
fn significant_after(source: &str, at: usize, escape: char) -> &str {
    let mut rest = source.get(at..).unwrap_or("");
    loop {
        let trimmed = rest.trim_start_matches(|c: char| c.is_whitespace() || c == escape);
        if trimmed.starts_with('#') && rest[..rest.len() - trimmed.len()].contains('\n') {
            rest = trimmed.split_once('\n').map_or("", |(_, r)| r);
            continue;
        }
        return trimmed;
    }
}

/// The text before `at`, without the blanks and line continuations that end it.
fn significant_before(source: &str, at: usize, escape: char) -> &str {
    source
        .get(..at)
        .unwrap_or("")
        .trim_end_matches(|c: char| c.is_whitespace() || c == escape)
}

/// The command feeds a pipe: `|` (not `||`) comes right after it.
fn feeds_pipe(run: &RunInfo<'_>, command: &Command) -> bool {
    let after = significant_after(run.source, command.span.end, run.escape);
    after.starts_with('|') && !after.starts_with("||")
}

/// The command reads a pipe: `|` (not `||`) comes right before it.
fn reads_pipe(run: &RunInfo<'_>, command: &Command) -> bool {
    let before = significant_before(run.source, command.span.start, run.escape);
    before.ends_with('|') && !before.ends_with("||")
}

/// A pipe of the RUN's own shell that can hide a failure, unless `set -o pipefail` comes
/// before it. A pipeline is harmless when every command before its last one is `yes`; when the layout is not plain (`(a) | b`, `{ …; } | c`) the pipe counts.
fn unprotected_pipe<'r>(run: &'r RunInfo<'_>) -> Option<&'r Command> {
    for command in run.commands() {
        if is_set_pipefail(command) {
            return None;
        }
        if !command.context.in_pipeline || command.context.nested_in.is_some() {
            continue;
        }
        if feeds_pipe(run, command) {
            let harmless = command
                .effective()
                .name()
                .is_some_and(|n| HARMLESS_SOURCES.contains(&n));
            if !harmless {
                return Some(command);
            }
        } else if !reads_pipe(run, command) {
            return Some(command);
        }
    }
    None
}

impl Check for PipeWithoutPipefail {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for run in ctx.runs() {
            let Some(state) = ctx.model.state_at(run.index) else {
                continue;
            };
            if sets_pipefail(state.shell.iter().map(String::as_str)) {
                continue;
            }
            let Some(pipe) = unprotected_pipe(run) else {
                continue;
            };
            out.push(Violation::new(
                pipe.span.clone(),
                "A pipe in RUN without `-o pipefail` hides failures of all but the last command: set `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` (or `/bin/ash` on Alpine) before it",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sets_pipefail;

    #[test]
    fn pipefail_spellings() {
        assert!(sets_pipefail(["/bin/bash", "-o", "pipefail", "-c"]));
        assert!(sets_pipefail(["/bin/bash", "-euxo", "pipefail", "-c"]));
        assert!(!sets_pipefail(["/bin/sh", "-c"]));
        assert!(!sets_pipefail(["/bin/bash", "-c", "pipefail"]));
    }
}
