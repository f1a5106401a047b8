//! The command line's shape: top-level options, subcommands and the lint options shared by
//! `dlint check …` and plain `dlint …`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::rules::shellcheck::ShellcheckMode;

/// A Dockerfile linter that also rewrites: BuildKit-exact parsing, image-size rules, fixes.
///
/// With no subcommand, dlint runs `check`: `dlint Dockerfile` is `dlint check Dockerfile`.
//
// A word is a subcommand only where one can start (before any path), so `dlint Dockerfile
// dump` lints two files; options placed before a subcommand are rejected in `cli::execute`.
#[derive(Debug, Parser)]
#[command(
    name = "dlint",
    version,
    override_usage = "dlint [OPTIONS] [PATH]...\n       dlint <COMMAND> [OPTIONS] [ARGS]..."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Options for the implicit `check` (no subcommand given).
    #[command(flatten)]
    pub lint: LintArgs,

    /// Never colour the output (colour is on when writing to a terminal and NO_COLOR is unset).
    #[arg(long, global = true)]
    pub no_color: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint Dockerfiles (the default command).
    Check(LintArgs),
    /// Print the parse tree of a Dockerfile, in BuildKit's dump format or as JSON.
    Dump(DumpArgs),
    /// Print the stage graph of a Dockerfile.
    Graph(GraphArgs),
    /// Explain a rule: what it does, why, an example and how its fix behaves.
    Rule(RuleArgs),
    /// List every rule: code, name, family, severity, whether it can fix.
    Rules(RulesArgs),
    /// Run the language server (LSP over stdin and stdout), for editors.
    Server(ServerArgs),
    /// Configuration tools.
    #[command(subcommand)]
    Config(ConfigCommand),
}

#[derive(Debug, Clone, Args)]
pub struct ServerArgs {
    /// Speak over stdin and stdout (the only transport; accepted because LSP clients such as
    /// VS Code's add it).
    #[arg(long)]
    pub stdio: bool,

    /// Use this configuration file for every document, instead of the closest dlint.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Run ShellCheck on RUN scripts: `auto` when a binary is found, `always`, `never`
    /// [default: auto, or the configuration's `[lint] shellcheck`].
    #[arg(long, value_enum, value_name = "WHEN")]
    pub shellcheck: Option<ShellcheckMode>,

    /// The `shellcheck` binary to run (default: $DLINT_SHELLCHECK, else `shellcheck` on
    /// PATH).
    #[arg(long, value_name = "FILE")]
    pub shellcheck_path: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print (or write) the dlint.toml equivalent of a .hadolint.yaml.
    Migrate(MigrateArgs),
}

#[derive(Debug, Clone, Args)]
pub struct MigrateArgs {
    /// The hadolint configuration to read.
    #[arg(value_name = "FILE", default_value = ".hadolint.yaml")]
    pub file: PathBuf,

    /// Write dlint.toml next to it instead of printing (refuses to overwrite one).
    #[arg(long)]
    pub write: bool,
}

/// Lint options. They live on one struct so that they work both after `check` and with no
/// subcommand at all (`dlint --format json .`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Args)]
pub struct LintArgs {
    /// Files or directories to lint; `-` reads stdin. Directories are searched for
    /// Dockerfile, Dockerfile.*, *.Dockerfile, *.dockerfile, Containerfile and
    /// Containerfile.*, honouring .gitignore. Default: the current directory.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,

    /// Also write the findings in another format to a file, from the same run:
    /// `FORMAT=FILE`, repeatable (e.g. `--report sarif=dlint.sarif`).
    #[arg(long, value_name = "FORMAT=FILE", value_parser = parse_report_file, conflicts_with = "diff")]
    pub report: Vec<ReportFile>,

    /// The name to show for stdin (`-`) in output; rules that read the build context look
    /// next to it. Given without paths, it means: read stdin.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,

    /// The stage that becomes the image (as `docker build --target`); default: the last.
    #[arg(long, value_name = "STAGE")]
    pub target: Option<String>,

    /// Use this configuration file for every file, instead of the closest dlint.toml or
    /// .dlint.toml at or above each file's directory.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Read no configuration file (no dlint.toml, .dlint.toml or .hadolint.yaml): only the
    /// defaults and the command line's options apply.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,

    /// Apply safe fixes and write the files (on stdin: print the fixed text to stdout).
    #[arg(long)]
    pub fix: bool,

