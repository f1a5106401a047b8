use crate::declare_rule;
use crate::fix::{Edit, Fix};
use crate::rules::stage::common::copy_args;
use crate::rules::static_link::common::{copied_builds, minimal_root, Language, MinimalRuntime};
use crate::rules::{Check, Context, Violation};
use crate::semantic::expand_known;
use crate::syntax::{Instruction, Keyword, Span};

declare_rule! {
    /// ## What it does
    /// Flags what a `scratch` or distroless-style runtime is missing:
    ///
    /// - **CA certificates** (scratch only: distroless ships them): the runtime copies a Go or
    ///   Rust binary but nothing copies `/etc/ssl/certs`, and the image plausibly makes
    ///   outbound TLS calls: an `https://` URL in an `ENV`, `ARG`, `CMD` or `ENTRYPOINT`, or an
    ///   `ENV`/`ARG` named like a URL, endpoint, host or API key (`*_URL`, `*_ENDPOINT`,
    ///   `*_TOKEN` …). Binaries built for WebAssembly (`--target wasm32-*`, `GOARCH=wasm`)
    ///   are not native programs and are left out;
    /// - **a passwd entry** (scratch only): `USER app` names a user, but nothing copies
    ///   `/etc/passwd` (or `/etc/group` for a named group);
    ///
    ///   (both only when the image has an `ENTRYPOINT` or `CMD`: a `scratch` stage without one
    ///   is usually an export of files, not an image to run);
    /// - **a shell**: a shell-form `RUN`, `CMD`, `ENTRYPOINT` or `HEALTHCHECK CMD` in an image
    ///   without `/bin/sh` (scratch, distroless and Chainguard images other than their
    ///   `:debug`/`-dev` variants). A stage that sets a `SHELL` or copies a shell in is left
    ///   alone.
    ///
    /// ## Why is this bad?
    /// Each one fails only at run time, far from its cause. Without CA certificates every
    /// outbound TLS call fails with `x509: certificate signed by unknown authority` (whether
    /// the program makes TLS calls cannot be seen in the Dockerfile, so this part is a
    /// reminder, and says so). A named `USER` without `/etc/passwd` makes the container fail to start
    /// (`unable to find user app`); a numeric `USER 65532:65532` needs no passwd file. A
    /// shell-form command is run as `/bin/sh -c …`, which does not exist: the build or the
    /// container start fails with `no such file or directory`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN CGO_ENABLED=0 go build -o /app .
    ///
    /// FROM scratch
    /// COPY --from=build /app /app
    /// USER app
    /// CMD /app --serve
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN CGO_ENABLED=0 go build -o /app .
    ///
    /// FROM scratch
    /// COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
    /// COPY --from=build /app /app
    /// USER 65532:65532
    /// CMD ["/app", "--serve"]
    /// ```
    ///
    /// ## Fix safety
    /// A shell-form `CMD`, `ENTRYPOINT` or `HEALTHCHECK CMD` made only of plain words (no
    /// quotes, variables, globs or operators) is rewritten to the exec form: unsafe, because
    /// an exec-form `ENTRYPOINT` now receives the `CMD` as arguments, which the shell form
    /// ignored. Everything else is display-only advice: which builder has the certificates or
    /// the user, and what a shell-form `RUN` should become, is the author's call.
    pub struct MinimalRuntimeMissing {
        code: "STAT002",
        name: "minimal-runtime-missing",
        family: Static,
        severity: Warning,
        fix: Sometimes,
    }
}

/// Words that make a path a CA bundle.
const CERT_PATHS: &[&str] = &[
    "/etc/ssl",
    "ca-certificates",
    "/etc/pki",
    "ca-bundle",
    "cacert",
];

/// Basenames of files that are a shell.
const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "busybox"];

