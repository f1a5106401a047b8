//! Converts the knowledge base (`rules/*.toml`) to JSON at build time: the binary embeds the
//! JSON, which parses several times faster than the TOML, and a one-file run pays for it on
//! every start. A TOML error here is left for the runtime parse (and `cargo test --test
//! knowledge`) to report with its context, so the build itself never fails on data.

use std::path::Path;

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for name in ["images", "packages"] {
        let source = format!("rules/{name}.toml");
        println!("cargo:rerun-if-changed={source}");
        let text = std::fs::read_to_string(&source).unwrap_or_default();
        // `null` makes the runtime fall back to parsing the embedded TOML, which reports the error.
        let json = toml::from_str::<toml::Value>(&text)
            .ok()
            .and_then(|value| serde_json::to_string(&value).ok())
            .unwrap_or_else(|| "null".to_string());
        let target = Path::new(&out_dir).join(format!("{name}.json"));
        std::fs::write(&target, json).expect("OUT_DIR is writable");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
