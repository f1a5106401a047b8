//! What hadolint's rules share: reading options and operands off a command line, telling a
//! pinned package from an unpinned one, and small helpers for instruction arguments.

use crate::fix::Fix;
use crate::rules::cache::common::{package_commands, PackageCommand};
use crate::rules::context::RunInfo;
use crate::rules::options::RPM_VALUE_OPTIONS;
use crate::rules::{Context, Violation};
use crate::shell::Word;
use crate::syntax::{Instruction, Keyword};

/// Does `args` carry the option: a long option (`--yes`, or `--yes=…`) or a short one, alone
/// or in a bundle of letters (`-y`, `-qy`)? A word like `-oAPT::x` is not a bundle: only
/// `-` followed by letters and digits is.
pub(crate) fn has_flag(args: &[Word], short: &[char], long: &[&str]) -> bool {
    args.iter().any(|w| flag_matches(w.text(), short, long))
}

fn flag_matches(text: &str, short: &[char], long: &[&str]) -> bool {
    if let Some(name) = text.strip_prefix("--") {
        let name = name.split('=').next().unwrap_or(name);
        return long.iter().any(|l| l.trim_start_matches('-') == name);
    }
    match text.strip_prefix('-') {
        Some(bundle) if !bundle.is_empty() && bundle.chars().all(|c| c.is_ascii_alphanumeric()) => {
            bundle.chars().any(|c| short.contains(&c))
        }
        _ => false,
    }
}

/// The value given to an option: `-u 1000`, `-u1000`, `--uid 1000`, `--uid=1000`.
pub(crate) fn option_value<'w>(args: &'w [Word], short: char, long: &str) -> Option<&'w Word> {
    let long = long.trim_start_matches('-');
    let mut iter = args.iter().peekable();
    while let Some(w) = iter.next() {
        let text = w.text();
        if let Some(name) = text.strip_prefix("--") {
            if name == long {
                return iter.next();
            }
            if name.strip_prefix(long).is_some_and(|r| r.starts_with('=')) {
                return Some(w);
            }
            continue;
        }
        if let Some(rest) = text.strip_prefix('-') {
            if rest.starts_with(short) {
                return if rest.len() == short.len_utf8() {
                    iter.next()
                } else {
                    Some(w)
                };
            }
        }
    }
    None
}

/// The text of an option's value word: `1000` for `-u1000`, `--uid=1000` and `1000`.
pub(crate) fn value_text(word: &Word, short: char, long: &str) -> String {
    let text = word.text();
    let long = long.trim_start_matches('-');
    if let Some(rest) = text
        .strip_prefix("--")
        .and_then(|t| t.strip_prefix(long))
        .and_then(|t| t.strip_prefix('='))
    {
        return rest.to_string();
    }
    if let Some(rest) = text.strip_prefix('-').and_then(|t| t.strip_prefix(short)) {
        return rest.to_string();
    }
    text.to_string()
}

/// The operands among `args`: the words that are neither options nor the values of the
/// options in `value_options` (written as `-t` or `--target-release`; `--opt=value` carries
/// its own value). After `--` every word is an operand.
pub(crate) fn operands<'w>(args: &'w [Word], value_options: &[&str]) -> Vec<&'w Word> {
    let mut out = Vec::new();
    let mut iter = args.iter();
    while let Some(w) = iter.next() {
        let text = w.text();
        if text == "--" {
            out.extend(iter.by_ref());
            break;
        }
        if text.starts_with('-') && text.len() > 1 {
            if value_options.contains(&text) {
                iter.next();
            }
            continue;
        }
        out.push(w);
    }
    out
}

/// The operands after the subcommand of a package command (`apt-get install -y curl git` →
/// `curl`, `git`), skipping the values of `value_options`.
pub(crate) fn packages<'w>(install: &PackageCommand<'w>, value_options: &[&str]) -> Vec<&'w Word> {
    operands(install.rest(), value_options)
}

/// The unpinned packages of `words`: the static ones `pinned` rejects. Words whose value is
/// not known statically (`$PACKAGES`) are skipped: dlint never guesses.
pub(crate) fn unpinned<'w>(words: &[&'w Word], pinned: impl Fn(&str) -> bool) -> Vec<&'w Word> {
    words
        .iter()
        .copied()
        .filter(|w| {
            w.value
                .as_deref()
                .is_some_and(|v| !v.is_empty() && !pinned(v))
        })
        .collect()
}

