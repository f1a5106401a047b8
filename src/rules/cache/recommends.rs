//! What `apt-get install --no-install-recommends` would drop that a later step needs: the
//! facts of `rules/apt-recommends.toml` and the commands that need them. DL3015 reads it.

use std::collections::{BTreeMap, HashSet};
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

/// Why dropping the recommends of a package breaks a later step: the package, the
/// recommends that step needs, the step, and the facts' reason.
pub(crate) struct Blocker<'r, 'a> {
    pub package: String,
    pub missing: Vec<String>,
    pub needed_by: &'r Command,
    pub needed_by_run: &'r RunInfo<'a>,
    pub why: &'static str,
}

const NEEDS: [Need; 5] = [
    Need::PipInstall,
    Need::HttpsDownload,
    Need::SshGit,
    Need::Compile,
    Need::Cargo,
];

/// What DL3015 asks of a file, indexed once per file so each install is answered without
/// walking the file again: per stage, the packages its apt installs name, and per need the
/// commands that need it (in file order), plus the stages built FROM each stage.
pub(crate) struct RecommendIndex<'r, 'a> {
    installed: Vec<HashSet<String>>,
    needers: Vec<[Vec<(&'r Command, &'r RunInfo<'a>)>; 5]>,
    descendants: Vec<Vec<usize>>,
    ancestors: Vec<Vec<usize>>,
}

impl<'r, 'a> RecommendIndex<'r, 'a> {
    pub(crate) fn new(ctx: &'r Context<'a>) -> Self {
        let stages = ctx.model.stages.len();
        let mut installed = vec![HashSet::new(); stages];
        let mut needers: Vec<[Vec<(&Command, &RunInfo<'a>)>; 5]> =
            (0..stages).map(|_| Default::default()).collect();
        for run in ctx.runs() {
            let Some(stage_installed) = installed.get_mut(run.stage) else {
                continue;
            };
            for install in package_commands(run, APT, &["install"], APT_VALUE_OPTIONS) {
                stage_installed.extend(
                    packages(&install, APT_VALUE_OPTIONS)
                        .iter()
                        .filter_map(|w| w.value.as_deref())
                        .map(|v| package_name(v).to_string()),
                );
            }
            for command in run.commands() {
                for (i, need) in NEEDS.iter().enumerate() {
                    if needs(command, *need) {
                        needers[run.stage][i].push((command, run));
                    }
                }
            }
        }
        for per_need in &mut needers {
            for list in per_need.iter_mut() {
                list.sort_by_key(|(c, _)| c.span.start);
            }
        }
        let ancestors: Vec<Vec<usize>> = (0..stages)
            .map(|s| ctx.model.inherits(s).collect())
            .collect();
        let mut descendants = vec![Vec::new(); stages];
        for (stage, its_ancestors) in ancestors.iter().enumerate() {
            for &ancestor in its_ancestors {
                descendants[ancestor].push(stage);
            }
        }
        RecommendIndex {
            installed,
            needers,
            descendants,
            ancestors,
        }
    }

    /// Why adding `--no-install-recommends` to an install in `stage` at byte `install_at`,
    /// naming `installed_here`, would break a later step: a later command of the stage, or
    /// of a stage built FROM it, needs a recommend the file does not install by name (nor
    /// through a package that depends on it). `None` when nothing later needs one.
    pub(crate) fn blocker(
        &self,
        stage: usize,
        install_at: usize,
        installed_here: &[String],
    ) -> Option<Blocker<'r, 'a>> {
        let facts = facts()?;
        let no_stages = Vec::new();
        let ancestors = self.ancestors.get(stage).unwrap_or(&no_stages);
        let descendants = self.descendants.get(stage).unwrap_or(&no_stages);
        let related = || {
            std::iter::once(stage)
                .chain(ancestors.iter().copied())
                .chain(descendants.iter().copied())
        };
        let named = |name: &str| related().any(|s| self.installed[s].contains(name));
        let is_installed = |name: &str| {
            named(name)
                || facts
                    .provided_by
                    .get(name)
                    .is_some_and(|by| by.iter().any(|p| named(p)))
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
            let need = NEEDS.iter().position(|n| *n == entry.needed_for)?;
            let here = &self.needers[stage][need];
            let after = here.partition_point(|(c, _)| c.span.start <= install_at);
            let needing = here.get(after).or_else(|| {
                descendants
                    .iter()
                    .find_map(|&d| self.needers[d][need].first())
            });
            if let Some(&(command, run)) = needing {
                return Some(Blocker {
                    package: package.clone(),
                    missing,
                    needed_by: command,
                    needed_by_run: run,
                    why: &entry.why,
                });
            }
        }
        None
    }
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
