//! `dlint check [PATHS…]` (also plain `dlint [PATHS…]`): lint files, print findings.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::args::{CheckFormat, LintArgs, ReportFile};
use super::fixing::{fix_text, write_fixed, FileFix, FixMode};
use super::input::{is_stdin, read_file, read_stdin, FileError, SourceFile};
use super::output::{
    eprint, format_file_error, format_warning, print, print_pieces, stderr_color, stdout_color,
};
use super::target::unknown_target_error;
use super::ExitStatus;
use crate::config::ConfigError;
use crate::discover::{discover, named_paths};
use crate::linter::{lint_parse_reporting, LintOptions, OptionsResolver};
use crate::render::frame::{render_source_frame, SourceFrame};
use crate::render::{
    render_checkstyle, render_concise, render_github, render_gitlab, render_json, render_junit,
    render_rdjson, render_sarif_run, render_text, render_text_report, summary_line, FileReport,
    TextOptions,
};
use crate::rules::shellcheck::{MissingShellcheck, RunError, Shellcheck};
use crate::rules::{ContextFiles, Incomplete, RuleSelector, Selection, SelectorError};
use crate::semantic::Model;
use crate::syntax::parse;

/// One file to lint, with the options that apply to it and the tree it was found in.
struct Job {
    path: PathBuf,
    /// Named on the command line, so possibly a directory to walk instead.
    named: bool,
    /// `--fix` writes through a symlink only to a target inside this directory (found only
    /// when the run writes).
    root: Option<PathBuf>,
    options: Arc<LintOptions>,
}

/// The directories named on the command line, resolved, to tell which tree a file was
/// found in.
struct DirectoryArgs(Vec<(PathBuf, PathBuf)>);

impl DirectoryArgs {
    fn new(paths: &[PathBuf]) -> DirectoryArgs {
        let dirs = paths
            .iter()
            .filter(|p| p.is_dir())
            .filter_map(|p| Some((p.clone(), std::fs::canonicalize(p).ok()?)))
            .collect();
        DirectoryArgs(dirs)
    }

    /// The directory argument whose walk found `file` (the deepest, when several hold it),
    /// else the file's own directory: the file was named on the command line.
    fn root_of(&self, file: &Path) -> PathBuf {
        let parent = match file.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        // The parent, not the file, is resolved: the file itself may be the symlink.
        let resolved = std::fs::canonicalize(&parent).ok();
        self.0
            .iter()
            .filter(|(_, canonical)| resolved.as_ref().is_some_and(|r| r.starts_with(canonical)))
            .max_by_key(|(_, canonical)| canonical.components().count())
            .map_or(parent, |(dir, _)| dir.clone())
    }
}

/// Everything a run produced, before it is printed.
#[derive(Default)]
struct Outcome {
    reports: Vec<FileReport>,
    /// Each report's output, drawn by the worker that linted it (`None`: drawn at the end),
    /// in step with `reports`.
    drawn: Vec<Option<String>>,
    /// With `--fix`/`--diff`: what the fixer did to each file.
    fixes: Vec<FileFix>,
    /// One entry per problem to show (a broken configuration is shown once).
    errors: Vec<FileError>,
    /// Files that were not checked, for the summary.
    unchecked: usize,
    /// Files with a finding at or above their failure threshold.
    failing: usize,
    /// ShellCheck failed on some file.
    shellcheck_failed: bool,
    /// What the summary line says about ShellCheck.
    shellcheck_note: String,
}

impl Outcome {
    fn fail(&mut self, error: FileError) {
        self.errors.push(error);
        self.unchecked += 1;
    }

    fn record(&mut self, result: Result<Linted, FileError>) {
        match result {
            Ok(linted) => {
                self.failing += usize::from(linted.fails);
                self.reports.push(linted.report);
                self.drawn.push(linted.drawn);
                self.fixes.extend(linted.fix);
                self.errors.extend(linted.write_error);
                if !linted.incomplete.is_empty() {
                    // Checked only in part: the summary must not call it clean.
                    self.shellcheck_failed |= linted.incomplete.shellcheck.is_some();
                    self.errors.extend(incomplete_errors(&linted.incomplete));
                    self.unchecked += 1;
                }
            }
            Err(error) => self.fail(error),
        }
    }
}

