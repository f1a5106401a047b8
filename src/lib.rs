//! dlint: a Dockerfile linter and rewriter.
//!
//! Layers, top to bottom: [`syntax`] (lossless BuildKit-conformant parser), [`shell`] (RUN
//! bodies as commands), [`semantic`] (the stage graph), then rules, fixes and outputs.

<<<<<<< HEAD
pub mod fix;
pub mod rules;
pub mod semantic;
pub mod shell;
pub mod syntax;

/// Where rule documentation lives; every diagnostic links to its rule's page.
pub const DOCS_BASE_URL: &str = "https://github.com/dlint-dev/dlint/blob/main/docs";
=======
pub mod knowledge;
pub mod semantic;
pub mod syntax;
>>>>>>> knowledge
