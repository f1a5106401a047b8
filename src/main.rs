//! The `dlint` binary: everything lives in the library's `cli` module.

fn main() -> std::process::ExitCode {
    dlint::cli::run()
}
