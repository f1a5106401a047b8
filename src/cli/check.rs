//! `dlint check [PATHS…]` (also plain `dlint [PATHS…]`): lint files, print findings.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::args::{CheckFormat, LintArgs};
use super::input::{is_stdin, read_file, read_stdin, FileError, SourceFile};
use super::output::{eprint, format_file_error, format_warning, print, stderr_color, stdout_color};
use super::target::unknown_target_error;
use super::ExitStatus;
use crate::config::ConfigError;
use crate::discover::discover;
use crate::linter::{lint_parse, LintOptions, OptionsResolver};
use crate::render::{render_json, render_text, summary_line, FileReport, TextOptions};
use crate::semantic::Model;
use crate::syntax::parse;

/// Everything a run produced, before it is printed.
#[derive(Default)]
struct Outcome {
    reports: Vec<FileReport>,
    /// One entry per problem to show (a broken configuration is shown once).
    errors: Vec<FileError>,
    /// Files that were not checked, for the summary.
    unchecked: usize,
}

impl Outcome {
    fn fail(&mut self, error: FileError) {
        self.errors.push(error);
        self.unchecked += 1;
    }

    fn record(&mut self, result: Result<FileReport, FileError>) {
        match result {
            Ok(report) => self.reports.push(report),
            Err(error) => self.fail(error),
        }
    }
}

pub fn run(args: &LintArgs, no_color: bool) -> ExitStatus {
    let base = LintOptions {
        target: args.target.clone(),
        ..LintOptions::default()
    };
    let mut resolver = OptionsResolver::new(base, args.config.clone());
    // `--stdin-filename` with no paths means stdin, as in ruff: editors pipe the buffer in.
    let stdin_only = args.paths.is_empty() && args.stdin_filename.is_some();
    let wants_stdin = stdin_only || args.paths.iter().any(|p| is_stdin(p));
    let mut paths: Vec<PathBuf> = args
        .paths
        .iter()
        .filter(|p| !is_stdin(p))
        .cloned()
        .collect();
    if args.paths.is_empty() && !stdin_only {
        paths.push(PathBuf::from("."));
    }

    let discovery = discover(&paths);
    let mut outcome = Outcome::default();
    for error in discovery.errors {
        outcome.fail(error.into());
    }
    if wants_stdin {
        let name = args.stdin_filename.as_deref();
        match resolver.options_for(name) {
            Ok(options) => {
                let result = read_stdin(name).and_then(|file| lint_file(file, &options));
                outcome.record(result);
            }
            Err(error) => outcome.fail(config_error(&error)),
        }
    }
    let mut jobs = Vec::with_capacity(discovery.files.len());
    for path in discovery.files {
        match resolver.options_for(Some(&path)) {
            Ok(options) => jobs.push((path, options)),
            Err(error) => outcome.fail(config_error(&error)),
        }
    }
    for result in lint_in_parallel(&jobs) {
        outcome.record(result);
    }
    finish(outcome, args.format, &paths, no_color)
}

/// Prints the findings, then the errors, and picks the exit status.
fn finish(
    mut outcome: Outcome,
    format: CheckFormat,
    paths: &[PathBuf],
    no_color: bool,
) -> ExitStatus {
    outcome.reports.sort_by(|a, b| a.path.cmp(&b.path));
    outcome.errors.sort_by(|a, b| a.path.cmp(&b.path));
    outcome.errors.dedup();

    if outcome.reports.is_empty() && outcome.errors.is_empty() {
        let searched: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        eprint(&format_warning(
            &format!("no Dockerfiles found in {}", searched.join(", ")),
            stderr_color(no_color),
        ));
        return ExitStatus::Success;
    }

    print(&render(
        &outcome.reports,
        format,
        outcome.unchecked,
        no_color,
    ));
    let stderr_colored = stderr_color(no_color);
    for error in &outcome.errors {
        eprint(&format_file_error(error, stderr_colored));
    }

    if !outcome.errors.is_empty() {
        ExitStatus::Error
    } else if outcome.reports.iter().any(|r| !r.diagnostics.is_empty()) {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    }
}

fn render(reports: &[FileReport], format: CheckFormat, unchecked: usize, no_color: bool) -> String {
    match format {
        CheckFormat::Json => render_json(reports),
        CheckFormat::Text => {
            let mut out = render_text(
                reports,
                TextOptions {
                    color: stdout_color(no_color),
                },
            );
            out.push_str(&summary_line(reports, unchecked));
            out.push('\n');
            out
        }
    }
}

/// A broken configuration file, reported against the configuration's own path (once, however
/// many files it governs).
fn config_error(error: &ConfigError) -> FileError {
    let path = error.path.display().to_string();
    let at = match error.position {
        Some((line, column)) => format!("{path}:{line}:{column}"),
        None => path.clone(),
    };
    FileError {
        path,
        message: format!("invalid configuration `{at}`: {}", error.message),
        hint: error.hint.clone(),
    }
}

/// Lints one file. A `--target` naming none of its stages is a usage error for this file, as
/// it would be for `docker build`.
fn lint_file(file: SourceFile, options: &LintOptions) -> Result<FileReport, FileError> {
    let parse = parse(&file.text);
    if options.target.is_some() {
        let model = Model::build(&parse, options.target.as_deref());
        if let Some(error) = unknown_target_error(&file.display, &model) {
            return Err(error);
        }
    }
    let diagnostics = lint_parse(file.path.as_deref(), &parse, options);
    Ok(FileReport {
        path: file.display,
        source: file.text.into(),
        diagnostics,
    })
}

/// Reads and lints every file with its options, on all cores. Results come back in the order
/// of `jobs`.
fn lint_in_parallel(jobs: &[(PathBuf, Arc<LintOptions>)]) -> Vec<Result<FileReport, FileError>> {
    let lint_one =
        |(path, options): &(PathBuf, Arc<LintOptions>)| -> Result<FileReport, FileError> {
            read_file(Path::new(path)).and_then(|file| lint_file(file, options))
        };
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len());
    if workers <= 1 {
        return jobs.iter().map(lint_one).collect();
    }
    let next = AtomicUsize::new(0);
    let done = Mutex::new(Vec::with_capacity(jobs.len()));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                let mut mine = Vec::new();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(index) else { break };
                    mine.push((index, lint_one(job)));
                }
                done.lock().unwrap_or_else(|p| p.into_inner()).extend(mine);
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_else(|p| p.into_inner());
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}
