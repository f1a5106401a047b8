//! The `dlint` binary: everything lives in the library's `cli` module.
//!
//! It allocates through mimalloc (built without transparent huge pages, which doubled peak
//! memory): a run over many files spends far fewer instructions in allocation than with the
//! system allocator (ARCHITECTURE.md, "Allocator", has the measurements).

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    dlint::cli::run_status().into()
}
