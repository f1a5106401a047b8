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
    for setting in [
        "dlint.path",
        "dlint.configPath",
        "dlint.shellcheck",
        "dlint.extraArgs",
    ] {
        assert!(settings[setting].is_object(), "{setting}");
    }
    assert!(source.contains(r#"args.push("--config", settings.configPath)"#));
    assert!(source.contains(r#"args.push("--shellcheck", settings.shellcheck)"#));
    assert!(source.contains(r#"path.join(extensionPath, "bin""#));
    assert!(read("editors/vscode/LICENSE").contains("MIT"));
    let ignored = read("editors/vscode/.vscodeignore");
    assert!(ignored.lines().any(|l| l == "src/**"), "{ignored}");
    assert!(
        !ignored.lines().any(|l| l.starts_with("bin")),
        "the binary is packaged"
    );
    assert!(read("editors/vscode/scripts/package.sh").contains("cp \"$binary\" bin/dlint"));
}

#[test]
fn the_server_accepts_the_options_the_vscode_settings_give_it() {
    // What vscode-languageclient runs: `dlint server --config … --shellcheck never --stdio`.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_dlint"))
        .args([
            "server",
            "--config",
            "x.toml",
            "--shellcheck",
            "never",
            "--stdio",
            "--help",
        ])
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

/// Emacs with eglot drives `dlint server` (tests/e2e/eglot_lsp.el): the same findings as the
/// command line, hover, the preferred quick fix, `source.fixAll` as eglot asks for it, a
/// dlint.toml written on disk taking effect, exit 0 after shutdown. Skips, saying so, without
/// an `emacs` whose eglot loads (Emacs 29+, or Debian's `elpa-eglot` for Emacs 28).
#[test]
fn emacs_eglot_shows_the_cli_findings_and_applies_fixes() {
    use std::process::Command;
    let emacs = std::env::var("DLINT_EMACS").unwrap_or_else(|_| "emacs".into());
    let loads = Command::new(&emacs)
        .args([
            "--batch",
            "--eval",
            "(progn (require 'package) (package-initialize) (require 'eglot))",
        ])
        .output();
    if !loads.is_ok_and(|o| o.status.success()) {
        eprintln!("skipping: no `{emacs}` with eglot (install emacs and elpa-eglot)");
        return;
    }
    let dockerfile = "FROM ubuntu\nRUN apt-get update && apt-get install -y curl\nRUN echo \"café 😀\" && pip install flask\n";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Dockerfile");
    std::fs::write(&file, dockerfile).unwrap();
    // What the command line reports, before Emacs saves its fixes.
    let cli = Command::new(env!("CARGO_BIN_EXE_dlint"))
        .args(["check", "--format", "json", "--shellcheck", "never"])
        .arg(&file)
        .output()
        .unwrap();
    let cli: serde_json::Value = serde_json::from_slice(&cli.stdout).unwrap();
    let mut cli_codes: Vec<&str> = cli["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    cli_codes.sort();
    cli_codes.dedup();
    let out = dir.path().join("seen.json");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/eglot_lsp.el");
    let run = Command::new(&emacs)
        .arg("--batch")
        .arg("-l")
        .arg(&script)
        .env("DLINT_BIN", env!("CARGO_BIN_EXE_dlint"))
        .env("DLINT_SHELLCHECK", "/nonexistent/shellcheck")
        .env("LSP_FILE", &file)
        .env("LSP_OUT", &out)
        .env("LSP_TIMEOUT_MS", "60000")
        .current_dir(dir.path())
        .output()
        .unwrap();
    let seen = std::fs::read_to_string(&out)
        .unwrap_or_else(|e| panic!("no result ({e}): {}", String::from_utf8_lossy(&run.stderr)));
    let seen: serde_json::Value = serde_json::from_str(&seen).unwrap();
    let context = format!("{seen:#}");
    assert!(seen.get("error").is_none(), "{context}");

    assert_eq!(seen["codes"], serde_json::json!(cli_codes), "{context}");

    assert!(
        seen["keyword_hover"].as_str().unwrap().contains("**FROM**"),
        "{context}"
    );
    assert!(
        seen["rule_hover"]
            .as_str()
            .unwrap()
            .contains("## What it does"),
        "{context}"
    );
    let after_fix = seen["after_quick_fix"].as_str().unwrap();
    assert!(
        after_fix.contains("pip install --no-cache-dir flask"),
        "{context}"
    );
    assert_eq!(seen["quick_fix_followed"], true, "{context}");
    let after_all = seen["after_fix_all"].as_str().unwrap();
    assert!(
        after_all.contains("&& rm -rf /var/lib/apt/lists/*"),
        "{context}"
    );
    assert!(!after_all.contains("--no-install-recommends"), "{context}");
    assert_eq!(seen["fix_all_followed"], true, "{context}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), after_all, "saved");
    assert_eq!(seen["config_change_applied"], true, "{context}");
    assert_eq!(seen["server_exit"], 0, "{context}");
    eprintln!(
        "emacs {} with {}: findings as the CLI, hover, quick fix, fix-all, config change, exit 0",
        seen["emacs_version"], seen["eglot_version"]
    );
}
