//! Go with cgo: whether the program needs it (`CGO_ENABLED=1`, a module `rules/packages.toml`
//! lists, `import "C"`, `-dev` libraries installed for the build), and what a dynamically
//! linked binary needs on distroless (`base`, `cc` for C++, the libraries' shared objects).

use crate::knowledge::{packages, Libc, Suggestion, SuggestionKind};
use crate::rules::musl::common::{context_entries, read_context_file};

use super::go_install::go_mod;
use super::rewrite::{header_packages, Reason, Single};

/// How the program is built with cgo, when it is: why, and what the runtime stage needs.
pub(super) struct Cgo {
    /// Why the program needs cgo, for the message.
    pub why: String,
    /// Shared libraries to copy from the builder (paths in the multiarch library directory).
    pub libraries: Vec<String>,
    /// The program links libstdc++ (C++ through cgo): distroless `cc`, not `base`.
    pub cplusplus: bool,
}

/// The multiarch library directory of the FROM's platform (Debian's layout).
pub(super) fn library_dir(single: &Single<'_, '_>) -> Result<&'static str, Reason> {
    let platform = single.stage.platform.as_ref();
    match platform.map(|p| p.resolved.as_deref().unwrap_or(&p.raw)) {
        None | Some("linux/amd64") => Ok("/usr/lib/x86_64-linux-gnu"),
        Some("linux/arm64" | "linux/arm64/v8") => Ok("/usr/lib/aarch64-linux-gnu"),
        Some(other) => Err(format!(
            "no library directory is known for `--platform={other}`"
        )),
    }
}

/// The distroless image with glibc for a cgo binary: `base`, or `cc` for C++ (libstdc++).
pub(super) fn glibc_runtime(single: &Single<'_, '_>, cplusplus: bool) -> Result<String, Reason> {
    let glibc = single.info.minimal_alternatives().iter().filter(|s| {
        s.libc == Libc::Glibc
            && s.kind == SuggestionKind::Minimal
            && s.tag.as_deref() != Some("latest")
    });
    let is_cc = |s: &&Suggestion| {
        s.repository
            .rsplit('/')
            .next()
            .is_some_and(|n| n.starts_with("cc-"))
    };
    let found = if cplusplus {
        glibc.clone().find(is_cc)
    } else {
        glibc.clone().find(|s| !is_cc(s))
    };
    found.map(|s| s.reference()).ok_or_else(|| {
        format!(
            "the knowledge base names no distroless image with glibc{} for Go",
            if cplusplus { " and libstdc++" } else { "" }
        )
    })
}

/// Whether the program needs cgo: `forced` when the build turns it on, else a module of
/// `go.mod` that needs it, a `-dev` library installed for the build, or `import "C"` in the
/// Go files at the top of the context. With cgo, the `-dev` libraries' shared libraries are
/// looked up in the knowledge base (unknown ones: no rewrite). `Ok((None, Some(note)))`
/// when `go.mod` cannot be read (the note says to check).
pub(super) fn cgo_use(
    single: &Single<'_, '_>,
    forced: Option<&str>,
) -> Result<(Option<Cgo>, Option<String>), Reason> {
    let headers = header_packages(single);
    let ctx = single.ctx;
    let go_files: Vec<String> = context_entries(ctx, "")
        .unwrap_or_default()
        .iter()
        .filter(|(name, is_dir)| !is_dir && name.ends_with(".go"))
        .filter_map(|(name, _)| read_context_file(ctx, name))
        .collect();
    let go_mod = go_mod(single);
    let modules = go_mod
        .as_deref()
        .map(|m| packages().go_cgo_modules(m))
        .unwrap_or_default();
    let why = if let Some(forced) = forced {
        forced.to_string()
    } else if !modules.is_empty() {
        format!("`{}` needs cgo", modules.join("`, `"))
    } else if go_files.iter().any(|t| t.contains("import \"C\"")) {
        "a Go file imports \"C\" (cgo)".to_string()
    } else if !headers.is_empty() {
        format!(
            "the file installs `{}` for the build: the program likely uses cgo",
            headers.join(" ")
        )
    } else if go_mod.is_none() {
        return Ok((
            None,
            Some("`go.mod` not read: check the program needs no cgo".into()),
        ));
    } else {
        return Ok((None, None));
    };
    let dir = library_dir(single)?;
    let mut libraries = Vec::new();
    for header in &headers {
        let known = packages().go_cgo_runtime_libraries(header).ok_or_else(|| {
            format!(
                "{why}, and dlint does not know which shared libraries `{header}` needs at run \
                 time"
            )
        })?;
        libraries.extend(known.iter().map(|l| format!("{dir}/{l}")));
    }
    let cplusplus = go_files.iter().any(|t| t.contains("-lstdc++"))
        || context_entries(ctx, "")
            .unwrap_or_default()
            .iter()
            .any(|(name, is_dir)| {
                !is_dir && [".cc", ".cpp", ".cxx"].iter().any(|e| name.ends_with(e))
            });
    Ok((
        Some(Cgo {
            why,
            libraries,
            cplusplus,
        }),
        None,
    ))
}
