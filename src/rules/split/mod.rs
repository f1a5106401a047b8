//! Stage structure: a runtime stage that builds (`STG001`) and the multi-stage split that
//! fixes it.
//!
//! `build_in_runtime_stage.rs` (STG001) finds the build and picks a recipe; one file per language recipe (`go.rs`,
//! `rust.rs`, `node.rs`, `python.rs`, `java.rs`, `c_make.rs` with `c_cmake.rs`, `c_direct.rs` for a direct `gcc` call) decides whether it can rewrite the file and
//! how (Go's `go_install.rs`, `go_cgo.rs` and `go_files.rs` say where `go install` puts the
//! binary, what cgo needs at run time, and which files the runtime stage carries; Python's `python_distro_venv.rs`
//! splits a venv made with a distribution's own Python, and `system_runs.rs` repeats the RUNs
//! that install runtime packages without their build packages); `rewrite.rs` holds what they share (the single stage, the safety checks, the edits
//! that name the builder and append the runtime stage).

pub mod build_in_runtime_stage;
mod c_cmake;
mod c_direct;
mod c_make;
mod go;
mod go_cgo;
mod go_files;
mod go_install;
mod java;
mod java_classes;
mod moving_tags;
mod node;
mod python;
mod python_build_deps;
mod python_distro_venv;
mod rewrite;
mod rust;
mod system_runs;
