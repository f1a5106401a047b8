//! The semantic layer on real Dockerfiles: stages, edges, runtime and reachability, and the
//! four graph renderings. Variable scopes and robustness (corpus, size, garbage) are in the
//! submodules under `tests/library/semantic/`.

#[path = "semantic/robustness.rs"]
mod robustness;
#[path = "semantic/state.rs"]
mod state;

use std::collections::BTreeMap;

use dlint::semantic::{render_graph, EdgeKind, GraphFormat, Model, MountKind, Source};
use dlint::syntax::{parse, Keyword};

pub(crate) fn model(src: &str) -> Model {
    Model::build(&parse(src), None)
}

pub(crate) fn model_with(src: &str, target: Option<&str>, args: &[(&str, &str)]) -> Model {
    let args: BTreeMap<String, String> = args
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Model::build_with_args(&parse(src), target, &args)
}

/// Index of the `nth` instruction with `keyword` (0-based).
pub(crate) fn nth(src: &str, keyword: Keyword, nth: usize) -> usize {
    parse(src)
        .tree
        .instructions()
        .enumerate()
        .filter(|(_, i)| i.keyword == keyword)
        .nth(nth)
        .map(|(index, _)| index)
        .unwrap_or_else(|| panic!("no {keyword:?} number {nth}"))
}

pub(crate) fn edges(model: &Model) -> Vec<(usize, usize, EdgeKind)> {
    model.edges.iter().map(|e| (e.from, e.to, e.kind)).collect()
}

const MULTI_STAGE: &str = r#"# syntax=docker/dockerfile:1
ARG GO_VERSION=1.22
ARG RUNTIME=gcr.io/distroless/static-debian12
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS Build
WORKDIR /src
RUN --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=bind,from=assets,source=/web/dist,target=web \
    go build -o /out/app .

FROM node:20-slim AS assets
RUN npm ci && npm run build

FROM build AS test
RUN go test ./...

FROM ${RUNTIME}:nonroot
COPY --from=BUILD /out/app /app
COPY --from=1 /web/dist /srv/www
COPY --from=nginx:1.27 /etc/nginx/mime.types /etc/mime.types
USER nonroot
ENTRYPOINT ["/app"]
"#;

#[test]
fn stages_names_bases_and_parents() {
    let m = model(MULTI_STAGE);
    assert_eq!(m.stages.len(), 4);
    let names: Vec<_> = m.stages.iter().map(|s| s.name.as_deref()).collect();
    assert_eq!(names, [Some("build"), Some("assets"), Some("test"), None]);

    let build = &m.stages[0];
    let base = build.base.as_ref().expect("build has a base image");
    assert_eq!(base.raw, "golang:${GO_VERSION}-alpine");
    assert_eq!(base.resolved_text.as_deref(), Some("golang:1.22-alpine"));
    let image = base.resolved.as_ref().expect("resolved");
    assert_eq!(image.repository, "golang");
    assert_eq!(image.tag.as_deref(), Some("1.22-alpine"));
    assert_eq!(base.parts, image.parts());
    assert_eq!(&MULTI_STAGE[base.span.clone()], base.raw);
    let platform = build.platform.as_ref().expect("platform flag");
    assert_eq!(platform.raw, "$BUILDPLATFORM");
    assert_eq!(
        platform.resolved, None,
        "BUILDPLATFORM depends on the machine"
    );

    let test = &m.stages[2];
    assert_eq!(test.parent, Some(0), "FROM build names stage 0");
    assert!(test.base.is_none());
    assert_eq!(
        m.root_base(2).and_then(|b| b.resolved_text.as_deref()),
        Some("golang:1.22-alpine")
    );
    assert_eq!(m.inherits(2).collect::<Vec<_>>(), [0]);

    let runtime = &m.stages[3];
    let base = runtime.base.as_ref().unwrap();
    assert_eq!(
        base.resolved_text.as_deref(),
        Some("gcr.io/distroless/static-debian12:nonroot")
    );
    let image = base.resolved.as_ref().unwrap();
    assert_eq!(image.registry.as_deref(), Some("gcr.io"));
    assert_eq!(image.path, "distroless/static-debian12");
    assert_eq!(image.repository, "gcr.io/distroless/static-debian12");

    // Instruction ranges partition the file from the first FROM on.
    let from = nth(MULTI_STAGE, Keyword::From, 0);
    assert_eq!(m.stage_of(0), None, "a global ARG belongs to no stage");
    assert_eq!(m.stages[0].instructions.start, from);
    for pair in m.stages.windows(2) {
        assert_eq!(pair[0].instructions.end, pair[1].instructions.start);
        assert_eq!(pair[1].from_instruction, pair[1].instructions.start);
    }
    let total = parse(MULTI_STAGE).tree.instructions().count();
    assert_eq!(m.stages[3].instructions.end, total);
    for stage in &m.stages {
        for i in stage.instructions.clone() {
            assert_eq!(m.stage_of(i), Some(stage.index));
        }
    }
}

