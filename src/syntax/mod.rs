//! Syntax layer: a lossless Dockerfile parser that follows BuildKit's rules.
//!
//! Knows nothing of rules, LSP or output formats.

mod dump;
mod instruction;
mod parser;
pub mod source_map;
mod tree;
mod words;

pub use dump::{dump, dump_json, go_quote};
pub use source_map::{SourceMap, Span};
pub use tree::*;
pub use words::quote_value;

/// Parses a Dockerfile. Never fails and never panics: problems come back in `Parse::errors`
/// and the parser carries on with the next instruction.
pub fn parse(source: &str) -> Parse {
    parser::Parser::new(source).run()
}
