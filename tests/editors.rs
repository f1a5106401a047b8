//! The editor setups under editors/ are well-formed and start `dlint server`. (Neovim's is
//! also run for real by tests/nvim_e2e.rs; the VS Code extension is compiled by .ci/run.)

use std::path::Path;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn helix_languages_toml_adds_the_server_to_dockerfiles() {
    let config: toml::Value = toml::from_str(&read("editors/helix/languages.toml")).unwrap();
    let server = &config["language-server"]["dlint"];
    assert_eq!(server["command"].as_str(), Some("dlint"));
    assert_eq!(server["args"], toml::Value::Array(vec!["server".into()]));
    let languages = config["language"].as_array().unwrap();
    let dockerfile = languages
        .iter()
        .find(|l| l["name"].as_str() == Some("dockerfile"))
        .expect("a dockerfile entry");
    let servers = dockerfile["language-servers"].as_array().unwrap();
    assert!(servers.iter().any(|s| s.as_str() == Some("dlint")));
}

#[test]
fn vscode_extension_manifest_starts_the_server() {
    let manifest: serde_json::Value =
        serde_json::from_str(&read("editors/vscode/package.json")).unwrap();
    assert_eq!(manifest["main"], "./out/extension.js");
    assert!(manifest["dependencies"]["vscode-languageclient"].is_string());
    assert!(manifest["activationEvents"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e == "onLanguage:dockerfile"));
    let lock: serde_json::Value =
        serde_json::from_str(&read("editors/vscode/package-lock.json")).unwrap();
    assert_eq!(
        lock["packages"][""]["dependencies"],
        manifest["dependencies"]
    );
    let source = read("editors/vscode/src/extension.ts");
    assert!(source.contains(r#"const args = ["server"];"#), "{source}");
    // The settings the extension turns into `dlint server` options, and the bundled binary.
    let settings = &manifest["contributes"]["configuration"]["properties"];
    for setting in ["dlint.path", "dlint.configPath", "dlint.shellcheck", "dlint.extraArgs"] {
        assert!(settings[setting].is_object(), "{setting}");
    }
    assert!(source.contains(r#"args.push("--config", settings.configPath)"#));
    assert!(source.contains(r#"args.push("--shellcheck", settings.shellcheck)"#));
    assert!(source.contains(r#"path.join(extensionPath, "bin""#));
    assert!(read("editors/vscode/LICENSE").contains("MIT"));
    let ignored = read("editors/vscode/.vscodeignore");
    assert!(ignored.lines().any(|l| l == "src/**"), "{ignored}");
    assert!(!ignored.lines().any(|l| l.starts_with("bin")), "the binary is packaged");
    assert!(read("editors/vscode/scripts/package.sh").contains("cp \"$binary\" bin/dlint"));
}

#[test]
fn the_server_accepts_the_options_the_vscode_settings_give_it() {
    // What vscode-languageclient runs: `dlint server --config … --shellcheck never --stdio`.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_dlint"))
        .args(["server", "--config", "x.toml", "--shellcheck", "never", "--stdio", "--help"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
}

#[test]
fn neovim_configs_start_the_server() {
    for file in ["editors/nvim/lsp/dlint.lua", "editors/nvim/lspconfig.lua"] {
        let text = read(file);
        assert!(text.contains("cmd = { 'dlint', 'server' }"), "{file}");
        assert!(text.contains("filetypes = { 'dockerfile' }"), "{file}");
    }
    assert!(read("editors/nvim/fix-on-save.lua").contains("source.fixAll.dlint"));
}

#[test]
fn every_editor_has_a_readme_saying_how_to_install() {
    for editor in ["vscode", "nvim", "helix"] {
        let readme = read(&format!("editors/{editor}/README.md"));
        assert!(readme.to_lowercase().contains("install"), "{editor}");
    }
}
