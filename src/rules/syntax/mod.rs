//! Problems that make the file unparseable (DL1000) or that `docker build` rejects once it
//! parsed (`REJ001`…, one file per class of rejection; `reject.rs` holds what they share),
//! and files past what dlint analyses (`LIM001`…: hostile sizes and depths).

pub mod expansion_too_large;
pub mod invalid_arguments;
pub mod invalid_check_directive;
pub mod invalid_copy_source;
pub mod invalid_exposed_port;
pub mod invalid_flag;
pub mod invalid_image_reference;
pub mod invalid_mount;
pub mod invalid_stage_reference;
pub mod invalid_stop_signal;
pub mod invalid_substitution;
pub mod invalid_syntax;
pub mod nesting_too_deep;
mod reject;
pub mod unknown_instruction;
