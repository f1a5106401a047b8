//! dlint: a Dockerfile linter and rewriter.
//!
//! Layers, top to bottom: [`syntax`] (lossless BuildKit-conformant parser), [`shell`] (RUN
//! bodies as commands), [`semantic`] (the stage graph), then rules, fixes and outputs.

pub mod knowledge;
pub mod semantic;
pub mod syntax;
