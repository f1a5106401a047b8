//! C/C++ built with `make` on a Debian image: the program is copied into the `-slim` image of
//! the same Debian release, with the runtime packages of the libraries the Makefile links.
//!
//! What the program is and where it lands:
//! - a path in ENTRYPOINT/CMD (`./server`, `/usr/src/app/server`) inside the directory `make`
//!   runs in: that file;
//! - a bare name installed by `make install`: when the Makefile honours `DESTDIR`, the
//!   install goes to `/out` (`make install DESTDIR=/out`) and the whole installed tree is
//!   copied; otherwise the Makefile must name the installed file literally
//!   (`/usr/local/bin/<name>`), which is copied.
//!
//! The libraries come from the Makefile's `-l<name>` flags, read from the build context;
//! `rules/packages.toml` (`[shared_libs.apt]`) names the Debian package that holds each one
//! at run time. Anything dlint cannot read (`pkg-config`, `$(shell …)`, an unknown library,
//! `make -C`, `cmake`) leaves the split as advice with the reason.

use crate::fix::Edit;
use crate::knowledge::{packages, Libc, TagClass};
use crate::rules::musl::common::read_context_file;
use crate::shell::Command;
use crate::syntax::Keyword;

use super::rewrite::{
    is_within, plain_command, resolve_at, split_edits, Planned, Reason, RuntimeStage, Single,
    STANDARD_PATH,
};

/// Where `make install DESTDIR=…` puts the installed tree in the builder.
const STAGING: &str = "/out";

/// Makefile names GNU make reads, in its order.
const MAKEFILES: &[&str] = &["GNUmakefile", "makefile", "Makefile"];

/// Libraries in glibc itself (libc6 is in every Debian image).
const GLIBC_LIBS: &[&str] = &["c", "m", "pthread", "dl", "rt", "util", "resolv", "anl"];

/// The `make` runs of the stage, each with the directory it runs in.
struct MakeRun<'a> {
    command: &'a Command,
    dir: String,
    install: bool,
}

fn make_runs<'a>(single: &Single<'a, '_>) -> Result<Vec<MakeRun<'a>>, Reason> {
    let mut found = Vec::new();
    for run in &single.runs {
        for command in run.commands() {
            let view = command.effective();
            match view.name() {
                Some("make") => {}
                Some(tool @ ("cmake" | "gcc" | "g++" | "cc" | "c++" | "clang" | "clang++")) => {
                    return Err(format!(
                        "the stage runs `{tool}` itself: dlint reads the libraries only from a \
                         Makefile"
                    ))
                }
                _ => continue,
            }
            plain_command(command)?;
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
                    t if t.starts_with("-j") || t == "all" => {}
                    t if t.contains('=') => {
                        return Err(format!("`make {t}` sets a variable dlint does not follow"))
                    }
                    _ => {}
                }
            }
            let dir = single
                .workdir_at(run.index)
                .filter(|dir| dir != "/")
                .ok_or_else(|| "`make` runs where the file sets no WORKDIR".to_string())?;
            found.push(MakeRun {
                command,
                dir,
                install,
            });
        }
    }
    Ok(found)
}

/// The Makefile, when the stage copies a directory of the build context (`COPY . .`,
/// `COPY src/ .`) into the directory `make` runs in.
fn makefile(single: &Single<'_, '_>, dir: &str) -> Result<String, Reason> {
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
            "dlint reads the Makefile only when a `COPY` of a context directory fills `{dir}`"
        ));
    };
    MAKEFILES
        .iter()
        .find_map(|name| {
            let path = match source.as_str() {
                "" | "." => name.to_string(),
                dir => format!("{dir}/{name}"),
            };
            read_context_file(single.ctx, &path)
        })
        .ok_or_else(|| "the Makefile is not in the build context dlint can read".to_string())
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

