//! Semantic layer: the stage graph. (Stub until the semantic work lands.)

use crate::syntax::Parse;

#[derive(Debug, Clone, Default)]
pub struct Model {}

impl Model {
    /// Stage index of the instruction at `index` (None before the first FROM).
    pub fn stage_of(&self, _index: usize) -> Option<usize> {
        Some(0)
    }
    pub fn ships(&self, _stage: usize) -> bool {
        true
    }
    pub fn posix_shell_at(&self, _index: usize) -> bool {
        true
    }
    pub fn cache_mount_targets(&self, _index: usize) -> Vec<String> {
        Vec::new()
    }
    pub fn env_is_set(&self, _index: usize, _name: &str) -> bool {
        false
    }

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
