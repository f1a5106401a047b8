//! `dlint server`: a language server over stdio. This is the only module that knows LSP.
//!
//! - Diagnostics with the rule code, a link to its documentation, severity and exact ranges in
//!   the negotiated position encoding (UTF-8 when the client offers it, else UTF-16); pushed
//!   with `textDocument/publishDiagnostics`, or pulled with `textDocument/diagnostic` by
//!   clients that support it.
//! - Code actions: a quick fix per fixable finding (unsafe ones say so and are not
//!   preferred), "Ignore CODE for this instruction", and `source.fixAll.dlint` (safe fixes
//!   through the fix loop).
//! - Hover over a finding, or over the codes of an ignore comment: the rule's documentation.
//! - Incremental text sync; settings from the closest `dlint.toml`, reloaded when it changes.
//!
//! Entry points: [`run_stdio`] for the command, [`run`] over any [`lsp_server::Connection`]
//! (the tests use an in-memory one).

mod actions;
mod capabilities;
mod diagnostics;
mod document;
mod encoding;
mod hover;
mod server;
mod settings;

pub use actions::{diff_edits, ignore_edit, minimal_edit, FIX_ALL_KIND};
pub use server::{run, ServerError};

/// Serves one client over stdin and stdout. `Ok` after `shutdown` then `exit`.
pub fn run_stdio() -> Result<(), ServerError> {
    // ShellCheck results persist across sessions, shared with the command line.
    crate::shellcheck::use_cache(Some(&crate::shellcheck::cache::default_dir()));
    let (connection, io_threads) = lsp_server::Connection::stdio();
    run(connection)?;
    // The reader stops after `exit`, the writer once the connection is dropped (in `run`).
    io_threads
        .join()
        .map_err(|e| ServerError(format!("stdio: {e}")))
}
