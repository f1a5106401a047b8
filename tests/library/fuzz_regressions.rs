//! Every input a fuzz target ever failed on, kept in `tests/fuzz_regressions/<target>/`, goes
//! through that target's checks again (the same code: `fuzz/checks.rs`) under `cargo test`.

#[path = "../../fuzz/checks.rs"]
mod checks;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

type Check = fn(&[u8]) -> Result<(), String>;

fn replay(target: &str, check: Check) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    // A target that never failed has no directory.
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut inputs: Vec<_> = entries
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    inputs.sort();
    let mut failures = Vec::new();
    for input in &inputs {
        let data = std::fs::read(input).expect("a readable regression input");
        let name = input.display();
        match catch_unwind(AssertUnwindSafe(|| check(&data))) {
            Ok(Ok(())) => {}
            Ok(Err(failure)) => failures.push(format!("{name}: {failure}")),
            Err(_) => failures.push(format!("{name}: panicked (message above)")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn parse_regressions() {
    replay("parse", checks::check_parse);
}

#[test]
fn shell_regressions() {
    replay("shell", checks::check_shell);
}

#[test]
fn lint_fix_regressions() {
    replay("lint_fix", checks::check_lint_fix);
}

#[test]
fn a_plain_file_passes_every_check() {
    let good = b"FROM alpine:3.20\nRUN apk add curl && echo $(date)\nCMD [\"sh\"]\n";
    assert_eq!(checks::check_parse(good), Ok(()));
    assert_eq!(checks::check_shell(good), Ok(()));
    assert_eq!(checks::check_lint_fix(good), Ok(()));
}
