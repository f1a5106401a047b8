//! What the cache rules share: finding package-manager commands in a RUN, recognising cache
//! mounts and cleanups, and building edits in the file's own style.

use crate::fix::Edit;
use crate::rules::context::RunInfo;
use crate::shell::{Command, CommandView, Word};

/// A command seen through its wrappers, with the subcommand (first non-option argument).
pub(crate) struct PackageCommand<'a> {
    pub command: &'a Command,
    pub view: CommandView<'a>,
    /// Index into `view.args()` of the subcommand word.
    pub subcommand_at: usize,
}

impl<'a> PackageCommand<'a> {
    pub fn subcommand(&self) -> &'a Word {
        &self.view.args()[self.subcommand_at]
    }

    /// Arguments after the subcommand.
    pub fn rest(&self) -> &'a [Word] {
        &self.view.args()[self.subcommand_at + 1..]
    }

    /// Any argument (before or after the subcommand) equal to one of `options`, or starting
    /// with `option=` for a long option.
    pub fn has_option(&self, options: &[&str]) -> bool {
        self.view.args().iter().any(|w| {
            let text = w.text();
            options.iter().any(|o| {
                text == *o
                    || (o.starts_with("--")
                        && text.starts_with(o)
                        && text[o.len()..].starts_with('='))
            })
        })
    }

    /// Where to insert a new option: after the subcommand and the value-less switches that
    /// directly follow it (`apt-get install -y` → after `-y`), so the edit reads like the
    /// author's own. Never after an option that may take a value (`pip install -r file`).
    pub fn option_insertion_point(&self) -> usize {
        const SWITCHES: &[&str] = &[
            "-y",
            "-q",
            "-qq",
            "-yq",
            "-qy",
            "--yes",
            "--assume-yes",
            "--quiet",
            "-U",
            "--upgrade",
        ];
        let mut end = self.subcommand().span.end;
        for word in self.rest() {
            if SWITCHES.contains(&word.text()) {
                end = word.span.end;
            } else {
                break;
            }
        }
        end
    }

    /// An edit inserting `option` at [`Self::option_insertion_point`].
    pub fn insert_option(&self, option: &str) -> Edit {
        Edit::insert(self.option_insertion_point(), format!(" {option}"))
    }
}

/// Finds `tool SUBCOMMAND` invocations in a RUN: the tool's effective name is one of `tools`,
/// and its first non-option argument is one of `subcommands`. Options that take a value
/// before the subcommand are listed in `value_options` (`-o` for apt-get).
pub(crate) fn package_commands<'a>(
    run: &'a RunInfo<'a>,
    tools: &[&str],
    subcommands: &[&str],
    value_options: &[&str],
) -> Vec<PackageCommand<'a>> {
    let mut out = Vec::new();
    for command in run.commands_named(tools) {
        let view = command.effective();
        let args = view.args();
        let mut i = 0;
        while i < args.len() {
            let text = args[i].text();
            if text.starts_with('-') {
                if value_options.contains(&text) {
                    i += 1;
                }
                i += 1;
                continue;
            }
            break;
        }
        if i < args.len() && subcommands.contains(&args[i].text()) {
            out.push(PackageCommand {
                command,
                view,
                subcommand_at: i,
            });
        }
    }
    out
}

/// Does any command in the RUN remove `dir` (or everything below it)? `rm -rf /var/lib/apt/lists/*`,
/// `rm -r /var/lib/apt/lists`, `find /var/lib/apt/lists -delete` all count.
pub(crate) fn removes_dir(run: &RunInfo<'_>, dir: &str) -> bool {
    run.named_commands_among(&["rm", "find"])
        .any(|(command, name)| {
            let view = command.effective();
            match name {
                "rm" => view.args().iter().any(|w| path_covers(w.text(), dir)),
                "find" => {
                    view.args()
                        .first()
                        .is_some_and(|w| path_covers(w.text(), dir))
                        && view.args().iter().any(|w| w.is("-delete") || w.is("-exec"))
                }
                _ => false,
            }
        })
}

/// `path` (as written in an `rm`) removes `dir`'s contents: `dir`, `dir/`, `dir/*`, `dir/**`.
fn path_covers(path: &str, dir: &str) -> bool {
    let path = path.trim_end_matches(['*', '/']);
    let dir = dir.trim_end_matches('/');
    path == dir || (dir.starts_with(path) && path.len() > 1 && dir[path.len()..].starts_with('/'))
}

/// Is there a `--mount=type=cache` (or `type=tmpfs`: nothing written there is kept either) on
/// one of `dirs` (or above it)?
pub(crate) fn has_cache_mount(run: &RunInfo<'_>, dirs: &[&str]) -> bool {
    run.unlayered_mount_targets()
        .iter()
        .any(|target| dirs.iter().any(|d| path_covers(target, d)))
}

