use crate::declare_rule;
use crate::fix::{Edit, Fix};
use crate::rules::buildcheck::common::{is_known, stage_instructions};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags an instruction keyword whose casing differs from the majority of the file's
    /// instructions (`run` among `RUN`s), or is mixed (`Run`). As in BuildKit, the majority
    /// is counted over the instructions of the stages (from the first `FROM` on), a tie
    /// counts as upper case, and `ONBUILD`'s inner instruction is not looked at. Docker's
    /// build check `ConsistentInstructionCasing`
    /// (<https://docs.docker.com/go/dockerfile/rule/consistent-instruction-casing/>).
    ///
    /// ## Why is this bad?
    /// Keywords are case-insensitive, but a file that mixes `RUN` and `run` is harder to
    /// read and to search, and suggests pieces pasted from elsewhere.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// run apk add --no-cache curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix re-cases the keyword, which BuildKit reads case-insensitively.
    pub struct ConsistentInstructionCasing {
        code: "BK004",
        name: "consistent-instruction-casing",
        family: BuildCheck,
        severity: Warning,
        fix: Always,
        sources: [Source::BuildKit("ConsistentInstructionCasing")],
    }
}

impl Check for ConsistentInstructionCasing {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let keywords: Vec<_> = stage_instructions(ctx)
            .filter(|(_, instr)| is_known(instr))
            .map(|(_, instr)| instr)
            .collect();
        let (mut lower, mut upper) = (0usize, 0usize);
        for instr in &keywords {
            let text = &instr.keyword_text;
            if *text == text.to_lowercase() {
                lower += 1;
            } else if *text == text.to_uppercase() {
                upper += 1;
            }
        }
        let majority_lower = lower > upper;
        for instr in keywords {
            let text = &instr.keyword_text;
            let (wanted, casing) = if majority_lower {
                (text.to_lowercase(), "lowercase")
            } else {
                (text.to_uppercase(), "uppercase")
            };
            if wanted == *text {
                continue;
            }
            out.push(
                Violation::new(
                    instr.keyword_span.clone(),
                    format!(
                        "Command '{text}' should match the case of the command majority ({casing})"
                    ),
                )
                .with_fix(Fix::safe(
                    format!("Write `{wanted}`"),
                    vec![Edit::replace(instr.keyword_span.clone(), wanted)],
                )),
            );
        }
    }
}
