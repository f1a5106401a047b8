use crate::declare_rule;
use crate::fix::{Edit, Fix};
use crate::rules::buildcheck::common::written_args;
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags an `EXPOSE` port whose protocol is not lower case (`80/TCP`). Docker's build
    /// check `ExposeProtoCasing`
    /// (<https://docs.docker.com/go/dockerfile/rule/expose-proto-casing/>).
    ///
    /// ## Why is this bad?
    /// Docker accepts either case, but other tools reading the image's exposed ports (or
    /// comparing them with a compose file) may not.
    ///
    /// ## Example
    /// ```dockerfile
    /// EXPOSE 80/TCP
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// EXPOSE 80/tcp
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix lower-cases the protocol, which Docker reads case-insensitively.
    pub struct ExposeProtoCasing {
        code: "BK021",
        name: "expose-proto-casing",
        family: BuildCheck,
        severity: Warning,
        fix: Sometimes,
        sources: [Source::BuildKit("ExposeProtoCasing")],
    }
}

impl Check for ExposeProtoCasing {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for instr in ctx.instructions() {
            if instr.keyword != Keyword::Expose {
                continue;
            }
            for (text, range) in written_args(instr) {
                let Some((_, proto)) = text.rsplit_once('/') else {
                    continue;
                };
                if proto.contains('$') || proto == proto.to_lowercase() {
                    continue;
                }
                let span = instr.line.span(range.clone());
                let proto_start = range.end - proto.len();
                let proto_span = instr.line.span(proto_start..range.end);
                let mut violation = Violation::new(
                    span,
                    format!("Defined protocol '{text}' in EXPOSE instruction should be lowercase"),
                );
                if proto_span.len() == proto.len() {
                    violation = violation.with_fix(Fix::safe(
                        format!("Write `{}`", proto.to_lowercase()),
                        vec![Edit::replace(proto_span, proto.to_lowercase())],
                    ));
                }
                out.push(violation);
            }
        }
    }
}
