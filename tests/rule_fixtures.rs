//! One fixture per rule under `tests/fixtures/rules/CODE.Dockerfile`: the snapshot holds the
//! rule's diagnostics and the diff of `--fix --unsafe-fixes`. The harness also checks that
//! fixes converge, never add a syntax error, and that a second run changes nothing.
//!
//! One test per fixture (`fixture::CODE`) and one per rule (`rule::CODE`: it has a fixture,
//! and one shows its fix when it claims one), so that a failure names its fixture and the
//! others still run: `cargo test --test rule_fixtures DL3008`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use libtest_mimic::{Arguments, Failed, Trial};

use dlint::fix::{fix_until_stable, unified_diff, Candidate};
use dlint::rules::{all_rules, check, find_rule, FixKind, RuleSelector, RuleSettings, Selection};
use dlint::syntax::{parse, ErrorSeverity};

/// Only the fixture's rule runs. A `CODE.toml` beside the fixture is its configuration (for
/// rules driven by settings, like trusted registries).
fn settings_for(code: &str, fixture: &Path) -> RuleSettings {
    let config = fixture.with_extension("toml");
    let rule_options = config.is_file().then(|| {
        let config = dlint::config::load_config(&config).expect("fixture configuration loads");
        std::sync::Arc::new(config.rule_options)
    });
    RuleSettings {
        selection: Selection {
            select: Some(vec![
                RuleSelector::parse(code).expect("fixture names a rule")
            ]),
            ..Selection::default()
        },
        rule_options,
        // The fixtures sit under `tests/fixtures/`, which reads as a test fixture; they show
        // what each rule does on an application (`tests/library/purpose.rs` covers the other kinds).
        purpose: Some(dlint::semantic::Purpose::Application),
        ..RuleSettings::default()
    }
}

fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

fn candidates(path: &Path, text: &str, settings: &RuleSettings) -> Vec<Candidate> {
    check(Some(path), &parse(text), settings)
        .into_iter()
        .filter_map(|f| {
            f.violation.fix.map(|fix| Candidate {
                code: f.rule.code,
                fix,
            })
        })
        .collect()
}

fn syntax_errors(text: &str) -> usize {
    parse(text)
        .errors
        .iter()
        .filter(|e| e.severity == ErrorSeverity::Error)
        .count()
}

/// The diagnostics and fix diff of one fixture, as the snapshot shows them.
fn render_fixture(path: &Path, code: &str) -> (String, bool) {
    let source = std::fs::read_to_string(path).unwrap();
    let settings = settings_for(code, path);
    let findings = check(Some(path), &parse(&source), &settings);
    let mut out = String::new();
    for f in &findings {
        let (line, col) = line_col(&source, f.violation.span.start);
        out.push_str(&format!(
            "{line}:{col} {} {}\n",
            f.rule.code, f.violation.message
        ));
        if let Some(fix) = &f.violation.fix {
            out.push_str(&format!(
                "    fix ({}): {}\n",
                fix.applicability.as_str(),
                fix.message
            ));
        }
        for s in &f.violation.suggestions {
            out.push_str(&format!(
                "    note ({}): {}\n",
                s.applicability.as_str(),
                s.message
            ));
        }
    }
    let outcome = fix_until_stable(&source, true, |text| candidates(path, text, &settings));
    assert!(
        outcome.converged,
        "{}: fixes did not converge",
        path.display()
    );
    assert!(
        outcome.dropped.is_empty(),
        "{}: fixes broke parsing: {:?}",
        path.display(),
        outcome.dropped
    );
    assert!(
        syntax_errors(&outcome.text) <= syntax_errors(&source),
        "{}: fixed file has new syntax errors",
        path.display()
    );
    let again = fix_until_stable(&outcome.text, true, |text| {
        candidates(path, text, &settings)
    });
    assert_eq!(
        again.text,
        outcome.text,
        "{}: a second run changed the file",
        path.display()
    );
    let diff = unified_diff("Dockerfile", &source, &outcome.text);
    out.push_str("\n--- fix diff (--fix --unsafe-fixes) ---\n");
    out.push_str(if diff.is_empty() {
        "(no changes)\n"
    } else {
        &diff
    });
    (out, !diff.is_empty())
}

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let mut fixtures: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    fixtures.sort();
    fixtures
}

/// `DL3008_variables.Dockerfile` → (`DL3008_variables`, `DL3008`).
fn names(path: &Path) -> (String, String) {
    let name = path.file_stem().unwrap().to_string_lossy().into_owned();
    let code = name.split('_').next().unwrap().to_string();
    (name, code)
}

fn fixture_matches_its_snapshot(path: &Path) {
    let (name, code) = names(path);
    assert!(
        find_rule(&code).is_some(),
        "fixture {} names no rule",
        path.display()
    );
    let (rendered, _) = render_fixture(path, &code);
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!(format!("rule_{name}"), rendered);
    });
}

/// Every rule has a fixture, and a rule that claims edits shows one in a fixture.
fn rule_has_fixture(code: &str, fix: FixKind, fixtures: &[PathBuf]) {
    let own: Vec<&PathBuf> = fixtures.iter().filter(|p| names(p).1 == code).collect();
    assert!(!own.is_empty(), "rule {code} has no fixture");
    if fix != FixKind::None {
        assert!(
            own.iter().any(|path| render_fixture(path, code).1),
            "rule {code} claims a fix but its fixture shows none"
        );
    }
}

fn trial(name: String, test: impl FnOnce() + Send + 'static) -> Trial {
    Trial::test(name, move || {
        catch_unwind(AssertUnwindSafe(test)).map_err(|panic| {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panicked".to_string());
            Failed::from(message)
        })
    })
}

fn main() {
    let args = Arguments::from_args();
    let fixtures = fixtures();
    let mut trials: Vec<Trial> = fixtures
        .iter()
        .map(|path| {
            let path = path.clone();
            trial(format!("fixture::{}", names(&path).0), move || {
                fixture_matches_its_snapshot(&path)
            })
        })
        .collect();
    let shared = std::sync::Arc::new(fixtures);
    for rule in all_rules() {
        let meta = rule.meta();
        let (code, fix) = (meta.code, meta.fix);
        let fixtures = std::sync::Arc::clone(&shared);
        trials.push(trial(format!("rule::{code}"), move || {
            rule_has_fixture(code, fix, &fixtures)
        }));
    }
    trials.push(trial(
        "every_rule_is_documented".into(),
        every_rule_is_documented,
    ));
    libtest_mimic::run(&args, trials).exit();
}

fn every_rule_is_documented() {
    for rule in all_rules() {
        let meta = rule.meta();
        let docs = meta.documentation();
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Fix safety",
        ] {
            assert!(docs.contains(section), "{} lacks `{section}`", meta.code);
        }
        assert!(!meta.summary().is_empty(), "{} has no summary", meta.code);
        assert!(
            meta.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'),
            "{} name",
            meta.code
        );
    }
}
