//! Suppression comments silence exactly what they name, where they apply.

use dlint::linter::{lint_source, LintOptions};
use dlint::rules::{RuleSelector, Selection};

fn selected(codes: &[&str]) -> LintOptions {
    LintOptions {
        selection: Selection {
            select: Some(
                codes
                    .iter()
                    .map(|c| RuleSelector::parse(c).unwrap())
                    .collect(),
            ),
            ..Selection::default()
        },
        ..LintOptions::default()
    }
}

/// Findings of the rules these tests are about (the others would only add noise).
fn codes(source: &str) -> Vec<(usize, &'static str)> {
    lint_source(
        None,
        source,
        &selected(&["DL3007", "DL3019", "DL3042", "DL3009"]),
    )
    .into_iter()
    .map(|d| (source[..d.span.start].matches('\n').count() + 1, d.code))
    .collect()
}

#[test]
fn next_instruction_global_stage_and_check_skip() {
    let src = "\
# check=skip=DL3007
# hadolint global ignore=DL3042
FROM alpine:latest AS build
# dlint ignore=apk-no-cache
RUN apk add curl
RUN apk add git
RUN pip install x
# hadolint stage ignore=DL3019
FROM alpine:3.20
RUN apk add jq
";
    assert_eq!(codes(src), [(6, "DL3019")]);
}

#[test]
fn unused_suppressions_are_reported_when_enabled() {
    let src = "FROM alpine:3.20\n# dlint ignore=DL3019,DL3009\nRUN apk add curl\n";
    let options = selected(&["DL3019", "DL3009", "SUP001"]);
    let found: Vec<_> = lint_source(None, src, &options)
        .into_iter()
        .map(|d| (d.code, d.message))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "SUP001");
    assert!(found[0].1.contains("DL3009"));
    assert!(codes(src).is_empty(), "off by default");
}
