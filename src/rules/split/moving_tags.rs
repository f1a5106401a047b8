//! What a moving tag (`python:3`, `python:3-slim`, `python:latest`) means today, from
//! `rules/moving-tags.toml`: each entry names the official-images file it was read from and
//! its date, which the message repeats.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

const FACTS: &str = include_str!("../../../rules/moving-tags.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MovingTags {
    #[allow(dead_code)] // provenance for readers of the TOML (and the test)
    pub source: String,
    pub date: String,
    versions: BTreeMap<String, String>,
}

fn facts() -> &'static BTreeMap<String, MovingTags> {
    static FACTS_PARSED: OnceLock<BTreeMap<String, MovingTags>> = OnceLock::new();
    FACTS_PARSED.get_or_init(|| toml::from_str(FACTS).unwrap_or_default())
}

/// The version `image`'s tag pointed at, with the facts' source and date; `version_word` is
/// the tag's version (`3`), `None` for `latest` and variant-only tags.
pub(crate) fn current_version(
    image: &str,
    version_word: Option<&str>,
) -> Option<(&'static str, &'static MovingTags)> {
    let entry = facts().get(image)?;
    let version = entry.versions.get(version_word.unwrap_or("latest"))?;
    Some((version.as_str(), entry))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_facts_parse_and_answer() {
        let parsed: BTreeMap<String, MovingTags> =
            toml::from_str(FACTS).expect("rules/moving-tags.toml parses");
        assert!(parsed
            .values()
            .all(|e| !e.source.is_empty() && e.date.len() == 10));
        let (version, entry) = current_version("python", Some("3")).unwrap();
        assert_eq!(version, "3.14");
        assert_eq!(entry.date, "2026-08-21");
        assert_eq!(current_version("python", None).unwrap().0, "3.14");
        assert!(current_version("python", Some("3.13")).is_none());
        assert!(current_version("node", Some("20")).is_none());
    }
}