/// What became of a job.
// Nearly every job ends `Done`; boxing it would cost an allocation per file for nothing.
#[allow(clippy::large_enum_variant)]
enum Linting {
    Done(Result<Linted, FileError>),
    /// A named path that is a directory: its Dockerfiles are found by walking it.
    Directory,
}

/// One file's results: its findings (after fixing, when fixing), and what the fixer did.
struct Linted {
    report: FileReport,
    /// The report in the run's output format, when the worker drew it.
    drawn: Option<String>,
    /// A finding reaches the failure threshold.
    fails: bool,
    fix: Option<FileFix>,
    write_error: Option<FileError>,
    /// Some findings are missing (ShellCheck failed, a `.dockerignore` was refused).
    incomplete: Incomplete,
}

/// The command line's `--select`/`--extend-select`/`--ignore`.
fn cli_selection(args: &LintArgs) -> Result<Selection, SelectorError> {
    let parse = |list: &[String]| -> Result<Vec<RuleSelector>, SelectorError> {
        list.iter().map(|s| RuleSelector::parse(s)).collect()
    };
    Ok(Selection {
        select: if args.select.is_empty() {
            None
        } else {
            Some(parse(&args.select)?)
        },
        extend_select: parse(&args.extend_select)?,
        ignore: parse(&args.ignore)?,
    })
}

pub fn run(args: &LintArgs, no_color: bool) -> ExitStatus {
    let selection = match cli_selection(args) {
        Ok(selection) => selection,
        Err(error) => {
            let error = FileError {
                path: String::new(),
                message: error.to_string(),
                hint: Some("`dlint rules` lists every code and name".into()),
            };
            eprint(&format_file_error(&error, stderr_color(no_color)));
            return ExitStatus::Error;
        }
    };
    let mode = FixMode {
        // `--diff` previews: with `--fix` too, it still writes nothing.
        write: args.fix && !args.diff,
        diff: args.diff,
        unsafe_allowed: args.unsafe_fixes,
        show_fixes: args.show_fixes,
    };
    let shellcheck_path = args.shellcheck_path.as_deref();
    let shellcheck =
        match Shellcheck::for_mode(args.shellcheck.unwrap_or_default(), shellcheck_path) {
            Ok(shellcheck) => shellcheck,
            Err(missing) => {
                let error = FileError {
                    path: String::new(),
                    message: missing.to_string(),
                    hint: Some(MissingShellcheck::HINT.into()),
                };
                eprint(&format_file_error(&error, stderr_color(no_color)));
                return ExitStatus::Error;
            }
        };
    crate::rules::shellcheck::use_cache(
        (!args.no_cache)
            .then(crate::rules::shellcheck::cache::default_dir)
            .as_deref(),
    );
    let shellcheck_off = shellcheck.is_none();
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

    let base = LintOptions {
        target: args.target.clone(),
        selection,
        shellcheck,
        // The files of a run share their directories' ignore files.
        context_files: Some(Arc::new(ContextFiles::cached())),
        ..LintOptions::default()
    };
    let mut resolver = if args.isolated {
        OptionsResolver::isolated(base)
    } else {
        OptionsResolver::new(base, args.config.clone())
    }
    .with_shellcheck(args.shellcheck, args.shellcheck_path.clone());
    let mut outcome = Outcome::default();
    // Reports in other formats need every file's text, which drawing per report drops.
    let draw = if args.report.is_empty() {
        per_report_drawing(args.format, mode, no_color)
    } else {
        None
    };
    if wants_stdin {
        let name = args.stdin_filename.as_deref();
        match resolver.options_for(name) {
            Ok(options) => {
                let result = read_stdin(name).and_then(|file| {
                    // Fixed stdin goes to stdout, never to the file it is named after.
                    lint_file(file, None, &options, mode, true)
                });
                outcome.record(result.map(|linted| drawn(linted, draw.as_deref())));
            }
            Err(error) => outcome.fail(config_error(&error, stderr_color(no_color))),
        }
    }
    // Only a write needs the root (a symlink is followed only inside it); finding it costs
    // a `realpath` per file, which a plain check does not pay.
    let roots = mode.write.then(|| DirectoryArgs::new(&paths));
    let mut job_for = |path: PathBuf, named: bool, outcome: &mut Outcome| {
        match resolver.options_for(Some(&path)) {
            Ok(options) => Some(Job {
                root: roots.as_ref().map(|roots| roots.root_of(&path)),
                path,
                options,
                named,
            }),
            // A directory's files may have a configuration of their own below it.
            Err(_) if named && path.is_dir() => Some(Job {
                root: None,
                path,
                options: Arc::default(),
                named,
            }),
            Err(error) => {
                outcome.fail(config_error(&error, stderr_color(no_color)));
                None
            }
        }
    };
    // Named paths are linted as files first; the directories among them are walked after.
    let mut jobs = Vec::new();
    for path in named_paths(&paths) {
        jobs.extend(job_for(path, true, &mut outcome));
    }
    let mut directories = Vec::new();
    let mut linted = HashSet::new();
    let results = lint_in_parallel(&jobs, mode, draw.as_deref());
    for (job, result) in jobs.into_iter().zip(results) {
        match result {
            Linting::Directory => directories.push(job.path),
            Linting::Done(result) => {
                outcome.record(result);
                linted.insert(job.path);
            }
        }
    }
    if !directories.is_empty() {
        let discovery = discover(&directories);
        for error in discovery.errors {
            outcome.fail(error.into());
        }
        let mut jobs = Vec::with_capacity(discovery.files.len());
        for path in discovery.files {
            // `dlint Dockerfile .` lints the Dockerfile once.
            if !linted.contains(&path) {
                jobs.extend(job_for(path, false, &mut outcome));
            }
        }
        for result in lint_in_parallel(&jobs, mode, draw.as_deref()) {
            if let Linting::Done(result) = result {
                outcome.record(result);
            }
        }
    }
    warn_about_configurations(&mut resolver, no_color);
    outcome.shellcheck_note = if outcome.shellcheck_failed {
        "; ShellCheck failed (see below)".to_string()
    } else {
        shellcheck_note(shellcheck_off, args)
    };
    finish(outcome, args, &paths, no_color, mode, wants_stdin)
}

