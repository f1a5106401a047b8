//! Robustness: empty and hostile files, 10,000-stage files, random text, and
//! every file of the shared corpus.

use dlint::semantic::{render_graph, GraphFormat, Model};
use dlint::syntax::{parse, Keyword};

use super::model;
use crate::common;

#[test]
fn empty_and_headless_files() {
    let m = model("");
    assert!(m.stages.is_empty());
    assert_eq!(m.runtime, None);
    for format in [
        GraphFormat::Text,
        GraphFormat::Json,
        GraphFormat::Dot,
        GraphFormat::Mermaid,
    ] {
        assert!(!render_graph(&m, format).is_empty());
    }
    let m = model("ARG A=1\nRUN echo\n");
    assert!(m.stages.is_empty());
    assert_eq!(m.stage_of(1), None);
    assert!(!m.posix_shell_at(1), "no stage, no shell");
    let m = model("FROM\nFROM AS x\n");
    assert!(m
        .stages
        .iter()
        .all(|s| s.base.is_some() != s.parent.is_some()));
}
#[test]
fn hostile_names_are_escaped_in_dot_and_mermaid() {
    let m = model("FROM \"evil\\\"image AS a\"b\nFROM a\"b\n");
    let dot = render_graph(&m, GraphFormat::Dot);
    for line in dot.lines().filter(|l| l.contains("label=")) {
        // Every label is one well-formed quoted string: unescaped quotes come in pairs.
        let unescaped = line.replace("\\\\", "").replace("\\\"", "");
        assert_eq!(unescaped.matches('"').count() % 2, 0, "{line}");
    }
    let mermaid = render_graph(&m, GraphFormat::Mermaid);
    for line in mermaid.lines().filter(|l| l.contains("[\"")) {
        assert_eq!(line.matches('"').count(), 2, "{line}");
    }
}

/// A long chain of stages, each built FROM the previous and copying from the first, with
/// ENVs: the model must build in time linear in the file.
fn chain(stages: usize) -> String {
    let mut src = String::from("ARG V=1\nFROM alpine AS s0\n");
    for i in 1..stages {
        src.push_str(&format!(
            "FROM s{} AS s{i}\nENV E{i}=$V\nCOPY --from=s0 /a /a\nRUN --mount=type=cache,target=/c true\n",
            i - 1
        ));
    }
    src
}

#[test]
fn ten_thousand_stages_build_correctly() {
    let large = parse(&chain(10_000));
    let m = Model::build(&large, None);
    assert_eq!(m.stages.len(), 10_000);
    assert_eq!(m.inherits(9_999).count(), 9_999);
    assert!(m.ships(0), "the whole chain ships");
    let last_run = m.stages[9_999].instructions.end - 1;
    assert_eq!(m.state_at(last_run).unwrap().vars.len(), 9_999, "E1..E9999");
}

#[test]
fn arbitrary_text_never_panics() {
    let pieces = [
        "FROM ",
        "AS ",
        "a",
        "$",
        "${",
        "}",
        ":-",
        "/",
        "@",
        ":",
        "\"",
        "'",
        "\\",
        "\n",
        " ",
        "COPY --from=",
        "RUN --mount=",
        "type=cache,",
        "target=",
        "ARG ",
        "ENV ",
        "=",
        "WORKDIR ",
        "..",
        "USER ",
        "SHELL [\"",
        "]",
        "0",
        "-1",
        "é",
        ",",
        "ONBUILD ",
    ];
    // A deterministic pseudo-random walk over the pieces.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..3_000 {
        let mut src = String::new();
        for _ in 0..24 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            src.push_str(pieces[(state % pieces.len() as u64) as usize]);
        }
        let m = Model::build(&parse(&src), Some("a"));
        for format in [
            GraphFormat::Text,
            GraphFormat::Json,
            GraphFormat::Dot,
            GraphFormat::Mermaid,
        ] {
            let _ = render_graph(&m, format);
        }
        assert!(
            m.stages
                .iter()
                .all(|s| s.base.is_some() != s.parent.is_some()),
            "{src:?}"
        );
    }
}

#[test]
fn corpus_models_build() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let dir = shared.join("corpus/real");
    let mut files = Vec::new();
    let mut stack = vec![dir];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("corpus directory") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(
        files.len() > 1000,
        "expected the real corpus, found {}",
        files.len()
    );
    let (mut stages, mut resolved, mut edges) = (0, 0, 0);
    for path in &files {
        let source = common::read_text(path);
        let parsed = parse(&source);
        let m = Model::build(&parsed, None);
        let froms = parsed
            .tree
            .instructions()
            .filter(|i| i.keyword == Keyword::From)
            .count();
        assert_eq!(m.stages.len(), froms, "{}", path.display());
        for stage in &m.stages {
            assert!(
                stage.base.is_some() != stage.parent.is_some(),
                "{}: stage {} has neither or both of base and parent",
                path.display(),
                stage.index
            );
            if let Some(p) = stage.parent {
                assert!(
                    p < stage.index,
                    "{}: FROM names a later stage",
                    path.display()
                );
            }
            stages += 1;
            resolved += usize::from(stage.base.as_ref().is_some_and(|b| b.resolved.is_some()));
        }
        if froms > 0 {
            assert!(m.runtime_stage().is_some_and(|s| s.reachable && s.ships));
        }
        edges += m.edges.len();
        let json: serde_json::Value =
            serde_json::from_str(&render_graph(&m, GraphFormat::Json)).expect("graph JSON");
        assert_eq!(
            json["stages"].as_array().map(Vec::len),
            Some(m.stages.len())
        );
    }
    eprintln!(
        "corpus: {} files, {stages} stages, {resolved} resolved bases, {edges} edges",
        files.len()
    );
    assert!(
        resolved * 10 > stages * 8,
        "most bases should resolve: {resolved}/{stages}"
    );
}
