//! Skipping command wrappers (`sudo`, `env`, `nohup`, …) to reach the command that runs.

use super::{basename, basename_range, Command, Word};

/// A command seen through its wrappers: `sudo -E env DEBIAN_FRONTEND=noninteractive apt-get
/// install -y curl` has `words` = `apt-get install -y curl`, `assignments` =
/// `DEBIAN_FRONTEND=noninteractive` and `wrappers` = `sudo`, `env`.
///
/// Wrappers skipped, with their options: `sudo`, `doas`, `env`, `nohup`, `time`, `exec`,
/// `command`, `builtin`, `nice`, `ionice`, `timeout` (and its duration), `stdbuf`, `gosu` and
/// `su-exec` (and their user), `busybox` (the applet is the command), and `xargs` (the command
/// it runs, whose argument list xargs completes at run time: check `wrappers` when that
/// matters).
///
/// Not skipped: `command -v`/`-V` (a lookup, not a run), `env -S`, a wrapper with nothing
/// after its options (`exec >log`, `env`), a wrapper whose option list holds an expansion
/// that could hide the command, and anything else (`chroot`, `sh -c`: nested shell bodies are
/// separate commands of the script).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandView<'a> {
    /// The effective argv.
    pub words: &'a [Word],
    /// The command's own `VAR=value` prefixes, then those given to `env`/`sudo`.
    pub assignments: Vec<&'a Word>,
    /// The wrapper names skipped, outermost first (their `argv[0]` words).
    pub wrappers: Vec<&'a Word>,
}

impl<'a> CommandView<'a> {
    /// Basename of the effective `argv[0]`.
    pub fn name(&self) -> Option<&'a str> {
        self.words
            .first()
            .and_then(|w| basename(w.value.as_deref()?))
    }

    /// The effective arguments.
    pub fn args(&self) -> &'a [Word] {
        self.words.get(1..).unwrap_or(&[])
    }

    /// The first effective argument whose value is `s`.
    pub fn arg(&self, s: &str) -> Option<&'a Word> {
        self.args().iter().find(|w| w.is(s))
    }

    /// Went through `xargs`: the argument list is completed at run time.
    pub fn via_xargs(&self) -> bool {
        self.wrappers
            .iter()
            .any(|w| w.value.as_deref().and_then(basename) == Some("xargs"))
    }
}

/// How one wrapper takes its options.
struct Spec {
    /// Short options that take an argument.
    short_arg: &'static str,
    /// Long options (without `=`) that take the next word as argument.
    long_arg: &'static [&'static str],
    /// Short options that mean the wrapper does not run a command.
    stop_short: &'static str,
    /// Long options that mean the wrapper does not run a command.
    stop_long: &'static [&'static str],
    /// `VAR=value` words allowed after the options.
    assignments: bool,
    /// Operands before the command (`timeout DURATION`, `gosu USER`).
    operands: usize,
    /// A lone `-` is an option (`env -`), not the command.
    dash_is_option: bool,
}

const NONE: Spec = Spec {
    short_arg: "",
    long_arg: &[],
    stop_short: "",
    stop_long: &["--help", "--version"],
    assignments: false,
    operands: 0,
    dash_is_option: false,
};

fn spec(name: &str) -> Option<Spec> {
    // Most names are not wrappers: this first-letter test (of the names below) spares the
    // string comparisons, which run for every command many times per file.
    if !matches!(
        name.as_bytes().first(),
        Some(b'b' | b'c' | b'd' | b'e' | b'g' | b'i' | b'n' | b's' | b't' | b'x')
    ) {
        return None;
    }
    Some(match name {
        "sudo" => Spec {
            short_arg: "CDghpRrTtUu",
            long_arg: &[
                "--close-from",
                "--chdir",
                "--group",
                "--host",
                "--prompt",
                "--chroot",
                "--role",
                "--type",
                "--command-timeout",
                "--other-user",
                "--user",
            ],
            stop_short: "eKlVv",
            stop_long: &[
                "--edit",
                "--list",
                "--validate",
                "--version",
                "--help",
                "--remove-timestamp",
            ],
            assignments: true,
            ..NONE
        },
        "doas" => Spec {
            short_arg: "uC",
            ..NONE
        },
        "env" => Spec {
            short_arg: "uCa",
            long_arg: &["--unset", "--chdir", "--argv0"],
            stop_short: "S",
            stop_long: &["--split-string", "--help", "--version"],
            assignments: true,
            dash_is_option: true,
            ..NONE
        },
        "nohup" | "builtin" => NONE,
        "time" => Spec {
            short_arg: "fo",
            long_arg: &["--format", "--output"],
            ..NONE
        },
        "exec" => Spec {
            short_arg: "a",
            ..NONE
        },
        "command" => Spec {
            stop_short: "vV",
            ..NONE
        },
        "nice" => Spec {
            short_arg: "n",
            long_arg: &["--adjustment"],
            ..NONE
        },
        "ionice" => Spec {
            short_arg: "cn",
            long_arg: &["--class", "--classdata"],
            stop_short: "pPu",
            stop_long: &["--pid", "--pgid", "--uid", "--help", "--version"],
            ..NONE
        },
        "timeout" => Spec {
            short_arg: "sk",
            long_arg: &["--signal", "--kill-after"],
            operands: 1,
            ..NONE
        },
        "stdbuf" => Spec {
            short_arg: "ioe",
            long_arg: &["--input", "--output", "--error"],
            ..NONE
        },
        "xargs" => Spec {
            short_arg: "adEILnPs",
            long_arg: &[
                "--arg-file",
                "--delimiter",
                "--max-args",
                "--max-procs",
                "--max-chars",
                "--process-slot-var",
            ],
            ..NONE
        },
        "gosu" | "su-exec" => Spec {
            operands: 1,
            ..NONE
        },
        "busybox" => Spec {
            stop_long: &["--install", "--list", "--list-full", "--help"],
            ..NONE
        },
        _ => return None,
    })
}

