//! C/C++ built with `make` or CMake on a Debian image: the program is copied into the
//! `-slim` image of the same Debian release, with the runtime packages of the libraries the
//! build links.
//!
//! What the program is and where it lands:
//! - a path in ENTRYPOINT/CMD (`./server`, `/usr/src/app/build/server`) inside the directory
//!   the build runs in: that file;
//! - a bare name installed by `make install`: when every install line of the Makefile writes
//!   below `$(DESTDIR)`, the install goes to `/out` (`make install DESTDIR=/out`) and the
//!   whole installed tree is copied; otherwise the Makefile must name the installed file
//!   literally (`/usr/local/bin/<name>`), which is copied;
//! - a bare name installed by `cmake --install`: `DESTDIR=/out cmake --install …`, the tree
//!   copied.
//!
//! The libraries come from the Makefile's `-l<name>` flags or CMakeLists.txt's
//! `target_link_libraries` (`c_cmake.rs`), read from the build context;
//! `rules/packages.toml` (`[shared_libs.apt]`) names the Debian package that holds each one
//! at run time. Anything dlint cannot read (`pkg-config`, `$(shell …)`, an unknown library,
//! `make -C`, `gcc` run besides `make`; a stage that only runs `gcc` is `c_direct.rs`'s) leaves the split as advice with the reason.

use crate::fix::Edit;
use crate::knowledge::{packages, Libc, PackageManager, TagClass};
use crate::rules::musl::common::read_context_file;
use crate::shell::Command;
use crate::syntax::Keyword;

use super::c_cmake as cmake;
use super::rewrite::{
    debian_suite, install_run, is_within, plain_command, resolve_at, split_edits_with_runs,
    Planned, Reason, RuntimeRuns, RuntimeStage, Single, STANDARD_PATH,
};

/// Where `make install DESTDIR=…` puts the installed tree in the builder.
const STAGING: &str = "/out";

/// Makefile names GNU make reads, in its order.
const MAKEFILES: &[&str] = &["GNUmakefile", "makefile", "Makefile"];

/// Libraries in glibc itself (libc6 is in every Debian image).
const GLIBC_LIBS: &[&str] = &["c", "m", "pthread", "dl", "rt", "util", "resolv", "anl"];

/// The build tool the stage runs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tool {
    Make,
    Cmake,
}

/// The `make` or `cmake` runs of the stage, each with the directory it runs in.
struct MakeRun<'a> {
    command: &'a Command,
    tool: Tool,
    dir: String,
    install: bool,
}

fn make_runs<'a>(single: &Single<'a, '_>) -> Result<Vec<MakeRun<'a>>, Reason> {
    let mut found = Vec::new();
    for run in &single.runs {
        for command in run.commands() {
            let view = command.effective();
            let tool = match view.name() {
                Some("make") => Tool::Make,
                Some("cmake") => Tool::Cmake,
                Some(tool @ ("gcc" | "g++" | "cc" | "c++" | "clang" | "clang++")) => {
                    return Err(format!(
                        "the stage runs `{tool}` itself besides `make`/`cmake`: dlint reads the \
                         libraries only from a Makefile or CMakeLists.txt"
                    ))
                }
                _ => continue,
            };
            plain_command(command)?;
            if !view.wrappers.is_empty() {
                return Err("the build runs through a wrapper".into());
            }
            let install = match tool {
                Tool::Make => make_installs(&view)?,
                Tool::Cmake => cmake::installs(&view)?,
            };
            let dir = single
                .workdir_at(run.index)
                .filter(|dir| dir != "/")
                .ok_or_else(|| "the build runs where the file sets no WORKDIR".to_string())?;
            found.push(MakeRun {
                command,
                tool,
                dir,
                install,
            });
        }
    }
    Ok(found)
}

