//! What `dump` and `graph` share: one input file, parsed, with its syntax errors reported on
//! stderr as diagnostics.

use std::path::Path;

use super::input::{read_input, SourceFile};
use super::output::{eprint, format_file_error, stderr_color};
use super::ExitStatus;
use crate::diagnostic::Diagnostic;
use crate::render::{render_text, FileReport, TextOptions};
use crate::syntax::{parse, ErrorSeverity, Parse};

/// Reads and parses `path` (`-` for stdin). On failure the error is already printed and the
/// exit status is returned.
pub fn read_and_parse(path: &Path, no_color: bool) -> Result<(SourceFile, Parse), ExitStatus> {
    match read_input(path, None) {
        Ok(file) => {
            let parse = parse(&file.text);
            Ok((file, parse))
        }
        Err(error) => {
            eprint(&format_file_error(&error, stderr_color(no_color)));
            Err(ExitStatus::Error)
        }
    }
}

/// Prints the file's error-severity parse problems on stderr as `DL1000` diagnostics. The
/// status is `Findings` when there were any, so scripts notice a file BuildKit would reject.
pub fn report_syntax_errors(file: &SourceFile, parse: &Parse, no_color: bool) -> ExitStatus {
    let diagnostics: Vec<Diagnostic> = parse
        .errors
        .iter()
        .filter(|e| e.severity == ErrorSeverity::Error)
        .map(Diagnostic::syntax_error)
        .collect();
    if diagnostics.is_empty() {
        return ExitStatus::Success;
    }
    let report = FileReport {
        path: file.display.clone(),
        source: file.text.as_str().into(),
        diagnostics,
    };
    let options = TextOptions {
        color: stderr_color(no_color),
    };
    eprint(&render_text(std::slice::from_ref(&report), options));
    ExitStatus::Findings
}
