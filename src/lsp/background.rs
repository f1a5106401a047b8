//! ShellCheck off the message loop: dlint's own findings take well under a millisecond on a
//! typical file and are published at once; the full lint with ShellCheck (an external process,
//! often hundreds of milliseconds) runs on a worker thread, one document at a time, and its
//! result replaces the first one only if the document and the settings have not changed since.

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crossbeam_channel::{unbounded, Receiver, Sender};
use lsp_types::Url;

use crate::diagnostic::Diagnostic;
use crate::linter::{lint_parse_reporting, LintOptions};
use crate::rules::Incomplete;

/// Which state of which document a job lints: its findings count only while the document
/// is at this revision and the settings at this generation.
pub struct Revision {
    pub uri: Url,
    pub revision: u64,
    pub generation: u64,
}

/// One document to lint with ShellCheck, as it was when asked.
pub struct Job {
    pub of: Revision,
    pub path: Option<PathBuf>,
    pub text: String,
    pub options: Arc<LintOptions>,
}

/// A finished job: every finding, ShellCheck's included (`None` when the lint panicked: the
/// findings without ShellCheck stay).
pub struct Done {
    pub of: Revision,
    pub diagnostics: Option<Vec<Diagnostic>>,
    /// What made the findings incomplete (ShellCheck failed): the server tells the user.
    pub incomplete: Incomplete,
}

/// Lints one document; `None` when the linter panicked (the server keeps serving).
pub fn lint_caught(
    path: Option<&Path>,
    text: &str,
    options: &LintOptions,
) -> Option<(Vec<Diagnostic>, Incomplete)> {
    catch_unwind(AssertUnwindSafe(|| {
        lint_parse_reporting(path, &crate::syntax::parse(text), options)
    }))
    .ok()
}

pub struct Background {
    sender: Sender<Done>,
    pub receiver: Receiver<Done>,
    /// The document being linted, if any.
    running: Option<Url>,
    /// Documents to lint when the worker is free (their latest state is read then).
    waiting: BTreeSet<Url>,
}

impl Background {
    pub fn new() -> Background {
        let (sender, receiver) = unbounded();
        Background {
            sender,
            receiver,
            running: None,
            waiting: BTreeSet::new(),
        }
    }

    /// Asks for `uri` to be linted with ShellCheck as soon as the worker is free.
    pub fn want(&mut self, uri: Url) {
        self.waiting.insert(uri);
    }

    pub fn forget(&mut self, uri: &Url) {
        self.waiting.remove(uri);
    }

    /// The worker finished its document.
    pub fn finished(&mut self) {
        self.running = None;
    }

    /// The next document to start, when the worker is free.
    pub fn next(&mut self) -> Option<Url> {
        if self.running.is_some() {
            return None;
        }
        self.waiting.pop_first()
    }

    /// Starts a job on a new worker thread; its result arrives on [`Background::receiver`].
    pub fn start(&mut self, job: Job) {
        self.running = Some(job.of.uri.clone());
        let sender = self.sender.clone();
        let spawned = std::thread::Builder::new()
            .name("dlint-shellcheck".into())
            .spawn(move || {
                let (diagnostics, incomplete) =
                    match lint_caught(job.path.as_deref(), &job.text, &job.options) {
                        Some((diagnostics, incomplete)) => (Some(diagnostics), incomplete),
                        None => (None, Incomplete::default()),
                    };
                let _ = sender.send(Done {
                    of: job.of,
                    diagnostics,
                    incomplete,
                });
            });
        if spawned.is_err() {
            self.running = None;
        }
    }
}
