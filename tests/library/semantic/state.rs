//! Variables and per-instruction state: global ARGs in FROM, build-arg overrides, unresolved
//! values, stage ARGs, and ENV/WORKDIR/USER/SHELL inherited through `FROM <stage>`.

use dlint::semantic::{EdgeKind, VarKind, VarValue};
use dlint::syntax::Keyword;

use super::{edges, model, model_with, nth};

#[test]
fn global_args_resolve_into_from() {
    let src = "ARG PY=3.12\nARG VARIANT=\"slim\"\nFROM python:${PY}-${VARIANT}\n";
    let m = model(src);
    let base = m.stages[0].base.as_ref().unwrap();
    assert_eq!(base.resolved_text.as_deref(), Some("python:3.12-slim"));
    assert_eq!(
        m.global_args.value("VARIANT"),
        Some("slim"),
        "quotes are removed"
    );

    // A build-arg overrides the default.
    let m = model_with(src, None, &[("PY", "3.13")]);
    let base = m.stages[0].base.as_ref().unwrap();
    assert_eq!(base.resolved_text.as_deref(), Some("python:3.13-slim"));

    // Defaults see earlier global ARGs, and modifiers work.
    let src = "ARG V=3\nARG FULL=${V}.20\nFROM alpine:${FULL}\nFROM alpine:${MISSING:-edge}\n";
    let m = model(src);
    let resolved: Vec<_> = m
        .stages
        .iter()
        .map(|s| s.base.as_ref().unwrap().resolved_text.clone())
        .collect();
    assert_eq!(
        resolved,
        [Some("alpine:3.20".into()), Some("alpine:edge".into())]
    );
}

#[test]
fn unresolved_args_are_never_guessed() {
    let src = "ARG TAG\nFROM alpine:$TAG\nFROM $UNDECLARED\nARG LATE=1\nFROM busybox:$LATE\nFROM ${TAG:-3.19}\n";
    let m = model(src);
    let bases: Vec<_> = m.stages.iter().map(|s| s.base.clone().unwrap()).collect();
    assert_eq!(bases[0].resolved, None, "an ARG without a default");
    assert_eq!(
        bases[0].parts.repository.as_deref(),
        Some("alpine"),
        "what is certain stays"
    );
    assert_eq!(bases[0].parts.tag, None);
    assert_eq!(bases[1].resolved, None, "an undeclared variable");
    assert_eq!(bases[1].parts.repository, None);
    assert_eq!(
        bases[2].resolved, None,
        "an ARG after the first FROM is not global"
    );
    assert_eq!(
        bases[3].resolved, None,
        "a declared ARG may be passed at build time"
    );
    assert_eq!(
        m.global_args.get("TAG").map(|v| &v.value),
        Some(&VarValue::NoDefault)
    );

    let m = model_with(src, None, &[("TAG", "3.20")]);
    assert_eq!(
        m.stages[0].base.as_ref().unwrap().resolved_text.as_deref(),
        Some("alpine:3.20")
    );

    // A bad substitution is unresolved, not an error.
    let m = model("FROM alpine:${TAG\n");
    assert_eq!(m.stages[0].base.as_ref().unwrap().resolved, None);

    // Platform ARGs resolve only when the build passes them.
    let src = "FROM --platform=$BUILDPLATFORM golang AS b\n";
    let m = model_with(src, None, &[("BUILDPLATFORM", "linux/arm64")]);
    let platform = m.stages[0].platform.as_ref().unwrap();
    assert_eq!(platform.resolved.as_deref(), Some("linux/arm64"));
}

#[test]
fn from_a_variable_naming_a_stage_is_a_stage_reference() {
    let src = "ARG BASE=builder\nFROM golang AS builder\nFROM ${BASE}\n";
    let m = model(src);
    assert_eq!(m.stages[1].parent, Some(0));
    assert!(m.stages[1].base.is_none());
    assert_eq!(edges(&m), [(0, 1, EdgeKind::From)]);
    let m = model_with(src, None, &[("BASE", "alpine")]);
    assert_eq!(m.stages[1].parent, None);
}

