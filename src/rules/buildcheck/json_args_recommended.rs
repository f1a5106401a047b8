use crate::declare_rule;
use crate::fix::{Edit, Fix};
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::{Instruction, Keyword};

declare_rule! {
    /// ## What it does
    /// Flags `CMD` and `ENTRYPOINT` in shell form in a stage that has not set a `SHELL`
    /// itself (nor inherited one from a stage it is built `FROM`), as BuildKit does. Docker's
    /// build check `JSONArgsRecommended`
    /// (<https://docs.docker.com/go/dockerfile/rule/json-args-recommended/>).
    ///
    /// Off by default: `DL3025` (`shell-form-cmd`) reports shell-form `CMD`/`ENTRYPOINT`
    /// and is on by default. Select this rule to get Docker's name and message.
    ///
    /// ## Why is this bad?
    /// The shell form runs the program as a child of `/bin/sh -c`, which does not pass on
    /// signals: `docker stop` waits for its timeout and kills the container instead of
    /// letting the program shut down cleanly. Setting `SHELL` says the shell is wanted.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENTRYPOINT my-program start
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENTRYPOINT ["my-program", "start"]
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe. When the command is plain words on one line (no variables, quotes, globs,
    /// redirections or other shell syntax), the fix writes it as a JSON array. The program
    /// then runs as PID 1 without a shell, and a JSON `ENTRYPOINT` receives `CMD` and
    /// `docker run` arguments that the shell form dropped.
    pub struct JsonArgsRecommended {
        code: "BK007",
        name: "json-args-recommended",
        family: BuildCheck,
        severity: Warning,
        fix: Sometimes,
        default_enabled: false,
        sources: [Source::BuildKit("JSONArgsRecommended")],
    }
}

/// The command as a JSON array when it is plain words.
fn json_form(instr: &Instruction) -> Option<String> {
    if instr.start_line != instr.end_line {
        return None;
    }
    let words: Vec<&str> = instr.rest_text().split_whitespace().collect();
    let plain = |w: &&str| {
        w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c))
    };
    if words.is_empty() || !words.iter().all(plain) {
        return None;
    }
    let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    Some(format!("[{}]", quoted.join(", ")))
}

/// A SHELL instruction in the stage before `index`, or in a stage it is built FROM.
/// Per stage: whether a `SHELL` comes before its end in it or in a stage it is built FROM.
/// Parents come first, so one pass over the stages.
fn shell_by_stage_end(ctx: &Context<'_>) -> Vec<bool> {
    let stages = &ctx.model.stages;
    let mut set = vec![false; stages.len()];
    for stage in stages {
        let range = stage.instructions.clone();
        let own = ctx.instructions()[range.start.min(range.end)..range.end]
            .iter()
            .any(|i| i.keyword == Keyword::Shell);
        let inherited = stage
            .parent
            .filter(|&p| p < stage.index)
            .is_some_and(|p| set[p]);
        set[stage.index] = own || inherited;
    }
    set
}

impl Check for JsonArgsRecommended {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let mut by_stage_end = None;
        // The stage being read and whether a SHELL came before, in it or its FROM chain.
        let mut current: Option<(usize, bool)> = None;
        for (index, instr) in ctx.instructions().iter().enumerate() {
            let Some(stage) = ctx.model.stage_of(index) else {
                continue;
            };
            if current.is_none_or(|(s, _)| s != stage) {
                let by_stage_end = by_stage_end.get_or_insert_with(|| shell_by_stage_end(ctx));
                let inherited = ctx.model.stages[stage]
                    .parent
                    .filter(|&p| p < stage)
                    .is_some_and(|p| by_stage_end[p]);
                current = Some((stage, inherited));
            }
            if instr.keyword == Keyword::Shell {
                current = Some((stage, true));
            }
            if !matches!(instr.keyword, Keyword::Cmd | Keyword::Entrypoint) || instr.json {
                continue;
            }
            if current.is_some_and(|(_, shell)| shell) {
                continue;
            }
            let name = instr.keyword.as_str();
            let mut violation = Violation::new(
                instr.keyword_span.clone(),
                format!(
                    "JSON arguments recommended for {name} to prevent unintended behavior related to OS signals"
                ),
            );
            if let Some(json) = json_form(instr) {
                violation = violation.with_fix(Fix::unsafe_edit(
                    format!("Write `{name} {json}`"),
                    vec![Edit::replace(instr.rest_span(), json)],
                ));
            }
            out.push(violation);
        }
    }
}