impl Check for MinimalRuntimeMissing {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        // Shell-form instructions in any shell-less stage; the runtime's own needs after.
        for stage in &ctx.model.stages {
            let Some(root) = minimal_root(ctx, stage.index) else {
                continue;
            };
            if root.no_shell() {
                check_shell_forms(ctx, &root, stage.index, out);
            }
        }
        let Some(runtime) = ctx.model.runtime else {
            return;
        };
        let Some(root) = minimal_root(ctx, runtime) else {
            return;
        };
        if !root.scratch || !root.runnable(ctx) {
            return;
        }
        let copied_paths = copied_paths(ctx, &root.chain);
        let copies = |words: &[&str]| {
            copied_paths
                .iter()
                .any(|p| words.iter().any(|w| p.contains(w)))
        };
        let has_go_or_rust = copied_builds(ctx, &root.chain)
            .iter()
            .flat_map(|c| c.builds.iter())
            .any(|b| matches!(b.language, Language::Go | Language::Rust));
        let tls_hint = if has_go_or_rust && !copies(CERT_PATHS) {
            outbound_tls_hint(ctx, &root.chain)
        } else {
            None
        };
        if let Some(hint) = tls_hint {
            out.push(
                Violation::new(
                    root.base.span.clone(),
                    format!(
                        "`scratch` has no CA certificates and nothing copies them, and the image \
                         looks like it calls out ({hint}): a reminder, since the Dockerfile \
                         cannot show TLS calls, that a Go or Rust binary making them fails with \
                         `certificate signed by unknown authority`"
                    ),
                )
                .with_suggestion(Fix::display_only(
                    "Copy them from the builder: \
                     `COPY --from=<builder> /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/`",
                )),
            );
        }
        for &stage in &root.chain {
            let info = &ctx.model.stages[stage];
            for index in info.from_instruction..info.instructions.end {
                let instr = ctx.instructions()[index];
                if instr.keyword != Keyword::User {
                    continue;
                }
                let user = ctx
                    .model
                    .state_at(index)
                    .and_then(|s| expand_known(instr.rest_text(), ctx.tree().escape, &s.vars));
                let Some(user) = user else {
                    continue;
                };
                let (name, group) = match user.split_once(':') {
                    Some((n, g)) => (n.to_string(), Some(g.to_string())),
                    None => (user.clone(), None),
                };
                let named = |s: &str| !s.is_empty() && !s.chars().all(|c| c.is_ascii_digit());
                let mut missing = Vec::new();
                if named(&name) && !copies(&["passwd"]) {
                    missing.push("/etc/passwd");
                }
                if group.as_deref().is_some_and(named) && !copies(&["group"]) {
                    missing.push("/etc/group");
                }
                if missing.is_empty() {
                    continue;
                }
                out.push(
                    Violation::new(
                        instr.rest_span(),
                        format!(
                            "`USER {user}` names a user, but `scratch` has no {} and nothing \
                             copies it: the container fails to start",
                            missing.join(" or ")
                        ),
                    )
                    .with_suggestion(Fix::display_only(
                        "Use a numeric user (`USER 65532:65532`) or copy /etc/passwd and \
                         /etc/group from the builder",
                    )),
                );
            }
        }
    }
}

/// What makes outbound TLS calls plausible in the runtime: an `https://` URL, or an ENV/ARG
/// naming a URL, endpoint or API key (`DATABASE_URL`, `API_ENDPOINT`, `*_TOKEN`).
fn outbound_tls_hint(ctx: &Context<'_>, chain: &[usize]) -> Option<String> {
    const NAME_HINTS: [&str; 6] = ["_URL", "_ENDPOINT", "_URI", "_API_KEY", "_TOKEN", "_HOST"];
    for &stage in chain {
        let info = &ctx.model.stages[stage];
        for index in info.from_instruction..info.instructions.end {
            let instr = ctx.instructions()[index];
            if !matches!(
                instr.keyword,
                Keyword::Env | Keyword::Arg | Keyword::Cmd | Keyword::Entrypoint
            ) {
                continue;
            }
            if instr.rest_text().contains("https://") {
                return Some(format!("`https://` on line {}", instr.start_line));
            }
            if matches!(instr.keyword, Keyword::Env | Keyword::Arg) {
                for arg in &instr.args {
                    let name = arg.value.split('=').next().unwrap_or_default();
                    let upper = name.to_ascii_uppercase();
                    if NAME_HINTS.iter().any(|h| upper.ends_with(h)) {
                        return Some(format!("`{name}` on line {}", instr.start_line));
                    }
                }
            }
        }
    }
    None
}

/// Every source and destination path of the COPY/ADD instructions of `chain`.
fn copied_paths(ctx: &Context<'_>, chain: &[usize]) -> Vec<String> {
    let mut paths = Vec::new();
    for &stage in chain {
        let info = &ctx.model.stages[stage];
        for index in info.from_instruction..info.instructions.end {
            if let Some(args) = copy_args(ctx, index) {
                paths.extend(args.sources.iter().filter_map(|s| s.value.clone()));
                paths.extend(args.dest.value.clone());
            }
        }
    }
    paths
}

