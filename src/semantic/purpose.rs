//! What an image is for: an application, a base image, an SDK/toolchain image, a
//! devcontainer, a build/CI environment, an ONBUILD template or a test fixture.
//!
//! Size advice (slim bases, split builds, no toolchain in the runtime) is for applications:
//! the official `python` image *is* built on `buildpack-deps` on purpose, a devcontainer
//! carries compilers on purpose. Each stage is classified as if it were the target, from what
//! the file says (its path, `ONBUILD`, `CMD`/`ENTRYPOINT`, labels, what it builds and
//! installs), unless the user states it: `# dlint purpose=base-image` (before the first FROM:
//! the file; after a FROM: that stage and stages built FROM it) or `dlint.toml`'s
//! `[lint.per-file-purpose]`, passed in as `stated`.

use std::path::Path;

use super::model::Model;
use crate::shell::run_scripts;
use crate::syntax::{Instruction, Keyword, Node, Parse, Span};

/// The kinds of image dlint tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// Runs a program: the image size rules are about these.
    Application,
    /// A base for other images (an official language or OS image, a company base).
    BaseImage,
    /// An SDK or toolchain image: compilers for building, not for running.
    Toolchain,
    /// A development container (VS Code / devcontainers).
    Devcontainer,
    /// An image that builds, tests or lints code and is not run as a service.
    BuildEnvironment,
    /// An image whose `ONBUILD` triggers build the user's application in a child image.
    OnbuildTemplate,
    /// A Dockerfile that exists for tests.
    TestFixture,
}

impl Purpose {
    pub const ALL: [Purpose; 7] = [
        Purpose::Application,
        Purpose::BaseImage,
        Purpose::Toolchain,
        Purpose::Devcontainer,
        Purpose::BuildEnvironment,
        Purpose::OnbuildTemplate,
        Purpose::TestFixture,
    ];

    /// The kebab-case name used in pragmas, `dlint.toml`, `dlint graph` and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Application => "application",
            Purpose::BaseImage => "base-image",
            Purpose::Toolchain => "toolchain",
            Purpose::Devcontainer => "devcontainer",
            Purpose::BuildEnvironment => "build-environment",
            Purpose::OnbuildTemplate => "onbuild-template",
            Purpose::TestFixture => "test-fixture",
        }
    }

    /// Parses a kebab-case name (any case; `sdk` is accepted for `toolchain`, `ci` for
    /// `build-environment`).
    pub fn parse(text: &str) -> Option<Purpose> {
        let text = text.trim().to_ascii_lowercase();
        match text.as_str() {
            "sdk" => return Some(Purpose::Toolchain),
            "ci" => return Some(Purpose::BuildEnvironment),
            _ => {}
        }
        Purpose::ALL.into_iter().find(|p| p.as_str() == text)
    }

    /// The names, for hints.
    pub fn names() -> Vec<&'static str> {
        Purpose::ALL.iter().map(|p| p.as_str()).collect()
    }
}

/// Where a stage's purpose comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PurposeSource {
    /// A `# dlint purpose=…` comment.
    Pragma,
    /// `dlint.toml`'s `[lint.per-file-purpose]`.
    Config,
    /// Read from the file.
    Inferred,
}

impl PurposeSource {
    pub fn as_str(self) -> &'static str {
        match self {
            PurposeSource::Pragma => "pragma",
            PurposeSource::Config => "config",
            PurposeSource::Inferred => "inferred",
        }
    }
}

/// A stage's purpose, where it comes from and the evidence, in a few words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagePurpose {
    pub purpose: Purpose,
    pub source: PurposeSource,
    /// Why, e.g. "path is under `.devcontainer/`", "`CMD [\"python3\"]` is a REPL".
    pub reason: String,
}

impl StagePurpose {
    /// `application (inferred: CMD runs `gunicorn`)`.
    pub fn describe(&self) -> String {
        format!(
            "{} ({}: {})",
            self.purpose.as_str(),
            self.source.as_str(),
            self.reason
        )
    }
}

/// A `# dlint purpose=…` comment whose value is no purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurposePragmaError {
    /// The value as written.
    pub span: Span,
    pub message: String,
    pub hint: String,
}

/// The purpose of every stage of a file (each as if it were the target).
#[derive(Debug, Clone, Default)]
pub struct Purposes {
    pub stages: Vec<StagePurpose>,
    /// The stage being built (the model's runtime stage), if any.
    pub target: Option<usize>,
    pub pragma_errors: Vec<PurposePragmaError>,
}

