//! What the stage rules (and the STAT/MUSL rules that follow `COPY --from`) share: the paths
//! of a COPY/ADD, the stage a `--from` names, and how to name a stage in a message.

use crate::knowledge::PackageManager;
use crate::rules::cache::common::{package_commands, PackageCommand};
use crate::rules::options::RPM_VALUE_OPTIONS;
use crate::rules::{Context, RunInfo};
use crate::semantic::{expand_known, Stage};
use crate::shell::{CommandView, Word};
use crate::syntax::{Arg, Instruction, Keyword, Span};

/// One path of a COPY/ADD: its value with quotes removed and ARG/ENV references expanded
/// (`None` when a variable's value is unknown), and where it is written.
pub(crate) struct CopyPath<'a> {
    pub value: Option<String>,
    pub arg: &'a Arg,
}

impl CopyPath<'_> {
    pub fn span(&self) -> Span {
        self.arg.span.clone()
    }
}

/// The sources and destination of a COPY or ADD.
pub(crate) struct CopyArgs<'a> {
    pub sources: Vec<CopyPath<'a>>,
    pub dest: CopyPath<'a>,
}

/// The paths of the COPY/ADD at `index` (heredoc sources left out); `None` for other
/// instructions or when fewer than two paths are given.
pub(crate) fn copy_args<'a>(ctx: &Context<'a>, index: usize) -> Option<CopyArgs<'a>> {
    let instr: &'a Instruction = ctx.instructions().get(index).copied()?;
    if !matches!(instr.keyword, Keyword::Copy | Keyword::Add) || instr.args.len() < 2 {
        return None;
    }
    let vars = &ctx.model.state_at(index)?.vars;
    let escape = ctx.tree().escape;
    let path = |arg: &'a Arg| CopyPath {
        value: if instr.json {
            Some(arg.value.clone())
        } else {
            expand_known(&arg.value, escape, vars)
        },
        arg,
    };
    let (dest, sources) = instr.args.split_last()?;
    Some(CopyArgs {
        sources: sources
            .iter()
            .filter(|a| !a.value.starts_with("<<"))
            .map(path)
            .collect(),
        dest: path(dest),
    })
}

/// The `--from` value of a COPY with ARGs expanded; `Err(raw)` when it uses an ARG whose value
/// is unknown, `None` without `--from`.
pub(crate) fn copy_from(ctx: &Context<'_>, index: usize) -> Option<Result<String, String>> {
    let instr = ctx.instructions().get(index)?;
    if instr.keyword != Keyword::Copy {
        return None;
    }
    let raw = instr.flag("from")?.value.clone()?;
    let expanded = ctx
        .model
        .state_at(index)
        .and_then(|s| expand_known(&raw, ctx.tree().escape, &s.vars));
    Some(expanded.ok_or(raw))
}

/// The stage a `--from` value names among `stages` (by index or case-insensitive name).
pub(crate) fn named_stage<'a>(stages: &'a [Stage], reference: &str) -> Option<&'a Stage> {
    match reference.parse::<usize>() {
        Ok(n) => stages.get(n),
        Err(_) => {
            let lower = reference.to_lowercase();
            stages
                .iter()
                .find(|s| s.name.as_deref() == Some(lower.as_str()))
        }
    }
}

/// ``stage `build` `` for a named stage, `stage 2` for an unnamed one (0-based, as `--from`
/// counts).
pub(crate) fn stage_label(stage: &Stage) -> String {
    match &stage.name {
        Some(name) => format!("stage `{name}`"),
        None => format!("stage {}", stage.index),
    }
}

/// Span to report a stage at: its name, or its FROM's image, or the FROM keyword.
pub(crate) fn stage_span(ctx: &Context<'_>, stage: &Stage) -> Span {
    if let Some(span) = &stage.name_span {
        return span.clone();
    }
    let from = ctx.instructions()[stage.from_instruction];
    from.args
        .first()
        .map_or_else(|| from.keyword_span.clone(), |a| a.span.clone())
}

/// Commands that compile or build native code: a stage that runs one builds something itself.
pub(crate) const NATIVE_BUILD_COMMANDS: &[&str] = &[
    "gcc", "cc", "g++", "c++", "clang", "clang++", "make", "cmake", "ninja", "meson", "cargo",
    "go", "rustc",
];

/// How one package manager installs and removes packages.
pub(crate) struct Installer {
    pub manager: PackageManager,
    pub tools: &'static [&'static str],
    pub installs: &'static [&'static str],
    pub removes: &'static [&'static str],
    /// Options that take the next word as their value (before or after the subcommand).
    pub value_options: &'static [&'static str],
}