/// The runtime packages of the libraries the Makefile links, for the Debian release `suite`.
fn runtime_packages(makefile: &str, suite: Option<&str>) -> Result<Vec<String>, Reason> {
    for opaque in ["pkg-config", "$(shell", "`", "-l$", "-l $"] {
        if makefile.contains(opaque) {
            return Err(format!(
                "the Makefile computes flags with `{opaque}`: the libraries it links are unknown"
            ));
        }
    }
    let mut needed = Vec::new();
    for token in makefile.split_whitespace() {
        let Some(lib) = token.strip_prefix("-l") else {
            continue;
        };
        if lib.is_empty() || GLIBC_LIBS.contains(&lib) {
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

/// The Debian release of the image: `trixie` for `debian:13`, `buildpack-deps:trixie`.
fn debian_suite(single: &Single<'_, '_>) -> Option<String> {
    if let Some(suite) = &single.info.os_suite {
        return Some(suite.clone());
    }
    let version = single.info.version.as_deref()?;
    let major = version.split('.').next()?;
    packages().debian_suite(major).map(str::to_string)
}

pub(crate) fn rewrite(single: &Single<'_, '_>) -> Result<Planned, Reason> {
    if single.info.libc != Libc::Glibc {
        return Err(format!(
            "`{}` is not a glibc image: dlint splits C/C++ builds on Debian images only",
            single.base.raw
        ));
    }
    let image = match single.info.class {
        TagClass::Slim => single.same_image(),
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
            })?,
        _ => {
            return Err(format!(
                "`{}` is not a Debian image dlint can move a C/C++ program from",
                single.base.raw
            ))
        }
    };
    let makes = make_runs(single)?;
    let Some(last) = makes.last() else {
        return Err("no `make` builds the program".into());
    };
    if makes.iter().any(|m| m.dir != last.dir) {
        return Err("`make` runs in several directories".into());
    }
    let dir = last.dir.clone();
    let start = single.start();
    let (_, argv) = start.argv()?;
    let program = &argv[0];
    let text = makefile(single, &dir)?;

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
                "the container runs `{program}` from the PATH, and no `make install` puts it there"
            )
        })?;
        if honours_destdir(&text) {
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
    let libraries = runtime_packages(&text, debian_suite(single).as_deref())?;
    single.runs_are_build_only(|name, _| name == "make", &kept)?;
    single.copies_land_in(Some(&dir))?;

    let (entrypoint, cmd) = start.verbatim();
    let mut split = split_edits(
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
    )?;
    if !libraries.is_empty() {
        add_install(single, &mut split, &libraries)?;
    }
    edits.extend(split);
    let carried = if kept.iter().any(|k| k == STAGING) {
        "what `make install` installs"
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

/// Puts `RUN apt-get install <libraries>` before the first `COPY --from` of the appended
/// runtime stage (the last edit `split_edits` returns).
fn add_install(
    single: &Single<'_, '_>,
    edits: &mut [Edit],
    libraries: &[String],
) -> Result<(), Reason> {
    let Some(appended) = edits.last_mut() else {
        return Err("no runtime stage to add the libraries to".into());
    };
    let newline = if single.source().contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let lower = single
        .from
        .keyword_text
        .chars()
        .all(|c| !c.is_ascii_uppercase());
    let (run, copy) = if lower {
        ("run", "copy --from=")
    } else {
        ("RUN", "COPY --from=")
    };
    let at = appended
        .replacement
        .find(&format!("{newline}{copy}"))
        .ok_or_else(|| "the runtime stage has no COPY --from".to_string())?;
    let line = format!(
        "{newline}{run} apt-get update \\{newline}    && apt-get install -y --no-install-recommends {} \\{newline}    && rm -rf /var/lib/apt/lists/*",
        libraries.join(" ")
    );
    appended.replacement.insert_str(at, &line);
    Ok(())
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
        let make = "LDLIBS = -lcurl -lm -lpthread\nall:\n\t$(CXX) -o app app.cpp $(LDLIBS)\n";
        assert_eq!(
            runtime_packages(make, Some("trixie")).unwrap(),
            vec!["libcurl4t64".to_string()]
        );
        assert_eq!(
            runtime_packages(make, Some("bookworm")).unwrap(),
            vec!["libcurl4".to_string()]
        );
        assert!(runtime_packages(make, None).is_err());
        assert!(runtime_packages("LDLIBS = -lfrobnicate\n", Some("trixie")).is_err());
        assert!(
            runtime_packages("LDLIBS = $(shell pkg-config --libs x)\n", Some("trixie")).is_err()
        );
        assert_eq!(
            runtime_packages("CFLAGS = -O2\n", None).unwrap(),
            Vec::<String>::new()
        );
    }
}
