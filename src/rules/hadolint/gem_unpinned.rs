use crate::declare_rule;
use crate::rules::hadolint::common::{has_flag, report_unpinned, PinningRule};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `gem install` of a gem without a version (`rails` instead of `rails:7.1.3`).
    ///
    /// ## Why is this bad?
    /// Without a version, each build installs the newest release: builds are not
    /// reproducible, and a new major version can break the image with no change to the
    /// Dockerfile.
    ///
    /// A gem counts as pinned when it is written `name:version` or is a local `.gem` file;
    /// a command with `-v`/`--version` pins its gem. `ONBUILD RUN` is checked too.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN gem install bundler
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN gem install bundler:2.5.6
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows which version the image was tested with.
    pub struct GemUnpinned {
        code: "DL3028",
        name: "gem-unpinned",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3028")],
    }
}

/// `gem install` options that take a value.
const GEM_VALUE_OPTIONS: &[&str] = &[
    "-v",
    "--version",
    "-i",
    "--install-dir",
    "-n",
    "--bindir",
    "--platform",
    "-s",
    "--source",
    "-P",
    "--trust-policy",
    "-g",
    "--file",
    "--build-root",
    "--target-rbconfig",
];

const GEM_INSTALL: PinningRule = PinningRule {
    tools: &["gem"],
    installs: &["install", "i"],
    global_options: &[],
    install_options: GEM_VALUE_OPTIONS,
    pinned: |g| g.contains(':') || g.ends_with(".gem"),
    command: "gem install",
    example: |name| format!("{name}:<version>"),
    // `-v`/`--version` pins the gems named.
    skip: |install| has_flag(install.rest(), &['v'], &["--version"]),
};

impl Check for GemUnpinned {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        report_unpinned(ctx, &GEM_INSTALL, out);
    }
}