pub(crate) fn is_assignment(raw: &str) -> bool {
    let Some(eq) = raw.find('=') else {
        return false;
    };
    let name = &raw[..eq];
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// Index of the wrapped command in `words` (which starts with the wrapper), with the
/// assignment words skipped on the way; `None` when the wrapper does not run a command we
/// can find.
fn skip_wrapper(spec: &Spec, words: &[Word]) -> Option<(usize, std::ops::Range<usize>)> {
    let mut i = 1;
    // Options.
    while let Some(w) = words.get(i) {
        let v = w.value.as_deref()?;
        if v == "--" {
            i += 1;
            break;
        }
        if v == "-" {
            if spec.dash_is_option {
                i += 1;
                continue;
            }
            break;
        }
        if let Some(long) = v.strip_prefix("--") {
            let name_end = long.find('=').map_or(v.len(), |e| e + 2);
            let name = &v[..name_end];
            if spec.stop_long.contains(&name) {
                return None;
            }
            i += if name_end == v.len() && spec.long_arg.contains(&name) {
                2
            } else {
                1
            };
            continue;
        }
        if let Some(cluster) = v.strip_prefix('-').filter(|c| !c.is_empty()) {
            let mut step = 1;
            for (k, ch) in cluster.char_indices() {
                if spec.stop_short.contains(ch) {
                    return None;
                }
                if spec.short_arg.contains(ch) {
                    if k + ch.len_utf8() == cluster.len() {
                        step = 2;
                    }
                    break;
                }
            }
            i += step;
            continue;
        }
        break;
    }
    let assign_start = i;
    if spec.assignments {
        while words.get(i).is_some_and(|w| is_assignment(&w.raw)) {
            i += 1;
        }
    }
    let assign = assign_start..i;
    for _ in 0..spec.operands {
        words.get(i)?.value.as_ref()?;
        i += 1;
    }
    (i < words.len()).then_some((i, assign))
}

/// `words` starts with a wrapper that runs a command: where that command starts, and the
/// assignment words given to the wrapper.
fn unwrap_once(words: &[Word]) -> Option<(usize, std::ops::Range<usize>)> {
    let first = words.first()?;
    let spec = spec(basename(first.value.as_deref()?)?)?;
    skip_wrapper(&spec, words)
}

pub(crate) fn effective(cmd: &Command) -> CommandView<'_> {
    let mut words: &[Word] = &cmd.words;
    let mut assignments: Vec<&Word> = cmd.assignments.iter().collect();
    let mut wrappers = Vec::new();
    while let Some((next, assign)) = unwrap_once(words) {
        assignments.extend(&words[assign]);
        wrappers.push(&words[0]);
        words = &words[next..];
    }
    CommandView {
        words,
        assignments,
        wrappers,
    }
}

impl Command {
    /// `self.effective().name()` without building the view: rules that look for one tool
    /// ask this of every command of every RUN.
    pub fn effective_name(&self) -> Option<&str> {
        let (word, range) = self.effective_name_at()?;
        self.words[word].value.as_deref()?.get(range)
    }

    /// Where [`Command::effective_name`] is: the index of the effective `argv[0]` in
    /// `words` and the name's byte range in that word's value. For callers that keep the
    /// name next to the command without borrowing it.
    pub fn effective_name_at(&self) -> Option<(usize, std::ops::Range<usize>)> {
        let mut start = 0;
        while let Some((next, _)) = unwrap_once(&self.words[start..]) {
            start += next;
        }
        let range = basename_range(self.words.get(start)?.value.as_deref()?)?;
        Some((start, range))
    }
}

#[cfg(test)]
mod tests {
    use super::super::basename;
    use super::spec;

    #[test]
    fn every_wrapper_passes_the_first_letter_test() {
        let wrappers = [
            "sudo", "doas", "env", "nohup", "builtin", "time", "exec", "command", "nice", "ionice",
            "timeout", "stdbuf", "xargs", "gosu", "su-exec", "busybox",
        ];
        for name in wrappers {
            assert!(spec(name).is_some(), "{name}");
        }
        for name in ["apt-get", "curl", "sh", "rm", "su", "envsubst", "Sudo"] {
            assert!(spec(name).is_none(), "{name}");
        }
    }

    #[test]
    fn basename_of_paths() {
        assert_eq!(basename("/usr/bin/apt-get"), Some("apt-get"));
        assert_eq!(basename("apt-get"), Some("apt-get"));
        assert_eq!(basename("./bin//"), Some("bin"));
        assert_eq!(basename("/"), None);
        assert_eq!(basename(""), None);
        assert_eq!(basename("/usr/bin/é"), Some("é"));
    }
}