/// Whether a `make` command installs; `Err` for options and variables dlint does not follow.
fn make_installs(view: &crate::shell::CommandView<'_>) -> Result<bool, Reason> {
    let mut install = false;
    for word in view.args() {
        let text = word.text();
        if text.starts_with('-') && !text.starts_with("-j") {
            return Err(format!(
                "`make {text}` changes what make reads or where it runs"
            ));
        }
        match text {
            "install" => install = true,
            t if t.contains('=') => {
                return Err(format!("`make {t}` sets a variable dlint does not follow"))
            }
            _ => {}
        }
    }
    Ok(install)
}

/// The build file (one of `names`), when the stage copies a directory of the build context
/// (`COPY . .`, `COPY src/ .`) into the directory the build runs in.
fn build_file(single: &Single<'_, '_>, dir: &str, names: &[&str]) -> Result<String, Reason> {
    let copied = single.body.iter().find_map(|(index, instr)| {
        if !matches!(instr.keyword, Keyword::Copy | Keyword::Add) || instr.flag("from").is_some() {
            return None;
        }
        let (dest, sources) = instr.args.split_last()?;
        let [source] = sources else { return None };
        if resolve_at(single, *index, &dest.value).as_deref() != Some(dir) {
            return None;
        }
        let source = source.value.trim_start_matches("./").trim_end_matches('/');
        let plain = source
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-/".contains(c));
        (plain && !source.starts_with('/') && !source.contains("..")).then(|| source.to_string())
    });
    let Some(source) = copied else {
        return Err(format!(
            "dlint reads the build file only when a `COPY` of a context directory fills `{dir}`"
        ));
    };
    names
        .iter()
        .find_map(|name| {
            let path = match source.as_str() {
                "" | "." => name.to_string(),
                dir => format!("{dir}/{name}"),
            };
            read_context_file(single.ctx, &path)
        })
        .ok_or_else(|| {
            format!(
                "`{}` is not in the build context dlint can read",
                names[names.len() - 1]
            )
        })
}

/// Every recipe line that installs under the prefix or an absolute system path writes below
/// `$(DESTDIR)`: then `make install DESTDIR=/out` puts the whole install in `/out`.
fn honours_destdir(makefile: &str) -> bool {
    const INSTALL_TOOLS: &[&str] = &["install", "cp", "mkdir", "ln", "mv"];
    const TARGETS: &[&str] = &[
        "$(PREFIX)",
        "${PREFIX}",
        "$(prefix)",
        "${prefix}",
        "$(bindir)",
        "$(BINDIR)",
        "/usr/",
        "/opt/",
        "/etc/",
    ];
    let mut installs = false;
    for line in makefile.lines().filter(|l| l.starts_with('\t')) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let installing = words
            .iter()
            .any(|w| INSTALL_TOOLS.contains(&w.trim_start_matches(['@', '-'])));
        if !installing || !TARGETS.iter().any(|t| line.contains(t)) {
            continue;
        }
        if !line.contains("DESTDIR") {
            return false;
        }
        installs = true;
    }
    installs
}

/// The `-l` names a Makefile links; `Err` when it computes its flags.
fn makefile_libraries(makefile: &str) -> Result<Vec<String>, Reason> {
    for opaque in ["pkg-config", "$(shell", "`", "-l$", "-l $"] {
        if makefile.contains(opaque) {
            return Err(format!(
                "the Makefile computes flags with `{opaque}`: the libraries it links are unknown"
            ));
        }
    }
    Ok(makefile
        .split_whitespace()
        .filter_map(|token| token.strip_prefix("-l"))
        .filter(|lib| !lib.is_empty())
        .map(str::to_string)
        .collect())
}

/// The runtime packages of the libraries a program links (`-l` names), for the Debian
/// release `suite`.
pub(super) fn runtime_packages(
    libraries: &[String],
    suite: Option<&str>,
) -> Result<Vec<String>, Reason> {
    let mut needed = Vec::new();
    for lib in libraries {
        let lib = lib.as_str();
        if GLIBC_LIBS.contains(&lib) {
            continue;
        }
        let known = packages().shared_lib_package(lib).ok_or_else(|| {
            format!("the program links `-l{lib}`, whose Debian runtime package dlint does not know")
        })?;
        let suite = suite.ok_or_else(|| {
            format!("the image names no Debian release, so the package for `-l{lib}` is unknown")
        })?;
        let package = known.get(suite).ok_or_else(|| {
            format!("dlint does not know the package for `-l{lib}` on Debian {suite}")
        })?;
        if !needed.contains(package) {
            needed.push(package.clone());
        }
    }
    Ok(needed)
}

