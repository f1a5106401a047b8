//! Builds the knowledge base at compile time, so that a start pays only for decoding it.
//!
//! - `rules/images.toml` is built with the crate's own `knowledge` module (compiled into this
//!   script below): entries resolved, indexes made, sources and templates checked; the
//!   finished [`Knowledge`](knowledge::Knowledge) is stored with postcard in `images.bin`, the
//!   entries as written (which only `[images]` overrides need) in `images-raw.bin`.
//! - `rules/packages.toml` is converted to JSON, which parses several times faster than TOML.
//!
//! A TOML error here leaves the output empty (`null` for JSON) and is left for the runtime
//! parse (and `cargo test --test library knowledge::`) to report with its context, so the build itself
//! never fails on data.

use std::path::Path;

/// The data this script makes does not exist yet while it is compiled: `knowledge` sees an
/// empty stand-in (it falls back to parsing the TOML, which this script never asks it to).
macro_rules! include_out_dir {
    (str $file:literal) => {
        "null"
    };
    (bytes $file:literal) => {
        &[]
    };
}

// The script uses only the builder; the rest of the module is there because the builder's
// types live in it.
#[allow(dead_code, unused_imports)]
#[path = "src/knowledge/mod.rs"]
mod knowledge;

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = |name: &str, bytes: &[u8]| {
        std::fs::write(Path::new(&out_dir).join(name), bytes).expect("OUT_DIR is writable");
    };

    let images = read("rules/images.toml");
    let (finished, raw_entries) = knowledge::Knowledge::from_toml_str(&images)
        .ok()
        .and_then(|knowledge| knowledge.to_embedded())
        .unwrap_or_default();
    out("images.bin", &finished);
    out("images-raw.bin", &raw_entries);

    let packages = read("rules/packages.toml");
    // `null` makes the runtime fall back to parsing the embedded TOML, which reports the error.
    let json = toml::from_str::<toml::Value>(&packages)
        .ok()
        .and_then(|value| serde_json::to_string(&value).ok())
        .unwrap_or_else(|| "null".to_string());
    out("packages.json", json.as_bytes());

    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/knowledge");
}

fn read(path: &str) -> String {
    println!("cargo:rerun-if-changed={path}");
    std::fs::read_to_string(path).unwrap_or_default()
}