#[test]
fn stage_args_pick_up_global_defaults_only_when_redeclared() {
    let src = "ARG V=1\nARG NODEF\nFROM alpine\nRUN echo\nARG V\nARG NODEF\nARG W=$V-x\nRUN echo\n";
    let m = model(src);
    let first_run = nth(src, Keyword::Run, 0);
    let second_run = nth(src, Keyword::Run, 1);
    assert!(
        m.var_at(first_run, "V").is_none(),
        "global ARGs are FROM-only"
    );
    let v = m.var_at(second_run, "V").unwrap();
    assert_eq!(
        (v.kind, &v.value),
        (VarKind::Arg, &VarValue::Known("1".into()))
    );
    assert_eq!(v.instruction, Some(nth(src, Keyword::Arg, 2)));
    assert_eq!(
        m.var_at(second_run, "NODEF").map(|v| &v.value),
        Some(&VarValue::NoDefault)
    );
    assert_eq!(m.state_at(second_run).unwrap().vars.value("W"), Some("1-x"));
    assert!(!m.env_is_set(second_run, "NODEF"));
    assert!(m.env_is_set(second_run, "V"));

    let m = model_with(src, None, &[("V", "9"), ("NODEF", "set")]);
    assert_eq!(m.state_at(second_run).unwrap().vars.value("W"), Some("9-x"));
    assert!(m.env_is_set(second_run, "NODEF"));
}

#[test]
fn env_workdir_user_and_shell_are_inherited_through_from() {
    let src = r#"FROM alpine AS base
ENV APP_HOME=/srv/app A=1
WORKDIR /srv
USER app
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ONBUILD ENV TRIGGER=1
FROM base AS child
ENV A=2 B=$A-x
WORKDIR app
RUN make
FROM scratch
SHELL ["powershell", "-Command"]
RUN dir
"#;
    let m = model(src);
    let run = nth(src, Keyword::Run, 0);
    let state = m.state_at(run).unwrap();
    assert_eq!(state.vars.value("APP_HOME"), Some("/srv/app"));
    assert_eq!(state.vars.value("A"), Some("2"));
    assert_eq!(
        state.vars.value("B"),
        Some("1-x"),
        "ENV expands with the old values"
    );
    assert_eq!(
        state.vars.get("TRIGGER"),
        None,
        "ONBUILD does not run in this build"
    );
    assert_eq!(
        state.workdir.as_deref(),
        Some("/srv/app"),
        "relative to the inherited WORKDIR"
    );
    assert_eq!(state.user.as_ref().map(|u| u.raw.as_str()), Some("app"));
    assert_eq!(state.shell[0], "/bin/bash");
    assert!(m.posix_shell_at(run));
    assert!(m.env_is_set(run, "A"));
    assert!(!m.env_is_set(run, "PIP_NO_CACHE_DIR"));

    // The base stage's own state is untouched by the child.
    let base_end = m.final_state(0).unwrap();
    assert_eq!(base_end.vars.value("A"), Some("1"));
    assert_eq!(base_end.workdir.as_deref(), Some("/srv"));

    let dir = nth(src, Keyword::Run, 1);
    assert!(!m.posix_shell_at(dir));
    let scratch = m.state_at(dir).unwrap();
    assert_eq!(scratch.workdir.as_deref(), Some("/"));
    assert!(scratch.user.is_none());
    assert!(scratch.vars.get("APP_HOME").is_none());
}

#[test]
fn unknown_values_stay_unknown() {
    let src = "FROM node:20\nWORKDIR app\nENV P=$PATH:/x\nUSER $NAME\nRUN npm ci\nWORKDIR /abs\nWORKDIR rel\nRUN ls\n";
    let m = model(src);
    let run = nth(src, Keyword::Run, 0);
    let state = m.state_at(run).unwrap();
    assert_eq!(
        state.workdir, None,
        "relative to the image's unknown WORKDIR"
    );
    assert_eq!(
        state.vars.get("P").map(|v| &v.value),
        Some(&VarValue::Unknown)
    );
    assert!(
        m.env_is_set(run, "P"),
        "an ENV is set even when its value is unknown"
    );
    let user = state.user.as_ref().unwrap();
    assert_eq!(
        (user.raw.as_str(), user.resolved.as_deref()),
        ("$NAME", None)
    );
    let later = nth(src, Keyword::Run, 1);
    assert_eq!(
        m.state_at(later).unwrap().workdir.as_deref(),
        Some("/abs/rel")
    );
}

