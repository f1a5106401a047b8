//! C/C++ compiled by one direct compiler call (`gcc -static app.c -o /usr/bin/app`) on a
//! Debian image: the program is copied into the `-slim` image of the same Debian release (the
//! image itself when already slim), with the runtime packages of the libraries the command
//! links.
//!
//! What the program is: the `-o` output of the one `gcc`/`cc`/`g++`/`c++`/`clang`/`clang++`
//! command of the stage (absolute, or relative to the WORKDIR it runs in). The container's
//! CMD/ENTRYPOINT, when there is one, must run that file. When the output lands in the
//! directory the build runs in, which the build context filled, the whole directory is carried
//! (the program may read the files next to it); otherwise only the program is.
//!
//! The libraries are the command's own `-l` flags (none with `-static`), mapped to runtime
//! packages by `rules/packages.toml` as for `make` (`c_make.rs`). Later RUNs that only
//! `chmod`/`chown` the program (`chmod +s /usr/bin/app`) are repeated in the runtime stage,
//! after the copy; a `strip` stays in the builder, before the copy. Anything dlint cannot
//! follow (several compile commands, flags that are not literal, an unknown library, a `-L`
//! directory, a shared object, a runtime library a flag brings such as `-fopenmp`) leaves
//! the split as advice with the reason.

use crate::rules::context::RunInfo;
use crate::shell::{Command, Word};
use crate::syntax::Keyword;

use super::c_make::{libraries_install, runtime_image, runtime_packages};
use super::rewrite::{
    command_text, debian_suite, is_within, plain_command, resolve_at, split_edits_with_runs,
    Planned, Reason, RuntimeRuns, RuntimeStage, Single,
};

/// Compilers that compile and link in one call.
const COMPILERS: &[&str] = &["gcc", "g++", "cc", "c++", "clang", "clang++"];

/// Options after which the compiler makes no program (an object, assembly, a library).
const NO_PROGRAM: &[&str] = &["-c", "-S", "-E", "-M", "-MM", "-shared", "-r"];

/// Options that link a runtime library besides the `-l` ones (libgomp, the sanitizers,
/// profiling), which the runtime image would need.
const RUNTIME_LIBRARY_OPTIONS: &[&str] = &["-fopenmp", "-fsanitize=", "-pg", "--coverage"];

/// Options whose next word is their value.
const TAKES_VALUE: &[&str] = &[
    "-I",
    "-D",
    "-U",
    "-include",
    "-isystem",
    "-iquote",
    "-idirafter",
    "-MF",
    "-MT",
    "-MQ",
    "-std",
    "-x",
    "-L",
    "-l",
    "-o",
];

/// The stage compiles with a direct compiler call and runs no `make`/`cmake`: this recipe
/// applies, not the build-file one.
pub(crate) fn applies(single: &Single<'_, '_>) -> bool {
    let names = || {
        single
            .runs
            .iter()
            .flat_map(|run| run.commands())
            .filter_map(|c| c.effective().name())
    };
    names().any(|n| COMPILERS.contains(&n)) && !names().any(|n| matches!(n, "make" | "cmake"))
}

/// What one compile command says.
struct Compile<'a> {
    run: &'a RunInfo<'a>,
    command: &'a Command,
    /// `-o` as written.
    output: String,
    libraries: Vec<String>,
    static_link: bool,
    /// A library directory named with `-L`.
    library_dir: Option<String>,
}

fn compile_commands<'a>(single: &'a Single<'_, '_>) -> Vec<(&'a RunInfo<'a>, &'a Command)> {
    single
        .runs
        .iter()
        .flat_map(|run| run.commands().map(move |c| (*run, c)))
        .filter(|(_, c)| {
            let view = c.effective();
            let query = view.args().iter().any(|w| {
                matches!(
                    w.text(),
                    "--version" | "-v" | "--help" | "-dumpversion" | "-dumpmachine"
                ) || w.text().starts_with("-print-")
            });
            view.name().is_some_and(|n| COMPILERS.contains(&n)) && !query
        })
        .collect()
}

