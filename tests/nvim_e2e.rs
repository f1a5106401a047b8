//! End to end with a real editor: headless Neovim runs `dlint server` on a Dockerfile
//! (tests/e2e/nvim_lsp.lua), receives the same diagnostics as `dlint check`, hovers, completes,
//! lists the stages, applies a quick fix and fix-all, sees a `dlint.toml` written on disk take
//! effect, and the server exits with 0 after shutdown. On Neovim 0.11+ the configuration shipped in
//! editors/nvim is the one in use (`lsp/dlint.lua` and `fix-on-save.lua`).
//!
//! Uses `nvim` from PATH, or every binary listed in `DLINT_NVIM` (separated by the platform's
//! PATH separator), so that both the pushed (Neovim < 0.10) and the pulled (0.10+)
//! diagnostics paths can run. Skips with a message when there is no Neovim.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const DOCKERFILE: &str = "FROM ubuntu\n\
RUN apt-get update && apt-get install -y curl\n\
RUN echo \"café 😀\" && pip install flask\n";

fn neovims() -> Vec<PathBuf> {
    if let Some(list) = std::env::var_os("DLINT_NVIM") {
        return std::env::split_paths(&list)
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(if cfg!(windows) { "nvim.exe" } else { "nvim" }))
        .find(|candidate| candidate.is_file())
        .into_iter()
        .collect()
}

/// Runs the Lua driver under one Neovim and returns what it saw.
fn drive(nvim: &Path) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Dockerfile");
    std::fs::write(&file, DOCKERFILE).unwrap();
    let out = dir.path().join("seen.json");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/nvim_lsp.lua");
    let mut child = Command::new(nvim)
        .args(["--headless", "--clean", "-n", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("DLINT_BIN", env!("CARGO_BIN_EXE_dlint"))
        // ShellCheck's findings arrive in a second update: left out, for one comparable set.
        .env("DLINT_SHELLCHECK", "/nonexistent/shellcheck")
        .env("LSP_FILE", &file)
        .env("LSP_OUT", &out)
        .env("LSP_TIMEOUT_MS", "30000")
        .env(
            "DLINT_NVIM_CONFIG",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/nvim"),
        )
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {}: {e}", nvim.display()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(180) {
            let _ = child.kill();
            panic!("{} did not finish within 180 s", nvim.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        use std::io::Read;
        let _ = pipe.read_to_string(&mut stderr);
    }
    let seen = std::fs::read_to_string(&out).unwrap_or_else(|e| {
        panic!(
            "{} wrote no result ({e}); status {status}, stderr:\n{stderr}",
            nvim.display()
        )
    });
    assert!(
        status.success(),
        "{}: status {status}\n{seen}\n{stderr}",
        nvim.display()
    );
    serde_json::from_str(&seen).unwrap()
}

/// What `dlint check --format json` reports for the same file: (code, 0-based line, 0-based
/// byte column), as Neovim counts them.
fn cli_findings() -> Vec<(String, u64, u64)> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Dockerfile");
    std::fs::write(&file, DOCKERFILE).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_dlint"))
        .args(["check", "--format", "json", "--shellcheck", "never"])
        .arg(&file)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut findings: Vec<(String, u64, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let line = f["range"]["start"]["line"].as_u64().unwrap() - 1;
            let column = f["range"]["start"]["column"].as_u64().unwrap() as usize - 1;
            let text = DOCKERFILE.lines().nth(line as usize).unwrap();
            let byte = text
                .char_indices()
                .nth(column)
                .map_or(text.len(), |(at, _)| at);
            (f["code"].as_str().unwrap().to_string(), line, byte as u64)
        })
        .collect();
    findings.sort();
    findings
}

fn editor_findings(list: &Value) -> Vec<(String, u64, u64)> {
    let mut findings: Vec<(String, u64, u64)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let code = d["code"].as_str().unwrap().to_string();
            (
                code,
                d["lnum"].as_u64().unwrap(),
                d["col"].as_u64().unwrap(),
            )
        })
        .collect();
    findings.sort();
    findings
}

/// (major, minor) of a "0.11.4" version.
fn version(seen: &Value) -> (u64, u64) {
    let text = seen["nvim_version"].as_str().unwrap();
    let mut parts = text.split('.').map(|p| p.parse::<u64>().unwrap());
    (parts.next().unwrap(), parts.next().unwrap())
}

