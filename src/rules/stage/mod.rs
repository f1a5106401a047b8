//! Stage structure: hadolint's `COPY --from` and stage-name rules and dlint's `STG` rules.

pub(crate) mod common;

pub mod copy_from_own_stage;
pub mod copy_from_unknown_stage;
pub mod copy_whole_filesystem;
pub mod duplicate_stage_name;
pub mod toolchain_in_runtime_stage;
pub mod unused_stage;