/// One row of the version-pinning family (DL3016, DL3018, DL3028, DL3037): an installer
/// whose packages should name a version.
pub(crate) struct PinningRule {
    pub tools: &'static [&'static str],
    pub installs: &'static [&'static str],
    /// Options before the subcommand that take a value.
    pub global_options: &'static [&'static str],
    /// Options of the install that take a value.
    pub install_options: &'static [&'static str],
    /// Does an operand name a version (or a file)?
    pub pinned: fn(&str) -> bool,
    /// The command as the message names it (`apk add`).
    pub command: &'static str,
    /// The pinned form of a package, for the message (`curl=<version>`).
    pub example: fn(&str) -> String,
    /// Installs that are not of packages (`gem install -v`, `zypper install -t pattern`).
    pub skip: fn(&PackageCommand<'_>) -> bool,
}

/// Reports every install of `rule`'s installer that names a package without a version.
pub(crate) fn report_unpinned(ctx: &Context<'_>, rule: &PinningRule, out: &mut Vec<Violation>) {
    for run in ctx.runs_with_onbuild() {
        for install in package_commands(run, rule.tools, rule.installs, rule.global_options) {
            if (rule.skip)(&install) {
                continue;
            }
            let packages = packages(&install, rule.install_options);
            let loose = unpinned(&packages, rule.pinned);
            let Some(first) = loose.first() else {
                continue;
            };
            out.push(Violation::new(
                install.command.span.clone(),
                format!(
                    "Pin versions in `{}`: {} (use `{}`)",
                    rule.command,
                    name_list(loose.iter().copied()),
                    (rule.example)(first.text())
                ),
            ));
        }
    }
}

/// One row of the "install without `-y`" family (DL3014, DL3030, DL3038).
pub(crate) struct AssumeYesRule {
    pub tools: &'static [&'static str],
    pub installs: &'static [&'static str],
    pub value_options: &'static [&'static str],
    /// The arguments answer yes already, or the command does not ask.
    pub answered: fn(&[Word]) -> bool,
    pub message: &'static str,
}

/// Reports every install of `rule`'s installer that would stop to ask, with a fix adding `-y`.
pub(crate) fn report_missing_yes(
    ctx: &Context<'_>,
    rule: &AssumeYesRule,
    out: &mut Vec<Violation>,
) {
    for run in ctx.runs_with_onbuild() {
        for install in package_commands(run, rule.tools, rule.installs, rule.value_options) {
            if (rule.answered)(install.view.args()) {
                continue;
            }
            out.push(
                Violation::new(install.command.span.clone(), rule.message)
                    .with_fix(Fix::safe("Add `-y`", vec![install.insert_option("-y")])),
            );
        }
    }
}

/// Per stage, the instructions of `keyword` when it holds two or more: only the last one
/// takes effect (CMD, ENTRYPOINT, HEALTHCHECK; DL4003, DL4004, DL3012 and BK012).
pub(crate) fn repeated_in_stages<'c>(
    ctx: &'c Context<'_>,
    keyword: Keyword,
) -> Vec<Vec<&'c Instruction>> {
    let instructions = ctx.instructions();
    ctx.model
        .stages
        .iter()
        .filter_map(|stage| {
            let found: Vec<&Instruction> = instructions[stage.instructions.clone()]
                .iter()
                .copied()
                .filter(|i| i.keyword == keyword)
                .collect();
            (found.len() > 1).then_some(found)
        })
        .collect()
}

/// Reports every `keyword` instruction after the first in a stage (hadolint's way).
pub(crate) fn report_repeats(
    ctx: &Context<'_>,
    keyword: Keyword,
    message: &str,
    out: &mut Vec<Violation>,
) {
    for found in repeated_in_stages(ctx, keyword) {
        for instr in &found[1..] {
            out.push(Violation::new(instr.keyword_span.clone(), message));
        }
    }
}

