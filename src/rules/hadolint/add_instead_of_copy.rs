use crate::declare_rule;
use crate::fix::{Edit, Fix};
use crate::rules::hadolint::common::{drop_quotes, keyword_like};
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags `ADD` of local files and directories, where `COPY` does the same.
    ///
    /// ## Why is this bad?
    /// `ADD` does more than copy: it downloads URLs and unpacks local tar archives. Used for
    /// plain files it hides which of these the author meant, and a file that happens to be a
    /// tar archive gets unpacked. `COPY` only copies. `ADD` stays the right tool for URLs,
    /// git repositories and archives to unpack, which are not flagged.
    ///
    /// A source counts as an archive by its name (`.tar`, `.tar.gz`, `.tgz`, `.bz2`, `.xz`,
    /// `.zst` …), as a remote source when it is an `http(s)://`, `git@` or `git://` URL.
    /// Sources named through a variable are not judged. Heredoc sources count as local files.
    ///
    /// ## Example
    /// ```dockerfile
    /// ADD requirements.txt /app/
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// COPY requirements.txt /app/
    /// ```
    ///
    /// ## Fix safety
    /// The fix replaces the keyword with `COPY`, in the same letter case. Safe when every
    /// source is clearly not an archive: a name with another extension (`app.py`), a
    /// directory (`.`, `src/`) or a heredoc. Unsafe when a source has no extension
    /// (`ADD rootfs /`): `ADD` unpacks a tar archive whatever its name, `COPY` would not. Not
    /// offered when the sources mix plain files with archives or URLs, or when `ADD` has
    /// flags `COPY` lacks (`--checksum`, `--keep-git-dir`, `--unpack`).
    pub struct AddInsteadOfCopy {
        code: "DL3020",
        name: "add-instead-of-copy",
        family: Hadolint,
        severity: Error,
        fix: Sometimes,
        sources: [Source::Hadolint("DL3020")],
    }
}

const ARCHIVES: &[&str] = &[
    ".tar", ".gz", ".tgz", ".bz2", ".tbz", ".tbz2", ".tb2", ".xz", ".txz", ".zst", ".tzst", ".lz",
    ".lzma", ".tlz", ".z", ".tz",
];

#[derive(PartialEq)]
enum Kind {
    /// A remote URL or an archive: what ADD is for.
    AddWorthy,
    /// A plain file or directory whose name says it is not an archive.
    Plain,
    /// A local name with no extension: could be a tar archive.
    Unsure,
    /// Named through a variable.
    Unknown,
}

fn kind(source: &str) -> Kind {
    let source = drop_quotes(source);
    if source.contains('$') {
        return Kind::Unknown;
    }
    let lower = source.to_ascii_lowercase();
    if ["http://", "https://", "git@", "git://", "ssh://"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return Kind::AddWorthy;
    }
    if ARCHIVES.iter().any(|a| lower.ends_with(a)) {
        return Kind::AddWorthy;
    }
    if source == "." || source.ends_with('/') || source.ends_with("/.") {
        return Kind::Plain;
    }
    let name = source.rsplit('/').next().unwrap_or(source);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.is_empty() => Kind::Plain,
        _ => Kind::Unsure,
    }
}

impl Check for AddInsteadOfCopy {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for instr in ctx.instructions() {
            if instr.keyword != Keyword::Add || instr.args.len() < 2 {
                continue;
            }
            let sources = &instr.args[..instr.args.len() - 1];
            let kinds: Vec<Kind> = sources
                .iter()
                .map(|a| {
                    if a.value.starts_with("<<") && !instr.json {
                        Kind::Plain
                    } else {
                        kind(&a.value)
                    }
                })
                .collect();
            let local = |k: &Kind| matches!(k, Kind::Plain | Kind::Unsure);
            if !kinds.iter().any(local) {
                continue;
            }
            let mut violation = Violation::new(
                instr.keyword_span.clone(),
                "Use COPY instead of ADD for files and folders",
            );
            let add_only_flags = instr
                .flags
                .iter()
                .any(|f| matches!(f.name.as_str(), "checksum" | "keep-git-dir" | "unpack"));
            if kinds.iter().all(local) && !add_only_flags {
                let edit = Edit::replace(
                    instr.keyword_span.clone(),
                    keyword_like(&instr.keyword_text, "COPY"),
                );
                let message = "Replace ADD with COPY";
                violation = violation.with_fix(if kinds.iter().all(|k| *k == Kind::Plain) {
                    Fix::safe(message, vec![edit])
                } else {
                    Fix::unsafe_edit(message, vec![edit])
                });
            }
            out.push(violation);
        }
    }
}
