//! What the C/C++ split reads from CMake: whether a `cmake` command installs, and the
//! libraries `target_link_libraries` links, as `-l` names (imported targets such as
//! `CURL::libcurl` through `rules/packages.toml`).

use crate::knowledge::packages;
use crate::shell::CommandView;

/// CMake constructs that bring in libraries or build files dlint does not read.
const OPAQUE: &[&str] = &[
    "pkg_check_modules",
    "pkg_search_module",
    "add_subdirectory",
    "include(",
    "FetchContent",
    "ExternalProject",
    "$<",
];

/// Whether a `cmake` command installs (`cmake --install build`); `Err` for script and tool
/// modes, whose effects dlint does not follow.
pub(super) fn installs(view: &CommandView<'_>) -> Result<bool, String> {
    let mut install = false;
    for word in view.args() {
        match word.text() {
            "--install" => install = true,
            mode @ ("-P" | "-E" | "--workflow") => {
                return Err(format!(
                    "`cmake {mode}` runs something dlint does not follow"
                ))
            }
            _ => {}
        }
    }
    Ok(install)
}

/// The `-l` names CMakeLists.txt links: every `target_link_libraries` item that is not the
/// target, a scope keyword or a library the project builds itself.
pub(super) fn libraries(cmake: &str) -> Result<Vec<String>, String> {
    // GNUInstallDirs only names the install directories.
    let text = strip_comments(cmake).replace("include(GNUInstallDirs)", "");
    if let Some(opaque) = OPAQUE.iter().find(|o| text.contains(*o)) {
        return Err(format!(
            "CMakeLists.txt uses `{opaque}`: the libraries it links are unknown"
        ));
    }
    let own: Vec<String> = calls(&text, "add_library")
        .into_iter()
        .filter_map(|args| args.first().cloned())
        .collect();
    if calls(&text, "add_library")
        .iter()
        .any(|args| args.iter().any(|a| a == "SHARED" || a == "MODULE"))
    {
        return Err("CMakeLists.txt builds a shared library of its own".into());
    }
    let mut found = Vec::new();
    for args in calls(&text, "target_link_libraries") {
        for item in args.iter().skip(1) {
            if matches!(item.as_str(), "PRIVATE" | "PUBLIC" | "INTERFACE") || own.contains(item) {
                continue;
            }
            let name = if let Some(flag) = item.strip_prefix("-l") {
                flag.to_string()
            } else if item.contains("::") {
                packages()
                    .cmake_target_library(item)
                    .ok_or_else(|| format!("dlint does not know the imported target `{item}`"))?
                    .to_string()
            } else if item.contains('$') || item.contains('/') || item.contains('.') {
                return Err(format!(
                    "`target_link_libraries` names `{item}`, which dlint does not follow"
                ));
            } else {
                item.clone()
            };
            if !name.is_empty() && !found.contains(&name) {
                found.push(name);
            }
        }
    }
    Ok(found)
}

fn strip_comments(text: &str) -> String {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The arguments of every call to `command` (case-insensitive, unquoted words).
fn calls(text: &str, command: &str) -> Vec<Vec<String>> {
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find(command) {
        let start = from + at + command.len();
        from = start;
        let before = lower[..start - command.len()].chars().last();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let rest = text[start..].trim_start();
        let Some(body) = rest.strip_prefix('(') else {
            continue;
        };
        let Some(end) = body.find(')') else { break };
        out.push(
            body[..end]
                .split_whitespace()
                .map(|w| w.trim_matches('"').to_string())
                .collect(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::libraries;

    #[test]
    fn link_libraries() {
        let cmake = "cmake_minimum_required(VERSION 3.20)\nproject(app CXX)\n\
                     find_package(SQLite3 REQUIRED)\nadd_library(util STATIC util.cpp)\n\
                     add_executable(app main.cpp)\n\
                     target_link_libraries(app PRIVATE util SQLite::SQLite3 m) # the libraries\n";
        assert_eq!(
            libraries(cmake).unwrap(),
            vec!["sqlite3".to_string(), "m".into()]
        );
        assert!(libraries("target_link_libraries(app ${CURL_LIBRARIES})").is_err());
        assert!(libraries("target_link_libraries(app Foo::Bar)").is_err());
        assert!(libraries("pkg_check_modules(X REQUIRED x)\n").is_err());
        assert!(libraries("add_library(a SHARED a.c)\n").is_err());
    }
}
