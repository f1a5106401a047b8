use crate::declare_rule;
use crate::rules::buildcheck::common::var_names;
use crate::rules::{Check, Context, Source, Violation};
use crate::semantic::expand_known;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags an `ENV` whose value refers to a variable that the same `ENV` sets
    /// (`ENV A=1 B=$A`).
    ///
    /// ## Why is this bad?
    /// BuildKit expands every value of an `ENV` with the variables as they were before the
    /// instruction: `B` gets the old `A` (often nothing), not `1`. Split the instruction:
    /// `ENV A=1` then `ENV B=$A`. A value that refers to its own variable
    /// (`ENV PATH=/opt/bin:$PATH`) is fine.
    ///
    /// Unlike hadolint, which only flags variables that were not set before, a variable set
    /// earlier to a different value is flagged too: `ENV V=1` … `ENV V=2 W=$V` gives
    /// `W=1`, which is rarely what was meant. It is not flagged when the old value is the
    /// same as the new one.
    ///
    /// ## Example
    /// ```dockerfile
    /// ENV APP_HOME=/app APP_BIN=$APP_HOME/bin
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ENV APP_HOME=/app
    /// ENV APP_BIN=$APP_HOME/bin
    /// ```
    ///
    /// ## Fix safety
    /// No fix: splitting the instruction changes the variable's value, which is what the
    /// author has to confirm.
    pub struct EnvSelfReference {
        code: "DL3044",
        name: "env-self-reference",
        family: Hadolint,
        severity: Error,
        fix: None,
        sources: [Source::Hadolint("DL3044")],
    }
}

impl Check for EnvSelfReference {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let escape = ctx.tree().escape;
        for (index, instr) in ctx.instructions().iter().enumerate() {
            if instr.keyword != Keyword::Env {
                continue;
            }
            let Some(state) = ctx.model.state_at(index) else {
                continue;
            };
            let vars = &state.vars;
            let pairs: Vec<(&str, &str)> = instr
                .values
                .chunks(3)
                .filter_map(|p| Some((p.first()?.as_str(), p.get(1)?.as_str())))
                .collect();
            for (j, (key, value)) in pairs.iter().enumerate() {
                let refers = var_names(value, escape).into_iter().find(|name| {
                    pairs.iter().enumerate().any(|(i, (other, new))| {
                        if i == j || other != name {
                            return false;
                        }
                        // Set before to the same value: expanding it changes nothing.
                        let old = vars.get(other).and_then(|v| v.value.known());
                        old.is_none() || old != expand_known(new, escape, vars).as_deref()
                    })
                });
                let Some(name) = refers else { continue };
                let span = if instr.args.len() == pairs.len() {
                    instr.args[j].span.clone()
                } else {
                    instr.keyword_span.clone()
                };
                out.push(Violation::new(
                    span,
                    format!(
                        "`{key}` refers to `{name}`, which this ENV sets: it gets the value from before the instruction"
                    ),
                ));
            }
        }
    }
}