/// The words of a package list held in a shell variable: for an unquoted `$deps` or
/// `${deps}`, the value of the last bare assignment `deps='…'` earlier in the same `RUN`,
/// split on blanks (`fetchDeps=' wget ca-certificates '; apt-get install $fetchDeps`).
/// A value that expands another variable keeps the words written out (`" $EXTRA gcc"` gives
/// `gcc`). `None` when the word is not such a variable or its value cannot be read.
pub(crate) fn variable_list(run: &RunInfo<'_>, word: &Word) -> Option<Vec<String>> {
    if word.value.is_some() {
        return None;
    }
    let name = word.raw.strip_prefix('$')?;
    let name = name
        .strip_prefix('{')
        .and_then(|n| n.strip_suffix('}'))
        .unwrap_or(name);
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let prefix = format!("{name}=");
    let assignment = run
        .commands()
        .filter(|c| c.words.is_empty() && c.span.end <= word.span.start)
        .flat_map(|c| c.assignments.iter())
        .filter(|a| a.raw.starts_with(&prefix))
        .last()?;
    if let Some(value) = assignment.value.as_deref() {
        let value = value.strip_prefix(&prefix)?;
        return Some(value.split_whitespace().map(str::to_string).collect());
    }
    // A value with a variable in it (`buildDeps=" $EXTRA gcc make"`): the words written out
    // are still packages; the ones that hold an expansion are left out.
    let raw = assignment.raw.strip_prefix(&prefix)?;
    let unquoted = raw.trim_matches(|c| c == '"' || c == '\'');
    if unquoted.contains(['"', '\'', '`', '(', ')', '\\']) {
        return None;
    }
    Some(
        unquoted
            .split_whitespace()
            .filter(|w| !w.contains('$'))
            .map(str::to_string)
            .collect(),
    )
}

/// `` `a`, `b`, `c` and 4 more ``: names for a message, at most three spelled out.
pub(crate) fn name_list<'w>(words: impl IntoIterator<Item = &'w Word>) -> String {
    let names: Vec<String> = words
        .into_iter()
        .map(|w| format!("`{}`", w.text()))
        .collect();
    match names.len() {
        0 => String::new(),
        1..=3 => names.join(", "),
        n => format!("{} and {} more", names[..3].join(", "), n - 3),
    }
}

/// An rpm package name with a version: `name-1.2.3`, `name-1.2-3.el9`, `name-2:1.0`
/// (epoch), or an `.rpm` file. The part after the name's first dash must look like a
/// version: made of version characters, at least one piece starting with a digit. So
/// `python3-pip` is not pinned, `python3-pip-21.3` is.
pub(crate) fn rpm_version_pinned(package: &str) -> bool {
    if package.ends_with(".rpm") {
        return true;
    }
    let mut parts = package.split('-');
    parts.next();
    let rest: Vec<&str> = parts.collect();
    !rest.is_empty()
        && rest.iter().all(|p| {
            p.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".~^_:+".contains(c))
        })
        && rest
            .iter()
            .any(|p| p.starts_with(|c: char| c.is_ascii_digit()))
}

/// The packages of `yum install`/`dnf install` (and `module install`) without a version:
/// `name-version` for packages, `name:stream` for modules. Groups (`@name`), globs, file
/// paths and capabilities (`perl(Foo)`) cannot be pinned this way and are not reported.
pub(crate) fn rpm_unpinned<'a>(
    run: &'a RunInfo<'a>,
    tools: &[&str],
) -> Vec<(PackageCommand<'a>, Vec<&'a Word>)> {
    let mut out = Vec::new();
    for command in package_commands(run, tools, &["install", "module"], RPM_VALUE_OPTIONS) {
        let module = command.subcommand().is("module");
        let words = if module {
            let rest = operands(command.rest(), RPM_VALUE_OPTIONS);
            if rest.first().is_none_or(|w| !w.is("install")) {
                continue;
            }
            rest[1..].to_vec()
        } else {
            packages(&command, RPM_VALUE_OPTIONS)
        };
        let words: Vec<&Word> = words
            .into_iter()
            .filter(|w| {
                let t = w.text();
                !(t.starts_with('/') || t.contains(['*', '?', '[', '(']))
                    && (module || !t.starts_with('@') || t.contains(':'))
            })
            .collect();
        let loose = unpinned(&words, |p| {
            if module || p.starts_with('@') {
                p.contains(':')
            } else {
                rpm_version_pinned(p)
            }
        });
        if !loose.is_empty() {
            out.push((command, loose));
        }
    }
    out
}

