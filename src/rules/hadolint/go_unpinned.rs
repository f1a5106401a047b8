use crate::declare_rule;
use crate::rules::cache::common::package_commands;
use crate::rules::hadolint::common::{name_list, operands, unpinned};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `go install`, `go get` and `go run` of a remote package without a version
    /// (`golang.org/x/tools/gopls` or `…@latest` instead of `…@v0.16.2`).
    ///
    /// ## Why is this bad?
    /// Without a version, each build fetches the newest release (or, with `go get`, records
    /// it in `go.mod`): builds are not reproducible, and a breaking release can land with no
    /// change to the Dockerfile.
    ///
    /// Local packages (`.`, `./cmd/app`, `/src/...`, `main.go`) are not flagged. Unlike
    /// hadolint, branch names (`@master`, `@main`, `@HEAD`) count as unpinned like
    /// `@latest`. A package of the module being built is pinned by its `go.mod`: write it as
    /// a local path (`./cmd/app`).
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN go install golang.org/x/tools/gopls@latest
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN go install golang.org/x/tools/gopls@v0.16.2
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows which version the image was tested with.
    pub struct GoUnpinned {
        code: "DL3062",
        name: "go-unpinned",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3062")],
    }
}

/// Build flags of `go install`/`get`/`run` that take a value.
const GO_VALUE_OPTIONS: &[&str] = &[
    "-o",
    "-p",
    "-C",
    "-mod",
    "-modfile",
    "-overlay",
    "-pgo",
    "-pkgdir",
    "-tags",
    "-toolexec",
    "-ldflags",
    "-gcflags",
    "-asmflags",
    "-gccgoflags",
    "-installsuffix",
    "-buildmode",
    "-compiler",
    "-exec",
    "-covermode",
    "-coverpkg",
    "--ldflags",
    "--tags",
];

fn pinned(package: &str) -> bool {
    if package.starts_with(['.', '/']) || package.ends_with(".go") {
        return true;
    }
    match package.rsplit_once('@') {
        Some((_, version)) => !matches!(version, "" | "latest" | "master" | "main" | "HEAD"),
        None => false,
    }
}

impl Check for GoUnpinned {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for run in ctx.runs_with_onbuild() {
            for command in package_commands(run, &["go"], &["install", "get", "run"], &[]) {
                let mut packages = operands(command.rest(), GO_VALUE_OPTIONS);
                if command.subcommand().is("run") {
                    // The rest are the program's arguments.
                    packages.truncate(1);
                }
                let loose = unpinned(&packages, pinned);
                if loose.is_empty() {
                    continue;
                }
                let name = loose[0].text();
                let name = name.split('@').next().unwrap_or(name);
                out.push(Violation::new(
                    command.command.span.clone(),
                    format!(
                        "Pin versions in `go {}`: {} (use `{name}@<version>`)",
                        command.subcommand().text(),
                        name_list(loose.iter().copied()),
                    ),
                ));
            }
        }
    }
}
