//! The library's integration tests, in one binary (one link, one process start): rules and
//! their fixes, parsing, the shell layer, the semantic model, the knowledge base and the
//! corpus checks. Filter with `cargo test --test library MODULE::`.

#[path = "../common/mod.rs"]
mod common;

mod conformance;
mod diff_apply;
mod docs;
mod fix_corpus;
mod fuzz_regressions;
mod knowledge;
mod parity;
mod pathological;
mod precision;
mod purpose;
mod rejects;
mod rule_counts;
mod semantic;
mod shell_fast_path;
mod shell_layer;
mod split;
mod split_python_corpus;
mod suppress;
mod syntax;