/// The diagnostics' codes, sorted: Neovim orders diagnostics on one line its own way.
fn codes(list: &Value) -> Vec<String> {
    let mut codes: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes
}

#[test]
fn neovim_receives_diagnostics_applies_fixes_and_the_server_exits() {
    let neovims = neovims();
    if neovims.is_empty() {
        eprintln!("skipping: no Neovim (no `nvim` on PATH, and DLINT_NVIM names none)");
        return;
    }
    for nvim in neovims {
        let seen = drive(&nvim);
        let context = format!("{}: {seen:#}", nvim.display());
        assert_eq!(seen["initialized"], true, "{context}");
        // The server offers pull diagnostics only to clients that can be asked to pull again
        // (Neovim 0.11 pulls, but takes no `workspace/diagnostic/refresh`): Neovim gets them
        // pushed, and sees ShellCheck's and a configuration change's without an edit.
        let offered_pull = seen["server_capabilities"]["diagnosticProvider"].is_object();
        let expected = if offered_pull { "pull" } else { "push" };
        assert_eq!(seen["transport"], expected, "{context}");

        assert_eq!(
            codes(&seen["diagnostics"]),
            ["DL3006", "DL3008", "DL3009", "DL3013", "DL3015", "DL3042"],
            "{context}"
        );
        // The same findings at the same places as the command line.
        assert_eq!(
            editor_findings(&seen["diagnostics"]),
            cli_findings(),
            "{context}"
        );
        // Neovim columns are bytes: the server's UTF-16 or UTF-8 columns were exact.
        let pip = seen["diagnostics"]
            .as_array()
            .and_then(|d| d.iter().find(|d| d["code"] == "DL3042"))
            .expect("DL3042 is reported");
        let line = DOCKERFILE.lines().nth(2).unwrap();
        assert_eq!(pip["lnum"], 2, "{context}");
        assert_eq!(pip["col"], line.find("pip").unwrap(), "{context}");
        assert_eq!(pip["end_col"], line.len(), "{context}");
        assert_eq!(pip["source"], "dlint", "{context}");

        let hover = seen["hover"]["contents"]["value"].as_str().unwrap_or("");
        assert!(hover.contains("## What it does"), "{context}");
        let keyword = seen["keyword_hover"]["contents"]["value"]
            .as_str()
            .unwrap_or("");
        assert!(keyword.contains("**FROM**"), "{context}");
        assert_eq!(seen["symbols"][0]["name"], "stage 0", "{context}");
        let completion = seen["completion"].as_array().expect("completion items");
        assert!(completion.iter().any(|i| i["label"] == "RUN"), "{context}");

        assert_eq!(
            seen["quick_fix_titles"],
            serde_json::json!([
                "Fix DL3042: Add `--no-cache-dir`",
                "Ignore DL3013 for this instruction",
                "Ignore DL3042 for this instruction"
            ]),
            "{context}"
        );
        let after_fix = seen["after_quick_fix"].as_str().unwrap();
        assert!(
            after_fix.contains("RUN echo \"café 😀\" && pip install --no-cache-dir flask"),
            "{context}"
        );
        assert_eq!(seen["diagnostics_follow_quick_fix"], true, "{context}");
        assert!(!codes(&seen["diagnostics_after_quick_fix"]).contains(&"DL3042".to_string()));

        let after_all = seen["after_fix_all"].as_str().unwrap();
        assert!(
            after_all.contains("&& rm -rf /var/lib/apt/lists/*"),
            "{context}"
        );
        assert!(!after_all.contains("--no-install-recommends"), "{context}");
        assert_eq!(seen["diagnostics_follow_fix_all"], true, "{context}");
        if version(&seen) >= (0, 11) {
            // The shipped editors/nvim config was the one in use, and its fix-on-save ran.
            assert_eq!(seen["shipped_config"], true, "{context}");
            let written = seen["written_file"].as_str().unwrap();
            assert_eq!(written.trim_end(), after_all.trim_end(), "{context}");
        }

        assert_eq!(seen["config_change_applied"], true, "{context}");
        assert_eq!(seen["server_exit"]["code"], 0, "{context}");
        eprintln!(
            "neovim {} ({}): diagnostics {}, quick fix and fix-all applied, server exited 0",
            seen["nvim_version"], seen["offset_encoding"], seen["transport"]
        );
    }
}