/// Tells what the user should know about the configurations just loaded (another user's).
fn warn_about_configurations(resolver: &mut OptionsResolver, no_color: bool) {
    for warning in resolver.take_warnings() {
        eprint(&format_warning(&warning, stderr_color(no_color)));
    }
}

/// `; ShellCheck 0.9.0 checked 12 scripts (10 from the cache)`, or why it did not run: the
/// findings of a run never silently depend on whether the machine has ShellCheck.
fn shellcheck_note(off: bool, args: &LintArgs) -> String {
    let activity = crate::rules::shellcheck::activity();
    if let Some(version) = &activity.version {
        let scripts = activity.checked + activity.cached;
        let plural = if scripts == 1 { "" } else { "s" };
        let cached = match activity.cached {
            0 => String::new(),
            n if n == scripts => " (all from the cache)".to_string(),
            n => format!(" ({n} from the cache)"),
        };
        return format!("; ShellCheck {version} checked {scripts} script{plural}{cached}");
    }
    match (off, args.shellcheck) {
        (false, _) => "; ShellCheck found no script to check".to_string(),
        (true, Some(crate::rules::shellcheck::ShellcheckMode::Never)) => {
            "; ShellCheck off (--shellcheck never)".to_string()
        }
        (true, _) => "; ShellCheck not run (no `shellcheck` binary found)".to_string(),
    }
}

