//! Libc compatibility on musl (Alpine): native packages, glibc-only downloads, compilers.

pub(crate) mod common;

pub mod musl001;
pub mod musl002;
pub mod musl003;
pub mod musl004;
