//! `dlint graph`: the stage graph as text, JSON (a stable contract), Graphviz DOT or Mermaid.

use std::collections::HashSet;
use std::fmt::Write;

use serde::Serialize;

use super::model::{Base, Edge, Model, Stage};
use super::purpose::{Purposes, StagePurpose};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    Text,
    Json,
    Dot,
    Mermaid,
}

/// Renders the graph for `dlint graph`.
pub fn render_graph(model: &Model, format: GraphFormat) -> String {
    render_graph_with_purposes(model, None, format)
}

/// Renders the graph with each stage's purpose (text and JSON show it).
pub fn render_graph_with_purposes(
    model: &Model,
    purposes: Option<&Purposes>,
    format: GraphFormat,
) -> String {
    match format {
        GraphFormat::Text => text(model, purposes),
        GraphFormat::Json => json(model, purposes),
        GraphFormat::Dot => dot(model),
        GraphFormat::Mermaid => mermaid(model),
    }
}

/// Edges for display: one per (from, to, kind), in first-appearance order.
fn distinct_edges(model: &Model) -> Vec<&Edge> {
    let mut seen = HashSet::new();
    model
        .edges
        .iter()
        .filter(|e| seen.insert((e.from, e.to, e.kind)))
        .collect()
}

/// `#0 build`, or `#0` for an unnamed stage.
fn stage_title(stage: &Stage) -> String {
    match &stage.name {
        Some(name) => format!("#{} {name}", stage.index),
        None => format!("#{}", stage.index),
    }
}

/// The base as written, with its resolution when that differs.
fn base_text(base: &Base) -> String {
    match &base.resolved_text {
        Some(resolved) if *resolved == base.raw => base.raw.clone(),
        Some(resolved) => format!("{} => {resolved}", base.raw),
        None => format!("{} (unresolved)", base.raw),
    }
}

/// What the stage starts from, in one line.
fn origin_text(model: &Model, stage: &Stage) -> String {
    match (&stage.base, stage.parent) {
        (_, Some(parent)) => match model.stage(parent) {
            Some(p) => format!("FROM stage {}", stage_title(p)),
            None => format!("FROM stage #{parent}"),
        },
        (Some(base), None) => base_text(base),
        (None, None) => "(no base)".to_string(),
    }
}

fn text(model: &Model, purposes: Option<&Purposes>) -> String {
    let mut out = String::new();
    if let Some(target) = &model.unknown_target {
        let _ = writeln!(out, "target {target:?} names no stage");
    }
    if model.stages.is_empty() {
        out.push_str("no stages\n");
        return out;
    }
    if let Some(image) = purposes.and_then(Purposes::image) {
        let _ = writeln!(out, "purpose: {}", image.describe());
    }
    out.push_str("stages:\n");
    for stage in &model.stages {
        let _ = write!(
            out,
            "  {}: {}",
            stage_title(stage),
            origin_text(model, stage)
        );
        if let Some(platform) = &stage.platform {
            let _ = write!(out, " --platform={}", platform.raw);
        }
        if stage.runtime {
            out.push_str(" [runtime]");
        } else if !stage.reachable {
            out.push_str(" [unreachable]");
        }
        if let Some(purpose) = purposes.and_then(|p| p.stage(stage.index)) {
            let _ = write!(out, " purpose={}", purpose.purpose.as_str());
        }
        out.push('\n');
    }
    let edges = distinct_edges(model);
    if !edges.is_empty() {
        out.push_str("edges:\n");
        for edge in edges {
            let (Some(from), Some(to)) = (model.stage(edge.from), model.stage(edge.to)) else {
                continue;
            };
            let _ = writeln!(
                out,
                "  {} -> {} ({})",
                stage_title(from),
                stage_title(to),
                edge.kind.as_str()
            );
        }
    }
    out
}

#[derive(Serialize)]
struct JsonGraph<'a> {
    /// The purpose of the image the file builds (its target stage).
    #[serde(skip_serializing_if = "Option::is_none")]
    purpose: Option<JsonPurpose<'a>>,
    stages: Vec<JsonStage<'a>>,
    edges: Vec<JsonEdge>,
}

#[derive(Serialize)]
struct JsonStage<'a> {
    index: usize,
    name: Option<&'a str>,
    base: Option<JsonBase<'a>>,
    parent: Option<usize>,
    platform: Option<&'a str>,
    runtime: bool,
    reachable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    purpose: Option<JsonPurpose<'a>>,
}

#[derive(Serialize)]
struct JsonPurpose<'a> {
    kind: &'static str,
    source: &'static str,
    reason: &'a str,
}

fn json_purpose(purpose: &StagePurpose) -> JsonPurpose<'_> {
    JsonPurpose {
        kind: purpose.purpose.as_str(),
        source: purpose.source.as_str(),
        reason: &purpose.reason,
    }
}

#[derive(Serialize)]
struct JsonBase<'a> {
    raw: &'a str,
    resolved: Option<&'a str>,
    registry: Option<&'a str>,
    repository: Option<&'a str>,
    tag: Option<&'a str>,
    digest: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonEdge {
    from: usize,
    to: usize,
    kind: &'static str,
}

