//! Static linking for scratch and distroless static runtimes.

pub(crate) mod common;

pub mod stat001;
pub mod stat002;
