//! `dlint graph`: the stage graph as text, JSON (a stable contract), Graphviz dot or Mermaid.

use serde_json::{json, Value};

use super::model::{EdgeKind, Model, Stage};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    Text,
    Json,
    Dot,
    Mermaid,
}

pub fn render_graph(model: &Model, format: GraphFormat) -> String {
    match format {
        GraphFormat::Text => text(model),
        GraphFormat::Json => {
            serde_json::to_string_pretty(&graph_json(model)).unwrap_or_default() + "\n"
        }
        GraphFormat::Dot => dot(model),
        GraphFormat::Mermaid => mermaid(model),
    }
}

fn label(stage: &Stage) -> String {
    match &stage.name {
        Some(name) => format!("{} ({name})", stage.index),
        None => stage.index.to_string(),
    }
}

fn origin(model: &Model, stage: &Stage) -> String {
    match (&stage.base, stage.parent) {
        (_, Some(parent)) => format!("stage {}", label(&model.stages[parent])),
        (Some(base), None) => match &base.resolved {
            Some(r) if r.to_string() != base.raw => format!("{} = {r}", base.raw),
            Some(_) => base.raw.clone(),
            None => format!("{} (unresolved)", base.raw),
        },
        (None, None) => "(no image)".to_string(),
    }
}

fn kind_str(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::From => "from",
        EdgeKind::Copy => "copy",
        EdgeKind::Mount => "mount",
    }
}

fn text(model: &Model) -> String {
    let mut out = String::new();
    for stage in &model.stages {
        let mut marks = Vec::new();
        if stage.runtime {
            marks.push("runtime");
        } else if !stage.reachable {
            marks.push("unreachable");
        }
        if let Some(p) = &stage.platform {
            out.push_str(&format!(
                "stage {} FROM --platform={p} {}",
                label(stage),
                origin(model, stage)
            ));
        } else {
            out.push_str(&format!(
                "stage {} FROM {}",
                label(stage),
                origin(model, stage)
            ));
        }
        if !marks.is_empty() {
            out.push_str(&format!("  [{}]", marks.join(", ")));
        }
        out.push('\n');
    }
    for edge in &model.edges {
        out.push_str(&format!(
            "{} -> {} ({})\n",
            label(&model.stages[edge.from]),
            label(&model.stages[edge.to]),
            kind_str(edge.kind)
        ));
    }
    if let Some(target) = &model.unknown_target {
        out.push_str(&format!("warning: --target {target} names no stage\n"));
    }
    out
}

/// The JSON contract: `{"stages": [{index, name, base, parent, platform, runtime, reachable}],
/// "edges": [{from, to, kind}]}`.
pub fn graph_json(model: &Model) -> Value {
    let stages: Vec<Value> = model
        .stages
        .iter()
        .map(|s| {
            let base = s.base.as_ref().filter(|_| s.parent.is_none()).map(|b| {
                let r = b.resolved.as_ref();
                json!({
                    "raw": b.raw,
                    "resolved": r.map(|r| r.to_string()),
                    "registry": r.and_then(|r| r.registry.clone()),
                    "repository": r.map(|r| r.repository.clone()),
                    "tag": r.and_then(|r| r.tag.clone()),
                    "digest": r.and_then(|r| r.digest.clone()),
                })
            });
            json!({
                "index": s.index,
                "name": s.name,
                "base": base,
                "parent": s.parent,
                "platform": s.platform,
                "runtime": s.runtime,
                "reachable": s.reachable,
            })
        })
        .collect();
    let edges: Vec<Value> = model
        .edges
        .iter()
        .map(|e| json!({"from": e.from, "to": e.to, "kind": kind_str(e.kind)}))
        .collect();
    json!({ "stages": stages, "edges": edges })
}

fn escape_dot(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn dot(model: &Model) -> String {
    let mut out = String::from("digraph stages {\n  rankdir=LR;\n  node [shape=box];\n");
    for stage in &model.stages {
        let style = if stage.runtime {
            ", style=bold"
        } else if !stage.reachable {
            ", style=dashed"
        } else {
            ""
        };
        out.push_str(&format!(
            "  s{} [label=\"{}\\n{}\"{style}];\n",
            stage.index,
            escape_dot(&label(stage)),
            escape_dot(&origin(model, stage))
        ));
    }
    for edge in &model.edges {
        out.push_str(&format!(
            "  s{} -> s{} [label=\"{}\"];\n",
            edge.from,
            edge.to,
            kind_str(edge.kind)
        ));
    }
    out.push_str("}\n");
    out
}

fn escape_mermaid(s: &str) -> String {
    s.replace('"', "#quot;")
}

fn mermaid(model: &Model) -> String {
    let mut out = String::from("flowchart LR\n");
    for stage in &model.stages {
        out.push_str(&format!(
            "  s{}[\"{}<br/>{}\"]\n",
            stage.index,
            escape_mermaid(&label(stage)),
            escape_mermaid(&origin(model, stage))
        ));
    }
    for edge in &model.edges {
        out.push_str(&format!(
            "  s{} -->|{}| s{}\n",
            edge.from,
            kind_str(edge.kind),
            edge.to
        ));
    }
    if let Some(runtime) = model.runtime {
        out.push_str(&format!("  style s{runtime} stroke-width:3px\n"));
    }
    out
}
