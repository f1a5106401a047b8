use super::reject::{
    buildkit_args, go_bool, is_heredoc_word, is_literal, parsed_instructions, word_span,
};
use crate::declare_rule;
use crate::rules::{Check, Context, Violation};
use crate::semantic::clean_path;
use crate::syntax::{Instruction, Keyword};

declare_rule! {
    /// ## What it does
    /// Reports `COPY`/`ADD` sources and options BuildKit refuses when it runs them. The
    /// classes, with BuildKit's messages:
    ///
    /// | Class | BuildKit's message |
    /// |---|---|
    /// | a URL as a `COPY` source | `source can't be a URL for COPY` |
    /// | a Git repository (`git@host:repo.git`, `https://…/repo.git`) as a `COPY` source | `source can't be a git ref for COPY` |
    /// | a Git URL query BuildKit refuses (`?depth=1`, `?keep-git-dir=maybe`, `?mtime=now`, a key twice or without value, both `tag` and `branch`, a `ref`/`tag`/`branch` or `subdir` against the `#ref:subdir` fragment; also in the `git@host:path?…` form) | `unexpected query "depth"`, `invalid keep-git-dir value: "maybe"`, `ref conflicts: "refs/heads/main" vs "refs/tags/v1"` |
    /// | `ADD --keep-git-dir` contradicting the source's `?keep-git-dir=` | `inconsistent keep-git-dir configuration` |
    /// | `ADD --checksum` contradicting the source's `?checksum=`/`?commit=` | `checksum mismatch "abc" != "def"` |
    /// | a `--chmod` starting with a digit that is not an octal mode up to 7777 | `invalid chmod parameter: '888'. it should be octal string and between 0 and 07777` |
    /// | any other `--chmod` that is not a symbolic mode (`u+x,go-w`) | `invalid syntax` |
    /// | `ADD --checksum` with more than one source | `checksum can't be specified for multiple sources` |
    /// | `ADD --checksum` on a source that is not a URL or a Git repository | `checksum requires HTTP(S) or Git sources` |
    ///
    /// Values with a variable are not checked: they depend on the build.
    ///
    /// ## Why is this bad?
    /// `docker build` fails on the instruction.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// COPY https://example.com/tool.tar.gz /tmp/
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /tmp/
    /// ```
    ///
    /// ## Fix safety
    /// No fix: `ADD` fetches and unpacks differently from `COPY`; the author decides.
    pub struct InvalidCopySource {
        code: "REJ010",
        name: "invalid-copy-source",
        family: Syntax,
        severity: Error,
        fix: None,
    }
}

impl Check for InvalidCopySource {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for (_, instr) in parsed_instructions(ctx) {
            if !matches!(instr.keyword, Keyword::Copy | Keyword::Add) {
                continue;
            }
            if let Some(violation) = copy_error(instr) {
                out.push(violation);
            }
        }
    }
}

