//! The stage graph: stages, bases, edges, runtime stage, reachability and per-stage state.

mod common;

use dlint::semantic::{render_graph, EdgeKind, GraphFormat, Model};
use dlint::syntax::parse;

const MULTI: &str = "\
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
fn stages_bases_and_parents() {
    let parsed = parse(MULTI);
    let model = Model::build(&parsed, None);
    assert_eq!(model.stages.len(), 6);
    let base = &model.stages[0];
    assert_eq!(
        base.name.as_deref(),
        Some("base"),
        "stage names are lower-cased"
    );
    let resolved = base.base.as_ref().unwrap().resolved.as_ref().unwrap();
    assert_eq!(resolved.to_string(), "python:3.12-slim");
    assert_eq!(
        model.stages[1].parent,
        Some(0),
        "FROM base (case-insensitive) is a stage"
    );
    assert!(
        model.stages[3].base.as_ref().unwrap().resolved.is_none(),
        "ARG without default is unresolved"
    );
    assert_eq!(model.stages[5].parent, Some(0));
    assert_eq!(model.runtime, Some(5));
}

#[test]
fn edges_and_reachability() {
    let parsed = parse(MULTI);
    let model = Model::build(&parsed, None);
    let edges: Vec<_> = model.edges.iter().map(|e| (e.from, e.to, e.kind)).collect();
    assert!(edges.contains(&(0, 1, EdgeKind::From)));
    assert!(
        edges.contains(&(2, 1, EdgeKind::Mount)),
        "--mount=from may name a later stage"
    );
    assert!(
        edges.contains(&(1, 5, EdgeKind::Copy)),
        "COPY --from=1 by index"
    );
    assert!(edges.contains(&(1, 4, EdgeKind::Copy)));
    assert_eq!(model.external_sources.len(), 1);
    assert_eq!(
        model.external_sources[0].image.repository,
        "ghcr.io/acme/tools"
    );
    let reachable: Vec<bool> = model.stages.iter().map(|s| s.reachable).collect();
    assert_eq!(reachable, [true, true, true, false, false, true]);
    assert!(model.ships(0) && model.ships(5) && !model.ships(1));
}

#[test]
fn target_selects_the_runtime_stage() {
    let parsed = parse(MULTI);
    let model = Model::build(&parsed, Some("DOCS"));
    assert_eq!(model.runtime, Some(4));
    assert!(model.stages[1].reachable && model.stages[0].reachable);
    let model = Model::build(&parsed, Some("nope"));
    assert_eq!(model.runtime, None);
    assert_eq!(model.unknown_target.as_deref(), Some("nope"));
}

#[test]
fn state_is_inherited_through_from() {
    let parsed = parse(MULTI);
    let model = Model::build(&parsed, None);
    let instructions: Vec<_> = parsed.tree.instructions().collect();
    let run = instructions
        .iter()
        .position(|i| i.rest_text().starts_with("pip install"))
        .unwrap();
    let state = model.state_at(run).unwrap();
    assert_eq!(&*state.workdir, "/app/src");
    assert_eq!(state.user.as_deref(), Some("app"));
    assert_eq!(
        state.env.get("APP_HOME").cloned().flatten().as_deref(),
        Some("/app")
    );
    assert_eq!(model.cache_mount_targets(run), ["/root/.cache/pip"]);
    assert!(model.env_is_set(run, "APP_HOME"));
    assert!(!model.env_is_set(run, "PIP_NO_CACHE_DIR"));
}

#[test]
fn windows_stages_are_not_posix() {
    let src = "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir\nFROM alpine\nRUN ls\n";
    let parsed = parse(src);
    let model = Model::build(&parsed, None);
    assert!(!model.posix_shell_at(1));
    assert!(model.posix_shell_at(3));
}

#[test]
fn graph_renderings_snapshot() {
    let parsed = parse(MULTI);
    let model = Model::build(&parsed, None);
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_snapshot!("semantic_graph_text", render_graph(&model, GraphFormat::Text));
        insta::assert_snapshot!("semantic_graph_json", render_graph(&model, GraphFormat::Json));
        insta::assert_snapshot!("semantic_graph_dot", render_graph(&model, GraphFormat::Dot));
        insta::assert_snapshot!("semantic_graph_mermaid", render_graph(&model, GraphFormat::Mermaid));
    });
}

#[test]
fn every_corpus_stage_has_a_base_or_a_parent() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let mut stages = 0;
    for entry in walk(&shared.join("corpus/real")) {
        let parsed = parse(&common::read_text(&entry));
        let model = Model::build(&parsed, None);
        for stage in &model.stages {
            stages += 1;
            assert!(
                stage.base.is_some() || stage.parent.is_some(),
                "{}: stage {}",
                entry.display(),
                stage.index
            );
        }
        assert_eq!(model.runtime, model.stages.len().checked_sub(1));
    }
    assert!(stages > 1500);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