/// Prints the findings, then the errors, and picks the exit status.
fn finish(
    mut outcome: Outcome,
    args: &LintArgs,
    paths: &[PathBuf],
    no_color: bool,
    mode: FixMode,
    stdin: bool,
) -> ExitStatus {
    let mut paired: Vec<(FileReport, Option<String>)> = std::mem::take(&mut outcome.reports)
        .into_iter()
        .zip(std::mem::take(&mut outcome.drawn))
        .collect();
    paired.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    (outcome.reports, outcome.drawn) = paired.into_iter().unzip();
    outcome.fixes.sort_by(|a, b| a.display.cmp(&b.display));
    if mode.diff {
        return finish_diff(&outcome, no_color);
    }
    outcome.errors.sort_by(|a, b| a.path.cmp(&b.path));
    outcome.errors.dedup();
    let format = args.format;
    for report in &args.report {
        if let Err(error) = write_report(&outcome, report) {
            outcome.errors.push(error);
        }
    }

    if outcome.reports.is_empty() && outcome.errors.is_empty() {
        let searched: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        eprint(&format_warning(
            &format!("no Dockerfiles found in {}", searched.join(", ")),
            stderr_color(no_color),
        ));
        return ExitStatus::Success;
    }

    let drawn = std::mem::take(&mut outcome.drawn);
    let errors: Vec<String> = outcome.errors.iter().map(|e| e.message.clone()).collect();
    let findings = render(
        &outcome.reports,
        drawn,
        format,
        (outcome.unchecked, &outcome.shellcheck_note, &errors),
        no_color,
    );
    if mode.write && stdin {
        // `--fix` on stdin: the fixed text is the output; findings go to stderr.
        for fix in outcome.fixes.iter().filter(|f| f.from_stdin) {
            print(&fix.outcome.text);
        }
        eprint(&findings.concat());
    } else {
        print_pieces(&findings);
    }
    if mode.write {
        let written = || outcome.fixes.iter().filter(|f| f.written && f.changed());
        let fixed: usize = written().map(|f| f.outcome.applied.len()).sum();
        let files = written().count();
        if mode.show_fixes {
            let lines: String = outcome.fixes.iter().map(FileFix::applied_lines).collect();
            eprint(&lines);
        }
        if fixed > 0 {
            eprint(&format!(
                "Fixed {fixed} problem{} in {files} file{}\n",
                if fixed == 1 { "" } else { "s" },
                if files == 1 { "" } else { "s" }
            ));
        }
        for fix in &outcome.fixes {
            for dropped in &fix.outcome.dropped {
                eprint(&format_warning(
                    &format!(
                        "{}: fix `{}` for {} left out: it would have broken the file",
                        fix.display, dropped.message, dropped.code
                    ),
                    stderr_color(no_color),
                ));
            }
        }
    }
    let stderr_colored = stderr_color(no_color);
    for error in &outcome.errors {
        eprint(&format_file_error(error, stderr_colored));
    }

    if !outcome.errors.is_empty() {
        ExitStatus::Error
    } else if outcome.failing > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    }
}

/// `--report FORMAT=FILE`: the run's findings in that format, without colour, into the file.
fn write_report(outcome: &Outcome, report: &ReportFile) -> Result<(), FileError> {
    let errors: Vec<String> = outcome.errors.iter().map(|e| e.message.clone()).collect();
    let text = render(
        &outcome.reports,
        Vec::new(),
        report.format,
        (outcome.unchecked, &outcome.shellcheck_note, &errors),
        true,
    )
    .concat();
    std::fs::write(&report.path, text).map_err(|error| {
        let path = report.path.display().to_string();
        FileError {
            message: format!("cannot write the report `{path}`: {error}"),
            path,
            hint: None,
        }
    })
}

/// `--diff`: the diffs on stdout, a count on stderr; exit 1 when anything would change.
fn finish_diff(outcome: &Outcome, no_color: bool) -> ExitStatus {
    let mut changed = 0;
    for fix in &outcome.fixes {
        if fix.changed() {
            changed += 1;
            print(&fix.diff());
        }
    }
    let fixes: usize = outcome.fixes.iter().map(|f| f.outcome.applied.len()).sum();
    if changed > 0 {
        eprint(&format!(
            "Would fix {fixes} problem{} in {changed} file{}\n",
            if fixes == 1 { "" } else { "s" },
            if changed == 1 { "" } else { "s" }
        ));
    }
    let stderr_colored = stderr_color(no_color);
    for error in &outcome.errors {
        eprint(&format_file_error(error, stderr_colored));
    }
    if !outcome.errors.is_empty() {
        ExitStatus::Error
    } else if changed > 0 {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    }
}

/// The output, in pieces to be written in order (each report's piece, when the workers drew
/// them: joining them first would copy megabytes for nothing).
fn render(
    reports: &[FileReport],
    drawn: Vec<Option<String>>,
    format: CheckFormat,
    (unchecked, shellcheck_note, errors): (usize, &str, &[String]),
    no_color: bool,
) -> Vec<String> {
    // Drawn pieces exist only for the formats drawn per report, and then for every report.
    let all_drawn =
        !drawn.is_empty() && drawn.len() == reports.len() && drawn.iter().all(Option::is_some);
    let mut pieces: Vec<String> = if all_drawn {
        drawn.into_iter().flatten().collect()
    } else {
        vec![render_whole(reports, format, errors, no_color)]
    };
    if format == CheckFormat::Text {
        pieces.push(format!(
            "{}{shellcheck_note}\n",
            summary_line(reports, unchecked)
        ));
    }
    pieces
}