/// The graph as a JSON value (the contract `dlint graph --format json` prints), for callers
/// that embed it in a larger document.
pub fn graph_json(model: &Model) -> serde_json::Value {
    serde_json::to_value(json_graph(model, None)).unwrap_or_default()
}

fn json(model: &Model, purposes: Option<&Purposes>) -> String {
    let mut out = serde_json::to_string_pretty(&json_graph(model, purposes)).unwrap_or_default();
    out.push('\n');
    out
}

fn json_graph<'a>(model: &'a Model, purposes: Option<&'a Purposes>) -> JsonGraph<'a> {
    JsonGraph {
        purpose: purposes.and_then(Purposes::image).map(json_purpose),
        stages: model
            .stages
            .iter()
            .map(|s| JsonStage {
                index: s.index,
                name: s.name.as_deref(),
                // Exactly one of base and parent: a stage parent wins.
                base: s
                    .base
                    .as_ref()
                    .filter(|_| s.parent.is_none())
                    .map(|b| JsonBase {
                        raw: &b.raw,
                        resolved: b.resolved_text.as_deref(),
                        registry: b.parts.registry.as_deref(),
                        repository: b.parts.repository.as_deref(),
                        tag: b.parts.tag.as_deref(),
                        digest: b.parts.digest.as_deref(),
                    }),
                parent: s.parent,
                platform: s.platform.as_ref().map(|p| p.raw.as_str()),
                runtime: s.runtime,
                reachable: s.reachable,
                purpose: purposes.and_then(|p| p.stage(s.index)).map(json_purpose),
            })
            .collect(),
        edges: distinct_edges(model)
            .into_iter()
            .map(|e| JsonEdge {
                from: e.from,
                to: e.to,
                kind: e.kind.as_str(),
            })
            .collect(),
    }
}

/// The second line of a node label: the image, or the parent stage.
fn node_detail(model: &Model, stage: &Stage) -> String {
    match (&stage.base, stage.parent) {
        (_, Some(parent)) => match model.stage(parent) {
            Some(p) => format!(
                "FROM {}",
                p.name.clone().unwrap_or_else(|| p.index.to_string())
            ),
            None => format!("FROM {parent}"),
        },
        (Some(base), None) => base
            .resolved_text
            .clone()
            .unwrap_or_else(|| base.raw.clone()),
        (None, None) => String::new(),
    }
}

fn node_title(stage: &Stage) -> String {
    match &stage.name {
        Some(name) => format!("{}: {name}", stage.index),
        None => stage.index.to_string(),
    }
}

/// A DOT double-quoted string.
fn dot_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

fn dot(model: &Model) -> String {
    let mut out = String::from("digraph stages {\n  rankdir=LR;\n  node [shape=box];\n");
    for stage in &model.stages {
        let label = format!("{}\n{}", node_title(stage), node_detail(model, stage));
        let mut attrs = format!("label={}", dot_quote(&label));
        if stage.runtime {
            attrs.push_str(", peripheries=2");
        } else if !stage.reachable {
            attrs.push_str(", style=dashed");
        }
        let _ = writeln!(out, "  s{} [{attrs}];", stage.index);
    }
    for edge in distinct_edges(model) {
        let _ = writeln!(
            out,
            "  s{} -> s{} [label={}];",
            edge.from,
            edge.to,
            dot_quote(edge.kind.as_str())
        );
    }
    out.push_str("}\n");
    out
}

/// Mermaid label text: quotes, `#`, `<`, `>` and `&` as entity codes; line breaks as `<br/>`.
fn mermaid_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '\n' => out.push_str("<br/>"),
            '\r' => {}
            other => out.push(other),
        }
    }
    out
}

fn mermaid(model: &Model) -> String {
    let mut out = String::from("flowchart LR\n");
    for stage in &model.stages {
        let label = format!(
            "{}\n{}",
            mermaid_escape(&node_title(stage)),
            mermaid_escape(&node_detail(model, stage))
        );
        let _ = writeln!(
            out,
            "  s{}[\"{}\"]",
            stage.index,
            label.replace('\n', "<br/>")
        );
    }
    for edge in distinct_edges(model) {
        let _ = writeln!(
            out,
            "  s{} -->|{}| s{}",
            edge.from,
            edge.kind.as_str(),
            edge.to
        );
    }
    let runtime: Vec<String> = model
        .stages
        .iter()
        .filter(|s| s.runtime)
        .map(|s| format!("s{}", s.index))
        .collect();
    let unreachable: Vec<String> = model
        .stages
        .iter()
        .filter(|s| !s.reachable)
        .map(|s| format!("s{}", s.index))
        .collect();
    if !runtime.is_empty() {
        out.push_str("  classDef runtime stroke-width:3px\n");
        let _ = writeln!(out, "  class {} runtime", runtime.join(","));
    }
    if !unreachable.is_empty() {
        out.push_str("  classDef unreachable stroke-dasharray:5 5\n");
        let _ = writeln!(out, "  class {} unreachable", unreachable.join(","));
    }
    out
}