impl Purposes {
    /// The purpose of the image the file builds (its target stage).
    pub fn image(&self) -> Option<&StagePurpose> {
        self.stages.get(self.target?)
    }

    pub fn stage(&self, index: usize) -> Option<&StagePurpose> {
        self.stages.get(index)
    }
}

/// What the caller knows that the stage graph does not: the user's stated purpose for the
/// file (from `dlint.toml`) and, per stage, whether its base image is an SDK/toolchain image
/// (from the knowledge base).
#[derive(Default)]
pub struct PurposeInput<'a> {
    pub path: Option<&'a Path>,
    pub stated: Option<Purpose>,
    /// Per stage index: the stage's own base is a build-only (SDK) image.
    pub sdk_base: Vec<bool>,
}

/// Classifies every stage of the file.
pub fn classify(parse: &Parse, model: &Model, input: &PurposeInput<'_>) -> Purposes {
    let instructions: Vec<&Instruction> = parse.tree.instructions().collect();
    let (file_pragma, stage_pragmas, pragma_errors) = read_pragmas(parse, model);
    let path_purpose = input.path.and_then(purpose_from_path);
    let mut facts: Vec<Facts> = Vec::with_capacity(model.stages.len());
    let mut stages: Vec<StagePurpose> = Vec::with_capacity(model.stages.len());
    for stage in &model.stages {
        let own = stage_facts(parse, &instructions, stage.instructions.clone());
        let mut combined = match stage.parent.and_then(|p| facts.get(p)) {
            Some(parent) => parent.clone().then(own),
            None => own,
        };
        if stage.parent.is_none() {
            combined.sdk_base = input.sdk_base.get(stage.index).copied().unwrap_or(false);
            combined.devcontainer_base = stage.base.as_ref().and_then(|b| {
                let repository = b.parts.repository.as_deref()?;
                repository
                    .contains("devcontainers")
                    .then(|| format!("FROM `{}`", b.raw))
            });
        }
        let inherited = stage
            .parent
            .and_then(|p| stages.get(p))
            .filter(|p| p.source == PurposeSource::Pragma && stage_pragmas[stage.index].is_none());
        let purpose = if let Some(stated) = stage_pragmas[stage.index] {
            stated_purpose(
                stated,
                PurposeSource::Pragma,
                "`# dlint purpose=` in the stage",
            )
        } else if let Some(parent) = inherited {
            parent.clone()
        } else if let Some(stated) = file_pragma {
            stated_purpose(stated, PurposeSource::Pragma, "`# dlint purpose=` comment")
        } else if let Some(stated) = input.stated {
            stated_purpose(stated, PurposeSource::Config, "`[lint.per-file-purpose]`")
        } else {
            let named = stage.name.as_deref().and_then(purpose_from_stage_name);
            infer(&combined, path_purpose.as_ref(), named.as_ref())
        };
        facts.push(combined);
        stages.push(purpose);
    }
    Purposes {
        stages,
        target: model.runtime,
        pragma_errors,
    }
}

fn stated_purpose(purpose: Purpose, source: PurposeSource, reason: &str) -> StagePurpose {
    StagePurpose {
        purpose,
        source,
        reason: format!("stated by {reason}"),
    }
}

fn inferred(purpose: Purpose, reason: String) -> StagePurpose {
    StagePurpose {
        purpose,
        source: PurposeSource::Inferred,
        reason,
    }
}

