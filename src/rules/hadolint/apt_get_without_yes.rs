use crate::declare_rule;
use crate::rules::hadolint::apt_unpinned::APT_VALUE_OPTIONS;
use crate::rules::hadolint::common::{has_flag, report_missing_yes, AssumeYesRule};
use crate::rules::{Check, Context, Source, Violation};
use crate::shell::Word;

declare_rule! {
    /// ## What it does
    /// Flags `apt-get install` without `-y` (`--yes`, `--assume-yes`).
    ///
    /// ## Why is this bad?
    /// A build has no terminal to answer apt's "Do you want to continue? [Y/n]". When the
    /// install pulls in more packages than those named, apt-get asks, reads end-of-file and
    /// aborts, and the build fails.
    ///
    /// Also accepted: quiet level 2 (`-qq`, `-q -q`, `-q=2`), which implies `-y`, and
    /// `-o APT::Get::Assume-Yes=true`; a simulation (`-s`, `--dry-run`) installs nothing and
    /// never asks. Unlike hadolint, a single `-q` is not accepted: it
    /// only makes apt quieter, it does not answer the question.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install --no-install-recommends curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// ## Fix safety
    /// Safe: `-y` only answers the question a build cannot answer; where apt-get did not ask,
    /// nothing changes, and where it asked the build failed. The fix inserts `-y` right after
    /// `install`.
    pub struct AptGetWithoutYes {
        code: "DL3014",
        name: "apt-get-without-yes",
        family: Hadolint,
        severity: Warning,
        fix: Always,
        sources: [Source::Hadolint("DL3014")],
    }
}

/// apt's quiet level from `-q`, `-qq`, `-q=2`, `--quiet`, `--quiet=2`.
fn quiet_level(args: &[Word]) -> usize {
    args.iter()
        .map(|w| {
            let text = w.text();
            if let Some(level) = text
                .strip_prefix("--quiet=")
                .or_else(|| text.strip_prefix("-q="))
            {
                return level.parse().unwrap_or(1);
            }
            if text == "--quiet" {
                return 1;
            }
            match text.strip_prefix('-') {
                Some(b) if !b.starts_with('-') && b.chars().all(|c| c.is_ascii_alphabetic()) => {
                    b.chars().filter(|c| *c == 'q').count()
                }
                _ => 0,
            }
        })
        .sum()
}

fn answers_yes(args: &[Word]) -> bool {
    has_flag(args, &['y'], &["--yes", "--assume-yes"])
        || quiet_level(args) >= 2
        || args.iter().any(|w| {
            let t = w.text().to_ascii_lowercase();
            t.contains("apt::get::assume-yes=true") || t.contains("apt::get::assume-yes=1")
        })
}

/// `--simulate` and its aliases: apt only prints what it would do, and asks nothing.
fn simulated(args: &[Word]) -> bool {
    has_flag(
        args,
        &['s'],
        &[
            "--simulate",
            "--just-print",
            "--dry-run",
            "--recon",
            "--no-act",
        ],
    )
}

const APT_GET: AssumeYesRule = AssumeYesRule {
    tools: &["apt-get"],
    installs: &["install"],
    value_options: APT_VALUE_OPTIONS,
    answered: |args| simulated(args) || answers_yes(args),
    message: "`apt-get install` without `-y` aborts when apt asks for confirmation",
};

impl Check for AptGetWithoutYes {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        report_missing_yes(ctx, &APT_GET, out);
    }
}
