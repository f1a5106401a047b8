use crate::declare_rule;
use crate::fix::Fix;
use crate::rules::cache::common::package_commands;
use crate::rules::cache::gemrc::no_document_default;
use crate::rules::{Check, Context, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `gem install` without `--no-document` (or the older `--no-rdoc --no-ri`) in stages
    /// that ship in the final image.
    ///
    /// ## Why is this bad?
    /// RubyGems generates rdoc and ri documentation for every installed gem and keeps it in the
    /// layer; nobody reads it inside a container. A gemrc with `gem: --no-document` also
    /// avoids it, so the rule stays quiet when one is in force: written by an earlier `RUN`
    /// (one that names `gemrc` and `--no-document`) or copied to a `gemrc` path in the stage's
    /// FROM chain, or set by the base image (the official `ruby` images and the devcontainer
    /// images built on them; facts with their source in `rules/image-defaults.toml`).
    ///
    /// Quiet when the image is a build environment or a test fixture (`docs/purpose.md`):
    /// nobody ships its layers.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN gem install bundler
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN gem install --no-document bundler
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the same gems are installed, without their documentation.
    pub struct GemNoDocument {
        code: "CCH003",
        name: "gem-no-document",
        family: Cache,
        severity: Info,
        fix: Always,
    }
}

impl Check for GemNoDocument {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let start = out.len();
        for run in ctx.runs() {
            if !ctx.ships(run.stage) {
                continue;
            }
            let installs = package_commands(run, &["gem"], &["install", "i"], &[]);
            if installs.is_empty() || no_document_default(ctx, run.index).is_some() {
                continue;
            }
            for install in installs {
                if install.has_option(&["--no-document", "-N", "--no-rdoc", "--no-ri"]) {
                    continue;
                }
                out.push(
                    Violation::new(
                        install.command.span.clone(),
                        "`gem install` without `--no-document` keeps generated documentation in the layer",
                    )
                    .with_fix(Fix::safe(
                        "Add `--no-document`",
                        vec![install.insert_option("--no-document")],
                    )),
                );
            }
        }
        // Layer size matters for images that are shipped, not for build environments and
        // test fixtures (`docs/purpose.md`). Asked only when needed.
        ctx.keep_only_if(out, start, Context::layer_size_matters);
    }
}
