//! Libc compatibility on musl (Alpine): native packages, glibc-only downloads, compilers.

pub(crate) mod common;

pub mod musl_compilers_for_packages;
pub mod musl_glibc_download;
pub mod musl_node_native_module;
pub mod musl_python_native_package;