/// Reads the compile command's words; `Err` for anything dlint does not follow.
fn read_compile<'a>(run: &'a RunInfo<'a>, command: &'a Command) -> Result<Compile<'a>, Reason> {
    plain_command(command)?;
    let view = command.effective();
    let shown = command_text(run, command);
    if !view.wrappers.is_empty() || !view.assignments.is_empty() {
        return Err(format!(
            "`{shown}` runs through a wrapper or with variables set"
        ));
    }
    let mut output = None;
    let mut libraries = Vec::new();
    let mut static_link = false;
    let mut library_dir = None;
    let args = view.args();
    let mut index = 0;
    while index < args.len() {
        let word = &args[index];
        index += 1;
        let Some(text) = word.value.as_deref() else {
            return Err(format!(
                "`{shown}` has `{}`, which is not literal: the libraries it links are unknown",
                word.raw
            ));
        };
        let mut value = |prefix: &str| -> Result<Option<String>, Reason> {
            if text == prefix {
                let next: Option<&Word> = args.get(index);
                index += 1;
                return next
                    .and_then(|w| w.value.as_deref())
                    .map(|v| Some(v.to_string()))
                    .ok_or_else(|| format!("`{shown}`: `{prefix}` has no literal value"));
            }
            Ok(text.strip_prefix(prefix).map(str::to_string))
        };
        if NO_PROGRAM.contains(&text) {
            return Err(format!("`{shown}` does not link a program (`{text}`)"));
        }
        if let Some(option) = RUNTIME_LIBRARY_OPTIONS
            .iter()
            .find(|o| text == **o || (o.ends_with('=') && text.starts_with(**o)))
        {
            return Err(format!(
                "`{shown}` uses `{option}`, which links a runtime library dlint does not map"
            ));
        }
        if text.starts_with('@') {
            return Err(format!("`{shown}` reads options from the file `{text}`"));
        }
        if text.starts_with("-Wl,") || text == "-Xlinker" {
            return Err(format!(
                "`{shown}` passes `{text}` to the linker, which dlint does not follow"
            ));
        }
        match text {
            "-static" => static_link = true,
            t if t.starts_with("-o") => output = value("-o")?,
            t if t.starts_with("-l") => {
                if let Some(lib) = value("-l")? {
                    libraries.push(lib);
                }
            }
            t if t.starts_with("-L") => library_dir = value("-L")?,
            // An option with a separate value: skip the value.
            t if TAKES_VALUE.contains(&t) => index += 1,
            t if t.starts_with('-') => {}
            t if t.contains(".so") => {
                return Err(format!(
                    "`{shown}` links the shared object `{t}`, which the runtime image lacks"
                ))
            }
            _ => {}
        }
    }
    let output = output.ok_or_else(|| {
        format!("`{shown}` names no `-o` output: dlint copies only a program it can name")
    })?;
    Ok(Compile {
        run,
        command,
        output,
        libraries,
        static_link,
        library_dir,
    })
}

/// The RUN only changes the mode or owner of `output` (`chmod +s /usr/bin/app`): it is
/// repeated in the runtime stage after the copy.
fn touches_only(single: &Single<'_, '_>, run: &RunInfo<'_>, output: &str) -> bool {
    if run.instruction.json
        || !run.instruction.flags.is_empty()
        || run.scripts.iter().any(|s| s.has_errors)
    {
        return false;
    }
    let final_dir = single.final_workdir();
    let mut any = false;
    for command in run.commands() {
        let view = command.effective();
        if !matches!(view.name(), Some("chmod" | "chown")) || !view.wrappers.is_empty() {
            return false;
        }
        let operands: Vec<&Word> = view
            .args()
            .iter()
            .filter(|w| !w.text().starts_with('-') || w.text().len() == 1)
            .collect();
        let Some((_, paths)) = operands.split_first() else {
            return false;
        };
        let same = |word: &&Word| {
            let Some(path) = word.value.as_deref() else {
                return false;
            };
            // The same file where the original ran the RUN and where the runtime stage does.
            resolve_at(single, run.index, path).as_deref() == Some(output)
                && (path.starts_with('/')
                    || final_dir
                        .as_deref()
                        .is_some_and(|dir| super::rewrite::join(dir, path) == output))
        };
        if paths.is_empty() || !paths.iter().all(same) {
            return false;
        }
        any = true;
    }
    any
}

