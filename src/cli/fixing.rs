//! `--fix`, `--unsafe-fixes`, `--diff`, `--show-fixes`: the fix loop over one file, and what
//! to write or print afterwards.

use std::path::Path;

use super::input::{FileError, SourceFile};
use crate::fix::{patch_path, unified_diff, write_atomically, FixOutcome, WriteError};
use crate::linter::{fix_source, LintOptions};

/// What the user asked the fixer to do.
#[derive(Debug, Clone, Copy, Default)]
pub struct FixMode {
    /// `--fix`: write the result.
    pub write: bool,
    /// `--diff`: show the result as a diff, write nothing.
    pub diff: bool,
    pub unsafe_allowed: bool,
    pub show_fixes: bool,
}

impl FixMode {
    pub fn active(self) -> bool {
        self.write || self.diff
    }
}

/// The fix loop's result for one file.
#[derive(Debug, Clone)]
pub struct FileFix {
    pub display: String,
    pub original: String,
    pub outcome: FixOutcome,
    /// Read from stdin: the fixed text is printed, not written.
    pub from_stdin: bool,
    /// The fixed text reached its destination (the file, or stdout for stdin).
    pub written: bool,
}

impl FileFix {
    pub fn changed(&self) -> bool {
        self.outcome.text != self.original
    }

    /// The fix as a unified diff whose paths `git apply` and `patch -p1` accept from the
    /// current directory (see [`patch_path`]).
    pub fn diff(&self) -> String {
        let cwd = std::env::current_dir().ok();
        let path = patch_path(&self.display, cwd.as_deref());
        unified_diff(&path, &self.original, &self.outcome.text)
    }

    /// `--show-fixes`: one line per applied fix.
    pub fn applied_lines(&self) -> String {
        self.outcome
            .applied
            .iter()
            .map(|f| format!("{}: {} {}\n", self.display, f.code, f.message))
            .collect()
    }
}

/// Runs the fix loop on a file's text.
pub fn fix_text(file: &SourceFile, options: &LintOptions, mode: FixMode) -> FileFix {
    let outcome = fix_source(
        file.path.as_deref(),
        &file.text,
        options,
        mode.unsafe_allowed,
    );
    FileFix {
        display: file.display.clone(),
        original: file.text.clone(),
        outcome,
        from_stdin: false,
        written: false,
    }
}

/// Writes the fixed text over the file, atomically, keeping its permissions. Refuses files that
/// were not valid UTF-8 (the text was read lossily, so writing it back would lose bytes), files
/// that changed on disk since they were read, and symlinks to files outside `root` (the tree
/// being fixed).
pub fn write_fixed(path: &Path, root: &Path, fix: &FileFix) -> Result<(), FileError> {
    let fail = |message: String, hint: Option<String>| FileError {
        path: fix.display.clone(),
        message,
        hint,
    };
    let on_disk =
        crate::regular_file::read_regular(path, crate::regular_file::MAX_DOCKERFILE_BYTES)
            .map_err(|e| FileError::io(&fix.display, &e))?;
    if std::str::from_utf8(&on_disk).is_err() {
        return Err(fail(
            format!("`{}` is not valid UTF-8: not rewritten", fix.display),
            Some("convert the file to UTF-8 to let dlint fix it".into()),
        ));
    }
    write_atomically(
        path,
        root,
        fix.original.as_bytes(),
        fix.outcome.text.as_bytes(),
    )
    .map_err(|e| {
        let hint = match &e {
            WriteError::OutsideRoot { target, .. } => format!(
                "dlint only writes through a symlink inside the tree it fixes; run `dlint --fix {}` to fix the target itself",
                target.display()
            ),
            WriteError::ChangedOnDisk(_) => "run dlint again on the saved file".into(),
            WriteError::SaveSetAside { .. } => {
                "compare the two saves and keep the one you want".into()
            }
            WriteError::Refused(..) => {
                "`dlint --diff` shows the changes; make them to the file yourself"
                    .into()
            }
            WriteError::Io(..) => {
                "check that the file and its directory are writable and the disk has room".into()
            }
        };
        fail(e.to_string(), Some(hint))
    })
}
