//! Semantic layer: the stage graph of a Dockerfile, as BuildKit builds it.
//!
//! From the syntax tree it derives the stages (name, base image or parent stage, platform,
//! instructions), the edges between them (`FROM <stage>`, `COPY --from`, `RUN --mount=from`),
//! the runtime stage and what it reaches, and the state every instruction runs in: ARG/ENV
//! variables with their values where known, USER, WORKDIR and SHELL.
//!
//! Values are never guessed. An ARG without a default, a variable only the base image
//! defines, or an expansion BuildKit would reject leaves the value unknown (`None`), and
//! what is certain around it is kept (see [`RefParts`]).
//!
//! Building is near-linear in the size of the file: stage names are looked up in a map, scopes
//! are persistent maps shared between instructions, and graph walks are iterative.
//!
//! Each stage's purpose (application, base image, toolchain …) is read in `purpose.rs`.
//!
//! Knows nothing of rules, LSP or output formats other than the graph renderings.

mod build;
mod expand;
mod grammar;
mod graph;
mod image_ref;
mod model;
mod mounts;
mod paths;
mod pattern;
mod pmap;
mod purpose;
mod render;
mod scope;

use std::collections::BTreeMap;

use crate::syntax::Parse;

pub use expand::{expand, expand_known, expand_raw, Env, ExpandError, Expanded, Lookup};
pub use image_ref::{ImageRef, RefParts, DOCKER_HUB};
pub use model::{
    Base, Edge, EdgeKind, Model, Reference, Resolved, Source, Stage, State, DEFAULT_SHELL,
};
pub use mounts::{csv_error, csv_fields, Mount, MountKind};
pub use paths::clean_path;
pub use purpose::{
    classify as classify_purposes, pragma_errors as purpose_pragma_errors, purpose_pragma, Purpose,
    PurposeInput, PurposePragmaError, PurposeSource, Purposes, StagePurpose,
};
pub use render::{graph_json, render_graph, render_graph_with_purposes, GraphFormat};
pub use scope::{ExpansionBudget, Scope, Var, VarKind, VarValue, HADOLINT_PROXY_ARGS, PROXY_ARGS};

impl Model {
    /// Builds the stage graph. `target` names the runtime stage (`--target`); `None` means
    /// the last stage.
    pub fn build(parse: &Parse, target: Option<&str>) -> Model {
        build::build_model(parse, target, &BTreeMap::new())
    }

    /// Builds the stage graph with `--build-arg` values: they override ARG defaults (global
    /// and per stage) and give values to ARGs declared without one.
    pub fn build_with_args(
        parse: &Parse,
        target: Option<&str>,
        build_args: &BTreeMap<String, String>,
    ) -> Model {
        build::build_model(parse, target, build_args)
    }
}