/// A Python app: ARG-resolved base, ENV/WORKDIR/USER inherited by a child stage, a mount from
/// a later stage, an unresolved FROM, a COPY from an image.
const PYTHON_APP: &str = "\
ARG PY=3.12
ARG BASE
FROM python:${PY}-slim AS Base
ENV APP_HOME=/app PATH=/venv/bin:$PATH
WORKDIR $APP_HOME
USER app

FROM base AS build
WORKDIR src
RUN --mount=type=cache,target=/root/.cache/pip --mount=from=deps,source=/w,target=/w pip install .

FROM golang:1.23 AS deps
RUN go version

FROM ${BASE} AS unresolved

FROM gcr.io/distroless/python3-debian13 AS docs
COPY --from=build /app /app

FROM base
COPY --from=1 /app/dist /app
COPY --from=ghcr.io/acme/tools:1 /bin/tool /bin/tool
";

#[test]
fn python_app_stages_edges_and_state() {
    let m = model(PYTHON_APP);
    assert_eq!(m.stages.len(), 6);
    assert_eq!(m.stages[0].name.as_deref(), Some("base"));
    let image = m.stages[0].base.as_ref().and_then(|b| b.resolved.as_ref());
    assert_eq!(
        image.map(ToString::to_string).as_deref(),
        Some("python:3.12-slim")
    );
    assert_eq!((m.stages[1].parent, m.stages[5].parent), (Some(0), Some(0)));
    assert!(m.stages[3]
        .base
        .as_ref()
        .is_some_and(|b| b.resolved.is_none()));
    assert_eq!(m.runtime, Some(5));

    let got = edges(&m);
    for edge in [
        (0, 1, EdgeKind::From),
        (2, 1, EdgeKind::Mount),
        (1, 5, EdgeKind::Copy),
        (1, 4, EdgeKind::Copy),
    ] {
        assert!(got.contains(&edge), "{edge:?} in {got:?}");
    }
    let images: Vec<_> = m
        .references
        .iter()
        .filter_map(|r| match &r.source {
            dlint::semantic::Source::Image(image) => Some(image.repository.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(images, ["ghcr.io/acme/tools"]);
    let reachable: Vec<bool> = m.stages.iter().map(|s| s.reachable).collect();
    assert_eq!(reachable, [true, true, true, false, false, true]);
    assert!(m.ships(0) && m.ships(5) && !m.ships(1));

    let run = nth(PYTHON_APP, Keyword::Run, 0);
    let state = m.state_at(run).unwrap();
    assert_eq!(state.workdir.as_deref(), Some("/app/src"));
    assert_eq!(
        state.user.as_ref().and_then(|u| u.resolved.as_deref()),
        Some("app")
    );
    assert_eq!(state.vars.value("APP_HOME"), Some("/app"));
    assert_eq!(
        state.vars.get("PATH").map(|v| &v.value),
        Some(&VarValue::Unknown),
        "PATH extends the image's PATH, which only the image knows"
    );
    assert_eq!(m.cache_mount_targets(run), ["/root/.cache/pip"]);
    assert!(m.env_is_set(run, "APP_HOME"));
    assert!(!m.env_is_set(run, "PIP_NO_CACHE_DIR"));

    let m = model_with(PYTHON_APP, Some("DOCS"), &[]);
    assert_eq!(m.runtime, Some(4));
    assert!(m.stages[1].reachable && m.stages[0].reachable);
    assert!(m.stages[2].reachable, "deps is mounted into build");
    assert!(!m.stages[5].reachable && !m.stages[3].reachable);
}

#[test]
fn windows_images_run_cmd() {
    let src = "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir\nFROM alpine\nRUN ls\nFROM python:3.12-windowsservercore\nSHELL [\"powershell\", \"-Command\"]\nRUN ls\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nSHELL [\"cmd\", \"/S\", \"/C\"]\nSHELL [\"C:\\\\bin\\\\bash.exe\", \"-c\"]\nRUN ls\n";
    let m = model(src);
    let runs: Vec<bool> = (0..4)
        .map(|i| m.posix_shell_at(nth(src, Keyword::Run, i)))
        .collect();
    assert_eq!(runs, [false, true, false, true], "bash.exe is bash");
    assert_eq!(&*m.state_at(1).unwrap().shell, ["cmd", "/S", "/C"]);
}