/// The `-slim` image of the same Debian release (the image itself when already slim); C/C++
/// builds are split on glibc Debian images only.
pub(super) fn runtime_image(single: &Single<'_, '_>) -> Result<String, Reason> {
    if single.info.libc != Libc::Glibc {
        return Err(format!(
            "`{}` is not a glibc image: dlint splits C/C++ builds on Debian images only",
            single.base.raw
        ));
    }
    match single.info.class {
        TagClass::Slim => Ok(single.same_image()),
        TagClass::Full | TagClass::FullOs => single
            .info
            .slim_alternative()
            .filter(|s| s.repository == "debian")
            .and_then(|s| single.runtime_reference(s))
            .ok_or_else(|| {
                format!(
                    "the knowledge base names no Debian -slim image for `{}`",
                    single.base.raw
                )
            }),
        // `gcc:14` is built on Debian, but its tag does not say which release.
        _ if single.info.os_suite.is_none() => Err(format!(
            "the tag of `{}` names no Debian release, so dlint cannot tell which \
             `debian:*-slim` image matches the libraries the program was built against",
            single.base.raw
        )),
        _ => Err(format!(
            "`{}` is not a Debian image dlint can move a C/C++ program from",
            single.base.raw
        )),
    }
}

/// The runtime image the split names.
pub(crate) fn runtime(single: Option<&Single<'_, '_>>) -> Option<String> {
    single.and_then(|s| runtime_image(s).ok())
}

pub(crate) fn rewrite(single: &Single<'_, '_>) -> Result<Planned, Reason> {
    let image = runtime_image(single)?;
    let makes = make_runs(single)?;
    let Some(last) = makes.last() else {
        return Err("no `make` or `cmake` builds the program".into());
    };
    if makes.iter().any(|m| m.dir != last.dir) {
        return Err("the build runs in several directories".into());
    }
    if makes.iter().any(|m| m.tool != last.tool) {
        return Err("the stage runs both `make` and `cmake`".into());
    }
    let tool = last.tool;
    let dir = last.dir.clone();
    let start = single.start();
    let (_, argv) = start.argv()?;
    let program = &argv[0];
    let (text, libraries) = match tool {
        Tool::Make => {
            let text = build_file(single, &dir, MAKEFILES)?;
            let libraries = makefile_libraries(&text)?;
            (text, libraries)
        }
        Tool::Cmake => {
            let text = build_file(single, &dir, &["CMakeLists.txt"])?;
            let libraries = cmake::libraries(&text)?;
            (text, libraries)
        }
    };

    let mut edits: Vec<Edit> = Vec::new();
    let mut kept = vec![dir.clone()];
    let copies: Vec<(String, String)> = if program.contains('/') {
        let path = single.program_path(program, "")?;
        if !is_within(&path, &dir) || path == dir {
            return Err(format!(
                "the container runs `{program}`, which `make` does not build in `{dir}`"
            ));
        }
        vec![(path.clone(), path)]
    } else {
        let install = makes.iter().find(|m| m.install).ok_or_else(|| {
            format!(
                "the container runs `{program}` from the PATH, and no `make install` or \
                 `cmake --install` puts it there"
            )
        })?;
        if tool == Tool::Cmake {
            // `cmake --install` puts every file under `$DESTDIR` (CMake's documented behaviour).
            let view = install.command.effective();
            let first = view
                .words
                .first()
                .map_or(install.command.span.start, |w| w.span.start);
            edits.push(Edit::insert(first, format!("DESTDIR={STAGING} ")));
            kept.push(STAGING.to_string());
            vec![(format!("{STAGING}/"), "/".to_string())]
        } else if honours_destdir(&text) {
            let view = install.command.effective();
            let end = view
                .words
                .last()
                .map_or(install.command.span.end, |w| w.span.end);
            edits.push(Edit::insert(end, format!(" DESTDIR={STAGING}")));
            kept.push(STAGING.to_string());
            vec![(format!("{STAGING}/"), "/".to_string())]
        } else {
            let installed = STANDARD_PATH
                .iter()
                .map(|d| format!("{d}/{program}"))
                .find(|path| text.split_whitespace().any(|t| t == path))
                .ok_or_else(|| {
                    format!(
                        "the Makefile's install target does not honour DESTDIR or name where \
                         `{program}` goes"
                    )
                })?;
            kept.push(installed.clone());
            vec![(installed.clone(), installed)]
        }
    };
    let libraries = runtime_packages(&libraries, debian_suite(single).as_deref())?;
    single.runs_are_build_only(|name, _| matches!(name, "make" | "cmake"), &kept)?;
    single.copies_land_in(Some(&dir))?;

    let (entrypoint, cmd) = start.verbatim();
    let runs = RuntimeRuns {
        before_copies: libraries_install(single, &libraries),
        ..RuntimeRuns::default()
    };
    edits.extend(split_edits_with_runs(
        single,
        &RuntimeStage {
            image: image.clone(),
            no_shell: false,
            other_family: false,
            copies,
            env: Vec::new(),
            entrypoint,
            cmd,
        },
        &runs,
    )?);
    let carried = if kept.iter().any(|k| k == STAGING) {
        "what the install step installs"
    } else {
        "the program"
    };
    let note = format!(
        "Only {carried} is carried into `{image}`: other files the build context brought into \
         `{dir}` stay in the builder"
    );
    Ok(Planned {
        runtime: image,
        edits,
        notes: vec![note],
    })
}

