use crate::declare_rule;
use crate::rules::buildcheck::common::{edit_distance, line_span, suggest, var_refs, written_args};
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::{Instruction, Keyword};

declare_rule! {
    /// ## What it does
    /// Flags a variable used in an instruction BuildKit expands (`ENV`, `ARG` defaults,
    /// `LABEL`, `COPY`, `ADD`, `EXPOSE`, `STOPSIGNAL`, `USER`, `VOLUME`, `WORKDIR`, and the
    /// `--chown`/`--chmod` of `COPY`/`ADD`) that no `ARG` or `ENV` before it in the stage
    /// defines, with a "did you mean" for a near miss. As in BuildKit, `RUN`, `CMD` and
    /// `ENTRYPOINT` are not checked (the shell expands their variables), a global `ARG` is
    /// only visible in a stage that declares it again, and the built-in platform args
    /// (`TARGETARCH`, …) need an `ARG` in the stage too. Docker's build check `UndefinedVar`
    /// (<https://docs.docker.com/go/dockerfile/rule/undefined-var/>).
    ///
    /// BuildKit knows the base image's environment; dlint does not pull images. In a stage
    /// built on `scratch` (directly or through other stages) every undefined variable is
    /// reported; in a stage built on another image, only a variable whose name is a near
    /// miss (one edit) of one defined in the file or of `PATH` is, since the image may define
    /// the others (`GOPATH` in `golang`). Whatever the image, a global `ARG` the stage did not
    /// declare again (`ENV FOO $FOO`) and a name used in the `ENV` that sets it
    /// (`ENV NVM_DIR=/nvm PATH=$NVM_DIR/bin:$PATH`, expanded before `NVM_DIR` is set) are
    /// reported. As in BuildKit, a reference with a default (`${UID:-1000}`) counts too.
    ///
    /// ## Why is this bad?
    /// An undefined variable expands to the empty string: `COPY $SRC .` copies the whole
    /// context, `ENV PATH=$PAHT:/app/bin` throws the `PATH` away. Usually it is a typo or
    /// a missing `ARG` in the stage.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENV PATH=$PAHT:/app/bin
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENV PATH=$PATH:/app/bin
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the suggestion may not be what was meant.
    pub struct UndefinedVar {
        code: "BK011",
        name: "undefined-var",
        family: BuildCheck,
        severity: Warning,
        fix: None,
        sources: [Source::BuildKit("UndefinedVar")],
    }
}

/// Variables every Linux image sets, offered as suggestions in stages on unknown images.
const IMAGE_VARS: &[&str] = &["PATH"];

fn expands(instr: &Instruction) -> bool {
    matches!(
        instr.keyword,
        Keyword::Env
            | Keyword::Arg
            | Keyword::Label
            | Keyword::Copy
            | Keyword::Add
            | Keyword::Expose
            | Keyword::StopSignal
            | Keyword::User
            | Keyword::Volume
            | Keyword::Workdir
    )
}

/// Names an ARG instruction declares itself (`ARG A=1 B=$A` does not report `A`).
fn declared_here(instr: &Instruction) -> Vec<&str> {
    if instr.keyword != Keyword::Arg {
        return Vec::new();
    }
    instr
        .args
        .iter()
        .map(|a| a.value.split('=').next().unwrap_or(""))
        .collect()
}

/// Global `ARG`s: declared before the first `FROM`, visible in a stage only once it declares
/// them again.
fn global_args<'a>(ctx: &Context<'a>) -> Vec<&'a str> {
    ctx.instructions()
        .iter()
        .take_while(|i| i.keyword != Keyword::From)
        .filter(|i| i.keyword == Keyword::Arg)
        .flat_map(|i| i.args.iter())
        .map(|a| a.value.split('=').next().unwrap_or(""))
        .collect()
}

impl Check for UndefinedVar {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let escape = ctx.tree().escape;
        let globals = global_args(ctx);
        for (index, instr) in ctx.instructions().iter().enumerate() {
            if !expands(instr) || ctx.model.stage_of(index).is_none() {
                continue;
            }
            let Some(state) = ctx.model.state_at(index) else {
                continue;
            };
            let scope = &state.vars;
            let declared = declared_here(instr);
            // Names earlier `KEY=value` pairs of this ENV set: BuildKit expands every value
            // with the environment from before the instruction.
            let mut set_earlier: Vec<&str> = Vec::new();
            let mut report = |name: &str, span: crate::syntax::Span, set_earlier: &[&str]| {
                if scope.get(name).is_some()
                    || declared.contains(&name)
                    || crate::semantic::PROXY_ARGS.contains(&name)
                {
                    return;
                }
                // Whatever the base image sets, the author meant a value of this file: a
                // global ARG the stage did not declare again, or a name this ENV sets.
                let meant_here = globals.contains(&name) || set_earlier.contains(&name);
                let known = scope.iter().map(|(n, _)| n);
                // On an unknown image, only a one-edit typo is reported: `GOPATH` is two
                // edits from `PATH` and is the golang image's own variable.
                let suggestion = if scope.is_open() {
                    suggest(name, known.chain(IMAGE_VARS.iter().copied())).filter(|s| {
                        edit_distance(&s.to_ascii_lowercase(), &name.to_ascii_lowercase()) <= 1
                    })
                } else {
                    suggest(name, known)
                };
                if scope.is_open() && suggestion.is_none() && !meant_here {
                    return; // the base image may define it
                }
                let mut message = format!("Usage of undefined variable '${name}'");
                if let Some(suggestion) = suggestion {
                    message.push_str(&format!(" (did you mean ${suggestion}?)"));
                } else if globals.contains(&name) {
                    message.push_str(&format!(
                        " (a global ARG: declare `ARG {name}` in the stage to use it)"
                    ));
                } else if set_earlier.contains(&name) {
                    message.push_str(
                        " (this ENV sets it, but its values are expanded before: set it in an \
                         earlier ENV)",
                    );
                }
                out.push(Violation::new(span, message));
            };
            // References with a default are reported too: BuildKit looks the name up all the
            // same.
            for (text, range) in written_args(instr) {
                for found in var_refs(text, escape) {
                    let span = line_span(
                        instr,
                        range.start + found.range.start..range.start + found.range.end,
                    );
                    report(&found.name, span, &set_earlier);
                }
                if instr.keyword == Keyword::Env {
                    if let Some((key, _)) = text.split_once('=') {
                        set_earlier.push(key);
                    }
                }
            }
            if matches!(instr.keyword, Keyword::Copy | Keyword::Add) {
                for flag in &instr.flags {
                    if flag.name != "chown" && flag.name != "chmod" {
                        continue;
                    }
                    let Some(value) = &flag.value else { continue };
                    for found in var_refs(value, escape) {
                        report(&found.name, flag.span.clone(), &[]);
                    }
                }
            }
        }
    }
}
