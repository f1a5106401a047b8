//! What the STAT rules share: the runtime image when it has no libc (or no shell), the builds
//! (`go build`, `cargo build`, `cc -o`) of the stages it copies from, and whether each build
//! links statically.

use crate::knowledge::{ImageInfo, Libc};
use crate::rules::musl::common::musl_stage;
use crate::rules::stage::common::{copy_args, copy_from, named_stage};
use crate::rules::{Context, RunInfo};
use crate::semantic::{Base, EdgeKind};
use crate::shell::{Command, CommandView, Word};
use crate::syntax::Keyword;

/// The image at the root of the runtime stage, when it is `scratch` or a minimal image.
pub(crate) struct MinimalRuntime<'a> {
    pub base: &'a Base,
    /// `None` for `scratch` only when the knowledge base has no entry for it.
    pub info: Option<&'a ImageInfo>,
    pub scratch: bool,
    /// The stages whose filesystem is the final image: the runtime stage and its parents.
    pub chain: Vec<usize>,
}

impl MinimalRuntime<'_> {
    /// No shared C library: only static binaries run (scratch, distroless static).
    pub fn no_libc(&self) -> bool {
        self.scratch || self.info.as_ref().is_some_and(|i| i.libc == Libc::None)
    }

    /// No `/bin/sh`.
    pub fn no_shell(&self) -> bool {
        if self.scratch {
            return true;
        }
        self.info.as_ref().is_some_and(|i| !i.has_shell)
    }

    /// The image as written after FROM.
    pub fn text(&self) -> &str {
        &self.base.raw
    }

    /// The image says what to run (an ENTRYPOINT or CMD in the chain). A `scratch` stage
    /// without one is usually an export (`docker build --output`) of files for the host.
    pub fn runnable(&self, ctx: &Context<'_>) -> bool {
        self.chain.iter().any(|&s| {
            let stage = &ctx.model.stages[s];
            (stage.from_instruction..stage.instructions.end).any(|i| {
                matches!(
                    ctx.instructions()[i].keyword,
                    Keyword::Cmd | Keyword::Entrypoint
                )
            })
        })
    }
}

/// The root image of `stage`'s FROM chain, when it is `scratch` or one the knowledge base
/// classes as minimal.
pub(crate) fn minimal_root<'a>(ctx: &'a Context<'_>, stage: usize) -> Option<MinimalRuntime<'a>> {
    let root = ctx.model.stages.get(stage)?.root;
    let base = ctx.model.stages.get(root)?.base.as_ref()?;
    let image = base.resolved.as_ref()?;
    let info = ctx.base_info(root);
    let scratch = image.is_scratch();
    let minimal = scratch
        || info
            .as_ref()
            .is_some_and(|i| !i.has_shell || i.libc == Libc::None);
    // The chain only when it is needed: building it for every stage of a long FROM chain
    // is quadratic.
    minimal.then(|| MinimalRuntime {
        base,
        info,
        scratch,
        chain: ctx.model.chain(stage),
    })
}

/// The runtime stage's root image, when it is `scratch` or minimal.
pub(crate) fn minimal_runtime<'a>(ctx: &'a Context<'_>) -> Option<MinimalRuntime<'a>> {
    minimal_root(ctx, ctx.model.runtime?)
}

pub(crate) use crate::rules::language::Language;

/// A command that builds a binary.
pub(crate) struct Build<'a> {
    pub run: &'a RunInfo<'a>,
    pub command: &'a Command,
    pub view: CommandView<'a>,
    pub language: Language,
    /// The absolute output path, when the command names one and it can be resolved.
    pub output: Option<String>,
    /// Already static: the flags, the environment or the toolchain see to it.
    pub is_static: bool,
    /// `CGO_ENABLED=1` or similar: the author asked for dynamic linking on purpose.
    pub explicitly_dynamic: bool,
}

/// `gcc`, `cc`, `clang`, `x86_64-linux-gnu-gcc` …
fn is_c_compiler(name: &str) -> bool {
    matches!(
        name,
        "gcc" | "cc" | "g++" | "c++" | "clang" | "clang++" | "musl-gcc"
    ) || name.ends_with("-gcc")
        || name.ends_with("-g++")
}

const C_SOURCES: &[&str] = &[".c", ".cc", ".cpp", ".cxx", ".o", ".s", ".S"];

/// The value of `option` (`-o x`, `-o=x`, `--target x`, `--target=x`) among `args`.
fn option_value<'a>(args: &'a [Word], option: &str) -> Option<&'a str> {
    let mut words = args.iter();
    while let Some(word) = words.next() {
        let text = word.text();
        if text == option {
            return words.next().map(Word::text);
        }
        if let Some(value) = text
            .strip_prefix(option)
            .and_then(|rest| rest.strip_prefix('='))
        {
            return Some(value);
        }
    }
    None
}

