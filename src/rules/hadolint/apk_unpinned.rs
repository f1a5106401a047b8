use crate::declare_rule;
use crate::rules::hadolint::common::{report_unpinned, PinningRule};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `apk add` of a package without a version (`curl` instead of `curl=8.9.1-r0`).
    ///
    /// ## Why is this bad?
    /// Without a version, each build installs whatever the repository holds that day: builds
    /// are not reproducible, and an upgrade can break the image with no change to the
    /// Dockerfile.
    ///
    /// A package counts as pinned when it has a version constraint (`pkg=1.2-r0`,
    /// `pkg~1.2`, `pkg>1.2`, `pkg<2`) or is an `.apk` file. Packages named through a
    /// variable are not judged. The name given to `--virtual` (`-t`) is a virtual package,
    /// not a package to pin.
    ///
    /// Unlike hadolint, `--virtual=.build-deps curl` does not hide `curl` (hadolint drops the
    /// word after any `--virtual`, even when the name is joined with `=`), and the `<`/`>`
    /// constraints apk accepts count as pins.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apk add --no-cache curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apk add --no-cache curl=8.9.1-r0
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows which version the image was tested with.
    pub struct ApkUnpinned {
        code: "DL3018",
        name: "apk-unpinned",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3018")],
    }
}

/// apk options that take a value.
const APK_VALUE_OPTIONS: &[&str] = &[
    "-t",
    "--virtual",
    "-X",
    "--repository",
    "--repositories-file",
    "-p",
    "--root",
    "--arch",
    "--cache-dir",
    "--keys-dir",
    "--cache-max-age",
    "--timeout",
];

const APK_ADD: PinningRule = PinningRule {
    tools: &["apk"],
    installs: &["add"],
    global_options: APK_VALUE_OPTIONS,
    install_options: APK_VALUE_OPTIONS,
    pinned: |p| p.contains(['=', '~', '<', '>']) || p.ends_with(".apk"),
    command: "apk add",
    example: |name| format!("{name}=<version>"),
    skip: |_| false,
};

impl Check for ApkUnpinned {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        report_unpinned(ctx, &APK_ADD, out);
    }
}
