//! The `dlint` command line. `main` only calls [`run`]; each subcommand lives in its own
//! file, and the lint options sit on one struct ([`args::LintArgs`]) shared by `dlint check`
//! and plain `dlint`, so new options and subcommands slot in without touching the others.
//!
//! Exit codes: 0 no findings, 1 findings, 2 usage, I/O or configuration error (after every
//! other file has still been linted and reported).

pub mod args;
mod check;
mod config;
mod dump;
mod fixing;
mod graph;
pub mod input;
mod output;
mod rules;
mod server;
mod single_file;
mod target;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

pub use args::Cli;
use args::{Command, LintArgs};

/// How a run ended, in order of precedence: an error outranks findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    Success = 0,
    Findings = 1,
    Error = 2,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        ExitCode::from(status as u8)
    }
}

/// Parses the process arguments and runs the command. Usage errors exit with 2 (clap's
/// convention, which matches ours).
pub fn run() -> ExitCode {
    run_status().into()
}

/// [`run`], with the status as a value the caller can inspect.
pub fn run_status() -> ExitStatus {
    let cli = Cli::parse();
    if cli.command.is_some() && cli.lint != LintArgs::default() {
        // `dlint --format json check .`: the options would silently not apply.
        Cli::command()
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                "lint options and paths go after the subcommand: `dlint check --format json PATH`",
            )
            .exit();
    }
    let status = execute(&cli);
    match output::output_failure() {
        Some(failure) => {
            // Said on stderr if it still works; the exit status tells in any case.
            output::eprint(&output::format_file_error(
                &input::FileError {
                    path: String::new(),
                    message: failure,
                    hint: Some("check that the output's disk or device has room".into()),
                },
                false,
            ));
            let _ = output::output_failure();
            ExitStatus::Error
        }
        None => status,
    }
}

/// Runs an already parsed command line.
pub fn execute(cli: &Cli) -> ExitStatus {
    match &cli.command {
        None => check::run(&cli.lint, cli.no_color),
        Some(Command::Check(args)) => check::run(args, cli.no_color),
        Some(Command::Dump(args)) => dump::run(args, cli.no_color),
        Some(Command::Graph(args)) => graph::run(args, cli.no_color),
        Some(Command::Rule(args)) => rules::run_rule(args, cli.no_color),
        Some(Command::Rules(args)) => rules::run_rules(args),
        Some(Command::Config(args::ConfigCommand::Migrate(args))) => {
            config::migrate(args, cli.no_color)
        }
        Some(Command::Server(args)) => server::run(args),
    }
}