fn is_url(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

fn is_git(source: &str) -> bool {
    source.starts_with("git@") || source.starts_with("git://") || source.ends_with(".git")
}

/// A symbolic mode such as `u+x,g-w` or `a=rX`.
/// The query of a source BuildKit reads as a Git repository (`git@host:path`, `ssh://`,
/// `git://`, or an HTTP(S) URL whose path ends in `.git`), as `key=value` pairs; `None` for
/// any other source. Narrower than BuildKit's grammar, so a source it does not recognise is
/// never reported.
fn git_query(source: &str) -> Option<Vec<(&str, &str)>> {
    let lower = source.to_ascii_lowercase();
    let without_fragment = source.split('#').next().unwrap_or_default();
    let (location, query) = match without_fragment.split_once('?') {
        Some((location, query)) => (location, query),
        None => (without_fragment, ""),
    };
    let scp_like = lower.starts_with("git@")
        && location.contains(':')
        && !location.contains("://")
        && location.len() > location.find(':')? + 1;
    let is_git = scp_like
        || lower.starts_with("ssh://")
        || lower.starts_with("git://")
        || (is_url(source) && location.ends_with(".git"));
    if !is_git {
        return None;
    }
    Some(
        query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
            .collect(),
    )
}

/// What BuildKit's Git reference reader says of the query of a Git URL (`https://…/r.git?…`,
/// `ssh://`, `git://`, `git@host:path?…`). Values with `%` escapes are not judged, so the
/// message quotes exactly what BuildKit decodes, nor queries with `;`, which Go's query reader
/// drops (URLs) or refuses (the `git@` form, then not read as Git at all).
fn git_query_error(source: &str) -> Option<String> {
    if source.contains(['%', ';']) || (source.starts_with("git@") && !scp_like_host(source)) {
        return None;
    }
    let query = git_query(source)?;
    // The fragment `#ref:subdir` sets both before the query is read (the subdir cleaned).
    let fragment = source.split_once('#').map_or("", |(_, f)| f);
    let (fragment_ref, fragment_subdir) = fragment.split_once(':').unwrap_or((fragment, ""));
    let mut reference = fragment_ref.to_string();
    let subdir = clean_path(&format!("/{fragment_subdir}"));
    let subdir = subdir.trim_start_matches('/');
    let mut seen: Vec<&str> = Vec::new();
    let (mut tag, mut branch) = (None, None);
    for &(key, value) in &query {
        if seen.contains(&key) {
            return Some(format!("query {key:?} has multiple values"));
        }
        seen.push(key);
        let flag_like = matches!(key, "submodules" | "keep-git-dir" | "fetch-by-commit");
        if value.is_empty() && !flag_like {
            return Some(format!("query {key:?} has no value"));
        }
        match key {
            "ref" => {
                if !reference.is_empty() && reference != value {
                    return Some(format!("ref conflicts: {reference:?} vs {value:?}"));
                }
                reference = value.to_string();
            }
            "subdir" if !subdir.is_empty() && subdir != value => {
                return Some(format!("subdir conflicts: {subdir:?} vs {value:?}"));
            }
            "subdir" | "checksum" | "commit" => {}
            "tag" => tag = Some(value),
            "branch" => branch = Some(value),
            "submodules" | "keep-git-dir" | "fetch-by-commit" => {
                if !value.is_empty() && !go_bool(value) {
                    return Some(format!("invalid {key} value: {value:?}; use true or false"));
                }
            }
            "mtime" if !matches!(value, "checkout" | "commit") => {
                return Some(format!(
                    "invalid mtime value: {value:?} (must be \"checkout\" or \"commit\")"
                ));
            }
            "mtime" => {}
            _ => {
                return Some(format!(
                    "unexpected query {key:?}; a Git source takes ref, tag, branch, subdir, \
                     checksum, commit, keep-git-dir, submodules, mtime, fetch-by-commit"
                ))
            }
        }
    }
    if let Some(tag) = tag {
        let tag = full_ref("refs/tags/", tag);
        if !reference.is_empty() && reference != tag {
            return Some(format!("ref conflicts: {reference:?} vs {tag:?}"));
        }
        if branch.is_some() {
            return Some("branch conflicts with tag".to_string());
        }
        reference = tag;
    }
    if let Some(branch) = branch {
        let branch = full_ref("refs/heads/", branch);
        if !reference.is_empty() && reference != branch {
            return Some(format!("ref conflicts: {reference:?} vs {branch:?}"));
        }
    }
    None
}

/// The host of a `git@host:path` source is one BuildKit's scp-style pattern accepts
/// (letters, digits, `-` and `.`), so it reads the source as a Git repository.
fn scp_like_host(source: &str) -> bool {
    let rest = source.strip_prefix("git@").unwrap_or(source);
    rest.split_once(':').is_some_and(|(host, _)| {
        !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    })
}

/// A tag or branch name as BuildKit compares it with a ref (`v1` → `refs/tags/v1`).
fn full_ref(prefix: &str, name: &str) -> String {
    if name.starts_with(prefix) {
        name.to_string()
    } else {
        format!("{prefix}{name}")
    }
}

/// The value of a boolean Go's `strconv.ParseBool` accepts.
fn bool_value(text: &str) -> Option<bool> {
    go_bool(text).then_some(matches!(text, "1" | "t" | "T" | "TRUE" | "true" | "True"))
}

/// `ADD --keep-git-dir`/`--checksum` that contradict the Git source's own
/// `?keep-git-dir=`/`?checksum=` (or `?commit=`).
fn git_option_conflict(instr: &Instruction, sources: &[&String]) -> Option<Violation> {
    for source in sources.iter().filter(|s| is_literal(s)) {
        let Some(query) = git_query(source) else {
            continue;
        };
        let value_of = |key: &str| query.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        if let (Some(flag), Some(in_url)) = (instr.flag("keep-git-dir"), value_of("keep-git-dir")) {
            let flag_value = flag.value.as_deref().map_or(Some(true), bool_value);
            let url_value = if in_url.is_empty() {
                Some(true)
            } else {
                bool_value(in_url)
            };
            if let (Some(a), Some(b)) = (flag_value, url_value) {
                if a != b {
                    return Some(Violation::new(
                        flag.span.clone(),
                        "inconsistent keep-git-dir configuration; the flag and the source's \
                         ?keep-git-dir= disagree",
                    ));
                }
            }
        }
        let in_url = value_of("checksum").or_else(|| value_of("commit"));
        if let (Some(flag), Some(in_url)) = (instr.flag("checksum"), in_url) {
            let checksum = flag.value.as_deref().unwrap_or_default();
            if !checksum.is_empty() && is_literal(checksum) && checksum != in_url {
                return Some(Violation::new(
                    flag.span.clone(),
                    format!(
                        "checksum mismatch {checksum:?} != {in_url:?}; the flag and the \
                         source's commit disagree"
                    ),
                ));
            }
        }
    }
    None
}

fn is_symbolic_mode(mode: &str) -> bool {
    mode.split(',').all(|clause| {
        let op = clause.find(['+', '-', '=']);
        op.is_some_and(|at| {
            clause[..at].chars().all(|c| "ugoa".contains(c))
                && clause[at..].chars().all(|c| "+-=rwxXstugo".contains(c))
        })
    })
}

/// BuildKit's reading of `--chmod`: an octal mode up to 07777, else a symbolic mode; a
/// value starting with a digit that is neither gets the octal message.
fn chmod_error(value: &str) -> Option<String> {
    if value.is_empty() || !is_literal(value) {
        return None;
    }
    if u32::from_str_radix(value, 8).is_ok_and(|m| m <= 0o7777) && !value.starts_with('+') {
        return None;
    }
    if value.starts_with(|c: char| c.is_ascii_digit()) {
        return Some(format!(
            "invalid chmod parameter: '{value}'. it should be octal string and between 0 and 07777"
        ));
    }
    (!is_symbolic_mode(value)).then(|| {
        format!(
            "invalid syntax; --chmod={value} is neither an octal mode up to 7777 nor a symbolic \
             mode such as u+x,go-w"
        )
    })
}

fn copy_error(instr: &Instruction) -> Option<Violation> {
    let args = buildkit_args(instr);
    if args.len() < 2 {
        return None;
    }
    let sources: Vec<&String> = args[..args.len() - 1]
        .iter()
        .filter(|s| !is_heredoc_word(s))
        .collect();
    let span_of = |value: &str| word_span(instr, value);
    if let Some(flag) = instr.flag("chmod") {
        let value = flag.value.as_deref().unwrap_or_default();
        if let Some(message) = chmod_error(value) {
            return Some(Violation::new(
                flag.value_span.clone().unwrap_or_else(|| flag.span.clone()),
                message,
            ));
        }
    }
    // BuildKit reads a Git source's query before anything else about the source.
    for source in sources.iter().filter(|s| is_literal(s)) {
        if let Some(message) = git_query_error(source) {
            return Some(Violation::new(span_of(source), message));
        }
    }
    if instr.keyword == Keyword::Copy {
        // BuildKit tries each source as a Git reference before it tries it as a URL.
        if let Some(git) = sources
            .iter()
            .find(|s| is_literal(s) && git_query(s).is_some())
        {
            return Some(Violation::new(
                span_of(git),
                "source can't be a git ref for COPY; use ADD to fetch a Git repository",
            ));
        }
        let url = sources.iter().find(|s| is_literal(s) && is_url(s))?;
        return Some(Violation::new(
            span_of(url),
            "source can't be a URL for COPY; use ADD (with --checksum) to fetch it",
        ));
    }
    if let Some(violation) = git_option_conflict(instr, &sources) {
        return Some(violation);
    }
    let flag = instr.flag("checksum")?;
    let checksum = flag.value.as_deref().unwrap_or_default();
    if checksum.is_empty() || sources.iter().any(|s| !is_literal(s)) {
        return None;
    }
    let span = flag.span.clone();
    if args.len() != 2 {
        return Some(Violation::new(
            span,
            "checksum can't be specified for multiple sources",
        ));
    }
    let source = &args[0];
    (!is_url(source) && !is_git(source))
        .then(|| Violation::new(span, "checksum requires HTTP(S) or Git sources"))
}

#[cfg(test)]
mod tests {
    use super::git_query_error;

    #[test]
    fn git_queries_read_as_buildkit_reads_them() {
        let error = |source: &str| git_query_error(source);
        assert!(error("git@github.com:o/r.git?depth=1")
            .is_some_and(|m| m.starts_with("unexpected query \"depth\"")));
        assert_eq!(error("git@github.com:o/r.git?ref=main#main"), None);
        assert_eq!(
            error("https://github.com/o/r.git?tag=v1#main"),
            Some("ref conflicts: \"main\" vs \"refs/tags/v1\"".into())
        );
        assert_eq!(
            error("https://github.com/o/r.git?tag=v1#refs/tags/v1"),
            None
        );
        assert_eq!(error("https://github.com/o/r.git?subdir=a#main:./a/"), None);
        assert_eq!(
            error("https://github.com/o/r.git?tag=v1&branch=main"),
            Some("branch conflicts with tag".into())
        );
        // Escapes and `;` are decoded by Go, not judged here; a host BuildKit's scp-style
        // pattern refuses is not a Git source to it.
        assert_eq!(error("https://github.com/o/r.git?depth=%31"), None);
        assert_eq!(error("git@github.com:o/r.git?a=1;b=2"), None);
        assert_eq!(error("git@exa_mple.com:o/r.git?depth=1"), None);
    }
}
