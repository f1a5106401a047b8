//! Semantic layer: the stage graph. Stages with their base image (ARG-resolved) or parent
//! stage, the edges between stages (`FROM <stage>`, `COPY --from`, `RUN --mount=from`), the
//! runtime stage and what it reaches, and the ENV/ARG/USER/SHELL/WORKDIR in force at each
//! instruction.
//!
//! Knows nothing of rules or output formats (beyond `dlint graph`'s renderings).

mod expand;
mod image_ref;
mod model;
mod mounts;
mod render;

pub use expand::{expand, Scope};
pub use image_ref::ImageRef;
pub use model::{Base, Edge, EdgeKind, ExternalSource, Model, Stage, State};
pub use mounts::Mount;
pub use render::{graph_json, render_graph, GraphFormat};
