//! Semantic layer: the stage graph. (Stub until the semantic work lands.)

use crate::syntax::Parse;

#[derive(Debug, Clone, Default)]
pub struct Model {}

impl Model {
    /// Builds the stage graph. `target` names the runtime stage (`--target`); `None` means
    /// the last stage.
    pub fn build(_parse: &Parse, _target: Option<&str>) -> Model {
        Model::default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    Text,
    Json,
    Dot,
    Mermaid,
}

/// Renders the graph for `dlint graph`.
pub fn render_graph(_model: &Model, _format: GraphFormat) -> String {
    String::new()
}
