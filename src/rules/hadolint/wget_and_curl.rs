use crate::declare_rule;
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags a stage that downloads with both `wget` and `curl`: every `RUN` using one of
    /// them once both have appeared.
    ///
    /// ## Why is this bad?
    /// Two tools that do the same job means two packages to install, patch and ship. Pick
    /// one; `curl -fsSL` and `wget -qO-` cover the same cases.
    ///
    /// Stages are checked separately: a builder stage with `curl` and a runtime stage with
    /// `wget` are fine.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN wget -q https://example.com/a.tgz
    /// RUN curl -fsSLO https://example.com/b.tgz
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN curl -fsSLO https://example.com/a.tgz
    /// RUN curl -fsSLO https://example.com/b.tgz
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the two tools take different options.
    pub struct WgetAndCurl {
        code: "DL4001",
        name: "wget-and-curl",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL4001")],
    }
}

impl Check for WgetAndCurl {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let mut stage = None;
        let (mut curl, mut wget) = (false, false);
        for run in ctx.runs() {
            if stage != Some(run.stage) {
                stage = Some(run.stage);
                (curl, wget) = (false, false);
            }
            let mut first = None;
            for (command, name) in run.named_commands() {
                match name {
                    "curl" => curl = true,
                    "wget" => wget = true,
                    _ => continue,
                }
                first.get_or_insert(command);
            }
            if let (Some(command), true, true) = (first, curl, wget) {
                out.push(Violation::new(
                    command.span.clone(),
                    "Use either wget or curl, not both: this stage already uses the other",
                ));
            }
        }
    }
}
