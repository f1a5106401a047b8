//! Edges between stages, the runtime stage, and what it reaches: linear in stages + edges.

use super::model::{Edge, EdgeKind, Model, Source};

/// Fills `edges`, `dependencies`, `runtime`, `unknown_target` and each stage's `runtime`,
/// `reachable` and `ships`.
pub(crate) fn link_stages(model: &mut Model, target: Option<&str>) {
    let mut edges: Vec<Edge> = model
        .stages
        .iter()
        .filter_map(|stage| {
            stage.parent.map(|parent| Edge {
                from: parent,
                to: stage.index,
                kind: EdgeKind::From,
                instruction: stage.from_instruction,
            })
        })
        .chain(model.references.iter().filter_map(|r| match r.source {
            Source::Stage(from) => Some(Edge {
                from,
                to: r.stage,
                kind: r.kind,
                instruction: r.instruction,
            }),
            _ => None,
        }))
        .collect();
    edges.sort_by_key(|e| e.instruction);

    let mut dependencies: Vec<Vec<usize>> = vec![Vec::new(); model.stages.len()];
    for edge in &edges {
        if let Some(deps) = dependencies.get_mut(edge.to) {
            // Edges arrive grouped by instruction, so a repeat is usually the last entry;
            // a full check would be quadratic for a stage with thousands of COPY --from.
            if deps.last() != Some(&edge.from) {
                deps.push(edge.from);
            }
        }
    }
    for deps in &mut dependencies {
        deps.sort_unstable();
        deps.dedup();
    }
    model.edges = edges;
    model.dependencies = dependencies;

    model.runtime = match target {
        Some(name) => {
            let found = model.names.get(&name.to_lowercase()).copied();
            if found.is_none() {
                model.unknown_target = Some(name.to_string());
            }
            found
        }
        None => model.stages.len().checked_sub(1),
    };
    let Some(runtime) = model.runtime else {
        return;
    };
    model.stages[runtime].runtime = true;

    // Reachability through every edge kind, iteratively (chains can be 10,000 deep).
    let mut stack = vec![runtime];
    model.stages[runtime].reachable = true;
    while let Some(stage) = stack.pop() {
        for &dep in &model.dependencies[stage] {
            if let Some(s) = model.stages.get_mut(dep) {
                if !s.reachable {
                    s.reachable = true;
                    stack.push(dep);
                }
            }
        }
    }

    // The runtime stage's filesystem is its FROM chain's.
    let mut next = Some(runtime);
    while let Some(stage) = next {
        let Some(s) = model.stages.get_mut(stage) else {
            break;
        };
        if s.ships {
            break;
        }
        s.ships = true;
        next = s.parent;
    }
}
