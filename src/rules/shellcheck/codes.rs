//! ShellCheck's codes as dlint rules: one [`RuleMeta`] per distinct code and level, made on
//! first sight and kept for the process's life (a few hundred at most), so that a finding's
//! code stays a `&'static str` for every renderer, selector and suppression comment.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use crate::rules::{Family, FixKind, RuleMeta, Severity};

/// The rule for ShellCheck code `code` (2086 → `SC2086`, `shellcheck-2086`) at `severity`.
pub fn meta_for(code: u32, severity: Severity) -> &'static RuleMeta {
    static METAS: OnceLock<Mutex<HashMap<(u32, Severity), &'static RuleMeta>>> = OnceLock::new();
    let metas = METAS.get_or_init(Default::default);
    // A poisoned lock only means another thread panicked mid-insert: the map is still sound.
    let mut metas = metas.lock().unwrap_or_else(|e| e.into_inner());
    metas.entry((code, severity)).or_insert_with(|| {
        let meta = RuleMeta {
            code: leak(format!("SC{code}")),
            name: leak(format!("shellcheck-{code}")),
            family: Family::ShellCheck,
            severity,
            fix: FixKind::Sometimes,
            default_enabled: true,
            sources: &[],
            docs: leak(page(code)),
        };
        Box::leak(Box::new(meta))
    })
}

/// `SC2086`, `sc2086`, `shellcheck-2086` → 2086.
pub fn parse_code(text: &str) -> Option<u32> {
    let text = text.trim();
    let digits = if text.len() > 2 && text[..2].eq_ignore_ascii_case("SC") {
        &text[2..]
    } else if text.len() > 11 && text[..11].eq_ignore_ascii_case("shellcheck-") {
        &text[11..]
    } else {
        return None;
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Can this selector (as written: a code, a prefix, a name, a family, `ALL`) match a
/// ShellCheck finding? `SC`, `SC2`, `SC2086`, `shellcheck-2086`, `shellcheck`, `ALL`.
pub fn selector_may_match(text: &str) -> bool {
    let text = text.trim();
    text.eq_ignore_ascii_case("ALL")
        || text.eq_ignore_ascii_case("shellcheck")
        || parse_code(text).is_some()
        || (text.len() >= 2
            && text[..2].eq_ignore_ascii_case("SC")
            && text[2..].bytes().all(|b| b.is_ascii_digit()))
        || (text.len() == 1 && text.eq_ignore_ascii_case("S"))
}

/// ShellCheck's level names (`error`, `warning`, `info`, `style`) as severities.
pub fn severity_of(level: &str) -> Severity {
    Severity::parse(level).unwrap_or(Severity::Warning)
}

fn page(code: u32) -> String {
    format!(
        "\
## What it does
Reports ShellCheck's SC{code} in the shell scripts of RUN instructions (and their heredoc
scripts), at the exact place in the Dockerfile. dlint runs the `shellcheck` binary when it
is on PATH (`--shellcheck auto`, the default), with the stage's SHELL as the dialect and the
ARG and ENV names the RUN sees declared.

## Why is this bad?
See ShellCheck's page for SC{code}: https://www.shellcheck.net/wiki/SC{code}

## Fix safety
When ShellCheck suggests an edit, dlint offers it as an unsafe fix: it changes what the
script does.
"
    )
}

fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_meta_per_code_and_level() {
        let a = meta_for(2086, Severity::Info);
        let b = meta_for(2086, Severity::Info);
        assert!(std::ptr::eq(a, b));
        assert_eq!((a.code, a.name), ("SC2086", "shellcheck-2086"));
        assert_eq!(a.url(), "https://www.shellcheck.net/wiki/SC2086");
        assert!(a.summary().starts_with("Reports ShellCheck's SC2086"));
        assert_eq!(meta_for(2086, Severity::Error).severity, Severity::Error);
    }

    #[test]
    fn codes_and_selectors() {
        assert_eq!(parse_code("sc2086"), Some(2086));
        assert_eq!(parse_code("shellcheck-1000"), Some(1000));
        assert_eq!(parse_code("SC"), None);
        assert_eq!(parse_code("SCx1"), None);
        for yes in [
            "SC",
            "SC2",
            "sc2086",
            "shellcheck",
            "ALL",
            "shellcheck-2086",
        ] {
            assert!(selector_may_match(yes), "{yes}");
        }
        for no in ["DL3009", "STG", "SCx", "hadolint"] {
            assert!(!selector_may_match(no), "{no}");
        }
    }
}
