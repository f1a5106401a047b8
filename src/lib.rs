//! dlint: a Dockerfile linter and rewriter.
//!
//! Layers, top to bottom: [`syntax`] (lossless BuildKit-conformant parser), [`shell`] (RUN
//! bodies as commands), [`semantic`] (the stage graph), then [`rules`] and [`fix`], with the
//! image and package facts in [`knowledge`].

/// Embeds a file `build.rs` wrote to `OUT_DIR`. `build.rs` compiles the `knowledge` module
/// too, to build the data it embeds, and defines an empty stand-in of this macro for it.
macro_rules! include_out_dir {
    (str $file:literal) => {
        include_str!(concat!(env!("OUT_DIR"), "/", $file))
    };
    (bytes $file:literal) => {
        include_bytes!(concat!(env!("OUT_DIR"), "/", $file))
    };
}

pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod edit_distance;
pub mod fix;
pub mod knowledge;
pub mod line_index;
pub mod linter;
pub mod lsp;
pub mod project;
pub mod regular_file;
pub mod render;
pub mod rules;
pub mod semantic;
pub mod shell;
pub mod syntax;

/// The project's home, named by machine outputs (SARIF, rdjson) as the tool's address.
pub const REPOSITORY_URL: &str = "https://github.com/dlint-dev/dlint";

/// Where rule documentation lives; every diagnostic links to its rule's page.
pub const DOCS_BASE_URL: &str = "https://github.com/dlint-dev/dlint/blob/main/docs";