pub(crate) fn rewrite(single: &Single<'_, '_>) -> Result<Planned, Reason> {
    let image = runtime_image(single)?;
    let compiles = compile_commands(single);
    let [(run, command)] = compiles.as_slice() else {
        let shown: Vec<String> = compiles
            .iter()
            .map(|(run, command)| format!("`{}`", command_text(run, command)))
            .collect();
        return Err(format!(
            "the stage compiles {} times ({}): dlint follows a single compile command",
            compiles.len(),
            shown.join(", ")
        ));
    };
    let compile = read_compile(run, command)?;
    let shown = command_text(compile.run, compile.command);

    let build_dir = single
        .workdir_at(compile.run.index)
        .filter(|dir| dir != "/");
    if !compile.output.starts_with('/') {
        let changes_dir = compile
            .run
            .commands()
            .any(|c| matches!(c.effective().name(), Some("cd" | "pushd")));
        if changes_dir || build_dir.is_none() {
            return Err(format!(
                "`{shown}` writes `{}` relative to a directory dlint does not know",
                compile.output
            ));
        }
    }
    let output = resolve_at(single, compile.run.index, &compile.output).ok_or_else(|| {
        format!(
            "`{shown}` writes `{}` relative to a directory dlint does not know",
            compile.output
        )
    })?;
    let libraries = if compile.static_link {
        Vec::new()
    } else {
        if let Some(dir) = &compile.library_dir {
            return Err(format!(
                "`{shown}` links from `-L{dir}`: its libraries may not be in the runtime image"
            ));
        }
        runtime_packages(&compile.libraries, debian_suite(single).as_deref())?
    };

    // The container must run the compiled program (or the base image's own command).
    let start = single.start();
    if start.entrypoint.is_some() || start.cmd.is_some() {
        let (_, argv) = start.argv()?;
        let program = single.program_path(&argv[0], &output)?;
        if program != output {
            return Err(format!(
                "the container runs `{}`, not the file `{shown}` writes (`{output}`)",
                argv[0]
            ));
        }
    }

    // Later RUNs that only chmod/chown the program are repeated after the copy.
    let repeated: Vec<&RunInfo<'_>> = single
        .runs
        .iter()
        .copied()
        .filter(|r| r.index > compile.run.index && touches_only(single, r, &output))
        .collect();
    let user_before = |index: usize| {
        single
            .body
            .iter()
            .any(|(i, instr)| *i < index && instr.keyword == Keyword::User)
    };
    if let Some(run) = repeated.iter().find(|r| user_before(r.index)) {
        return Err(format!(
            "`{}` runs after a USER: repeated in the runtime stage it would run as another user",
            command_text(run, run.commands().next().unwrap_or(compile.command))
        ));
    }
    let repeated_spans: Vec<std::ops::Range<usize>> = repeated
        .iter()
        .map(|r| r.instruction.span.clone())
        .collect();
    // A chmod/chown of the program elsewhere would be lost in the copy.
    for other in single
        .runs
        .iter()
        .filter(|r| !repeated_spans.contains(&r.instruction.span))
    {
        for c in other.commands() {
            let view = c.effective();
            if !matches!(view.name(), Some("chmod" | "chown")) {
                continue;
            }
            let touches = view.args().iter().any(|w| {
                w.value
                    .as_deref()
                    .and_then(|p| resolve_at(single, other.index, p))
                    .is_some_and(|p| p == output)
            });
            if touches {
                return Err(format!(
                    "`{}` changes the program's mode in a RUN the runtime stage cannot repeat",
                    command_text(other, c)
                ));
            }
        }
    }

    // The whole build directory when the program lands in it: it may read the files the
    // build context put next to it.
    let carried = match &build_dir {
        Some(dir) if is_within(&output, dir) => dir.clone(),
        _ => output.clone(),
    };
    let kept = vec![carried.clone()];
    let in_repeated = |word: Option<&Word>| {
        word.is_some_and(|w| repeated_spans.iter().any(|s| s.contains(&w.span.start)))
    };
    single.runs_are_build_only(
        // `strip` only shrinks files in the builder, the program before it is copied.
        |name, view| {
            COMPILERS.contains(&name) || name == "strip" || in_repeated(view.words.first())
        },
        &kept,
    )?;
    single.copies_land_in(build_dir.as_deref())?;

    let (entrypoint, cmd) = start.verbatim();
    let runs = RuntimeRuns {
        before_copies: libraries_install(single, &libraries),
        // Repeated as written, right after the program is copied.
        after_copies: repeated
            .iter()
            .map(|run| {
                single.source()[run.instruction.span.clone()]
                    .trim_end_matches(['\n', '\r'])
                    .to_string()
            })
            .collect(),
        ..RuntimeRuns::default()
    };
    let edits = split_edits_with_runs(
        single,
        &RuntimeStage {
            image: image.clone(),
            no_shell: false,
            other_family: false,
            copies: vec![(carried.clone(), carried.clone())],
            env: Vec::new(),
            entrypoint,
            cmd,
        },
        &runs,
    )?;
    let note = if carried == output {
        match &build_dir {
            Some(dir) => format!(
                "Only the program is carried into `{image}`: the sources in `{dir}` stay in the \
                 builder"
            ),
            None => format!("Only the program is carried into `{image}`"),
        }
    } else {
        format!(
            "The program is written into `{carried}`, which the build context filled: the \
             whole directory is carried into `{image}`, since the program may read files there"
        )
    };
    Ok(Planned {
        runtime: image,
        edits,
        notes: vec![note],
    })
}
