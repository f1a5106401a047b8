//! Recognising commands that hand a script to another shell: `sh -c '…'`, `su -c '…'`, and
//! shells reading their script from stdin (`bash <<EOF`, `cat <<EOF | sh`).

use super::effective::CommandView;
use super::{basename, Word};

/// POSIX-like shells whose scripts tree-sitter-bash can read.
pub(crate) const SHELLS: &[&str] = &["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox"];

pub(crate) fn is_shell(name: &str) -> bool {
    SHELLS.contains(&name)
}

/// What a command does with a script.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ShellUse {
    /// Runs the script in effective argument `word` (an index into `view.words`), from byte
    /// `skip` of its value on (`--command=…`).
    Command { word: usize, skip: usize },
    /// Reads the script from stdin.
    Stdin,
}

/// The shell `view` runs, and how it gets its script; `None` for anything else (a script
/// file operand, a dynamic option, not a shell).
pub(crate) fn shell_use(view: &CommandView) -> Option<(String, ShellUse)> {
    let name = view.name()?;
    match name {
        "su" | "runuser" => su_command(view.words).map(|u| (name.to_string(), u)),
        _ if is_shell(name) && name != "busybox" => {
            shell_args(view.words).map(|u| (name.to_string(), u))
        }
        _ => None,
    }
}

/// `sh [-abefhimnuvx] [-o opt] [-c] [--] [operand…]`.
fn shell_args(words: &[Word]) -> Option<ShellUse> {
    let mut i = 1;
    let mut c = false;
    let mut s = false;
    while let Some(w) = words.get(i) {
        // A dynamic word is an operand (`-c "$SCRIPT"`): options are written literally.
        let Some(v) = w.value.as_deref() else {
            break;
        };
        if v == "--" || v == "-" {
            i += 1;
            break;
        }
        if v.starts_with("--") {
            // bash long options; two take a value.
            i += if matches!(v, "--rcfile" | "--init-file") {
                2
            } else {
                1
            };
            continue;
        }
        let cluster = v.strip_prefix('-').or_else(|| v.strip_prefix('+'));
        let Some(cluster) = cluster.filter(|c| !c.is_empty()) else {
            break;
        };
        let mut step = 1;
        for ch in cluster.chars() {
            match ch {
                'c' if v.starts_with('-') => c = true,
                's' if v.starts_with('-') => s = true,
                // `-o pipefail`, `-O extglob`: the option name is the next word.
                'o' | 'O' => step += 1,
                _ => {}
            }
        }
        i += step;
    }
    if c {
        // The first operand is the command string (a missing one is a shell error).
        return (i < words.len()).then_some(ShellUse::Command { word: i, skip: 0 });
    }
    if s || i >= words.len() {
        return Some(ShellUse::Stdin);
    }
    None
}

/// `su [options] [-] [user [args]]` with `-c CMD`, `--command CMD` or `--command=CMD`.
fn su_command(words: &[Word]) -> Option<ShellUse> {
    let mut i = 1;
    while let Some(w) = words.get(i) {
        let Some(v) = w.value.as_deref() else {
            i += 1;
            continue;
        };
        if v == "--" {
            return None;
        }
        if v == "--command" {
            return (i + 1 < words.len()).then_some(ShellUse::Command {
                word: i + 1,
                skip: 0,
            });
        }
        if v.starts_with("--command=") {
            return Some(ShellUse::Command {
                word: i,
                skip: "--command=".len(),
            });
        }
        if let Some(cluster) = v.strip_prefix('-').filter(|c| !c.starts_with('-')) {
            if let Some(k) = cluster.find('c') {
                let after = k + 1;
                if after == cluster.len() {
                    return (i + 1 < words.len()).then_some(ShellUse::Command {
                        word: i + 1,
                        skip: 0,
                    });
                }
                return Some(ShellUse::Command {
                    word: i,
                    skip: 1 + after,
                });
            }
            // Options with a value: -s SHELL, -g GROUP, -G GROUP, -w VARS.
            if cluster
                .chars()
                .last()
                .is_some_and(|ch| matches!(ch, 's' | 'g' | 'G' | 'w'))
            {
                i += 2;
                continue;
            }
        }
        i += 1;
    }
    None
}

/// The shell named by a `#!` line (`#!/bin/sh -e`, `#!/usr/bin/env bash`), when it is one
/// tree-sitter-bash can read.
pub(crate) fn shebang_shell(first_line: &str) -> Option<&str> {
    let rest = first_line.strip_prefix("#!")?.trim();
    let mut parts = rest.split_whitespace();
    let mut prog = basename(parts.next()?)?;
    if prog == "env" {
        prog = parts
            .find(|p| !p.starts_with('-') && !p.contains('='))
            .and_then(basename)?;
    }
    matches!(
        prog,
        "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh"
    )
    .then_some(prog)
}
