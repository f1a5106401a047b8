use crate::declare_rule;
use crate::fix::{Edit, Fix};
use crate::rules::hadolint::common::{has_flag, option_value, value_text};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `useradd` with a UID of six digits or more (`-u 100000`) and without `-l`
    /// (`--no-log-init`).
    ///
    /// ## Why is this bad?
    /// `useradd` reserves room for the new user in `/var/log/lastlog` and
    /// `/var/log/faillog`, files indexed by UID. On disk they are sparse, but image layers do
    /// not keep holes: a UID of 100000 writes about 30 MB of zeros into the layer, a UID of
    /// 1000000000 can exhaust the disk. `-l` skips those databases.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN useradd -u 123456 app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN useradd -l -u 123456 app
    /// ```
    ///
    /// ## Fix safety
    /// Safe: `-l` only keeps the user out of the login-records databases, which nothing in
    /// a container reads. The fix inserts `-l` right after `useradd`.
    pub struct UseraddHighUid {
        code: "DL3046",
        name: "useradd-high-uid",
        family: Hadolint,
        severity: Warning,
        fix: Always,
        sources: [Source::Hadolint("DL3046")],
    }
}

impl Check for UseraddHighUid {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for run in ctx.runs_with_onbuild() {
            for command in run.commands_named(&["useradd"]) {
                let view = command.effective();
                let args = view.args();
                if has_flag(args, &['l'], &["--no-log-init"]) {
                    continue;
                }
                let Some(uid) = option_value(args, 'u', "--uid")
                    .filter(|w| w.value.is_some())
                    .map(|w| value_text(w, 'u', "--uid"))
                else {
                    continue;
                };
                if uid.len() <= 5 || !uid.chars().all(|c| c.is_ascii_digit()) {
                    continue;
                }
                let Some(useradd) = view.words.first() else {
                    continue;
                };
                out.push(
                    Violation::new(
                        command.span.clone(),
                        format!(
                            "`useradd` with UID {uid} and without `-l` writes huge login-record files into the layer"
                        ),
                    )
                    .with_fix(Fix::safe(
                        "Add `-l`",
                        vec![Edit::insert(useradd.span.end, " -l")],
                    )),
                );
            }
        }
    }
}
