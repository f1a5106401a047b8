//! Precision of the mission rules on hand-judged real files: `scripts/precision --check`
//! re-runs dlint over ../shared/corpus/real and fails when a default-on rule's precision on
//! the kept verdicts (tests/precision/verdicts.tsv) is below 90 %.

use crate::common;

use std::process::Command;

#[test]
fn default_on_mission_rules_stay_above_ninety_percent() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/precision");
    let output = match Command::new("python3")
        .arg(script)
        .arg("--check")
        .arg("--dlint")
        .arg(env!("CARGO_BIN_EXE_dlint"))
        .arg("--shared")
        .arg(&shared)
        .output()
    {
        Ok(output) => output,
        Err(error) => {
            eprintln!("skipped: python3 is not available ({error})");
            return;
        }
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    eprintln!("{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        output.status.success(),
        "a default-on rule is below 90 %:\n{stdout}"
    );
    assert!(stdout.contains("passed, 0 failed"), "{stdout}");
}
