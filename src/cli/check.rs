//! `dlint check [PATHS…]` (also plain `dlint [PATHS…]`): lint files, print findings.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::args::{CheckFormat, LintArgs};
use super::input::{is_stdin, read_file, read_stdin, FileError, SourceFile};
use super::output::{eprint, format_file_error, format_warning, print, stderr_color, stdout_color};
use super::target::unknown_target_error;
use super::ExitStatus;
use crate::discover::discover;
use crate::linter::{lint_parse, LintOptions};
use crate::render::{render_json, render_text, summary_line, FileReport, TextOptions};
use crate::semantic::Model;
use crate::syntax::parse;

pub fn run(args: &LintArgs, no_color: bool) -> ExitStatus {
    let options = LintOptions {
        target: args.target.clone(),
        ..LintOptions::default()
    };
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
    let mut errors: Vec<FileError> = discovery.errors.into_iter().map(Into::into).collect();
    let mut reports = Vec::new();
    if wants_stdin {
        match read_stdin(args.stdin_filename.as_deref()) {
            Ok(file) => match lint_file(file, &options) {
                Ok(report) => reports.push(report),
                Err(error) => errors.push(error),
            },
            Err(error) => errors.push(error),
        }
    }
    for result in lint_files_in_parallel(&discovery.files, &options) {
        match result {
            Ok(report) => reports.push(report),
            Err(error) => errors.push(error),
        }
    }
    reports.sort_by(|a, b| a.path.cmp(&b.path));
    errors.sort_by(|a, b| a.path.cmp(&b.path));

    if reports.is_empty() && errors.is_empty() {
        let searched: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        eprint(&format_warning(
            &format!("no Dockerfiles found in {}", searched.join(", ")),
            stderr_color(no_color),
        ));
        return ExitStatus::Success;
    }

    print(&render(&reports, args.format, errors.len(), no_color));
    let stderr_colored = stderr_color(no_color);
    for error in &errors {
        eprint(&format_file_error(error, stderr_colored));
    }

    if !errors.is_empty() {
        ExitStatus::Error
    } else if reports.iter().any(|r| !r.diagnostics.is_empty()) {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    }
}

fn render(
    reports: &[FileReport],
    format: CheckFormat,
    failed: usize,
    no_color: bool,
) -> String {
    match format {
        CheckFormat::Json => render_json(reports),
        CheckFormat::Text => {
            let mut out = render_text(
                reports,
                TextOptions {
                    color: stdout_color(no_color),
                },
            );
            out.push_str(&summary_line(reports, failed));
            out.push('\n');
            out
        }
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

/// Reads and lints `files` on all cores. Results come back in the order of `files`.
fn lint_files_in_parallel(
    files: &[PathBuf],
    options: &LintOptions,
) -> Vec<Result<FileReport, FileError>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len());
    let lint_one = |path: &PathBuf| read_file(path).and_then(|file| lint_file(file, options));
    if workers <= 1 {
        return files.iter().map(lint_one).collect();
    }
    let next = AtomicUsize::new(0);
    let done = Mutex::new(Vec::with_capacity(files.len()));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                let mut mine = Vec::new();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(index) else { break };
                    mine.push((index, lint_one(path)));
                }
                done.lock().unwrap_or_else(|p| p.into_inner()).extend(mine);
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_else(|p| p.into_inner());
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}
