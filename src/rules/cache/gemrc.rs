//! Where RubyGems' `--no-document` is already the default: a gemrc the file writes itself, or
//! a base image whose own Dockerfile writes one (facts in `rules/image-defaults.toml`).

use std::sync::LazyLock;

use serde::Deserialize;

use crate::rules::Context;
use crate::syntax::Keyword;

#[derive(Debug, Default, Deserialize)]
struct ImageDefaults {
    #[serde(rename = "gemrc-no-document", default)]
    gemrc_no_document: ImageList,
}

#[derive(Debug, Default, Deserialize)]
struct ImageList {
    #[serde(default)]
    entries: Vec<String>,
    #[serde(default)]
    repositories: Vec<String>,
}

static DEFAULTS: LazyLock<ImageDefaults> = LazyLock::new(|| {
    toml::from_str(include_str!("../../../rules/image-defaults.toml")).unwrap_or_default()
});

/// Why `gem install` writes no documentation where instruction `index` runs, if it does not:
/// the base image's gemrc, or a gemrc written or copied earlier in the stage's FROM chain.
pub(crate) fn no_document_default(ctx: &Context<'_>, index: usize) -> Option<String> {
    let stage = ctx.model.stage_of(index)?;
    let root = ctx.model.stages.get(stage)?.root;
    let defaults = &DEFAULTS.gemrc_no_document;
    let base = ctx.model.stages.get(root)?.base.as_ref()?;
    let by_entry = ctx
        .base_info(root)
        .is_some_and(|info| defaults.entries.contains(&info.entry));
    let by_repository = base.parts.repository.as_deref().is_some_and(|repository| {
        let repository = repository.to_ascii_lowercase();
        let official = repository
            .trim_start_matches("docker.io/")
            .trim_start_matches("library/");
        defaults.repositories.contains(&repository)
            || defaults.entries.iter().any(|e| e == official)
    });
    if by_entry || by_repository {
        return Some(format!("`{}` sets `--no-document` in its gemrc", base.raw));
    }
    let chain = ctx.model.chain(stage);
    ctx.instructions()
        .iter()
        .enumerate()
        .take(index)
        .filter(|(i, _)| ctx.model.stage_of(*i).is_some_and(|s| chain.contains(&s)))
        .find_map(|(_, instruction)| {
            let text = ctx
                .source()
                .get(instruction.span.clone())
                .unwrap_or_default();
            let writes = match instruction.keyword {
                Keyword::Run => text.contains("gemrc") && sets_no_document(text),
                Keyword::Copy | Keyword::Add => instruction
                    .args
                    .last()
                    .is_some_and(|dest| dest.value.contains("gemrc")),
                _ => false,
            };
            writes.then(|| format!("line {} writes a gemrc", instruction.start_line))
        })
}

fn sets_no_document(text: &str) -> bool {
    text.contains("--no-document") || text.contains("--no-rdoc") || text.contains("--no-ri")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_facts_file_parses_and_names_ruby() {
        let defaults: super::ImageDefaults =
            toml::from_str(include_str!("../../../rules/image-defaults.toml")).unwrap();
        assert!(defaults
            .gemrc_no_document
            .entries
            .contains(&"ruby".to_string()));
    }
}
