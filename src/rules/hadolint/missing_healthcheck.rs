use crate::declare_rule;
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags an image without a `HEALTHCHECK`. Off by default: select it explicitly.
    ///
    /// ## Why is this bad?
    /// Without a health check, Docker and Swarm only know whether the main process runs, not
    /// whether it answers: a hung server stays "running" forever. (Kubernetes ignores
    /// `HEALTHCHECK` and uses its own probes, hence off by default.)
    ///
    /// Unlike hadolint, which checks every stage, only the image that is built counts: the
    /// runtime stage (the last one, or `--target`), with the `HEALTHCHECK` it inherits from
    /// the stages it is built `FROM`. The finding points at the runtime stage's `FROM`. A
    /// `HEALTHCHECK` set by the base image is not known to dlint.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// COPY site /usr/share/nginx/html
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM nginx:1.27
    /// COPY site /usr/share/nginx/html
    /// HEALTHCHECK CMD curl -fs http://localhost/ || exit 1
    /// ```
    ///
    /// ## Fix safety
    /// No fix: how to check the service is for the author to say.
    pub struct MissingHealthcheck {
        code: "DL3057",
        name: "missing-healthcheck",
        family: Hadolint,
        severity: Info,
        fix: None,
        default_enabled: false,
        sources: [Source::Hadolint("DL3057")],
    }
}

impl Check for MissingHealthcheck {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let Some(runtime) = ctx.model.runtime else {
            return;
        };
        let instructions = ctx.instructions();
        let has_check = ctx.model.chain(runtime).into_iter().any(|s| {
            let stage = &ctx.model.stages[s];
            instructions[stage.instructions.clone()]
                .iter()
                .any(|i| i.keyword == Keyword::Healthcheck)
        });
        if has_check {
            return;
        }
        let from = instructions[ctx.model.stages[runtime].from_instruction];
        out.push(Violation::new(
            from.keyword_span.clone(),
            "`HEALTHCHECK` instruction missing: nothing tells whether the container still works",
        ));
    }
}