/// The decision, most specific evidence first.
fn infer(
    facts: &Facts,
    path: Option<&(Purpose, String)>,
    stage_name: Option<&(Purpose, String)>,
) -> StagePurpose {
    if let Some((purpose, reason)) = path {
        return inferred(*purpose, reason.clone());
    }
    if let Some(reason) = facts
        .devcontainer_base
        .as_ref()
        .or(facts.devcontainer_label.as_ref())
    {
        return inferred(Purpose::Devcontainer, reason.clone());
    }
    if let Some(at) = &facts.onbuild {
        return inferred(Purpose::OnbuildTemplate, at.clone());
    }
    if let Some((purpose, reason)) = stage_name {
        return inferred(*purpose, reason.clone());
    }
    match &facts.start {
        Some(Start::Program(what)) => return inferred(Purpose::Application, what.clone()),
        Some(Start::Interactive(what)) if facts.copies_context.is_none() => {
            // A language image's REPL (`python3`, `node`) or a shell: made to be built FROM.
            return match (&facts.runtime_download, &facts.builds) {
                (Some(sdk), _) if sdk.compiler => {
                    inferred(Purpose::Toolchain, format!("{what}; {}", sdk.reason))
                }
                (_, Some(build)) if facts.runtime_download.is_none() => inferred(
                    Purpose::BuildEnvironment,
                    format!("{what}; builds with `{build}`"),
                ),
                _ => inferred(Purpose::BaseImage, what.clone()),
            };
        }
        _ => {}
    }
    let no_start = match &facts.start {
        Some(Start::Interactive(what)) => what.clone(),
        _ => "no CMD or ENTRYPOINT".to_string(),
    };
    if let Some(sdk) = &facts.runtime_download {
        let purpose = if sdk.compiler {
            Purpose::Toolchain
        } else {
            Purpose::BaseImage
        };
        return inferred(purpose, format!("{no_start}; {}", sdk.reason));
    }
    if let Some(build) = &facts.builds {
        return inferred(
            Purpose::BuildEnvironment,
            format!("{no_start}; builds with `{build}`"),
        );
    }
    if let (true, Some(copied)) = (facts.sdk_base, &facts.copies_context) {
        return inferred(
            Purpose::BuildEnvironment,
            format!("{no_start}; copies `{copied}` onto an SDK image"),
        );
    }
    if let Some(copied) = &facts.copies_context {
        return inferred(
            Purpose::Application,
            format!("{no_start}, but copies `{copied}` from the build context"),
        );
    }
    if facts.sdk_base {
        return inferred(
            Purpose::Toolchain,
            format!("{no_start}; built on an SDK image"),
        );
    }
    if let Some(package) = &facts.installs_compiler {
        return inferred(
            Purpose::Toolchain,
            format!("{no_start}; installs `{package}`"),
        );
    }
    inferred(
        Purpose::BaseImage,
        format!("{no_start}; copies no application"),
    )
}

/// How many directories above the file the path signals look at.
const NEAREST_DIRECTORIES: usize = 3;

/// `.devcontainer/…` and test directories.
fn purpose_from_path(path: &Path) -> Option<(Purpose, String)> {
    let components: Vec<String> = path
        .components()
        .filter_map(|c| c.as_os_str().to_str())
        .map(str::to_ascii_lowercase)
        .collect();
    // The nearest directories only: what the project calls them, not where it is checked out.
    let directories = &components[..components.len().saturating_sub(1)];
    let directories = &directories[directories.len().saturating_sub(NEAREST_DIRECTORIES)..];
    if let Some(c) = directories
        .iter()
        .find(|c| c.as_str() == ".devcontainer" || c.as_str() == "devcontainer")
    {
        return Some((Purpose::Devcontainer, format!("the file is under `{c}/`")));
    }
    const TEST_DIRECTORIES: [&str; 9] = [
        "test",
        "tests",
        "testdata",
        "test-data",
        "testfiles",
        "test-files",
        "fixtures",
        "__tests__",
        "testing",
    ];
    directories
        .iter()
        .find(|c| TEST_DIRECTORIES.contains(&c.as_str()))
        .map(|c| (Purpose::TestFixture, format!("the file is under `{c}/`")))
}

/// A stage named for development or checks (`dev`, `test`, `lint`): built with `--target`
/// for that, not shipped as the application.
fn purpose_from_stage_name(name: &str) -> Option<(Purpose, String)> {
    const DEVELOPMENT: [&str; 6] = [
        "dev",
        "devel",
        "develop",
        "development",
        "devcontainer",
        "devenv",
    ];
    const CHECKS: [&str; 9] = [
        "test",
        "tests",
        "testing",
        "lint",
        "linter",
        "validate",
        "check",
        "ci",
        "unit-test",
    ];
    let purpose = if DEVELOPMENT.contains(&name) {
        Purpose::Devcontainer
    } else if CHECKS.contains(&name) {
        Purpose::BuildEnvironment
    } else {
        return None;
    };
    Some((purpose, format!("the stage is named `{name}`")))
}

/// How the image starts when it runs.
#[derive(Debug, Clone)]
enum Start {
    /// A program (an application, a server, a script).
    Program(String),
    /// A shell or a language REPL: nothing of its own runs.
    Interactive(String),
}

/// A language runtime or SDK downloaded by version (`ENV GOLANG_VERSION` and a download), as
/// the official images do.
#[derive(Debug, Clone)]
struct RuntimeDownload {
    /// A compiler SDK (Go, Rust, a JDK, .NET SDK) rather than an interpreter.
    compiler: bool,
    reason: String,
}