pub(crate) const INSTALLERS: &[Installer] = &[
    Installer {
        manager: PackageManager::Apt,
        tools: &["apt-get", "apt", "aptitude"],
        installs: &["install"],
        removes: &["remove", "purge"],
        value_options: &[
            "-o",
            "-c",
            "-t",
            "--target-release",
            "--option",
            "--config-file",
        ],
    },
    Installer {
        manager: PackageManager::Apk,
        tools: &["apk"],
        installs: &["add"],
        removes: &["del"],
        value_options: &[
            "-X",
            "--repository",
            "-p",
            "--root",
            "-t",
            "--virtual",
            "--repositories-file",
            "--arch",
            "--cache-dir",
            "--keys-dir",
        ],
    },
    Installer {
        manager: PackageManager::Rpm,
        tools: &["yum", "dnf", "microdnf", "tdnf"],
        installs: &["install"],
        removes: &["remove", "erase", "autoremove"],
        value_options: RPM_VALUE_OPTIONS,
    },
    Installer {
        manager: PackageManager::Zypper,
        tools: &["zypper"],
        installs: &["install", "in"],
        removes: &["remove", "rm"],
        value_options: &["-r", "--repo", "-t", "--type", "--from"],
    },
];

/// The packages an install command names (`apt-get install -y curl` → `curl`): the words
/// after `install`/`add`/`in`, leaving out options and the values of `manager`'s options that
/// take one; `None` for any other subcommand.
pub(crate) fn installed_operands<'a>(
    view: &CommandView<'a>,
    manager: PackageManager,
) -> Option<Vec<&'a str>> {
    let value_options = INSTALLERS
        .iter()
        .find(|installer| installer.manager == manager)
        .map_or(&[][..], |installer| installer.value_options);
    let mut words = Vec::new();
    let mut args = view.args().iter();
    while let Some(word) = args.next() {
        let text = word.text();
        if !text.starts_with('-') {
            words.push(text);
        } else if value_options.contains(&text) {
            args.next();
        }
    }
    let (subcommand, packages) = words.split_first()?;
    matches!(*subcommand, "install" | "add" | "in").then(|| packages.to_vec())
}

/// One install (or removal) command with the package words it names.
pub(crate) struct PackageOp<'a> {
    pub installer: &'static Installer,
    pub command: PackageCommand<'a>,
    /// Package arguments (option values left out), in order.
    pub packages: Vec<&'a Word>,
    /// `apk add --virtual NAME` / `-t NAME`.
    pub virtual_name: Option<String>,
}

impl PackageOp<'_> {
    /// The package name of an argument (version pins removed, lower-cased).
    pub fn name(&self, word: &Word) -> String {
        self.installer.manager.package_name(word.text())
    }
}

/// The installs (`removing == false`) or removals of packages in a RUN, for every package
/// manager dlint knows.
pub(crate) fn package_ops<'a>(run: &'a RunInfo<'a>, removing: bool) -> Vec<PackageOp<'a>> {
    let mut ops = Vec::new();
    for installer in INSTALLERS {
        let subcommands = if removing {
            installer.removes
        } else {
            installer.installs
        };
        for command in package_commands(run, installer.tools, subcommands, installer.value_options)
        {
            let mut packages = Vec::new();
            let mut virtual_name = None;
            let mut words = command.rest().iter();
            while let Some(word) = words.next() {
                let text = word.text();
                if text.starts_with('-') {
                    if installer.value_options.contains(&text) {
                        if let Some(value) = words.next() {
                            if installer.manager == PackageManager::Apk
                                && matches!(text, "-t" | "--virtual")
                            {
                                virtual_name = Some(value.text().to_string());
                            }
                        }
                    } else if let Some(value) = text.strip_prefix("--virtual=") {
                        virtual_name = Some(value.to_string());
                    }
                    continue;
                }
                packages.push(word);
            }
            ops.push(PackageOp {
                installer,
                command,
                packages,
                virtual_name,
            });
        }
    }
    ops.sort_by_key(|op| op.command.command.span.start);
    ops
}

/// Names removed again in the same RUN (`apt-get purge gcc`, `apk del .build-deps`): packages
/// that do not stay in the layer.
pub(crate) fn removed_in_run(run: &RunInfo<'_>) -> Vec<String> {
    package_ops(run, true)
        .iter()
        .flat_map(|op| op.packages.iter().map(|w| op.name(w)))
        .collect()
}
