//! RUNs that install packages the runtime may need (`curl`, an SDK installer it fetches):
//! the runtime stage repeats them with only the build-only packages (compilers, headers)
//! taken out of the install list, so whatever else the RUN does happens there too.
//!
//! A RUN is repeated only when it runs before any COPY/ADD (the runtime stage has none of
//! the build context at that point) and builds nothing itself (no compiler, no `pip`).

use std::collections::BTreeMap;
use std::ops::Range;

use crate::knowledge::packages;
use crate::rules::context::RunInfo;
use crate::rules::stage::common::{package_ops, NATIVE_BUILD_COMMANDS};
use crate::shell::Command;
use crate::syntax::Keyword;

use super::rewrite::{Reason, Single};

/// Commands a build-only package provides besides the compilers: a repeated RUN must not
/// run them either.
const BUILD_TOOLS: &[&str] = &["pip", "pip3", "pkg-config"];

/// A RUN the runtime stage repeats: its text there, the packages it still installs and
/// those it no longer does.
pub(crate) struct KeptRun {
    pub index: usize,
    pub text: String,
    pub kept: Vec<String>,
    pub dropped: Vec<String>,
}

/// The stage's RUNs that install a package that is not build-only, as the runtime stage
/// repeats them (by instruction index); `Err` when one cannot be repeated safely.
pub(crate) fn kept_runs(single: &Single<'_, '_>) -> Result<Vec<KeptRun>, Reason> {
    let facts = packages();
    let first_copy = single
        .body
        .iter()
        .find(|(_, i)| matches!(i.keyword, Keyword::Copy | Keyword::Add))
        .map(|(index, _)| *index);
    let mut kept = Vec::new();
    for run in &single.runs {
        let ops = package_ops(run, false);
        let installs_runtime = ops.iter().any(|op| {
            op.packages
                .iter()
                .any(|w| !facts.is_build_toolchain(op.installer.manager, w.text()))
        });
        if !installs_runtime {
            continue;
        }
        let instr = run.instruction;
        let shown = first_words(&single.source()[instr.span.clone()]);
        if instr.json || !instr.flags.is_empty() || !instr.heredocs.is_empty() {
            return Err(format!(
                "`{shown}` installs packages the runtime may need, with a form dlint does not \
                 repeat"
            ));
        }
        if run.scripts.iter().any(|s| s.has_errors) {
            return Err("a RUN has shell syntax dlint cannot read".into());
        }
        if !package_ops(run, true).is_empty() {
            return Err(format!(
                "`{shown}` also removes packages, which the runtime stage's copy may not have"
            ));
        }
        if first_copy.is_some_and(|copy| copy < run.index) {
            return Err(format!(
                "`{shown}` installs packages the runtime may need after files are copied in: \
                 the runtime stage could not repeat it"
            ));
        }
        for command in run.commands() {
            let view = command.effective();
            let name = view.name().unwrap_or_default();
            let pip = name.starts_with("python") && view.args().iter().any(|w| w.is("pip"));
            if NATIVE_BUILD_COMMANDS.contains(&name) || BUILD_TOOLS.contains(&name) || pip {
                return Err(format!(
                    "`{shown}` also runs `{name}`, which needs the build packages the runtime \
                     stage leaves out"
                ));
            }
        }
        let mut cuts: Vec<Range<usize>> = Vec::new();
        let mut dropped = Vec::new();
        let mut kept_packages = Vec::new();
        for op in &ops {
            if op.command.command.context.nested_in.is_some() {
                return Err(format!("`{shown}` installs packages inside a nested shell"));
            }
            let manager = op.installer.manager;
            let build: Vec<bool> = op
                .packages
                .iter()
                .map(|w| facts.is_build_toolchain(manager, w.text()))
                .collect();
            for (word, build) in op.packages.iter().zip(&build) {
                let name = manager.package_name(word.text());
                if *build {
                    dropped.push(name);
                } else {
                    kept_packages.push(name);
                }
            }
            if build.iter().all(|b| *b) {
                cuts.push(command_cut(run, op.command.command)?);
                continue;
            }
            let words: Vec<Range<usize>> = op.packages.iter().map(|w| w.span.clone()).collect();
            cuts.extend(word_cuts(run, op.command.command, &words, &build)?);
        }
        kept.push(KeptRun {
            index: run.index,
            text: apply_cuts(single.source(), instr.span.clone(), &cuts),
            kept: kept_packages,
            dropped,
        });
    }
    Ok(kept)
}

