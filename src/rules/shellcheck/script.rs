//! Which scripts ShellCheck reads for a Dockerfile, prepared as hadolint prepares them: a
//! `#!` line for the stage's SHELL, then `export NAME` for the ARG and ENV names the RUN
//! sees (and the proxy variables BuildKit passes through), so that SC2154 does not fire for
//! them. Positions stay exact: see [`ScriptText`].

use super::position::ScriptText;
use crate::semantic::Model;
use crate::syntax::{Instruction, Keyword, SourceMap, Tree};

/// One script to check, with the RUN it belongs to.
#[derive(Debug, Clone)]
pub struct PreparedScript {
    /// Index of the RUN among the file's instructions.
    pub instruction: usize,
    pub script: ScriptText,
}

/// The ShellCheck dialect for a shell program (`/bin/bash` → `bash`); `None` for shells
/// ShellCheck does not read (zsh, fish, PowerShell, cmd).
pub fn dialect(program: &str) -> Option<&'static str> {
    let file = program.rsplit(['/', '\\']).next().unwrap_or(program);
    match file.strip_suffix(".exe").unwrap_or(file) {
        "sh" => Some("sh"),
        "bash" => Some("bash"),
        // ShellCheck checks ash as dash (hadolint excludes the SC2187 that says so).
        "dash" | "ash" | "busybox" => Some("dash"),
        "ksh" | "mksh" => Some("ksh"),
        _ => None,
    }
}

/// The dialect a `#!` line names (`#!/bin/bash -e`, `#!/usr/bin/env bash`).
fn shebang_dialect(line: &str) -> Option<&'static str> {
    let mut words = line.strip_prefix("#!")?.split_whitespace();
    let program = words.next()?;
    if program.ends_with("/env") {
        let next = words.find(|w| !w.starts_with('-'))?;
        return dialect(next);
    }
    dialect(program)
}

/// Every shell-form RUN (and the heredoc scripts they run) in a stage whose SHELL is a shell
/// ShellCheck reads. Exec-form RUNs and ONBUILD RUNs are not checked (as hadolint).
pub fn prepare(tree: &Tree, model: &Model) -> Vec<PreparedScript> {
    let source = tree.source.as_str();
    let mut out = Vec::new();
    for (index, instruction) in tree.instructions().enumerate() {
        if instruction.keyword != Keyword::Run || instruction.json {
            continue;
        }
        if model.stage_of(index).is_none() {
            continue;
        }
        let Some(state) = model.state_at(index) else {
            continue;
        };
        let Some(shell) = dialect(state.shell.first().map_or("/bin/sh", String::as_str)) else {
            continue;
        };
        let mut names: Vec<&str> = crate::semantic::HADOLINT_PROXY_ARGS.to_vec();
        names.extend(
            state
                .vars
                .iter()
                .filter(|(_, var)| var.instruction.is_some())
                .map(|(name, _)| name),
        );
        names.retain(|n| crate::shell::is_name(n));
        names.sort_unstable();
        names.dedup();
        // `export NAME`, not hadolint's `export NAME=1`: a known value `1` would also hide
        // SC2086 for `$NAME`, and an ARG may well hold spaces.
        let exports = format!("export {}\n", names.join(" "));
        let Some((body, map)) = body_of(instruction, source) else {
            continue;
        };
        let prelude = if body.starts_with("#!") {
            let first = body.lines().next().unwrap_or("");
            if shebang_dialect(first).is_none() {
                continue; // `#!/usr/bin/env python3`: not a shell script
            }
            exports
        } else {
            format!("#!/bin/{shell}\n{exports}")
        };
        out.push(PreparedScript {
            instruction: index,
            script: ScriptText::new(&prelude, &body, map),
        });
    }
    out
}

/// The script a shell-form RUN hands to its shell, as BuildKit builds it, with its map:
/// the joined command; for `RUN <<EOF`, the heredoc body (run as a file); for a command with
/// heredocs (`RUN bash <<EOF`), the command, then each heredoc's body and terminator.
fn body_of(instruction: &Instruction, source: &str) -> Option<(String, SourceMap)> {
    let line = &instruction.line;
    let rest = instruction.rest.clone();
    let text = line.text.get(rest.clone())?;
    if instruction.heredocs.is_empty() {
        return Some((text.to_string(), line.map.slice(rest)));
    }
    if crate::shell::is_heredoc_marker(text) {
        let h = &instruction.heredocs[0];
        let body = source.get(h.body_span.clone())?;
        return Some((
            body.to_string(),
            SourceMap::contiguous(h.body_span.start, body.len()),
        ));
    }
    let mut full = text.to_string();
    let mut map = line.map.slice(rest);
    for h in &instruction.heredocs {
        let body = source.get(h.body_span.clone())?;
        full.push('\n');
        map.push(h.body_span.start.saturating_sub(1), 1);
        full.push_str(body);
        map.push(h.body_span.start, body.len());
        if !body.is_empty() && !body.ends_with('\n') {
            full.push('\n');
            map.push(h.body_span.end, 1);
        }
        let terminator = source.get(h.terminator_span.clone()).unwrap_or("");
        full.push_str(terminator);
        map.push(h.terminator_span.start, terminator.len());
    }
    Some((full, map))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn prepared(source: &str) -> Vec<PreparedScript> {
        let parse = parse(source);
        let model = Model::build(&parse, None);
        prepare(&parse.tree, &model)
    }

    #[test]
    fn shebang_from_shell_and_exports_from_arg_and_env() {
        let scripts = prepared(
            "FROM a\nARG version\nENV home=/x\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN echo $version\n",
        );
        assert_eq!(scripts.len(), 1);
        let text = &scripts[0].script.text;
        assert!(text.starts_with("#!/bin/bash\nexport "), "{text}");
        assert!(
            text.contains(" home ") && text.contains(" version\n"),
            "{text}"
        );
        assert!(text.contains(" http_proxy "), "{text}");
        assert!(text.ends_with("\necho $version"), "{text}");
    }

    #[test]
    fn skips_exec_form_other_shells_and_non_shell_heredocs() {
        let scripts = prepared(
            "FROM a\nRUN [\"echo\", \"$x\"]\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\nSHELL [\"pwsh\", \"-c\"]\nRUN echo $x\n",
        );
        assert!(scripts.is_empty(), "{scripts:#?}");
    }

    #[test]
    fn heredoc_scripts() {
        let scripts = prepared(
            "FROM a\nRUN <<EOF\necho $x\nEOF\nRUN <<EOF\n#!/bin/bash\necho $y\nEOF\nRUN bash <<A && cat <<B\necho $z\nA\nb\nB\n",
        );
        let texts: Vec<&str> = scripts.iter().map(|s| s.script.text.as_str()).collect();
        assert!(texts[0].starts_with("#!/bin/sh\n") && texts[0].ends_with("\necho $x\n"));
        assert!(texts[1].starts_with("#!/bin/bash\nexport ") && texts[1].ends_with("\necho $y\n"));
        assert!(
            texts[2].ends_with("\nbash <<A && cat <<B\necho $z\nA\nb\nB"),
            "{:?}",
            texts[2]
        );
    }

    #[test]
    fn dialects() {
        assert_eq!(dialect("/bin/ash"), Some("dash"));
        assert_eq!(dialect("/usr/bin/zsh"), None);
        assert_eq!(shebang_dialect("#!/usr/bin/env -S bash -e"), Some("bash"));
        assert_eq!(shebang_dialect("#!/usr/bin/env python3"), None);
    }
}