/// What a stage (with the stages it is built FROM) says about itself.
#[derive(Debug, Clone, Default)]
struct Facts {
    cmd: Option<Start>,
    entrypoint: Option<(Start, bool)>,
    start: Option<Start>,
    onbuild: Option<String>,
    devcontainer_label: Option<String>,
    devcontainer_base: Option<String>,
    /// A build or test command a RUN runs (`make`, `go build`, `cargo build` …).
    builds: Option<String>,
    /// An `ENV <LANG>_VERSION` of a known runtime with a download in the stage.
    runtime_download: Option<RuntimeDownload>,
    version_env: Option<(String, bool)>,
    downloads: bool,
    /// A COPY/ADD from the build context of more than entrypoint scripts.
    copies_context: Option<String>,
    installs_compiler: Option<String>,
    sdk_base: bool,
}

impl Facts {
    /// These facts (a parent stage's) followed by a child stage's own.
    fn then(self, own: Facts) -> Facts {
        let mut merged = Facts {
            cmd: own.cmd.or(self.cmd),
            entrypoint: own.entrypoint.or(self.entrypoint),
            start: None,
            onbuild: own.onbuild.or(self.onbuild),
            devcontainer_label: own.devcontainer_label.or(self.devcontainer_label),
            devcontainer_base: self.devcontainer_base,
            builds: own.builds.or(self.builds),
            runtime_download: None,
            version_env: own.version_env.or(self.version_env),
            downloads: own.downloads || self.downloads,
            copies_context: own.copies_context.or(self.copies_context),
            installs_compiler: own.installs_compiler.or(self.installs_compiler),
            sdk_base: self.sdk_base,
        };
        merged.settle();
        merged
    }

    /// Derives `start` and `runtime_download` from the raw facts.
    fn settle(&mut self) {
        self.start = match (&self.entrypoint, &self.cmd) {
            // `docker-entrypoint.sh`, `tini --`: the CMD says what runs.
            (Some((_, true)), Some(cmd)) => Some(cmd.clone()),
            (Some((entry, _)), _) => Some(entry.clone()),
            (None, cmd) => cmd.clone(),
        };
        self.runtime_download = match &self.version_env {
            Some((name, compiler)) if self.downloads => Some(RuntimeDownload {
                compiler: *compiler,
                reason: format!(
                    "installs {} by version (`ENV {name}` and a download)",
                    if *compiler {
                        "an SDK"
                    } else {
                        "a language runtime"
                    }
                ),
            }),
            _ => None,
        };
    }
}