/// The kept RUNs' runtime texts by instruction index.
pub(crate) fn by_index(kept: &[KeptRun]) -> BTreeMap<usize, String> {
    kept.iter().map(|k| (k.index, k.text.clone())).collect()
}

/// Characters between two words of one command that an edit may remove with a word:
/// blanks and line continuations. A comment line inside the continuation is not.
fn is_gap(text: &str, escape: char) -> bool {
    text.chars()
        .all(|c| matches!(c, ' ' | '\t' | '\r' | '\n') || c == escape)
}

/// The ranges that take the package words marked `drop` out of `command`: each run of
/// adjacent dropped words goes with the blanks up to the next word, or, when nothing the
/// command keeps follows, with the blanks since the word before.
fn word_cuts(
    run: &RunInfo<'_>,
    command: &Command,
    words: &[Range<usize>],
    drop: &[bool],
) -> Result<Vec<Range<usize>>, Reason> {
    let source = run.source;
    let all: Vec<Range<usize>> = command.words.iter().map(|w| w.span.clone()).collect();
    let position = |span: &Range<usize>| all.iter().position(|w| w == span);
    let mut cuts = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if !drop[i] {
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < words.len() && drop[j + 1] {
            j += 1;
        }
        let (Some(first), Some(last)) = (position(&words[i]), position(&words[j])) else {
            return Err("a package word is not where dlint read it".into());
        };
        let cut = match (all.get(last + 1), first.checked_sub(1)) {
            (Some(next), _) => words[i].start..next.start,
            (None, Some(before)) => all[before].end..words[j].end,
            (None, None) => return Err("a package word is not where dlint read it".into()),
        };
        // The dropped words are removed with what lies between them: blanks only.
        let mut at = cut.start;
        for word in &all[first..=last] {
            if !is_gap(
                source.get(at..word.start.max(at)).unwrap_or("#"),
                run.escape,
            ) {
                return Err("a comment sits among the packages of the install command".into());
            }
            at = word.end.max(at);
        }
        if !is_gap(source.get(at..cut.end.max(at)).unwrap_or("#"), run.escape) {
            return Err("a comment sits among the packages of the install command".into());
        }
        cuts.push(cut);
        i = j + 1;
    }
    Ok(cuts)
}

/// The range that takes a whole command out of an `&&` list: with the `&&` after it, or the
/// one before it when it is last.
fn command_cut(run: &RunInfo<'_>, command: &Command) -> Result<Range<usize>, Reason> {
    let source = run.source;
    let span = command.span.clone();
    let gap = |c: char| matches!(c, ' ' | '\t' | '\r' | '\n') || c == run.escape;
    let after = &source[span.end..];
    let blank = after.len() - after.trim_start_matches(gap).len();
    if after[blank..].starts_with("&&") {
        let rest = &after[blank + 2..];
        let more = rest.len() - rest.trim_start_matches(gap).len();
        return Ok(span.start..span.end + blank + 2 + more);
    }
    let before = &source[..span.start];
    let trimmed = before.trim_end_matches(gap);
    if let Some(operator) = trimmed.strip_suffix("&&") {
        let end = operator.trim_end_matches(gap).len();
        return Ok(end..span.end);
    }
    Err("an install command of only build packages is not joined with `&&`".into())
}

/// The instruction's text with the cuts taken out, without its final line ending.
fn apply_cuts(source: &str, span: Range<usize>, cuts: &[Range<usize>]) -> String {
    let mut cuts: Vec<&Range<usize>> = cuts.iter().collect();
    cuts.sort_by_key(|c| c.start);
    let mut text = String::new();
    let mut at = span.start;
    for cut in cuts {
        if cut.start >= at {
            text.push_str(&source[at..cut.start]);
            at = cut.end;
        }
    }
    text.push_str(&source[at..span.end]);
    text.trim_end_matches(['\n', '\r']).to_string()
}

fn first_words(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match joined.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &joined[..cut]),
        None => joined,
    }
}
