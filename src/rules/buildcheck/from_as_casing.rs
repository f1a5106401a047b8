use crate::declare_rule;
use crate::fix::{Edit, Fix};
use crate::rules::buildcheck::common::is_self_consistent;
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags `FROM … AS name` where `AS` is not cased like `FROM` (`FROM alpine as base`).
    /// A `FROM` of mixed case (`From`) is left to `consistent-instruction-casing`. Docker's
    /// build check `FromAsCasing`
    /// (<https://docs.docker.com/go/dockerfile/rule/from-as-casing/>).
    ///
    /// ## Why is this bad?
    /// Both are case-insensitive, but a file that mixes `FROM` with `as` reads as careless
    /// and is harder to scan for stage definitions.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12 as builder
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12 AS builder
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix re-cases the `AS` keyword, which BuildKit reads case-insensitively.
    pub struct FromAsCasing {
        code: "BK002",
        name: "from-as-casing",
        family: BuildCheck,
        severity: Warning,
        fix: Always,
        sources: [Source::BuildKit("FromAsCasing")],
    }
}

impl Check for FromAsCasing {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for instr in ctx.instructions() {
            if instr.keyword != Keyword::From || instr.args.len() < 3 {
                continue;
            }
            let from = instr.keyword_text.as_str();
            let as_word = &instr.args[1];
            if !as_word.value.eq_ignore_ascii_case("as") || !is_self_consistent(from) {
                continue;
            }
            let wanted = if from == from.to_lowercase() {
                as_word.value.to_lowercase()
            } else {
                as_word.value.to_uppercase()
            };
            if wanted == as_word.value {
                continue;
            }
            out.push(
                Violation::new(
                    as_word.span.clone(),
                    format!(
                        "'{}' and '{from}' keywords' casing do not match",
                        as_word.value
                    ),
                )
                .with_fix(Fix::safe(
                    format!("Write `{wanted}`"),
                    vec![Edit::replace(as_word.span.clone(), wanted.clone())],
                )),
            );
        }
    }
}