/// The whole run's output in `format`, drawn at once (the text summary line aside).
fn render_whole(
    reports: &[FileReport],
    format: CheckFormat,
    errors: &[String],
    no_color: bool,
) -> String {
    match format {
        CheckFormat::Concise => render_concise(reports),
        CheckFormat::Json => render_json(reports),
        CheckFormat::Sarif => render_sarif_run(reports, errors),
        CheckFormat::Github => render_github(reports),
        CheckFormat::Checkstyle => render_checkstyle(reports),
        CheckFormat::Gitlab => render_gitlab(reports),
        CheckFormat::Junit => render_junit(reports),
        CheckFormat::Rdjson => render_rdjson(reports),
        CheckFormat::Text => render_text(
            reports,
            TextOptions {
                color: stdout_color(no_color),
            },
        ),
    }
}

/// A broken configuration file, reported against the configuration's own path (once, however
/// many files it governs): a first line with the position, then a code frame over the
/// offending text with the hint as its help.
pub(super) fn config_error(error: &ConfigError, color: bool) -> FileError {
    let path = error.path.display().to_string();
    let at = match error.position() {
        Some((line, column)) => format!("{path}:{line}:{column}"),
        None => path.clone(),
    };
    let first_line = format!("invalid configuration `{at}`: {}", error.message);
    let (Some(source), Some(span)) = (&error.source, &error.span) else {
        return FileError {
            path,
            message: first_line,
            hint: error.hint.clone(),
        };
    };
    let frame = render_source_frame(
        &SourceFrame {
            name: &path,
            source: Arc::clone(source),
            span: span.clone(),
            message: &error.message,
            label: Some("here"),
            help: error.hint.as_deref(),
        },
        color,
    );
    FileError {
        path,
        message: format!("invalid configuration `{at}`\n{}", frame.trim_end()),
        hint: None,
    }
}

/// Lints one file (fixing it first when asked). A `--target` naming none of its stages is a
/// usage error for this file, as it would be for `docker build`.
fn lint_file(
    file: SourceFile,
    root: Option<&Path>,
    options: &LintOptions,
    mode: FixMode,
    from_stdin: bool,
) -> Result<Linted, FileError> {
    let parsed = parse(&file.text);
    if options.target.is_some() {
        let model = Model::build(&parsed, options.target.as_deref());
        if let Some(error) = unknown_target_error(&file.display, &model) {
            return Err(error);
        }
    }
    if !mode.active() {
        let (diagnostics, incomplete) =
            lint_parse_reporting(file.path.as_deref(), &parsed, options);
        return Ok(Linted {
            incomplete,
            fails: diagnostics.iter().any(|d| options.fails(d)),
            report: FileReport {
                path: file.display,
                source: file.text.into(),
                diagnostics,
            },
            fix: None,
            write_error: None,
            drawn: None,
        });
    }
    let mut fix = fix_text(&file, options, mode);
    fix.from_stdin = from_stdin;
    let mut write_error = None;
    if mode.write && fix.changed() && !from_stdin {
        if let (Some(path), Some(root)) = (file.path.as_deref(), root) {
            write_error = write_fixed(path, root, &fix).err();
        }
    }
    fix.written = mode.write && write_error.is_none();
    // Report what is left: on the fixed text when it was written (or printed), else the original.
    let text = if mode.write && write_error.is_none() {
        fix.outcome.text.clone()
    } else {
        file.text.clone()
    };
    let (diagnostics, incomplete) =
        lint_parse_reporting(file.path.as_deref(), &parse(&text), options);
    Ok(Linted {
        incomplete,
        fails: diagnostics.iter().any(|d| options.fails(d)),
        report: FileReport {
            path: file.display,
            source: text.into(),
            diagnostics,
        },
        fix: Some(fix),
        write_error,
        drawn: None,
    })
}

/// What made a file's findings incomplete, as errors (told once each for the run).
fn incomplete_errors(incomplete: &Incomplete) -> Vec<FileError> {
    let refused = incomplete.context_files.iter().map(|message| FileError {
        path: String::new(),
        message: format!("{message}; rules that read it did not run"),
        hint: Some(
            "dlint reads a `.dockerignore` that is a regular file of at most 1 MB inside the project"
                .into(),
        ),
    });
    incomplete
        .shellcheck
        .iter()
        .map(shellcheck_failure)
        .chain(refused)
        .collect()
}