    /// Also apply unsafe fixes (base-image swaps, stage splits …); implies nothing without
    /// `--fix` or `--diff`.
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print the unified diff `--fix` would make and write nothing (exit 1 when there is one).
    #[arg(long)]
    pub diff: bool,

    /// With `--fix`, list each fix that was applied.
    #[arg(long)]
    pub show_fixes: bool,

    /// Run only these rules: codes (DL3009), code prefixes (IMG, DL30), names or families,
    /// comma-separated. Replaces the configuration's `select`.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,

    /// Also run these rules, on top of the defaults or `select`.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub extend_select: Vec<String>,

    /// Do not run these rules.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,

    /// Run ShellCheck on RUN scripts (findings `SC2086` …): `auto` when a `shellcheck`
    /// binary is found [default: auto, or the configuration's `[lint] shellcheck`];
    /// `always` fails when none is; `never`. The summary line says whether it ran, and
    /// which version; a ShellCheck that fails or hangs (limit: $DLINT_SHELLCHECK_TIMEOUT
    /// seconds) is an error (exit 2).
    #[arg(long, value_enum, value_name = "WHEN")]
    pub shellcheck: Option<ShellcheckMode>,

    /// The `shellcheck` binary to run (default: $DLINT_SHELLCHECK, else `shellcheck` on
    /// PATH).
    #[arg(long, value_name = "FILE")]
    pub shellcheck_path: Option<PathBuf>,

    /// Do not read or write the cache of ShellCheck results (kept in $DLINT_CACHE_DIR, else
    /// $XDG_CACHE_HOME/dlint, else ~/.cache/dlint).
    #[arg(long)]
    pub no_cache: bool,
}

/// `--report FORMAT=FILE`: one more output of the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFile {
    pub format: CheckFormat,
    pub path: PathBuf,
}

fn parse_report_file(value: &str) -> Result<ReportFile, String> {
    let (format, path) = value
        .split_once('=')
        .ok_or_else(|| format!("expected FORMAT=FILE, e.g. sarif=dlint.sarif, not `{value}`"))?;
    let format = CheckFormat::from_str(format, true).map_err(|_| {
        let names: Vec<String> = CheckFormat::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_string()))
            .collect();
        format!("unknown format `{format}` (one of: {})", names.join(", "))
    })?;
    if path.is_empty() {
        return Err("the file name is empty".into());
    }
    Ok(ReportFile {
        format,
        path: PathBuf::from(path),
    })
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Code frames and a summary, for people.
    #[default]
    Text,
    /// One line per finding: `file:line:col: CODE message`.
    Concise,
    /// One JSON document with a `findings` array, for tools.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// Checkstyle XML (Jenkins, reviewdog, SonarQube).
    Checkstyle,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// JUnit XML test report.
    Junit,
    /// reviewdog's rdjson, with fix suggestions.
    Rdjson,
}

#[derive(Debug, Clone, Args)]
pub struct DumpArgs {
    /// The Dockerfile to dump; `-` reads stdin.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// `text` is BuildKit's own dump format; `json` adds positions and parse errors.
    #[arg(long, value_enum, default_value_t = DumpFormat::Text)]
    pub format: DumpFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DumpFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct GraphArgs {
    /// The Dockerfile whose stages to show; `-` reads stdin.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// `dot` feeds Graphviz, `mermaid` renders on GitHub.
    #[arg(long, value_enum, default_value_t = GraphFormatArg::Text)]
    pub format: GraphFormatArg,

    /// The stage that becomes the image (as `docker build --target`); default: the last.
    #[arg(long, value_name = "STAGE")]
    pub target: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormatArg {
    Text,
    Json,
    Dot,
    Mermaid,
}

impl From<GraphFormatArg> for crate::semantic::GraphFormat {
    fn from(format: GraphFormatArg) -> Self {
        match format {
            GraphFormatArg::Text => Self::Text,
            GraphFormatArg::Json => Self::Json,
            GraphFormatArg::Dot => Self::Dot,
            GraphFormatArg::Mermaid => Self::Mermaid,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct RuleArgs {
    /// A rule code (`DL3009`) or name (`apt-lists-not-deleted`), in any case.
    #[arg(value_name = "RULE")]
    pub rule: String,

    #[arg(long, value_enum, default_value_t = DocsFormat::Text)]
    pub format: DocsFormat,
}

#[derive(Debug, Clone, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = DocsFormat::Text)]
    pub format: DocsFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocsFormat {
    /// Markdown for one rule, a table for all.
    Text,
    /// The rules' metadata, for tools.
    Json,
}
