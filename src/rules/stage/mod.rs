//! Stage structure: hadolint's `COPY --from` and stage-name rules and dlint's `STG` rules.

pub(crate) mod common;

pub mod dl3022;
pub mod dl3023;
pub mod dl3024;
pub mod dl3067;
pub mod stg002;
pub mod stg003;
