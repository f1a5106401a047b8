//! Node.js: install and build in the builder, prune the dev dependencies there, copy the
//! application directory into distroless `nodejs<major>` (when the container starts with
//! `node` and the knowledge base lists that major version as current) or the `-slim` image.

use crate::knowledge::{Libc, Suggestion, TagClass};
use crate::rules::cache::common::append_command;

use crate::rules::musl::common::glibc_target;

use super::rewrite::{
    plain_command, slim_image, split_edits, Line, Planned, Reason, RuntimeStage, Single, Start,
};

/// Package managers and the command that keeps production dependencies only.
const PRUNE: &[(&str, &str)] = &[
    ("npm", "npm prune --omit=dev"),
    ("pnpm", "pnpm prune --prod"),
];

/// Commands that belong to a Node.js build.
fn node_tool(name: &str) -> bool {
    matches!(name, "npm" | "npx" | "pnpm" | "corepack" | "node")
}

fn is_node(program: &str) -> bool {
    program.rsplit('/').next() == Some("node")
}

/// The arguments to give distroless node's entrypoint (which is `node`): the start command
/// without its leading `node`. `None` when the container does not start with `node`.
fn node_arguments(start: &Start<'_>) -> Option<Vec<String>> {
    let args = match (&start.entrypoint, &start.cmd) {
        (Some(entrypoint), cmd) => {
            let words = entrypoint.words.as_ref()?;
            if !is_node(words.first()?) {
                return None;
            }
            let mut args = words[1..].to_vec();
            // An exec-form ENTRYPOINT takes CMD as arguments; a shell-form one ignores it.
            if let (true, Some(cmd)) = (entrypoint.instr.json, cmd) {
                if !cmd.instr.json {
                    return None;
                }
                args.extend(cmd.words.clone()?);
            }
            args
        }
        (None, Some(cmd)) => {
            let words = cmd.words.as_ref()?;
            if !is_node(words.first()?) {
                return None;
            }
            words[1..].to_vec()
        }
        (None, None) => return None,
    };
    (!args.is_empty()).then_some(args)
}

/// Distroless node for exactly this major version on glibc, when the knowledge base lists it.
fn distroless<'i>(single: &'i Single<'_, '_>) -> Option<&'i Suggestion> {
    if single.info.libc != Libc::Glibc || single.base.raw.contains('$') {
        return None;
    }
    single.info.minimal_alternatives().iter().find(|s| {
        s.libc == Libc::Glibc
            && s.class == TagClass::Minimal
            && s.runtime.as_ref().is_some_and(|r| r.name == "node")
    })
}

/// The `-slim` image of the same version (or the base itself when it is already slim or
/// Alpine: node_modules built on musl must run on musl).
pub(crate) fn rewrite(single: &Single<'_, '_>) -> Result<Planned, Reason> {
    let runtime = single.info.runtime.as_ref();
    if runtime.map(|r| r.name.as_str()) != Some("node") {
        return Err(format!("`{}` is not a Node.js image", single.base.raw));
    }
    if runtime.and_then(|r| r.version.as_ref()).is_none() {
        return Err(format!(
            "`{}` does not pin a Node.js major version",
            single.base.raw
        ));
    }
    let app = single
        .final_workdir()
        .filter(|dir| dir != "/")
        .ok_or_else(|| "the application directory (WORKDIR) is not set".to_string())?;

    let mut managers: Vec<&str> = Vec::new();
    for run in &single.runs {
        for command in run.commands() {
            if let Some(name @ ("npm" | "pnpm" | "yarn")) = command.effective().name() {
                if !managers.contains(&name) {
                    managers.push(name);
                }
            }
        }
    }
    let (manager, prune) = match managers.as_slice() {
        [one] => PRUNE
            .iter()
            .find(|(m, _)| m == one)
            .copied()
            .ok_or_else(|| format!("how `{one}` drops dev dependencies depends on its version"))?,
        [] => return Err("no package manager installs the dependencies".into()),
        _ => return Err("the stage mixes package managers".into()),
    };
    single.runs_are_build_only(|name, _| node_tool(name), std::slice::from_ref(&app))?;
    single.copies_land_in(Some(&app))?;
    single.no_chown()?;

    // Prune after the last RUN that uses the package manager; nothing may run after it.
    let position = single
        .runs
        .iter()
        .rposition(|r| r.commands().any(|c| c.effective().name() == Some(manager)))
        .ok_or_else(|| "no RUN uses the package manager".to_string())?;
    let last = single.runs[position];
    if single.runs[position + 1..].iter().any(|r| {
        r.commands()
            .any(|c| c.effective().name().is_some_and(node_tool))
    }) {
        return Err(
            "a RUN after the last install or build still needs the dev dependencies".into(),
        );
    }
    if let Some(command) = last.commands().last() {
        plain_command(command)?;
    }
    let prune_edit = append_command(last, prune)
        .ok_or_else(|| format!("`{prune}` cannot be appended to the last RUN"))?;

    let start = single.start();
    let distroless = distroless(single);
    let (image, no_shell, entrypoint, cmd) = match (distroless, node_arguments(&start)) {
        (Some(image), Some(args)) => {
            let sep = start
                .cmd
                .as_ref()
                .or(start.entrypoint.as_ref())
                .map_or(", ", |l| super::rewrite::separator(l.instr));
            (image.reference(), true, Line::Absent, Line::Exec(args, sep))
        }
        _ => {
            let (entrypoint, cmd) = start.verbatim();
            (
                slim_image(single, "node", "Node.js")?,
                false,
                entrypoint,
                cmd,
            )
        }
    };
    let mut edits = vec![prune_edit];
    edits.extend(split_edits(
        single,
        &RuntimeStage {
            image: image.clone(),
            no_shell,
            other_family: no_shell,
            copies: vec![(app.clone(), app)],
            env: Vec::new(),
            entrypoint,
            cmd,
        },
    )?);
    Ok(Planned {
        runtime: image,
        edits,
        notes: Vec::new(),
    })
}

/// The runtime image the split names: distroless nodejs of the same major, else `-slim`.
pub(crate) fn runtime(single: Option<&Single<'_, '_>>) -> Option<String> {
    single.and_then(|s| {
        glibc_target(s.ctx, s.stage.index)
            .or_else(|| distroless(s).map(|d| d.reference()))
            .or_else(|| slim_image(s, "node", "Node.js").ok())
    })
}

pub(crate) fn advice(single: Option<&Single<'_, '_>>) -> String {
    let runtime = runtime(single)
        .map(|r| format!("`{r}`"))
        .unwrap_or_else(|| "a `-slim` or distroless Node.js image".into());
    format!(
        "Install and build in a stage of its own, drop the dev dependencies there \
         (`npm prune --omit=dev`, `pnpm prune --prod`, or what your yarn version offers), \
         and copy the application directory into {runtime}"
    )
}
