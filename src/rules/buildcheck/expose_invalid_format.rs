use crate::declare_rule;
use crate::rules::buildcheck::common::written_args;
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags an `EXPOSE` port with an IP address or a host-port mapping
    /// (`127.0.0.1:80:80`, `8080:80`). Docker's build check `ExposeInvalidFormat`
    /// (<https://docs.docker.com/go/dockerfile/rule/expose-invalid-format/>).
    ///
    /// ## Why is this bad?
    /// `EXPOSE` only documents the container's own port (and protocol); which host address
    /// and port it is published on is decided by `docker run -p` or compose. BuildKit says
    /// this form will become an error.
    ///
    /// ## Example
    /// ```dockerfile
    /// EXPOSE 8080:80
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// EXPOSE 80
    /// ```
    ///
    /// ## Fix safety
    /// No fix: whether the container listens on the host or the container side of the
    /// mapping is not written down.
    pub struct ExposeInvalidFormat {
        code: "BK022",
        name: "expose-invalid-format",
        family: BuildCheck,
        severity: Warning,
        fix: None,
        sources: [Source::BuildKit("ExposeInvalidFormat")],
    }
}

impl Check for ExposeInvalidFormat {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for instr in ctx.instructions() {
            if instr.keyword != Keyword::Expose {
                continue;
            }
            for (text, range) in written_args(instr) {
                // `${PORT:-80}` has a colon that is not a mapping.
                let outside_vars = strip_braced_vars(text);
                if !outside_vars.contains(':') {
                    continue;
                }
                out.push(Violation::new(
                    instr.line.span(range),
                    format!("EXPOSE instruction should not define an IP address or host-port mapping, found '{text}'"),
                ));
            }
        }
    }
}

/// `text` without its `${…}` references.
fn strip_braced_vars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek() == Some(&'{') {
            chars.next();
            depth += 1;
            continue;
        }
        if depth > 0 {
            if c == '}' {
                depth -= 1;
            }
            continue;
        }
        out.push(c);
    }
    out
}
