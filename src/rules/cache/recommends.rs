//! What `apt-get install --no-install-recommends` would drop that a later step needs: the
//! facts of `rules/apt-recommends.toml` and the commands that need them. DL3015 reads it.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::rules::cache::common::package_commands;
use crate::rules::context::RunInfo;
use crate::rules::hadolint::common::packages;
use crate::rules::Context;
use crate::shell::Command;

const FACTS: &str = include_str!("../../../rules/apt-recommends.toml");

/// `rules/apt-recommends.toml`.
#[derive(Debug, Deserialize)]
pub(crate) struct RecommendFacts {
    #[serde(default)]
    pub package: BTreeMap<String, Recommends>,
    #[serde(default)]
    pub provided_by: BTreeMap<String, Vec<String>>,
    /// Read only by the test that checks every entry cites a known source.
    #[serde(default)]
    #[cfg_attr(not(test), allow(dead_code))]
    pub sources: BTreeMap<String, toml::Value>,
}

/// The recommends of one package that a later step needs.
#[derive(Debug, Deserialize)]
pub(crate) struct Recommends {
    pub recommends: Vec<String>,
    pub needed_for: Need,
    pub why: String,
    #[cfg_attr(not(test), allow(dead_code))]
    pub src: Vec<String>,
}

/// What needs the recommended packages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Need {
    PipInstall,
    HttpsDownload,
    SshGit,
    Compile,
    Cargo,
}

/// The embedded facts; `None` only if the file is malformed, which the unit test below rules
/// out for the embedded copy.
pub(crate) fn facts() -> Option<&'static RecommendFacts> {
    static FACTS_PARSED: LazyLock<Option<RecommendFacts>> =
        LazyLock::new(|| toml::from_str(FACTS).ok());
    FACTS_PARSED.as_ref()
}

const APT: &[&str] = &["apt-get", "apt"];
const APT_VALUE_OPTIONS: &[&str] = &["-o", "-c", "-t"];

/// A package's name without a version, release or architecture (`curl=8.14*`, `git/trixie`,
/// `libc6-dev:amd64`).
fn package_name(word: &str) -> &str {
    word.split(['=', '/', ':']).next().unwrap_or(word)
}

/// Why dropping the recommends of a package installed by `install` (at `install_at`, in
/// `run`) breaks a later step: the package, the recommends that step needs, the step, and
/// the facts' reason. `None` when nothing later needs them, or the file installs them (or a
/// package that depends on them) itself.
pub(crate) struct Blocker<'r, 'a> {
    pub package: String,
    pub missing: Vec<String>,
    pub needed_by: &'r Command,
    pub needed_by_run: &'r RunInfo<'a>,
    pub why: &'static str,
}

pub(crate) fn blocker<'r, 'a>(
    ctx: &'r Context<'a>,
    run: &'r RunInfo<'a>,
    install_at: usize,
    installed_here: &[String],
) -> Option<Blocker<'r, 'a>> {
    let facts = facts()?;
    let related: Vec<&'r RunInfo<'a>> = ctx
        .runs()
        .filter(|r| related_stage(ctx, run.stage, r.stage))
        .collect();
    let mut explicit: Vec<String> = Vec::new();
    for r in &related {
        for install in package_commands(r, APT, &["install"], APT_VALUE_OPTIONS) {
            explicit.extend(
                packages(&install, APT_VALUE_OPTIONS)
                    .iter()
                    .filter_map(|w| w.value.as_deref())
                    .map(|v| package_name(v).to_string()),
            );
        }
    }
    let is_installed = |name: &str| {
        explicit.iter().any(|e| e == name)
            || facts
                .provided_by
                .get(name)
                .is_some_and(|by| by.iter().any(|p| explicit.contains(p)))
    };
    for package in installed_here {
        let Some(entry) = facts.package.get(package) else {
            continue;
        };
        let missing: Vec<String> = entry
            .recommends
            .iter()
            .filter(|r| !is_installed(r))
            .cloned()
            .collect();
        if missing.is_empty() {
            continue;
        }
        // The steps that run after the install: later commands of its RUN, later RUNs of
        // its stage and of the stages built FROM it.
        let later = related
            .iter()
            .filter(|r| r.index > run.index || (r.index == run.index && r.stage == run.stage));
        for &r in later {
            let needing = r
                .commands()
                .filter(|c| r.index != run.index || c.span.start > install_at)
                .find(|c| needs(c, entry.needed_for));
            if let Some(command) = needing {
                return Some(Blocker {
                    package: package.clone(),
                    missing,
                    needed_by: command,
                    needed_by_run: r,
                    why: &entry.why,
                });
            }
        }
    }
    None
}