#[test]
fn copy_from_by_name_index_and_image_and_mount_from() {
    let m = model(MULTI_STAGE);
    let mut got = edges(&m);
    got.sort();
    assert_eq!(
        got,
        [
            (0, 2, EdgeKind::From),
            (0, 3, EdgeKind::Copy),
            (1, 0, EdgeKind::Mount),
            (1, 3, EdgeKind::Copy),
        ]
    );
    let image = m
        .references
        .iter()
        .find_map(|r| match &r.source {
            Source::Image(image) => Some(image),
            _ => None,
        })
        .expect("COPY --from=nginx:1.27 is an image");
    assert_eq!(image.repository, "nginx");
    assert_eq!(image.tag.as_deref(), Some("1.27"));
    assert_eq!(m.references.len(), 4);
    assert_eq!(m.dependencies(3), [0, 1]);
    assert_eq!(m.dependencies(0), [1]);

    let run = nth(MULTI_STAGE, Keyword::Run, 0);
    let mounts = m.mounts(run);
    assert_eq!(mounts.len(), 2);
    assert_eq!(mounts[1].kind, MountKind::Bind);
    assert_eq!(mounts[1].from.as_deref(), Some("assets"));
    assert_eq!(
        mounts[1].target_path.as_deref(),
        Some("/src/web"),
        "relative to WORKDIR"
    );
    assert_eq!(m.cache_mount_targets(run), ["/root/.cache/go-build"]);
}

#[test]
fn runtime_reachability_and_shipping() {
    let m = model(MULTI_STAGE);
    assert_eq!(m.runtime, Some(3));
    let flags: Vec<_> = m
        .stages
        .iter()
        .map(|s| (s.runtime, s.reachable, s.ships))
        .collect();
    assert_eq!(
        flags,
        [
            (false, true, false),
            (false, true, false),
            (false, false, false),
            (true, true, true),
        ]
    );
    assert!(m.stages[2].is_build_stage());

    // `--target test`: test and the stage it is built FROM ship; the rest is unreachable.
    let m = model_with(MULTI_STAGE, Some("TEST"), &[]);
    assert_eq!(m.runtime, Some(2));
    let flags: Vec<_> = m
        .stages
        .iter()
        .map(|s| (s.runtime, s.reachable, s.ships))
        .collect();
    assert_eq!(
        flags,
        [
            (false, true, true),
            (false, true, false),
            (true, true, true),
            (false, false, false),
        ]
    );
    assert!(m.ships(0) && !m.ships(1) && !m.ships(3));

    // BuildKit fails on an unknown target: nothing is the runtime stage.
    let m = model_with(MULTI_STAGE, Some("nope"), &[]);
    assert_eq!(m.unknown_target.as_deref(), Some("nope"));
    assert_eq!(m.runtime, None);
    assert!(m.stages.iter().all(|s| !s.reachable && !s.ships));
}

#[test]
fn from_only_sees_earlier_stages_but_copy_sees_all() {
    let src = "FROM alpine AS a\nCOPY --from=b /x /x\nFROM b\nFROM alpine AS b\nCOPY --from=7 /y /y\nCOPY --from=A /z /z\n";
    let m = model(src);
    // `FROM b` comes before stage b exists: it is an image called b.
    assert_eq!(m.stages[1].parent, None);
    assert_eq!(
        m.stages[1]
            .base
            .as_ref()
            .and_then(|b| b.resolved.as_ref())
            .map(|image| image.repository.as_str()),
        Some("b")
    );
    let sources: Vec<_> = m.references.iter().map(|r| r.source.clone()).collect();
    assert_eq!(
        sources[0],
        Source::Stage(2),
        "COPY --from may name a later stage"
    );
    assert_eq!(sources[1], Source::Invalid);
    assert_eq!(
        sources[2],
        Source::Stage(0),
        "stage names are case-insensitive"
    );
}

#[test]
fn duplicate_names_resolve_to_the_latest_definition() {
    let src = "FROM alpine AS x\nFROM debian AS x\nFROM x\nCOPY --from=x /a /a\n";
    let m = model(src);
    assert_eq!(m.stages[2].parent, Some(1));
    assert_eq!(m.references[0].source, Source::Stage(1));
    assert_eq!(m.stage_by_name("X").map(|s| s.index), Some(1));
}
#[test]
fn graph_renderings() {
    let m = model(MULTI_STAGE);
    insta::with_settings!({snapshot_path => "../../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("semantic_graph_text", render_graph(&m, GraphFormat::Text));
        insta::assert_snapshot!("semantic_graph_json", render_graph(&m, GraphFormat::Json));
        insta::assert_snapshot!("semantic_graph_dot", render_graph(&m, GraphFormat::Dot));
        insta::assert_snapshot!("semantic_graph_mermaid", render_graph(&m, GraphFormat::Mermaid));
    });
}

#[test]
fn json_graph_contract() {
    let m = model(MULTI_STAGE);
    let value: serde_json::Value =
        serde_json::from_str(&render_graph(&m, GraphFormat::Json)).expect("valid JSON");
    let stages = value["stages"].as_array().unwrap();
    assert_eq!(stages.len(), m.stages.len());
    for stage in stages {
        let keys: Vec<_> = stage.as_object().unwrap().keys().cloned().collect();
        let mut keys = keys;
        keys.sort();
        assert_eq!(
            keys,
            [
                "base",
                "index",
                "name",
                "parent",
                "platform",
                "reachable",
                "runtime"
            ]
        );
        assert!(stage["base"].is_null() != stage["parent"].is_null());
        if let Some(base) = stage["base"].as_object() {
            let mut keys: Vec<_> = base.keys().cloned().collect();
            keys.sort();
            assert_eq!(
                keys,
                ["digest", "raw", "registry", "repository", "resolved", "tag"]
            );
        }
    }
    for edge in value["edges"].as_array().unwrap() {
        let kind = edge["kind"].as_str().unwrap();
        assert!(["from", "copy", "mount"].contains(&kind));
        assert!(edge["from"].as_u64().unwrap() < stages.len() as u64);
    }
}
