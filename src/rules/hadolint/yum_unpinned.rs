use crate::declare_rule;
use crate::rules::hadolint::common::{name_list, rpm_hint, rpm_unpinned};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `yum install` of a package without a version (`httpd` instead of
    /// `httpd-2.4.57`), and `yum module install` of a module without a stream
    /// (`nodejs` instead of `nodejs:18`).
    ///
    /// ## Why is this bad?
    /// Without a version, each build installs whatever the repositories hold that day:
    /// builds are not reproducible, and an upgrade can break the image with no change to the
    /// Dockerfile.
    ///
    /// Unlike hadolint, which takes any dash as a version (`python3-pip` passes), the part
    /// after the name must look like a version (`python3-pip-21.3.1`), as in DL3041. `.rpm`
    /// files count as pinned; groups (`@core`), globs, paths and capabilities cannot be
    /// pinned this way and are not reported.
    ///
    /// ## Differences from hadolint
    /// hadolint flags a package named through a variable (`yum install -y $PKGS`) as
    /// unpinned. dlint does not judge such words: the variable may hold pinned packages, and
    /// its value often comes from an `ARG` or `ENV` set elsewhere.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN yum install -y httpd && yum clean all
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN yum install -y httpd-2.4.57 && yum clean all
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows which version the image was tested with.
    pub struct YumUnpinned {
        code: "DL3033",
        name: "yum-unpinned",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3033")],
    }
}

impl Check for YumUnpinned {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for run in ctx.runs_with_onbuild() {
            for (install, loose) in rpm_unpinned(run, &["yum"]) {
                out.push(Violation::new(
                    install.command.span.clone(),
                    format!(
                        "Pin versions in `yum install`: {} (use `{}`)",
                        name_list(loose.iter().copied()),
                        rpm_hint(&install, loose[0])
                    ),
                ));
            }
        }
    }
}