/// `other` is `stage`, a stage `stage` is built FROM, or a stage built FROM `stage`.
fn related_stage(ctx: &Context<'_>, stage: usize, other: usize) -> bool {
    other == stage
        || ctx.model.inherits(stage).any(|s| s == other)
        || ctx.model.inherits(other).any(|s| s == stage)
}

/// Does `command` need what `need` names?
fn needs(command: &Command, need: Need) -> bool {
    let view = command.effective();
    let Some(name) = view.name() else {
        return false;
    };
    let args: Vec<&str> = view.args().iter().map(|w| w.text()).collect();
    let first_operand = args.iter().find(|a| !a.starts_with('-')).copied();
    let any_arg = |pred: &dyn Fn(&str) -> bool| args.iter().any(|a| pred(a));
    match need {
        Need::PipInstall => is_pip_install(name, &args),
        Need::HttpsDownload => {
            matches!(name, "curl" | "wget" | "git") && any_arg(&|a| a.contains("https://"))
        }
        Need::SshGit => {
            name == "git" && any_arg(&|a| a.starts_with("git@") || a.starts_with("ssh://"))
        }
        Need::Cargo => name == "cargo",
        Need::Compile => {
            matches!(
                name,
                "gcc" | "cc" | "c++" | "g++" | "make" | "cmake" | "configure" | "node-gyp"
            ) || (name == "cargo"
                && matches!(first_operand, Some("build" | "install" | "run" | "test")))
                || (name == "go" && matches!(first_operand, Some("build" | "install" | "test")))
                || (matches!(name, "npm" | "yarn" | "pnpm")
                    && matches!(first_operand, Some("install" | "ci" | "i" | "add")))
                || is_pip_install(name, &args)
        }
    }
}

/// `pip install …`, `pip3 install …`, `python3 -m pip install …`.
fn is_pip_install(name: &str, args: &[&str]) -> bool {
    let is_pip = name == "pip" || name.strip_prefix("pip").is_some_and(is_version);
    let is_python = name == "python" || name.strip_prefix("python").is_some_and(is_version);
    let operands: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| !a.starts_with('-'))
        .collect();
    if is_pip {
        return operands.first() == Some(&"install");
    }
    is_python && args.windows(3).any(|w| w == ["-m", "pip", "install"])
}

/// `3`, `3.13`: the version suffix of `pip3.13` / `python3`.
fn is_version(suffix: &str) -> bool {
    !suffix.is_empty() && suffix.chars().all(|c| c.is_ascii_digit() || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_facts_parse_and_cite_their_sources() {
        let facts = facts().expect("rules/apt-recommends.toml parses");
        assert!(!facts.package.is_empty());
        for (name, entry) in &facts.package {
            assert!(!entry.recommends.is_empty(), "{name}: no recommends");
            assert!(!entry.why.is_empty(), "{name}: no reason");
            for src in &entry.src {
                assert!(
                    facts.sources.contains_key(src),
                    "{name}: unknown source {src}"
                );
            }
        }
    }

    #[test]
    fn package_names_lose_versions_releases_and_architectures() {
        assert_eq!(package_name("curl=8.14.1-2"), "curl");
        assert_eq!(package_name("git/trixie-backports"), "git");
        assert_eq!(package_name("libc6-dev:amd64"), "libc6-dev");
    }

    #[test]
    fn pip_installs_are_recognised() {
        assert!(is_pip_install("pip3", &["install", "-r", "r.txt"]));
        assert!(is_pip_install(
            "pip3.13",
            &["--no-cache-dir", "install", "x"]
        ));
        assert!(is_pip_install("python3", &["-m", "pip", "install", "x"]));
        assert!(!is_pip_install("pip", &["download", "x"]));
        assert!(!is_pip_install("pipx", &["install", "x"]));
    }
}
