use std::collections::HashMap;

use crate::declare_rule;
use crate::rules::context::RunInfo;
use crate::rules::hadolint::common::drop_quotes;
use crate::rules::{Check, Context, Source, Violation};
use crate::shell::CommandView;
use crate::syntax::{Arg, Keyword};

declare_rule! {
    /// ## What it does
    /// Flags a `COPY` of a tar archive that a later `RUN` of the same stage unpacks with
    /// `tar -x`.
    ///
    /// ## Why is this bad?
    /// The copied archive stays in the `COPY` layer even if the `RUN` deletes it: the image
    /// carries it twice, packed and unpacked. `ADD archive.tar.gz /dest/` unpacks local tar
    /// archives (plain, gzip, bzip2, xz, zstd) in one layer.
    ///
    /// Unlike hadolint, only `tar` extractions count: `ADD` does not unpack `.zip` files nor
    /// a lone `.gz` that is not a tar, so `unzip` and `gunzip` are not reasons to use it. An
    /// extraction with `--strip-components` or `--transform` is not flagged either: `ADD`
    /// cannot do that.
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY app.tar.gz /tmp/
    /// RUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ADD app.tar.gz /opt/
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the `RUN` has to change too, and where the files land may differ.
    pub struct CopyThenExtract {
        code: "DL3010",
        name: "copy-then-extract",
        family: Hadolint,
        severity: Info,
        fix: None,
        sources: [Source::Hadolint("DL3010")],
    }
}

/// Names `ADD` unpacks: tar archives, plain or compressed.
const TAR_ARCHIVES: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tb2", ".tar.xz", ".txz", ".tar.zst",
    ".tzst",
];

fn basename(path: &str) -> &str {
    let path = drop_quotes(path);
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn is_tar_archive(name: &str) -> bool {
    TAR_ARCHIVES.iter().any(|ext| name.ends_with(ext))
}

/// `tar -x…`, `tar --extract`, `tar --get`, or the old style `tar xzf …`, without options
/// `ADD` cannot imitate.
fn is_tar_extract(view: &CommandView<'_>) -> bool {
    if view.name() != Some("tar") {
        return false;
    }
    let args = view.args();
    let old_style = args.first().is_some_and(|w| {
        let t = w.text();
        !t.starts_with('-') && t.contains('x') && t.chars().all(|c| c.is_ascii_alphabetic())
    });
    let extract = old_style
        || args.iter().any(|w| {
            let t = w.text();
            t == "--extract"
                || t == "--get"
                || (t.starts_with('-')
                    && !t.starts_with("--")
                    && t[1..].chars().all(|c| c.is_ascii_alphabetic())
                    && t.contains('x'))
        });
    let reshapes = args.iter().any(|w| {
        let t = w.text();
        t.starts_with("--strip-components")
            || t.starts_with("--transform")
            || t.starts_with("--xform")
    });
    extract && !reshapes
}

/// The archive names a tar command reads (`-f x.tgz`, `--file=x.tgz`, `xzf x.tgz`).
fn extracted_names<'v>(view: &CommandView<'v>) -> impl Iterator<Item = &'v str> {
    view.args().iter().filter_map(|w| {
        let t = w.text();
        let path = t.strip_prefix("--file=").unwrap_or(t);
        (!path.starts_with('-')).then(|| basename(path))
    })
}

impl Check for CopyThenExtract {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let instructions = ctx.instructions();
        let runs: HashMap<usize, &RunInfo<'_>> = ctx.runs().map(|r| (r.index, r)).collect();
        for stage in &ctx.model.stages {
            // (instruction index, archive name as it lands, the COPY source word)
            let mut copied: Vec<(usize, &str, &Arg)> = Vec::new();
            let mut flagged: Vec<usize> = Vec::new();
            let range = stage.instructions.clone();
            for (index, instr) in range.clone().zip(&instructions[range]) {
                if instr.keyword == Keyword::Copy && instr.flag("from").is_none() {
                    let Some((dest, sources)) = instr.args.split_last() else {
                        continue;
                    };
                    let dest_name = basename(&dest.value);
                    if is_tar_archive(dest_name) {
                        if let Some(source) = sources.first() {
                            copied.push((index, dest_name, source));
                        }
                    } else {
                        for source in sources {
                            let name = basename(&source.value);
                            if is_tar_archive(name) {
                                copied.push((index, name, source));
                            }
                        }
                    }
                    continue;
                }
                if instr.keyword != Keyword::Run {
                    continue;
                }
                let Some(run) = runs.get(&index) else {
                    continue;
                };
                for command in run.commands() {
                    let view = command.effective();
                    if !is_tar_extract(&view) {
                        continue;
                    }
                    for name in extracted_names(&view) {
                        for (copy, archive, source) in &copied {
                            if *archive == name && !flagged.contains(copy) {
                                flagged.push(*copy);
                                out.push(Violation::new(
                                    source.span.clone(),
                                    format!(
                                        "`{archive}` is copied, then unpacked by a RUN: use ADD to unpack it in one layer"
                                    ),
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
}