/// Shell-form RUN/CMD/ENTRYPOINT/HEALTHCHECK in a stage whose image has no shell.
fn check_shell_forms(
    ctx: &Context<'_>,
    root: &MinimalRuntime<'_>,
    stage: usize,
    out: &mut Vec<Violation>,
) {
    let info = &ctx.model.stages[stage];
    // A shell copied into the stage (or its parents) before the instruction.
    let shell_copied_before = |index: usize| {
        root.chain.iter().any(|&s| {
            let st = &ctx.model.stages[s];
            (st.from_instruction..st.instructions.end.min(index)).any(|i| {
                copy_args(ctx, i).is_some_and(|args| {
                    args.sources
                        .iter()
                        .chain(std::iter::once(&args.dest))
                        .filter_map(|p| p.value.as_deref())
                        .any(|p| {
                            let base = p.trim_end_matches('/').rsplit('/').next().unwrap_or(p);
                            SHELLS.contains(&base) || p.contains("/busybox")
                        })
                })
            })
        })
    };
    let ships = ctx.ships(stage);
    for index in info.from_instruction + 1..info.instructions.end {
        let instr = ctx.instructions()[index];
        let custom_shell = ctx
            .model
            .state_at(index)
            .is_some_and(|s| s.shell.first().map(String::as_str) != Some("/bin/sh"));
        if custom_shell || shell_copied_before(index) {
            continue;
        }
        let image = root.text();
        match instr.keyword {
            Keyword::Run if !instr.json => {
                out.push(
                    Violation::new(
                        instr.keyword_span.start..instr.rest_span().end,
                        format!(
                            "shell-form `RUN` needs /bin/sh, and `{image}` has no shell: the build \
                             fails"
                        ),
                    )
                    .with_suggestion(Fix::display_only(
                        "Run it in a builder stage and copy the result, or use the exec form \
                         (`RUN [\"/bin/tool\", \"arg\"]`)",
                    )),
                );
            }
            Keyword::Cmd | Keyword::Entrypoint if !instr.json && ships => {
                let text = instr.rest_text();
                let mut violation = Violation::new(
                    instr.rest_span(),
                    format!(
                        "shell-form `{}` runs `/bin/sh -c`, and `{image}` has no shell: the \
                         container fails to start",
                        instr.keyword.as_str()
                    ),
                );
                violation = match exec_form(text) {
                    Some(json) => violation.with_fix(Fix::unsafe_edit(
                        format!("Use the exec form `{json}`"),
                        vec![Edit::replace(instr.rest_span(), json)],
                    )),
                    None => violation.with_suggestion(Fix::display_only(
                        "Use the exec form (`[\"/app\", \"arg\"]`)",
                    )),
                };
                out.push(violation);
            }
            Keyword::Healthcheck if !instr.json && ships => {
                let Some((span, text)) = healthcheck_command(instr) else {
                    continue;
                };
                let mut violation = Violation::new(
                    span.clone(),
                    format!(
                        "shell-form `HEALTHCHECK CMD` runs `/bin/sh -c`, and `{image}` has no \
                         shell: the check always fails"
                    ),
                );
                violation = match exec_form(&text) {
                    Some(json) => violation.with_fix(Fix::unsafe_edit(
                        format!("Use the exec form `{json}`"),
                        vec![Edit::replace(span, json)],
                    )),
                    None => violation.with_suggestion(Fix::display_only(
                        "Use the exec form (`HEALTHCHECK CMD [\"/app\", \"health\"]`)",
                    )),
                };
                out.push(violation);
            }
            _ => {}
        }
    }
}

/// The span and (joined) text of a shell-form `HEALTHCHECK CMD`'s command.
fn healthcheck_command(instr: &Instruction) -> Option<(Span, String)> {
    let [kind, command] = instr.args.as_slice() else {
        return None;
    };
    if !kind.value.eq_ignore_ascii_case("cmd") {
        return None;
    }
    let end = instr.rest_span().end;
    (command.span.start < end).then(|| (command.span.start..end, command.value.clone()))
}

/// `["/app", "--serve"]` for a command of plain words; `None` when the shell would do anything
/// but split on blanks (quotes, variables, globs, operators, escapes, line continuations).
fn exec_form(command: &str) -> Option<String> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-./:=,@%+".contains(c);
    let words: Vec<&str> = command
        .split([' ', '\t'])
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() || !words.iter().all(|w| w.chars().all(plain)) {
        return None;
    }
    let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    Some(format!("[{}]", quoted.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::exec_form;

    #[test]
    fn plain_words_only() {
        assert_eq!(
            exec_form("/app --port=8080 serve").as_deref(),
            Some(r#"["/app", "--port=8080", "serve"]"#)
        );
        assert_eq!(exec_form("/app $PORT"), None);
        assert_eq!(exec_form("/app && echo"), None);
        assert_eq!(exec_form("/app \"x y\""), None);
        assert_eq!(exec_form("/app \\\n  serve"), None);
    }
}