/// The value of an environment variable for `command`: its own `VAR=` prefix, an `export`
/// earlier in the RUN, or the ENV/ARG in force.
fn env_value(
    ctx: &Context<'_>,
    run: &RunInfo<'_>,
    view: &CommandView<'_>,
    command: &Command,
    name: &str,
) -> Option<String> {
    let prefix = format!("{name}=");
    if let Some(a) = view
        .assignments
        .iter()
        .rev()
        .find(|a| a.text().starts_with(&prefix))
    {
        return Some(a.text()[prefix.len()..].to_string());
    }
    let exported = run
        .commands()
        .filter(|c| c.span.start < command.span.start)
        .filter(|c| matches!(c.name(), Some("export" | "declare" | "typeset")))
        .flat_map(|c| c.args().iter())
        .filter_map(|w| w.text().strip_prefix(&prefix).map(str::to_string))
        .last();
    if exported.is_some() {
        return exported;
    }
    let state = ctx.model.state_at(run.index)?;
    state.vars.get(name)?.value.known().map(String::from)
}

/// Does the stage chain install one of `names` with apk?
fn apk_installs(ctx: &Context<'_>, chain: &[usize], names: &[&str]) -> bool {
    ctx.runs().filter(|r| chain.contains(&r.stage)).any(|run| {
        run.commands().any(|c| {
            let view = c.effective();
            view.name() == Some("apk")
                && view.arg("add").is_some()
                && view.args().iter().any(|w| names.contains(&w.text()))
        })
    })
}

/// The binary `go install pkg@version` writes to `$GOPATH/bin`: the last element of the
/// package path (`golang.org/x/vuln/cmd/govulncheck@v1` → `govulncheck`).
fn go_install_name(args: &[Word]) -> Option<String> {
    let package = args
        .iter()
        .skip_while(|w| !w.is("install"))
        .skip(1)
        .find(|w| !w.text().starts_with('-'))?;
    let path = package.value.as_deref()?.split('@').next()?;
    let name = path.trim_end_matches('/').rsplit('/').next()?;
    (!name.is_empty() && !name.starts_with('.')).then(|| name.to_string())
}

/// The builds of `stage` and the stages it is built FROM.
pub(crate) fn builds<'a>(ctx: &'a Context<'_>, stage: usize) -> Vec<Build<'a>> {
    let chain = ctx.model.chain(stage);
    let musl = musl_stage(ctx, stage).is_some();
    // golang:*-alpine has no C compiler: cgo is off unless one is added.
    let musl_without_cc =
        musl && !apk_installs(ctx, &chain, &["gcc", "build-base", "clang", "g++"]);
    // rust:*-alpine uses upstream rustup toolchains (static musl by default); Alpine's own
    // `apk add cargo` links dynamically.
    let musl_rustup = musl && !apk_installs(ctx, &chain, &["cargo", "rust"]);
    let go_env_static = ctx.runs().filter(|r| chain.contains(&r.stage)).any(|run| {
        run.commands().any(|c| {
            let view = c.effective();
            view.name() == Some("go")
                && view.arg("env").is_some()
                && view.args().iter().any(|w| w.is("CGO_ENABLED=0"))
        })
    });
    let mut out = Vec::new();
    for run in ctx.runs().filter(|r| chain.contains(&r.stage)) {
        let mut changed_dir = false;
        for command in run.commands() {
            let view = command.effective();
            let Some(name) = view.name() else { continue };
            if name == "cd" || name == "pushd" {
                changed_dir = true;
                continue;
            }
            let args = view.args();
            let subcommand = args.iter().find(|w| !w.text().starts_with('-'));
            // `gcc $CFLAGS`, `go build -ldflags "$LDFLAGS"`: the flags are only known at build
            // time and may well link statically.
            let flag_bag = args.iter().enumerate().any(|(i, w)| {
                w.value.is_none()
                    && (w.raw.trim_start_matches('"').starts_with('$')
                        || i.checked_sub(1)
                            .is_some_and(|p| args[p].text().starts_with("-ldflags")))
            });
            let env = |var: &str| env_value(ctx, run, &view, command, var);
            let (language, output, is_static, explicitly_dynamic) = match name {
                "go" if subcommand.is_some_and(|w| w.is("build") || w.is("install")) => {
                    // WebAssembly (`GOARCH=wasm`) links no C library: not a native binary.
                    if env("GOARCH").as_deref() == Some("wasm") {
                        continue;
                    }
                    let cgo = env("CGO_ENABLED");
                    let flags_static = args
                        .iter()
                        .any(|w| w.text().contains("-static") || w.text().contains("netgo"));
                    let is_static = cgo.as_deref() == Some("0")
                        || flags_static
                        || (cgo.is_none() && (go_env_static || musl_without_cc));
                    let dynamic = cgo.as_deref().is_some_and(|v| v != "0");
                    let output = option_value(args, "-o").map(str::to_string).or_else(|| {
                        subcommand
                            .filter(|w| w.is("install"))
                            .and(go_install_name(args))
                            .map(|name| format!("/go/bin/{name}"))
                    });
                    (Language::Go, output, is_static || flag_bag, dynamic)
                }
                "cargo" if subcommand.is_some_and(|w| w.is("build") || w.is("install")) => {
                    let target = option_value(args, "--target")
                        .map(str::to_string)
                        .or_else(|| env("CARGO_BUILD_TARGET"));
                    // `wasm32-wasip1`, `wasm32-unknown-unknown`: a module, not a libc binary.
                    if target.as_deref().is_some_and(|t| t.starts_with("wasm")) {
                        continue;
                    }
                    let rustflags = [
                        "RUSTFLAGS",
                        "CARGO_BUILD_RUSTFLAGS",
                        "CARGO_ENCODED_RUSTFLAGS",
                    ]
                    .iter()
                    .filter_map(|v| env(v))
                    .any(|flags| flags.contains("+crt-static"));
                    let is_static = rustflags
                        || target.as_deref().is_some_and(|t| t.contains("musl"))
                        || (target.is_none() && musl_rustup);
                    let output = subcommand.filter(|w| w.is("install")).map(|_| {
                        let root = option_value(args, "--root").unwrap_or("/usr/local/cargo");
                        format!("{}/bin/", root.trim_end_matches('/'))
                    });
                    (Language::Rust, output, is_static || flag_bag, false)
                }
                _ if is_c_compiler(name)
                    && args
                        .iter()
                        .any(|w| C_SOURCES.iter().any(|ext| w.text().ends_with(ext)))
                    && !args.iter().any(|w| {
                        matches!(w.text(), "-c" | "-S" | "-E" | "-shared" | "-M" | "-MM")
                    }) =>
                {
                    let is_static = args
                        .iter()
                        .any(|w| matches!(w.text(), "-static" | "-static-pie" | "--static"));
                    (
                        Language::Native,
                        Some(option_value(args, "-o").unwrap_or("a.out").to_string()),
                        is_static || flag_bag,
                        false,
                    )
                }
                _ => continue,
            };
            let workdir = ctx
                .model
                .state_at(run.index)
                .and_then(|s| s.workdir.clone());
            let output = output.as_deref().and_then(|o| {
                if o.starts_with('/') {
                    Some(o.to_string())
                } else if changed_dir || o.contains('$') {
                    None
                } else {
                    workdir.as_ref().map(|w| {
                        format!("{}/{}", w.trim_end_matches('/'), o.trim_start_matches("./"))
                    })
                }
            });
            out.push(Build {
                run,
                command,
                view,
                language,
                output,
                is_static,
                explicitly_dynamic,
            });
        }
    }
    out
}

