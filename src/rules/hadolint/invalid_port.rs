use crate::declare_rule;
use crate::rules::{Check, Context, Source, Violation};
use crate::semantic::expand_known;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags an `EXPOSE` port outside 0–65535 (`EXPOSE 80000`, `EXPOSE 8000-70000/udp`).
    ///
    /// ## Why is this bad?
    /// Ports are 16-bit numbers: such a port cannot be published, and the build fails or
    /// the metadata is wrong. Ports given through variables are checked with their value
    /// when the file defines it.
    ///
    /// ## Example
    /// ```dockerfile
    /// EXPOSE 80800
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// EXPOSE 8080
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows which port was meant.
    pub struct InvalidPort {
        code: "DL3011",
        name: "invalid-port",
        family: Hadolint,
        severity: Error,
        fix: None,
        sources: [Source::Hadolint("DL3011")],
    }
}

/// Some port of `80`, `80/tcp`, `8000-8010/udp` is above 65535.
fn out_of_range(port: &str) -> bool {
    let numbers = port.split('/').next().unwrap_or(port);
    numbers
        .split('-')
        .filter_map(|n| n.trim().parse::<u64>().ok())
        .any(|n| n > 65535)
}

impl Check for InvalidPort {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for (index, instr) in ctx.instructions().iter().enumerate() {
            if instr.keyword != Keyword::Expose {
                continue;
            }
            let Some(state) = ctx.model.state_at(index) else {
                continue;
            };
            let vars = &state.vars;
            for arg in &instr.args {
                let Some(port) = expand_known(&arg.value, ctx.tree().escape, vars) else {
                    continue;
                };
                if out_of_range(&port) {
                    out.push(Violation::new(
                        arg.span.clone(),
                        format!("Valid UNIX ports range from 0 to 65535: `{port}` is out of range"),
                    ));
                }
            }
        }
    }
}