/// How to pin `word`: `name-<version>`, or `name:<stream>` for a module.
pub(crate) fn rpm_hint(install: &PackageCommand<'_>, word: &Word) -> String {
    if install.subcommand().is("module") || word.text().starts_with('@') {
        format!("{}:<stream>", word.text())
    } else {
        format!("{}-<version>", word.text())
    }
}

/// Index of the image's last `USER`: the last one of the runtime stage, or of the stages it
/// is built `FROM`, nearest first.
pub(crate) fn image_user(ctx: &Context<'_>) -> Option<usize> {
    let runtime = ctx.model.runtime?;
    let instructions = ctx.instructions();
    let chain = ctx.model.chain(runtime);
    chain.into_iter().find_map(|s| {
        let stage = &ctx.model.stages[s];
        (stage.instructions.clone())
            .rev()
            .find(|&i| instructions[i].keyword == Keyword::User)
    })
}

/// An instruction's text with one pair of surrounding quotes removed (hadolint's
/// `dropQuotes`).
pub(crate) fn drop_quotes(text: &str) -> &str {
    text.trim_matches(|c| c == '"' || c == '\'')
}

/// `keyword` spelled in the case style of `written` (`ADD` → `COPY`, `add` → `copy`,
/// `Add` → `Copy`).
pub(crate) fn keyword_like(written: &str, keyword: &str) -> String {
    if written.chars().all(|c| !c.is_ascii_lowercase()) {
        keyword.to_ascii_uppercase()
    } else if written.chars().all(|c| !c.is_ascii_uppercase()) {
        keyword.to_ascii_lowercase()
    } else {
        let lower = keyword.to_ascii_lowercase();
        let mut chars = lower.chars();
        chars
            .next()
            .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(texts: &[&str]) -> Vec<Word> {
        texts.iter().map(|t| Word::plain(t, 0..0)).collect()
    }

    #[test]
    fn flags_alone_bundled_and_long() {
        let args = words(&["-qy", "install", "curl"]);
        assert!(has_flag(&args, &['y'], &["--yes"]));
        let args = words(&["-oAPT::Get::Assume-Yes=true", "install"]);
        assert!(!has_flag(&args, &['y'], &["--yes"]));
        let args = words(&["--assume-yes=true"]);
        assert!(has_flag(&args, &['y'], &["--assume-yes"]));
    }

    #[test]
    fn operands_skip_option_values() {
        let args = words(&[
            "-t",
            "bookworm",
            "--no-install-recommends",
            "curl",
            "--",
            "-x",
        ]);
        let ops: Vec<&str> = operands(&args, &["-t"]).iter().map(|w| w.text()).collect();
        assert_eq!(ops, ["curl", "-x"]);
    }

    #[test]
    fn option_values() {
        let args = words(&["-m", "-u1000", "app"]);
        let w = option_value(&args, 'u', "--uid").unwrap();
        assert_eq!(value_text(w, 'u', "--uid"), "1000");
        let args = words(&["--uid", "123456", "app"]);
        let w = option_value(&args, 'u', "--uid").unwrap();
        assert_eq!(value_text(w, 'u', "--uid"), "123456");
        let args = words(&["--uid=7", "app"]);
        let w = option_value(&args, 'u', "--uid").unwrap();
        assert_eq!(value_text(w, 'u', "--uid"), "7");
    }

    #[test]
    fn rpm_versions() {
        assert!(rpm_version_pinned("httpd-2.4.57"));
        assert!(rpm_version_pinned("python3-pip-21.3.1-1.el9"));
        assert!(rpm_version_pinned("./local.rpm"));
        assert!(!rpm_version_pinned("python3-pip"));
        assert!(!rpm_version_pinned("gcc-c++"));
        assert!(!rpm_version_pinned("httpd"));
    }

    #[test]
    fn keyword_case() {
        assert_eq!(keyword_like("ADD", "copy"), "COPY");
        assert_eq!(keyword_like("add", "COPY"), "copy");
        assert_eq!(keyword_like("Add", "COPY"), "Copy");
    }
}
