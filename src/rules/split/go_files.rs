//! Go: what the runtime stage carries besides the binary: the non-Go files a `COPY .` brought
//! (templates, static files, configuration) and what `COPY --from` put in the builder.

use crate::rules::musl::common::context_entries;
use crate::syntax::{Instruction, Keyword};

use super::rewrite::{join, plain_words, resolve_at, Reason, Single};

/// A path copied from the builder to the same path in the runtime stage (from, to).
pub(super) type Carried = (String, String);

/// More context entries than this to carry into the runtime stage: the context is not an
/// application's own directory, and carrying all of it is not a split anyone would review.
const MAX_CARRIED: usize = 12;

/// Names in the build context that only the build reads.
fn is_build_input(name: &str) -> bool {
    name.ends_with(".go")
        || name.ends_with(".md")
        || name.starts_with('.')
        || name.starts_with("Dockerfile")
        || name.ends_with(".Dockerfile")
        || name.ends_with(".dockerignore")
        || name.starts_with("README")
        || name.starts_with("LICENSE")
        || matches!(
            name,
            "go.mod" | "go.sum" | "go.work" | "go.work.sum" | "vendor" | "testdata" | "Makefile"
        )
}

/// A context directory holds Go sources (a package such as `cmd/server` or `internal/db`).
fn holds_go(single: &Single<'_, '_>, dir: &str, depth: usize) -> bool {
    let Some(entries) = context_entries(single.ctx, dir) else {
        return false;
    };
    entries.iter().any(|(name, is_dir)| {
        (!is_dir && name.ends_with(".go"))
            || (*is_dir && depth > 0 && holds_go(single, &format!("{dir}{name}/"), depth - 1))
    })
}

/// Files the program may read from its working directory at run time: what a `COPY .`
/// brings besides the Go sources (templates, static files, configuration) is carried into
/// the runtime stage at the same path. When the context cannot be listed, a note says so.
pub(super) fn runtime_files(
    single: &Single<'_, '_>,
) -> Result<(Vec<Carried>, Option<String>), Reason> {
    let mut carried = Vec::new();
    for (index, instr) in &single.body {
        if !matches!(instr.keyword, Keyword::Copy | Keyword::Add) {
            continue;
        }
        if instr.flag("from").is_some() {
            carried.extend(copied_from_elsewhere(single, *index, instr)?);
            continue;
        }
        let Some((dest, sources)) = instr.args.split_last() else {
            continue;
        };
        if !sources
            .iter()
            .any(|s| matches!(s.value.trim_end_matches('/'), "." | ""))
        {
            continue;
        }
        let Some(dest) = resolve_at(single, *index, &dest.value) else {
            continue;
        };
        let Some(entries) = context_entries(single.ctx, "") else {
            return Ok((
                Vec::new(),
                Some("Context not listed: copy what the program reads at run time".into()),
            ));
        };
        let ignored = single
            .ctx
            .path
            .and_then(|path| single.ctx.dockerignore(path));
        for (name, is_dir) in entries {
            if is_build_input(&name)
                || ignored.as_ref().is_some_and(|i| i.excludes(&name))
                || (is_dir && holds_go(single, &format!("{name}/"), 3))
            {
                continue;
            }
            let path = join(&dest, &name);
            if plain_words(&path).is_none_or(|w| w.len() != 1) {
                return Err(format!("the context entry `{name}` needs quoting"));
            }
            carried.push((path.clone(), path));
        }
    }
    if carried.len() > MAX_CARRIED {
        return Err(format!(
            "`COPY .` brings {} files and directories besides the Go sources: which ones the \
             program reads at run time is for you to say",
            carried.len()
        ));
    }
    Ok((carried, None))
}

/// What a `COPY --from=<stage or image>` puts in the builder: dlint cannot tell a build
/// input (assets `go:embed` compiles in) from a file the program reads at run time, so the
/// runtime stage gets it too, at the same path.
fn copied_from_elsewhere(
    single: &Single<'_, '_>,
    index: usize,
    instr: &Instruction,
) -> Result<Vec<Carried>, Reason> {
    let Some((dest, sources)) = instr.args.split_last() else {
        return Ok(Vec::new());
    };
    let resolved = resolve_at(single, index, &dest.value).ok_or_else(|| {
        format!(
            "`COPY --from` writes `{}`, relative to a working directory the file does not set",
            dest.value
        )
    })?;
    let into_dir =
        dest.value.ends_with('/') || matches!(dest.value.as_str(), "." | "./") || sources.len() > 1;
    let mut paths = Vec::new();
    if into_dir {
        for source in sources {
            let name = source
                .value
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("");
            if name.is_empty() || name.contains(['*', '?', '[']) {
                return Err(format!(
                    "`COPY --from` copies `{}`, whose name in the runtime stage dlint cannot tell",
                    source.value
                ));
            }
            paths.push(join(&resolved, name));
        }
    } else {
        paths.push(resolved);
    }
    paths
        .into_iter()
        .map(|path| {
            if plain_words(&path).is_none_or(|w| w.len() != 1) {
                return Err(format!("the path `{path}` needs quoting"));
            }
            Ok((path.clone(), path))
        })
        .collect()
}