/// A ShellCheck that failed on a file's scripts: an error, so that the run never looks clean.
/// Told once for the run (the same failure usually hits every file).
fn shellcheck_failure(error: &RunError) -> FileError {
    FileError {
        path: String::new(),
        message: format!("ShellCheck failed, so its findings are missing: {error}"),
        hint: Some(
            "run `shellcheck` by hand on a script to see why, or pass `--shellcheck never`".into(),
        ),
    }
}

/// `linted` with its report drawn, when the format is drawn per report. Every report of such a
/// run is drawn, so the output never needs the file's text again: it is dropped here, which
/// lets the next file reuse the memory instead of touching fresh pages.
fn drawn(mut linted: Linted, draw: Option<&Draw>) -> Linted {
    if let Some(draw) = draw {
        linted.drawn = Some(draw(&linted.report));
        linted.report.source = Arc::from("");
    }
    linted
}

/// Draws one report in the run's output format.
type Draw = dyn Fn(&FileReport) -> String + Sync;

/// The output formats whose output is each report drawn on its own, joined in order: these
/// are drawn by the workers, in parallel with the linting, rather than all at the end.
fn per_report_drawing(format: CheckFormat, mode: FixMode, no_color: bool) -> Option<Box<Draw>> {
    if mode.diff {
        return None;
    }
    match format {
        CheckFormat::Text => {
            let options = TextOptions {
                color: stdout_color(no_color),
            };
            Some(Box::new(move |report| render_text_report(report, options)))
        }
        CheckFormat::Concise => Some(Box::new(|report| {
            render_concise(std::slice::from_ref(report))
        })),
        _ => None,
    }
}

/// Reads and lints every file with its options, on all cores. Results come back in the order
/// of `jobs`.
fn lint_in_parallel(jobs: &[Job], mode: FixMode, draw: Option<&Draw>) -> Vec<Linting> {
    let lint_one = |job: &Job| -> Linting {
        let file = match read_file(&job.path) {
            Ok(file) => file,
            // Checked only on failure: a named path is read without a `stat` first.
            Err(_) if job.named && job.path.is_dir() => return Linting::Directory,
            Err(error) => return Linting::Done(Err(error)),
        };
        let linted = lint_file(file, job.root.as_deref(), &job.options, mode, false);
        Linting::Done(linted.map(|linted| drawn(linted, draw)))
    };
    // One file needs no threads; asking for the core count reads cgroup files, a
    // measurable part of a one-file run.
    if jobs.len() <= 1 {
        return jobs.iter().map(lint_one).collect();
    }
    check_scripts_ahead(jobs);
    on_all_cores(jobs, lint_one)
}

/// Runs ShellCheck on the RUN scripts of every file at once, before the files are linted
/// (which then find the results in memory): waiting for it file by file would leave the
/// cores idle, and one process per file would pay ShellCheck's start-up a thousand times.
fn check_scripts_ahead(jobs: &[Job]) {
    if jobs.iter().all(|job| job.options.shellcheck.is_none()) {
        return;
    }
    let scripts = on_all_cores(jobs, |job| {
        let Some(shellcheck) = &job.options.shellcheck else {
            return None;
        };
        let file = read_file(&job.path).ok()?;
        let parsed = parse(&file.text);
        let model = Model::build(&parsed, job.options.target.as_deref());
        let texts = shellcheck.check_ahead(&parsed.tree, &model, &job.options.selection);
        Some((shellcheck.binary().to_path_buf(), texts))
    });
    let mut by_binary: Vec<(PathBuf, Vec<&str>)> = Vec::new();
    for (binary, texts) in scripts.iter().flatten() {
        let index = match by_binary.iter().position(|(b, _)| b == binary) {
            Some(index) => index,
            None => {
                by_binary.push((binary.clone(), Vec::new()));
                by_binary.len() - 1
            }
        };
        by_binary[index].1.extend(texts.iter().map(String::as_str));
    }
    for (binary, texts) in by_binary {
        // Failures are kept with each script's result and reported by the file's lint.
        crate::rules::shellcheck::check_texts(&binary, &texts);
    }
}

/// `work` on every job, on all cores; results in the order of `jobs`.
fn on_all_cores<T: Send>(jobs: &[Job], work: impl Fn(&Job) -> T + Sync) -> Vec<T> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len());
    if workers <= 1 {
        return jobs.iter().map(work).collect();
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
                    mine.push((index, work(job)));
                }
                done.lock().unwrap_or_else(|p| p.into_inner()).extend(mine);
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_else(|p| p.into_inner());
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}