fn stage_facts(
    parse: &Parse,
    instructions: &[&Instruction],
    range: std::ops::Range<usize>,
) -> Facts {
    let source = &parse.tree.source;
    let mut facts = Facts::default();
    for instruction in instructions.get(range).unwrap_or(&[]) {
        match instruction.keyword {
            Keyword::Cmd => facts.cmd = start_of(instruction).map(|(s, _)| s),
            Keyword::Entrypoint => facts.entrypoint = start_of(instruction),
            Keyword::Onbuild => {
                let what = instruction
                    .onbuild
                    .as_ref()
                    .map_or("ONBUILD", |i| i.keyword.as_str());
                facts.onbuild.get_or_insert_with(|| {
                    format!("`ONBUILD {what}` runs in the images built FROM it")
                });
            }
            Keyword::Label
                if instruction
                    .args
                    .iter()
                    .any(|a| a.value.to_ascii_lowercase().starts_with("devcontainer.")) =>
            {
                facts.devcontainer_label = Some("a `devcontainer.*` label".to_string());
            }
            Keyword::Env | Keyword::Arg => {
                for arg in &instruction.args {
                    let name = arg.value.split('=').next().unwrap_or_default();
                    if let Some(compiler) = runtime_version_variable(name) {
                        if facts.version_env.is_none() {
                            facts.version_env = Some((name.to_string(), compiler));
                        }
                    }
                }
            }
            Keyword::Copy | Keyword::Add => {
                if instruction.flag("from").is_some() {
                    continue;
                }
                let sources = instruction.args.len().saturating_sub(1);
                for arg in instruction.args.iter().take(sources) {
                    let value = arg.value.as_str();
                    if value.contains("://") {
                        facts.downloads = true;
                        continue;
                    }
                    if is_helper_script(value) {
                        continue;
                    }
                    facts
                        .copies_context
                        .get_or_insert_with(|| value.to_string());
                }
            }
            Keyword::Run => {
                for script in run_scripts(instruction, source) {
                    for command in &script.commands {
                        let Some(name) = command.effective_name() else {
                            continue;
                        };
                        let name = name.rsplit('/').next().unwrap_or(name);
                        let args: Vec<&str> = command
                            .effective()
                            .args()
                            .iter()
                            .map(|w| w.text())
                            .collect();
                        if matches!(name, "curl" | "wget") {
                            facts.downloads = true;
                        }
                        if facts.builds.is_none() {
                            facts.builds = build_command(name, &args);
                        }
                        if facts.installs_compiler.is_none() {
                            facts.installs_compiler = compiler_package(name, &args);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    facts.settle();
    facts
}

/// `docker-entrypoint.sh`, `entrypoint.sh`, `*.sh`: scripts official images copy.
fn is_helper_script(source: &str) -> bool {
    let name = source.rsplit('/').next().unwrap_or(source);
    name.ends_with(".sh") || name.contains("entrypoint")
}

/// `GOLANG_VERSION` → compiler SDK; `PYTHON_VERSION` → interpreter; others → not a runtime.
fn runtime_version_variable(name: &str) -> Option<bool> {
    const COMPILERS: [&str; 11] = [
        "GOLANG_VERSION",
        "GO_VERSION",
        "RUST_VERSION",
        "RUSTUP_VERSION",
        "JAVA_VERSION",
        "JDK_VERSION",
        "DOTNET_SDK_VERSION",
        "GCC_VERSION",
        "MAVEN_VERSION",
        "GRADLE_VERSION",
        "ZIG_VERSION",
    ];
    const RUNTIMES: [&str; 10] = [
        "PYTHON_VERSION",
        "NODE_VERSION",
        "RUBY_VERSION",
        "PHP_VERSION",
        "PERL_VERSION",
        "ERLANG_VERSION",
        "OTP_VERSION",
        "ELIXIR_VERSION",
        "JULIA_VERSION",
        "BUN_VERSION",
    ];
    if COMPILERS.contains(&name) {
        Some(true)
    } else if RUNTIMES.contains(&name) {
        Some(false)
    } else {
        None
    }
}

/// The build, test or lint command a RUN runs, in a few words.
fn build_command(name: &str, args: &[&str]) -> Option<String> {
    let first = args.first().copied().unwrap_or_default();
    let found = match name {
        "make" | "cmake" | "ninja" | "meson" | "bazel" | "configure" | "mvn" | "gradle"
        | "gradlew" | "msbuild" | "golangci-lint" => name.to_string(),
        "go" if matches!(first, "build" | "test" | "vet") => format!("go {first}"),
        "cargo" if matches!(first, "build" | "test" | "clippy") => format!("cargo {first}"),
        "dotnet" if matches!(first, "build" | "publish" | "test") => format!("dotnet {first}"),
        "npm" | "yarn" | "pnpm" if matches!(first, "run" | "test") => format!("{name} {first}"),
        _ => return None,
    };
    Some(found)
}

/// A compiler package an install command adds (`gcc`, `build-essential`, `build-base` …).
fn compiler_package(name: &str, args: &[&str]) -> Option<String> {
    let installs = match name {
        "apt-get" | "apt" | "yum" | "dnf" | "microdnf" | "zypper" => args.contains(&"install"),
        "apk" => args.contains(&"add"),
        _ => false,
    };
    if !installs {
        return None;
    }
    const COMPILERS: [&str; 8] = [
        "gcc",
        "g++",
        "clang",
        "build-essential",
        "build-base",
        "golang",
        "rustc",
        "default-jdk",
    ];
    args.iter()
        .find(|a| COMPILERS.contains(a))
        .map(|a| a.to_string())
}

/// How a CMD or ENTRYPOINT starts the container, and whether it is an entrypoint wrapper that
/// hands over to the CMD (`docker-entrypoint.sh`, `tini`).
fn start_of(instruction: &Instruction) -> Option<(Start, bool)> {
    let words: Vec<String> = if instruction.json {
        instruction.args.iter().map(|a| a.value.clone()).collect()
    } else {
        instruction
            .rest_text()
            .split_whitespace()
            .map(str::to_string)
            .collect()
    };
    let program = words.first()?;
    let base = program.rsplit('/').next().unwrap_or(program);
    let base = base.trim_start_matches("exec ");
    let written = format!("{} {}", instruction.keyword.as_str(), words.join(" "));
    let wrapper = base.contains("entrypoint") || matches!(base, "tini" | "dumb-init" | "gosu");
    const SHELLS: [&str; 9] = [
        "sh",
        "bash",
        "zsh",
        "ash",
        "dash",
        "fish",
        "pwsh",
        "powershell",
        "cmd",
    ];
    const REPLS: [&str; 16] = [
        "python", "python2", "python3", "node", "irb", "jshell", "iex", "erl", "ghci", "R",
        "julia", "php", "ipython", "lua", "perl", "ruby",
    ];
    let rest: Vec<&str> = words[1..].iter().map(String::as_str).collect();
    let interactive_flags = rest
        .iter()
        .all(|w| matches!(*w, "-l" | "-i" | "--login" | "-a"));
    let interactive = (SHELLS.contains(&base) || REPLS.contains(&base)) && interactive_flags;
    let start = if interactive {
        Start::Interactive(format!("`{written}` starts a shell or REPL"))
    } else {
        Start::Program(format!("`{}` runs a program", shorten(&written)))
    };
    Some((start, wrapper))
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= 60 {
        return text.to_string();
    }
    let cut: String = text.chars().take(57).collect();
    format!("{cut}…")
}

type StagePragmas = Vec<Option<Purpose>>;

/// `# dlint purpose=NAME` comments: before the first FROM they speak for the file, after a
/// FROM for that stage.
fn read_pragmas(
    parse: &Parse,
    model: &Model,
) -> (Option<Purpose>, StagePragmas, Vec<PurposePragmaError>) {
    let mut file = None;
    let mut stages = vec![None; model.stages.len()];
    let mut errors = Vec::new();
    let mut current: Option<usize> = None;
    let mut instruction_index = 0usize;
    let source = &parse.tree.source;
    for node in &parse.tree.nodes {
        match node {
            Node::Instruction(_) => {
                if let Some(stage) = model.stage_of(instruction_index) {
                    current = Some(stage);
                }
                instruction_index += 1;
            }
            Node::Comment(span) => {
                let Some((value, value_span)) = purpose_pragma(&source[span.clone()]) else {
                    continue;
                };
                let value_span = span.start + value_span.start..span.start + value_span.end;
                match Purpose::parse(value) {
                    Some(purpose) => match current {
                        Some(stage) => stages[stage] = Some(purpose),
                        None => file = Some(purpose),
                    },
                    None => errors.push(PurposePragmaError {
                        span: value_span,
                        message: format!("`{value}` is not an image purpose"),
                        hint: format!("one of {}", Purpose::names().join(", ")),
                    }),
                }
            }
            _ => {}
        }
    }
    (file, stages, errors)
}

/// The `# dlint purpose=…` comments whose value names no purpose, without classifying the
/// file.
pub fn pragma_errors(parse: &Parse, model: &Model) -> Vec<PurposePragmaError> {
    read_pragmas(parse, model).2
}

/// `# dlint purpose=base-image` → the value and its range in the comment.
pub fn purpose_pragma(comment: &str) -> Option<(&str, std::ops::Range<usize>)> {
    let body = comment.trim_start().strip_prefix('#')?.trim_start();
    let rest = body.strip_prefix("dlint")?;
    let rest = rest.trim_start().strip_prefix("purpose")?.trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let value = rest
        .split(|c: char| c.is_whitespace())
        .next()
        .unwrap_or_default();
    if value.is_empty() {
        return None;
    }
    let start = comment.len() - rest.len();
    Some((value, start..start + value.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pragma_value_and_span() {
        let comment = "#  dlint purpose = base-image -- why\n";
        let (value, range) = purpose_pragma(comment).unwrap();
        assert_eq!(value, "base-image");
        assert_eq!(&comment[range], "base-image");
        assert!(purpose_pragma("# dlint ignore=DL3008").is_none());
        assert!(purpose_pragma("# purpose=base-image").is_none());
    }

    #[test]
    fn test_directories_make_test_fixtures() {
        let fixture = Path::new("frontend/dockerfile/parser/testfiles/nagios/Dockerfile");
        assert_eq!(
            purpose_from_path(fixture).map(|(p, _)| p),
            Some(Purpose::TestFixture)
        );
        assert_eq!(
            purpose_from_path(Path::new("services/api/Dockerfile")),
            None
        );
    }

    #[test]
    fn names_round_trip() {
        for purpose in Purpose::ALL {
            assert_eq!(Purpose::parse(purpose.as_str()), Some(purpose));
        }
        assert_eq!(Purpose::parse("SDK"), Some(Purpose::Toolchain));
        assert_eq!(Purpose::parse("app"), None);
    }
}
