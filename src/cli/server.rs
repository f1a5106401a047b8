//! `dlint server`: the language server, for editors (see [`crate::lsp`]).

use super::output::eprint;
use super::ExitStatus;

/// Exit 0 after the client's `shutdown` then `exit`, 1 otherwise: the status the protocol
/// asks for when `exit` comes without `shutdown` (or the client goes away).
pub fn run() -> ExitStatus {
    match crate::lsp::run_stdio() {
        Ok(()) => ExitStatus::Success,
        Err(error) => {
            eprint(&format!("dlint server: {error}\n"));
            ExitStatus::Findings
        }
    }
}
