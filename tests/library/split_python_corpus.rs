//! The "build packages installed for pip" findings of the shared corpus: each one gets the
//! venv split as an unsafe rewrite, or advice that says precisely why not.

use crate::common;

use dlint::fix::Applicability;
use dlint::rules::{check, RuleSelector, RuleSettings, Selection};
use dlint::semantic::Purpose;
use dlint::syntax::parse;

/// (file under corpus/real, rewritten?, words the fix title must contain when it is (the
/// runtime image), or the reason when it is not).
const CASES: &[(&str, bool, &str)] = &[
    (
        "open-telemetry__opentelemetry-demo/src__agent__Dockerfile",
        true,
        // The runtime stage stays on the builder's digest-pinned slim image.
        "python:3.14-slim@sha256:",
    ),
    (
        "open-telemetry__opentelemetry-demo/src__mcp__Dockerfile",
        true,
        "python:3.14-slim@sha256:",
    ),
    // `curl` is kept: the runtime stage repeats its RUN without build-essential.
    (
        "GoogleCloudPlatform__python-docs-samples/alm__ui-examples__Dockerfile",
        true,
        "on `python:3.12-slim`",
    ),
    // Alpine's own python3 with a venv: the runtime stage is on the same image.
    ("traefik__traefik/docs__docs.Dockerfile", true, "on `alpine:3.24`"),
    (
        "GoogleCloudPlatform__python-docs-samples/dataflow__custom-containers__ubuntu__Dockerfile",
        false,
        "`pip` installs into the system Python (the stage creates no venv)",
    ),
    (
        "GoogleCloudPlatform__python-docs-samples/dataflow__flex-templates__streaming_beam__Dockerfile",
        false,
        "does not know the image",
    ),
    (
        "GoogleCloudPlatform__python-docs-samples/dataflow__gemma__Dockerfile",
        false,
        "not rewritten",
    ),
];

#[test]
fn every_pip_build_package_finding_is_rewritten_or_says_why() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let settings = RuleSettings {
        selection: Selection {
            select: Some(vec![RuleSelector::parse("STG001").unwrap()]),
            ..Selection::default()
        },
        purpose: Some(Purpose::Application),
        ..RuleSettings::default()
    };
    for (file, rewritten, reason) in CASES {
        let path = shared.join("corpus/real").join(file);
        if !path.is_file() {
            eprintln!("skipped: {file} is not in this corpus");
            continue;
        }
        let source = common::read_text(&path);
        let findings = check(Some(&path), &parse(&source), &settings);
        let finding = findings
            .first()
            .unwrap_or_else(|| panic!("{file}: no STG001"));
        assert!(
            finding.violation.message.contains("`pip install`"),
            "{file}: {}",
            finding.violation.message
        );
        let fix = finding.violation.fix.as_ref().expect("a fix or advice");
        if *rewritten {
            assert_eq!(
                fix.applicability,
                Applicability::Unsafe,
                "{file}: {}",
                fix.message
            );
            assert!(fix.message.contains(reason), "{file}: {}", fix.message);
        } else {
            assert_eq!(
                fix.applicability,
                Applicability::DisplayOnly,
                "{file}: {}",
                fix.message
            );
            assert!(fix.message.contains(reason), "{file}: {}", fix.message);
        }
    }
}
