//! Tests that run the `dlint` binary (the CLI, its output formats and fixes, the GitHub
//! Action, ShellCheck), in one binary. Filter with `cargo test --test commands MODULE::`.

#[path = "../common/mod.rs"]
mod common;

mod action;
mod buildcheck;
mod cli;
mod cli_config;
mod cli_fix;
mod fix_faults;
mod formats;
mod safety;
mod shellcheck;
