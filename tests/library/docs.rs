//! `docs/rules/CODE.md` are generated from the rules' doc comments; this test keeps them in
//! sync. The one update switch for everything generated from the rules, snapshots and rule
//! pages alike, is insta's: `INSTA_UPDATE=always cargo test` rewrites them.

use std::path::Path;

use dlint::rules::{all_rules, docs::rule_page};

#[test]
fn rule_pages_match_the_doc_comments() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let update = std::env::var("INSTA_UPDATE").is_ok_and(|v| v == "always");
    if update {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let mut stale = Vec::new();
    for rule in all_rules() {
        let meta = rule.meta();
        let path = dir.join(format!("{}.md", meta.code));
        let page = rule_page(meta);
        if update {
            std::fs::write(&path, &page).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(page.as_str()) {
            stale.push(meta.code);
        }
    }
    assert!(
        stale.is_empty(),
        "stale rule pages (regenerate with INSTA_UPDATE=always cargo test --test docs): {stale:?}"
    );
}

/// The README is a front page (what, install, usage, integrations, links); long material
/// lives in `docs/`, and every page it links to exists.
#[test]
fn the_readme_is_a_front_page_whose_links_resolve() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let lines = readme.lines().count();
    assert!(
        lines < 250,
        "README.md has {lines} lines: move details to docs/"
    );
    let mut missing = Vec::new();
    for (start, _) in readme.match_indices("](") {
        let target = &readme[start + 2..];
        let target = &target[..target.find(')').unwrap_or(target.len())];
        if target.contains("://") || target.starts_with('#') {
            continue;
        }
        if !root.join(target).exists() {
            missing.push(target.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "README links to missing files: {missing:?}"
    );
}

/// ARCHITECTURE.md's "Layers" list holds: a top-level module of `src/` names (`crate::module`)
/// only modules of lower layers, so the modules import one another without cycles.
#[test]
fn modules_import_only_lower_layers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let architecture = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let layers = stated_layers(&architecture);
    assert!(layers.len() > 3, "ARCHITECTURE.md has no `## Layers` list");
    let layer_of = |module: &str| {
        layers
            .iter()
            .position(|layer| layer.iter().any(|m| m == module))
    };
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    let modules: Vec<&str> = lib
        .lines()
        .filter_map(|line| line.strip_prefix("pub mod ")?.strip_suffix(';'))
        .collect();
    let unplaced: Vec<&&str> = modules.iter().filter(|m| layer_of(m).is_none()).collect();
    assert!(
        unplaced.is_empty(),
        "modules in no layer of ARCHITECTURE.md: {unplaced:?}"
    );

    let mut wrong = Vec::new();
    for file in rust_files(&root.join("src")) {
        let relative = file.strip_prefix(root.join("src")).unwrap();
        let first = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs");
        let Some(own) = layer_of(module) else {
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap();
        for used in crate_paths(&text) {
            if used == module || !modules.contains(&used.as_str()) {
                continue;
            }
            if layer_of(&used).is_some_and(|layer| layer >= own) {
                wrong.push(format!("{} uses crate::{used}", relative.display()));
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

/// The numbered list under `## Layers`, lowest first: `1. syntax, knowledge, …`, each name in
/// backticks.
fn stated_layers(architecture: &str) -> Vec<Vec<String>> {
    let Some(start) = architecture.find("\n## Layers") else {
        return Vec::new();
    };
    let section = &architecture[start + 1..];
    let section = &section[..section[3..]
        .find("\n## ")
        .map_or(section.len(), |end| end + 3)];
    section
        .lines()
        .filter(|line| {
            line.split_once(". ")
                .is_some_and(|(n, _)| n.parse::<u32>().is_ok())
        })
        .map(|line| {
            let names = line.split_once(':').map_or(line, |(names, _)| names);
            names
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// The top-level modules a file names as `crate::module` or in `crate::{a, b::c}`, outside
/// comments.
fn crate_paths(text: &str) -> Vec<String> {
    let code: String = text
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let Some(group) = rest.strip_prefix('{') else {
            found.push(identifier(rest));
            continue;
        };
        // The names at the group's top level: `a` and `d` in `{a::{b, c}, d}`.
        let (mut depth, mut item_start) = (0, true);
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => item_start = true,
                c if item_start && !c.is_whitespace() => {
                    found.push(identifier(&group[i..]));
                    item_start = false;
                }
                _ => {}
            }
        }
    }
    found
}

fn identifier(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}
