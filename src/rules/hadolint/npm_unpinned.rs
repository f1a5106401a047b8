use crate::declare_rule;
use crate::knowledge::npm_package_name;
use crate::rules::hadolint::common::{report_unpinned, PinningRule};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `npm install` (also `npm i`, `npm add`) of a package without a version
    /// (`typescript` instead of `typescript@5.6.2`).
    ///
    /// ## Why is this bad?
    /// Without a version, each build installs the newest release: builds are not
    /// reproducible, and a new major version can break the image with no change to the
    /// Dockerfile. `npm install` with no package installs what `package.json` and the lock
    /// file say, and is not flagged.
    ///
    /// A package counts as pinned when it has a version or range after `@`
    /// (`pkg@1.2.3`, `@scope/pkg@^1.2`), is a git URL with a commit or tag (`#v1.2`), a
    /// tarball (`.tgz`, `.tar.gz`, `.tar`) or a local folder (`./lib`). Unlike hadolint,
    /// the `latest` and `next` tags (and `*`) do not count as versions, and the `i` and
    /// `add` aliases of `install` are checked.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN npm install -g typescript
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN npm install -g typescript@5.6.2
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows which version the image was tested with.
    pub struct NpmUnpinned {
        code: "DL3016",
        name: "npm-unpinned",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3016")],
    }
}

/// npm options that take a value.
const NPM_VALUE_OPTIONS: &[&str] = &[
    "--prefix",
    "-C",
    "--registry",
    "--cache",
    "--userconfig",
    "--globalconfig",
    "-w",
    "--workspace",
    "--loglevel",
    "--omit",
    "--include",
    "--install-strategy",
    "--tag",
];

fn pinned(package: &str) -> bool {
    const GIT: &[&str] = &[
        "git://",
        "git+ssh://",
        "git+http://",
        "git+https://",
        "github:",
        "gitlab:",
        "bitbucket:",
    ];
    if GIT.iter().any(|p| package.starts_with(p)) {
        return package.contains('#');
    }
    if [".tar", ".tar.gz", ".tgz"]
        .iter()
        .any(|s| package.ends_with(s))
        || ["/", "./", "../", "~/", "file:", "http://", "https://"]
            .iter()
            .any(|p| package.starts_with(p))
    {
        return true;
    }
    // `@scope/name@version`: the version is after the second `@`.
    let unscoped = match package.strip_prefix('@') {
        Some(rest) => rest.split_once('/').map_or("", |(_, name)| name),
        None => package,
    };
    match unscoped.split_once('@') {
        Some((_, version)) => !matches!(version, "" | "latest" | "next" | "*" | "x"),
        None => false,
    }
}

const NPM_INSTALL: PinningRule = PinningRule {
    tools: &["npm"],
    installs: &["install", "i", "add"],
    global_options: NPM_VALUE_OPTIONS,
    install_options: NPM_VALUE_OPTIONS,
    pinned,
    command: "npm install",
    example: |package| {
        let name = npm_package_name(package).unwrap_or_else(|| package.to_string());
        format!("{name}@<version>")
    },
    skip: |_| false,
};

impl Check for NpmUnpinned {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        report_unpinned(ctx, &NPM_INSTALL, out);
    }
}

#[cfg(test)]
mod tests {
    use super::pinned;

    #[test]
    fn npm_specs() {
        assert!(pinned("typescript@5.6.2"));
        assert!(pinned("@angular/cli@17"));
        assert!(!pinned("@angular/cli"));
        assert!(!pinned("typescript"));
        assert!(!pinned("typescript@latest"));
        assert!(pinned("git+https://github.com/a/b.git#v1.0"));
        assert!(!pinned("git+https://github.com/a/b.git"));
        assert!(pinned("./local-pkg"));
        assert!(pinned("pkg-1.0.0.tgz"));
    }
}
