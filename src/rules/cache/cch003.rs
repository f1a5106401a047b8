use crate::declare_rule;
use crate::fix::Fix;
use crate::rules::cache::common::package_commands;
use crate::rules::{Check, Context, Violation};

declare_rule! {
    /// ## What it does
    /// Flags `gem install` without `--no-document` (or the older `--no-rdoc --no-ri`) in stages
    /// that ship in the final image.
    ///
    /// ## Why is this bad?
    /// RubyGems generates rdoc and ri documentation for every installed gem and keeps it in the
    /// layer; nobody reads it inside a container. A `.gemrc` with `gem: --no-document` (as the
    /// official ruby images ship) also avoids it: when the stage sets `gem: --no-document`
    /// through a copied `.gemrc`, ignore this rule for the file.
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
        for run in ctx.runs() {
            if !ctx.ships(run.stage) {
                continue;
            }
            for install in package_commands(run, &["gem"], &["install", "i"], &[]) {
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
    }
}
