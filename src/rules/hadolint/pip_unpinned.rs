use crate::declare_rule;
use crate::rules::cache::pip_no_cache_dir::pip_installs;
use crate::rules::hadolint::common::{has_flag, name_list, packages, unpinned};
use crate::rules::options::PIP_VALUE_OPTIONS;
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `pip install` (also `pip3`, `python -m pip`) of a package without a version
    /// (`flask` instead of `flask==3.0.3`).
    ///
    /// ## Why is this bad?
    /// Without a version, each build installs the newest release: builds are not
    /// reproducible, and a new major version can break the image with no change to the
    /// Dockerfile.
    ///
    /// A package counts as pinned when it has a version specifier (`==`, `>=`, `<=`, `>`,
    /// `<`, `!=`, `~=`, `===`), is a direct reference (`name @ https://…`), a VCS URL with a
    /// revision (`git+https://…@v1.2`), a local path or an archive (`.whl`, `.tar.gz`,
    /// `.zip`). A constraints file (`-c`) may pin anything, so commands with one are not
    /// checked.
    ///
    /// Unlike hadolint, a requirements file (`-r requirements.txt`) or `.` does not excuse
    /// the other packages of the same command: `pip install -r requirements.txt gunicorn`
    /// still has `gunicorn` unpinned.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN pip install --no-cache-dir flask
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN pip install --no-cache-dir flask==3.0.3
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows which version the image was tested with.
    pub struct PipUnpinned {
        code: "DL3013",
        name: "pip-unpinned",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3013")],
    }
}

fn pinned(package: &str) -> bool {
    const SPECIFIERS: &[&str] = &["==", ">=", "<=", ">", "<", "!=", "~=", "==="];
    const ARCHIVES: &[&str] = &[".whl", ".tar.gz", ".tgz", ".tar.bz2", ".zip"];
    if SPECIFIERS.iter().any(|s| package.contains(s)) || package.contains(" @ ") {
        return true;
    }
    let vcs = ["git+", "hg+", "svn+", "bzr+"]
        .iter()
        .any(|p| package.starts_with(p));
    if vcs {
        // `git+https://host/repo@v1.2`: a revision after the path.
        let path = package.split_once("://").map_or(package, |(_, p)| p);
        return path.contains('@');
    }
    ARCHIVES.iter().any(|a| package.ends_with(a))
        || package == "."
        || package.starts_with(['.', '/', '~'])
        || package.contains('/')
}

impl Check for PipUnpinned {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for run in ctx.runs_with_onbuild() {
            for install in pip_installs(run) {
                if has_flag(install.rest(), &['c'], &["--constraint"]) {
                    continue;
                }
                let packages = packages(&install, PIP_VALUE_OPTIONS);
                let mut loose = unpinned(&packages, pinned);
                loose.extend(
                    packages
                        .iter()
                        .copied()
                        .filter(|w| w.value.is_none() && unpinned_with_variable(&w.raw)),
                );
                loose.sort_by_key(|w| w.span.start);
                if loose.is_empty() {
                    continue;
                }
                out.push(Violation::new(
                    install.command.span.clone(),
                    format!(
                        "Pin versions in `pip install`: {} (use `{}==<version>`, or a requirements file)",
                        name_list(loose.iter().copied()),
                        example_name(loose[0])
                    ),
                ));
            }
        }
    }
}

/// The package to show in the hint: the word, or the name before its variable.
fn example_name(word: &crate::shell::Word) -> String {
    let text = word.text();
    if word.value.is_some() {
        return text.to_string();
    }
    let unquoted: String = word
        .raw
        .chars()
        .filter(|c| !matches!(c, '"' | '\''))
        .collect();
    unquoted.split('$').next().unwrap_or_default().to_string()
}

/// A package name followed by a variable, with no version anywhere in the literal text
/// (`tensorflow${SUFFIX}`, `"torch$CUDA"`): whatever the variable holds, it names a variant
/// of the package, not a version (hadolint flags these too). A word that starts with the
/// variable is left alone: it may hold `name==version`.
fn unpinned_with_variable(raw: &str) -> bool {
    let unquoted: String = raw.chars().filter(|c| !matches!(c, '"' | '\'')).collect();
    let Some(variable) = unquoted.find('$') else {
        return false;
    };
    let name = &unquoted[..variable];
    let starts_with_name = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    starts_with_name
        && !unquoted.contains(['=', '<', '>', '~', '!', '@', '/', '`', '('])
        && !unquoted.ends_with(".whl")
}

#[cfg(test)]
mod tests {
    use super::{pinned, unpinned_with_variable};

    #[test]
    fn names_with_a_variable_suffix() {
        assert!(unpinned_with_variable("tensorflow${SUFFIX}"));
        assert!(unpinned_with_variable("\"torch$CUDA\""));
        assert!(!unpinned_with_variable("$PACKAGE"));
        assert!(!unpinned_with_variable("flask==${VERSION}"));
        assert!(!unpinned_with_variable("app-${VERSION}-py3-none-any.whl"));
    }

    #[test]
    fn pip_specifiers() {
        assert!(pinned("flask==3.0"));
        assert!(pinned("requests[socks]>=2,<3"));
        assert!(pinned("pkg @ https://example.com/pkg.whl"));
        assert!(pinned("git+https://github.com/a/b@v1.0"));
        assert!(!pinned("git+https://github.com/a/b"));
        assert!(pinned("./dist/app-1.0-py3-none-any.whl"));
        assert!(pinned("."));
        assert!(!pinned("flask"));
        assert!(!pinned("requests[socks]"));
    }
}
