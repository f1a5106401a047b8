//! dlint: a Dockerfile linter and rewriter.
//!
//! Layers, top to bottom: [`syntax`] (lossless BuildKit-conformant parser), [`shell`] (RUN
//! bodies as commands), [`semantic`] (the stage graph), then [`rules`] and [`fix`], with the
//! image and package facts in [`knowledge`].

pub mod config;
pub mod fix;
pub mod knowledge;
pub mod rules;
pub mod semantic;
pub mod shell;
pub mod syntax;

/// Where rule documentation lives; every diagnostic links to its rule's page.
pub const DOCS_BASE_URL: &str = "https://github.com/dlint-dev/dlint/blob/main/docs";