/// An edit that appends `&& command` to the end of the RUN's shell command, on a new continued
/// line with the RUN's own indentation when the RUN spans several lines. `None` when the
/// command does not end cleanly (a trailing comment, `;`, `&`, heredocs): then a rewrite could
/// change the meaning, and the finding carries no fix.
pub(crate) fn append_command(run: &RunInfo<'_>, command: &str) -> Option<Edit> {
    let instr = run.instruction;
    if instr.json || !instr.heredocs.is_empty() || run.scripts.iter().any(|s| s.has_errors) {
        return None;
    }
    let last = run.commands().map(|c| c.span.end).max()?;
    let rest = instr.rest_span();
    let source = run.source;
    // Only blanks may follow the last command: no comment, separator or closing bracket.
    let tail = source.get(last..rest.end)?;
    if !tail.trim().is_empty() {
        return None;
    }
    let escape = run.escape;
    // The instruction's own line ending (looking at the whole file per finding would make
    // linting a large file quadratic).
    let newline = crate::fix::line_ending(&source[instr.span.clone()]);
    let text = if instr.start_line == instr.end_line {
        format!(" && {command}")
    } else {
        let line_start = source[..last]
            .rfind('\n')
            .map_or(0, |i| i + 1)
            .max(instr.span.start);
        let line = &source[line_start..last];
        let indent: String = line
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        if line.trim_start().starts_with("&&") {
            // The author puts `&&` first on each continued line: do the same.
            format!(" {escape}{newline}{indent}&& {command}")
        } else {
            let indent = if indent.is_empty() {
                "    ".to_string()
            } else {
                indent
            };
            format!(" && {escape}{newline}{indent}{command}")
        }
    };
    Some(Edit::insert(last, text))
}

/// A package manager whose install leaves a cache that a clean-up command removes.
pub(crate) struct CleanupSpec {
    pub tools: &'static [&'static str],
    pub installs: &'static [&'static str],
    /// The clean-up is there: `tool` followed by one of these word sequences (`yum clean
    /// all`).
    pub cleanup: &'static [&'static [&'static str]],
    /// Directories whose removal or cache mount also counts.
    pub cache_dirs: &'static [&'static str],
    /// The command the fix appends.
    pub fix_command: &'static str,
    pub message: &'static str,
}

/// Installs in the RUN that have no clean-up in the same RUN.
pub(crate) fn installs_without_cleanup<'a>(
    run: &'a RunInfo<'a>,
    spec: &CleanupSpec,
) -> Vec<PackageCommand<'a>> {
    if has_cache_mount(run, spec.cache_dirs) || spec.cache_dirs.iter().any(|d| removes_dir(run, d))
    {
        return Vec::new();
    }
    let cleaned = run.commands_named(spec.tools).any(|command| {
        let view = command.effective();
        spec.cleanup.iter().any(|sequence| {
            let mut words = view
                .args()
                .iter()
                .map(|w| w.text())
                .filter(|t| !t.starts_with('-'));
            sequence.iter().all(|c| words.next() == Some(*c))
        })
    });
    if cleaned {
        return Vec::new();
    }
    package_commands(run, spec.tools, spec.installs, &[])
}

/// Reports every install without clean-up, with a fix appending the clean-up command.
pub(crate) fn report_missing_cleanup(
    ctx: &crate::rules::Context<'_>,
    spec: &CleanupSpec,
    shipped_stages_only: bool,
    out: &mut Vec<crate::rules::Violation>,
) {
    for run in ctx.runs() {
        if shipped_stages_only && !ctx.ships(run.stage) {
            continue;
        }
        let installs = installs_without_cleanup(run, spec);
        let Some(last) = installs.last() else {
            continue;
        };
        let fix = append_command(run, spec.fix_command).map(|edit| {
            crate::fix::Fix::safe(
                format!("Append `{}` to the RUN", spec.fix_command),
                vec![edit],
            )
        });
        for install in &installs {
            let mut violation =
                crate::rules::Violation::new(install.command.span.clone(), spec.message);
            // One clean-up at the end covers every install of the RUN: offer it once.
            if std::ptr::eq(install.command, last.command) {
                violation.fix = fix.clone();
            }
            out.push(violation);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::path_covers;

    #[test]
    fn rm_paths_that_cover_a_directory() {
        assert!(path_covers("/var/lib/apt/lists/*", "/var/lib/apt/lists"));
        assert!(path_covers("/var/lib/apt/lists", "/var/lib/apt/lists"));
        assert!(path_covers("/var/lib/apt", "/var/lib/apt/lists"));
        assert!(!path_covers("/tmp/foo", "/var/lib/apt/lists"));
        assert!(!path_covers(
            "/var/lib/apt/lists/partial",
            "/var/lib/apt/lists"
        ));
        assert!(!path_covers("/", "/var/lib/apt/lists"));
    }
}
