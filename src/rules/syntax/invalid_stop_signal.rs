use super::reject::{buildkit_args, is_literal, parsed_instructions};
use crate::declare_rule;
use crate::rules::{Check, Context, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Reports a `STOPSIGNAL` that is neither a signal number nor a Linux signal name
    /// (`STOPSIGNAL FOO`, `STOPSIGNAL 0`). BuildKit's message: `invalid signal: FOO`.
    ///
    /// Names are read as BuildKit reads them: any case, with or without `SIG`
    /// (`SIGTERM`, `term`, `SIGRTMIN+3`). A value with a variable is not checked.
    ///
    /// ## Why is this bad?
    /// `docker build` fails on the `STOPSIGNAL`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// STOPSIGNAL SIGQUITE
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM nginx:1.27
    /// STOPSIGNAL SIGQUIT
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the signal is for the author to name.
    pub struct InvalidStopSignal {
        code: "REJ009",
        name: "invalid-stop-signal",
        family: Syntax,
        severity: Error,
        fix: None,
    }
}

/// Linux signal names without `SIG`, as moby's signal table lists them.
const SIGNALS: &[&str] = &[
    "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL",
    "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP",
    "TTIN", "TTOU", "UNUSED", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ", "RTMIN",
    "RTMAX",
];

fn is_signal(value: &str) -> bool {
    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse::<i64>().is_ok_and(|n| n != 0);
    }
    let upper = value.to_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    if SIGNALS.contains(&name) {
        return true;
    }
    let offset = |rest: &str| rest.parse::<u8>().is_ok_and(|n| (1..=15).contains(&n));
    name.strip_prefix("RTMIN+").is_some_and(offset)
        || name
            .strip_prefix("RTMAX-")
            .is_some_and(|r| r.parse::<u8>().is_ok_and(|n| (1..=14).contains(&n)))
}

impl Check for InvalidStopSignal {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for (_, instr) in parsed_instructions(ctx) {
            if instr.keyword != Keyword::StopSignal {
                continue;
            }
            let [value] = buildkit_args(instr) else {
                continue;
            };
            if !is_literal(value) || value.contains(['"', '\'', '\\']) || is_signal(value) {
                continue;
            }
            out.push(Violation::new(
                instr.rest_span(),
                format!(
                    "invalid signal: {value}; use a name such as SIGTERM or SIGQUIT, or a number"
                ),
            ));
        }
    }
}