/// A `COPY --from=STAGE` into the runtime, with the builds of STAGE whose output it copies.
pub(crate) struct CopiedBuilds<'a> {
    /// The COPY instruction.
    pub copy: usize,
    pub builds: Vec<Build<'a>>,
    /// The COPY's sources name a musl target directory (`target/x86_64-unknown-linux-musl/…`).
    pub musl_path: bool,
}

/// For each `COPY --from=<stage>` into the runtime chain, the builds of that stage whose
/// output the COPY (probably) copies: every build whose output path is unknown, and those
/// whose output path is under, or named like, one of the COPY's sources.
pub(crate) fn copied_builds<'a>(ctx: &'a Context<'_>, chain: &[usize]) -> Vec<CopiedBuilds<'a>> {
    let mut out = Vec::new();
    for edge in &ctx.model.edges {
        if edge.kind != EdgeKind::Copy || !chain.contains(&edge.to) {
            continue;
        }
        let instr = ctx.instructions()[edge.instruction];
        if instr.keyword != Keyword::Copy {
            continue;
        }
        // The edge names the stage the COPY resolved to.
        let Some(Ok(reference)) = copy_from(ctx, edge.instruction) else {
            continue;
        };
        if named_stage(&ctx.model.stages, &reference).map(|s| s.index) != Some(edge.from) {
            continue;
        }
        let Some(paths) = copy_args(ctx, edge.instruction) else {
            continue;
        };
        let sources: Vec<String> = paths
            .sources
            .iter()
            .filter_map(|s| s.value.clone())
            .map(|s| format!("/{}", s.trim_start_matches("./").trim_start_matches('/')))
            .collect();
        let musl_path = sources.iter().any(|s| s.contains("-musl"));
        let builds: Vec<Build<'a>> = builds(ctx, edge.from)
            .into_iter()
            .filter(|b| match &b.output {
                None => true,
                Some(output) => sources.iter().any(|s| copies(s, output)),
            })
            .collect();
        if !builds.is_empty() {
            out.push(CopiedBuilds {
                copy: edge.instruction,
                builds,
                musl_path,
            });
        }
    }
    out
}

/// Does a COPY of `source` bring `output` along?
fn copies(source: &str, output: &str) -> bool {
    let source = source.trim_end_matches('/');
    if output.ends_with('/') {
        // A directory the build writes into (`$CARGO_HOME/bin/`).
        return source.is_empty()
            || source.starts_with(output)
            || output.starts_with(&format!("{source}/"))
            || source.contains('*');
    }
    source.is_empty()
        || source == output
        || output.starts_with(&format!("{source}/"))
        || source.contains('*')
        || last_component(source) == last_component(output)
}

fn last_component(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}
