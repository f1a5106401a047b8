use crate::declare_rule;
use crate::fix::{Edit, Fix};
use crate::rules::{Check, Context, Source, Violation};
use crate::shell::parse_script;
use crate::syntax::{Instruction, Keyword};

declare_rule! {
    /// ## What it does
    /// Flags `CMD` and `ENTRYPOINT` in shell form (`CMD node server.js`) instead of JSON form
    /// (`CMD ["node", "server.js"]`).
    ///
    /// ## Why is this bad?
    /// The shell form runs the command as `/bin/sh -c "…"`. Depending on the shell, `sh`
    /// stays as PID 1 and the program runs as its child: `docker stop` sends `SIGTERM` to
    /// `sh`, which does not pass it on, and the container is killed after the timeout
    /// instead of shutting down cleanly. A shell-form `ENTRYPOINT` also ignores `CMD` and the
    /// arguments given to `docker run`.
    ///
    /// ## Example
    /// ```dockerfile
    /// CMD node server.js
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// ## Differences from hadolint
    /// - hadolint also flags `HEALTHCHECK CMD` in shell form. A health check is a short-lived
    ///   command, not PID 1: signals and arguments do not reach it either way, so dlint
    ///   leaves it alone.
    /// - hadolint's JSON reader does not know every JSON escape (`"\/usr/bin/znc"`) and
    ///   takes such an array for shell form; dlint reads it as BuildKit does.
    ///
    /// ## Fix safety
    /// Unsafe. The fix rewrites the command as a JSON array when it is plain words: no
    /// variables, globs, redirections, pipes, `&&`, comments or shell builtins (a leading
    /// `exec` is dropped, as the JSON form does the same), in a stage whose `SHELL` is the
    /// default `/bin/sh -c`, on one line. Even then it changes how the container runs:
    /// the program becomes PID 1 and receives signals itself (the point of the rule, but a
    /// program that ignores `SIGTERM` as PID 1 now keeps running until killed); a JSON
    /// `ENTRYPOINT` receives `CMD` and `docker run` arguments that the shell form dropped;
    /// and a JSON `CMD` reaches an `ENTRYPOINT` (here or in the base image) as separate
    /// arguments instead of `/bin/sh -c "…"`.
    pub struct ShellFormCmd {
        code: "DL3025",
        name: "shell-form-cmd",
        family: Hadolint,
        severity: Warning,
        fix: Sometimes,
        sources: [Source::Hadolint("DL3025")],
    }
}

/// Shell builtins and keywords with no executable of the same name: the JSON form cannot run
/// them.
pub(crate) const BUILTINS: &[&str] = &[
    ".", ":", "alias", "break", "builtin", "cd", "command", "continue", "eval", "exit", "export",
    "hash", "local", "read", "readonly", "return", "set", "shift", "source", "times", "trap",
    "type", "ulimit", "umask", "unalias", "unset", "wait", "if", "then", "else", "fi", "for",
    "while", "until", "do", "done", "case", "esac", "function", "{", "}", "!", "[[",
];

/// The text has no shell syntax outside plain words and simple quotes.
fn plain_words(text: &str) -> bool {
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match quote {
            Some('\'') => {
                if c == '\'' {
                    quote = None;
                }
            }
            Some(_) => match c {
                '"' => quote = None,
                '$' | '`' | '\\' | '!' => return false,
                _ => {}
            },
            None => match c {
                '\'' | '"' => quote = Some(c),
                '$' | '`' | '\\' | '|' | '&' | ';' | '<' | '>' | '(' | ')' | '*' | '?' | '['
                | ']' | '{' | '}' | '~' | '#' | '!' | '\n' | '\r' => return false,
                _ => {}
            },
        }
    }
    quote.is_none()
}

/// The JSON array for a shell-form command, when it is plain words.
fn json_form(ctx: &Context<'_>, index: usize, instr: &Instruction) -> Option<String> {
    if instr.start_line != instr.end_line || !instr.heredocs.is_empty() {
        return None;
    }
    let shell = &ctx.model.state_at(index)?.shell;
    if shell[..] != ["/bin/sh", "-c"] || !ctx.model.posix_shell_at(index) {
        return None;
    }
    let text = instr.rest_text();
    if !plain_words(text) {
        return None;
    }
    let script = parse_script(text, &instr.line.map.slice(instr.rest.clone()));
    let [command] = script.commands.as_slice() else {
        return None;
    };
    if script.has_errors || !command.assignments.is_empty() {
        return None;
    }
    let mut words: Vec<&str> = command
        .words
        .iter()
        .map(|w| w.value.as_deref())
        .collect::<Option<_>>()?;
    if words.first() == Some(&"exec") {
        words.remove(0);
    }
    let first = words.first()?;
    if first.is_empty() || BUILTINS.contains(first) || first.contains('=') {
        return None;
    }
    let items: Vec<String> = words
        .iter()
        .map(|w| serde_json::to_string(w).unwrap_or_default())
        .collect();
    Some(format!("[{}]", items.join(", ")))
}

impl Check for ShellFormCmd {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for (index, instr) in ctx.instructions().iter().enumerate() {
            if !matches!(instr.keyword, Keyword::Cmd | Keyword::Entrypoint)
                || instr.json
                || instr.rest_text().is_empty()
            {
                continue;
            }
            let keyword = instr.keyword.as_str();
            let mut violation = Violation::new(
                instr.rest_span(),
                format!(
                    "Use the JSON form for {keyword}: in shell form `/bin/sh -c` runs it and signals do not reach the program"
                ),
            );
            if let Some(json) = json_form(ctx, index, instr) {
                violation = violation.with_fix(Fix::unsafe_edit(
                    format!("Rewrite as `{keyword} {json}`"),
                    vec![Edit::replace(instr.rest_span(), json)],
                ));
            }
            out.push(violation);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::plain_words;

    #[test]
    fn plain_words_only() {
        assert!(plain_words("node server.js"));
        assert!(plain_words("nginx -g 'daemon off;'"));
        assert!(plain_words("echo \"hello world\""));
        assert!(!plain_words("echo $HOME"));
        assert!(!plain_words("echo \"$HOME\""));
        assert!(!plain_words("a && b"));
        assert!(!plain_words("run > log"));
        assert!(!plain_words("ls *.txt"));
        assert!(!plain_words("echo 'unterminated"));
    }
}
