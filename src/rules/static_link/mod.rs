//! Static linking for scratch and distroless static runtimes.

pub(crate) mod common;

pub mod dynamic_binary_in_static_runtime;
pub mod minimal_runtime_missing;