/// The runtime stage's install of the Debian packages of the libraries the program links
/// (none when it links only glibc's).
pub(super) fn libraries_install(single: &Single<'_, '_>, libraries: &[String]) -> Vec<String> {
    if libraries.is_empty() {
        return Vec::new();
    }
    vec![install_run(single, PackageManager::Apt, libraries)]
}

#[cfg(test)]
mod tests {
    use super::runtime_packages;

    #[test]
    fn destdir_only_when_every_install_line_uses_it() {
        let good = "install: app\n\tinstall -D app $(DESTDIR)$(PREFIX)/bin/app\n";
        assert!(super::honours_destdir(good));
        let partial = "install: app\n\tinstall -D app $(DESTDIR)$(PREFIX)/bin/app\n\tcp app.conf /etc/app.conf\n";
        assert!(!super::honours_destdir(partial));
        assert!(!super::honours_destdir(
            "# DESTDIR is not used\ninstall:\n\tinstall app /usr/local/bin/app\n"
        ));
    }

    #[test]
    fn libraries_from_the_makefile() {
        use super::makefile_libraries;
        let libs = |make: &str, suite| runtime_packages(&makefile_libraries(make)?, suite);
        let make = "LDLIBS = -lcurl -lm -lpthread\nall:\n\t$(CXX) -o app app.cpp $(LDLIBS)\n";
        assert_eq!(
            libs(make, Some("trixie")).unwrap(),
            vec!["libcurl4t64".to_string()]
        );
        assert_eq!(
            libs(make, Some("bookworm")).unwrap(),
            vec!["libcurl4".to_string()]
        );
        assert!(libs(make, None).is_err());
        assert!(libs("LDLIBS = -lfrobnicate\n", Some("trixie")).is_err());
        assert!(libs("LDLIBS = $(shell pkg-config --libs x)\n", Some("trixie")).is_err());
        assert_eq!(libs("CFLAGS = -O2\n", None).unwrap(), Vec::<String>::new());
    }
}
