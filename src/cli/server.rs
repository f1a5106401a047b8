//! `dlint server`: the language server, for editors (see [`crate::lsp`]).

use super::args::ServerArgs;
use super::output::eprint;
use super::ExitStatus;
use crate::lsp::ServerOptions;

/// Exit 0 after the client's `shutdown` then `exit`, 1 otherwise: the status the protocol
/// asks for when `exit` comes without `shutdown` (or the client goes away).
pub fn run(args: &ServerArgs) -> ExitStatus {
    let options = ServerOptions {
        config: args.config.clone(),
        shellcheck: args.shellcheck,
        shellcheck_path: args.shellcheck_path.clone(),
    };
    match crate::lsp::run_stdio(options) {
        Ok(()) => ExitStatus::Success,
        Err(error) => {
            eprint(&format!("dlint server: {error}\n"));
            ExitStatus::Findings
        }
    }
}
