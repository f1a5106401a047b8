//! `dlint server`: a language server over stdio. This is the only module that knows LSP.
//!
//! - Diagnostics with the rule code, a link to its documentation, severity and exact ranges in
//!   the negotiated position encoding (UTF-8 when the client offers it, else UTF-16); pushed
//!   with `textDocument/publishDiagnostics`, or pulled with `textDocument/diagnostic` by
//!   clients that support it.
//! - Code actions: a quick fix per fixable finding (unsafe ones say so and are not
//!   preferred), "Ignore CODE for this instruction", and `source.fixAll.dlint` (safe fixes
//!   through the fix loop).
//! - Hover over a finding, or over the codes of an ignore comment: the rule's documentation;
//!   over an instruction keyword or flag: what it does.
//! - Completion of instructions, flags, stage names and rule codes in ignore comments;
//!   document symbols (stages); go-to-definition from a stage reference to the stage.
//! - Incremental text sync; settings from the closest `dlint.toml`, reloaded when it changes.
//!
//! Entry points: [`run_stdio`] for the command, [`run`] over any [`lsp_server::Connection`]
//! (the tests use an in-memory one).

mod actions;
mod background;
mod capabilities;
mod completion;
mod diagnostics;
mod document;
mod encoding;
mod hover;
mod lines;
mod reference;
mod server;
mod settings;
mod stages;
pub mod transport;

pub use actions::{diff_edits, ignore_edit, minimal_edit, FIX_ALL_KIND};
pub use server::{run, run_with, ServerError, DEBOUNCE};
pub use settings::ServerOptions;

/// Serves one client over stdin and stdout ([`transport`]). `Ok` after `shutdown` then
/// `exit`.
pub fn run_stdio(options: ServerOptions) -> Result<(), ServerError> {
    // ShellCheck results persist across sessions, shared with the command line.
    crate::rules::shellcheck::use_cache(Some(&crate::rules::shellcheck::cache::default_dir()));
    let (connection, io_threads) = transport::stdio();
    let result = run_with(connection, options);
    // The writer stops once the connection is dropped (in `run`), having written everything.
    let written = io_threads
        .join()
        .map_err(|e| ServerError(format!("stdout: {e}")));
    result.and(written)
}
