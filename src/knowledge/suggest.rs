//! Turning templates into checked suggestions and assembling [`ImageInfo`].

use super::classify::Classified;
use super::entry::{Placeholder, Segment, Template};
use super::info::{Deprecation, ImageInfo, Suggestion, SuggestionKind};
use super::model::{Provides, Runtime, TagClass};
use super::size::SizeChange;
use super::Knowledge;

/// `scratch` is a reserved name, never a Docker Hub repository: no prefix goes in front.
const SCRATCH: &str = "scratch";

impl Knowledge {
    /// Classify and compute every suggestion.
    pub(crate) fn image_info(&self, source: &Classified<'_>) -> ImageInfo {
        let reading = &source.reading;
        let parsed = &reading.parsed;
        let entry = source.entry;
        let allowed = parsed.fully_understood() && reading.class != TagClass::Windows;
        let default_variant = !parsed.slim && parsed.alpine.is_none() && !parsed.minimal;
        let heavy_class = matches!(
            reading.class,
            TagClass::Full | TagClass::FullOs | TagClass::Sdk
        );
        let first = |wanted: bool, templates: &[Template], kind: SuggestionKind| {
            if wanted {
                self.first_suggestion(source, templates, kind)
            } else {
                None
            }
        };
        let slim = first(
            allowed && default_variant && heavy_class,
            &entry.slim,
            SuggestionKind::Slim,
        );
        let glibc = first(
            allowed && reading.class == TagClass::Alpine,
            &entry.glibc,
            SuggestionKind::Glibc,
        );
        let runtime_image = first(
            allowed && reading.build_only,
            &entry.runtime_alternatives,
            SuggestionKind::Runtime,
        );
        let minimal = if allowed && reading.class != TagClass::Minimal {
            self.minimal_suggestions(source)
        } else {
            Vec::new()
        };
        let deprecated = entry.lifecycle.as_ref().map(|lifecycle| Deprecation {
            status: lifecycle.status,
            since: lifecycle.since.clone(),
            note: lifecycle.note.clone(),
            sources: self.resolve_sources(&lifecycle.src),
            replacements: first(allowed, &entry.replacements, SuggestionKind::Replacement)
                .into_iter()
                .collect(),
        });
        ImageInfo {
            repository: source.written_repository.clone(),
            entry: entry.key.clone(),
            tag: source.tag.clone(),
            kind: entry.kind,
            class: reading.class,
            libc: reading.libc,
            version: parsed.version.clone(),
            runtime: runtime_of(source),
            os_suite: parsed.suite.clone(),
            build_only: reading.build_only,
            debug_variant: parsed.dev,
            has_shell: parsed.dev || entry.shell.unwrap_or(reading.class != TagClass::Minimal),
            prerelease: parsed.prerelease,
            sizes: self.sizes_for(entry, reading),
            deprecated,
            notes: entry.notes.clone(),
            sources: self.resolve_sources(&entry.sources),
            unrecognized_tokens: parsed.unrecognized.clone(),
            provides: self.provides_for(source),
            slim,
            glibc,
            runtime_image,
            minimal,
        }
    }

    /// What the tag's variant provides: the entry's `provides` keyed by the variant (`alpine`,
    /// `slim`, `minimal`, else the class), an image variant word first (`full-curl`).
    fn provides_for(&self, source: &Classified<'_>) -> Option<Provides> {
        let reading = &source.reading;
        let parsed = &reading.parsed;
        if !parsed.fully_understood() || parsed.dev {
            return None;
        }
        let key = if parsed.alpine.is_some() {
            "alpine"
        } else if parsed.slim {
            "slim"
        } else if reading.class == TagClass::Minimal {
            "minimal"
        } else {
            reading.class.as_str()
        };
        let provides = &source.entry.provides;
        let raw = match parsed.variants.first() {
            Some(variant) => provides.get(&format!("{key}-{variant}")),
            None => provides.get(key),
        }?;
        let mut sources = self.resolve_sources(std::slice::from_ref(&raw.src));
        let mut source_fact = sources.pop()?;
        source_fact.file = raw.file.clone();
        Some(Provides {
            commands: raw.commands.clone(),
            busybox: raw.busybox.clone(),
            packages: raw.packages.clone(),
            env: raw.env.clone(),
            workdir: raw.workdir.clone(),
            source: source_fact,
        })
    }

    /// The first template that yields a current image; for all kinds but replacements, also
    /// one that keeps the runtime version.
    fn first_suggestion(
        &self,
        source: &Classified<'_>,
        templates: &[Template],
        kind: SuggestionKind,
    ) -> Option<Suggestion> {
        templates
            .iter()
            .find_map(|template| self.suggest(source, template, kind))
    }

    /// Templates of the entry, then every current minimal image shipping exactly the runtime
    /// version of the source.
    fn minimal_suggestions(&self, source: &Classified<'_>) -> Vec<Suggestion> {
        let mut suggestions: Vec<Suggestion> = source
            .entry
            .minimal
            .iter()
            .filter_map(|template| self.suggest(source, template, SuggestionKind::Minimal))
            .collect();
        let runtime = source.entry.runtime.as_deref();
        let version = source.reading.runtime_version.as_deref();
        if let (Some(runtime), Some(version)) = (runtime, version) {
            let matching = self.entries.values().filter(|candidate| {
                candidate.default_class == TagClass::Minimal
                    && candidate.lifecycle.is_none()
                    && candidate.runtime.as_deref() == Some(runtime)
                    && candidate.fixed_runtime_version.as_deref() == Some(version)
            });
            for candidate in matching {
                let template = Template {
                    repository: Some(candidate.key.clone()),
                    segments: None,
                    when_versions: None,
                    when_libc: None,
                    requires: None,
                    note: None,
                };
                suggestions.extend(self.suggest(source, &template, SuggestionKind::Minimal));
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        suggestions.retain(|suggestion| seen.insert(suggestion.reference()));
        suggestions
    }

    /// Render one template for `source` and keep it only if it names a current image.
    fn suggest(
        &self,
        source: &Classified<'_>,
        template: &Template,
        kind: SuggestionKind,
    ) -> Option<Suggestion> {
        if !template_applies(source, template) {
            return None;
        }
        let repository = target_repository(source, template);
        let tag = match &template.segments {
            Some(segments) => render_tag(segments, source)?,
            None => None,
        };
        let mut target = self.classify_shallow(&repository, tag.as_deref())?;
        let tag = match tag {
            // A FROM dlint writes always names a tag (no DL3006 on its own output). A
            // replacement keeps the original's tag as it is: untagged stays untagged.
            None if target.entry.default_tag.is_some() && kind != SuggestionKind::Replacement => {
                let tag = target.entry.default_tag.clone();
                target = self.classify_shallow(&repository, tag.as_deref())?;
                tag
            }
            tag => tag,
        };
        if !self.is_current_and_understood(&target) {
            return None;
        }
        let same_image = target.entry.key == source.entry.key && target.tag == source.tag;
        let from_runtime = runtime_of(source);
        let to_runtime = runtime_of(&target);
        let changes_version = version_changes(&from_runtime, &to_runtime);
        if same_image || (changes_version && kind != SuggestionKind::Replacement) {
            return None;
        }
        let size_change = SizeChange::between(
            &self.sizes_for(source.entry, &source.reading),
            &self.sizes_for(target.entry, &target.reading),
        );
        Some(Suggestion {
            kind,
            repository,
            tag,
            class: target.reading.class,
            libc: target.reading.libc,
            runtime: to_runtime,
            changes_version,
            requires: template
                .requires
                .clone()
                .or_else(|| target.entry.requires.clone()),
            note: template.note.clone(),
            size_change,
        })
    }

    /// A suggestion target must be listed, current, fully understood, not Windows, and of a
    /// version its publisher still ships when the entry lists those versions.
    fn is_current_and_understood(&self, target: &Classified<'_>) -> bool {
        let reading = &target.reading;
        let known_version = match (&target.entry.known_versions, &reading.runtime_version) {
            (Some(known), Some(version)) => known.contains(version),
            _ => true,
        };
        target.entry.lifecycle.is_none()
            && reading.parsed.fully_understood()
            && reading.class != TagClass::Windows
            && known_version
    }
}

fn template_applies(source: &Classified<'_>, template: &Template) -> bool {
    let version_ok = match &template.when_versions {
        Some(versions) => source
            .reading
            .runtime_version
            .as_ref()
            .is_some_and(|version| versions.contains(version)),
        None => true,
    };
    let libc_ok = template
        .when_libc
        .is_none_or(|libc| libc == source.reading.libc);
    version_ok && libc_ok
}

/// The repository to write: the source's own, or the template's, with the user's Docker Hub
/// prefix kept for other library images.
fn target_repository(source: &Classified<'_>, template: &Template) -> String {
    let Some(repository) = &template.repository else {
        return source.written_repository.clone();
    };
    let library_image = !repository.contains('/') && repository != SCRATCH;
    match &source.library_prefix {
        Some(prefix) if library_image => format!("{prefix}{repository}"),
        _ => repository.clone(),
    }
}

/// Join the segments with `-`. `None` when a required placeholder is empty; `Some(None)` when
/// nothing is left, which means "no tag" (`golang:alpine` -> `golang`).
fn render_tag(segments: &[Segment], source: &Classified<'_>) -> Option<Option<String>> {
    let mut parts: Vec<String> = Vec::new();
    for segment in segments {
        match segment {
            Segment::Literal(text) => parts.push(text.clone()),
            Segment::Placeholder { name, required } => match placeholder_value(*name, source) {
                Some(value) if !value.is_empty() => parts.push(value),
                _ if *required => return None,
                _ => {}
            },
        }
    }
    Some((!parts.is_empty()).then(|| parts.join("-")))
}

fn placeholder_value(name: Placeholder, source: &Classified<'_>) -> Option<String> {
    let reading = &source.reading;
    let parsed = &reading.parsed;
    match name {
        Placeholder::Version => parsed.version.clone(),
        Placeholder::RuntimeVersion => reading.runtime_version.clone(),
        Placeholder::Suite => parsed.suite.clone(),
        Placeholder::DebianSuite => parsed.suite.clone().filter(|_| parsed.debian_suite),
        Placeholder::Variant => Some(parsed.variants.join("-")),
        Placeholder::JavaKind => parsed.java_kind.map(|kind| kind.as_str().to_string()),
        Placeholder::Alpine => parsed.alpine.clone(),
        Placeholder::AlpinePlain => parsed.alpine.as_ref().map(|_| "alpine".to_string()),
        Placeholder::Slim => parsed.slim.then(|| "slim".to_string()),
        Placeholder::Tag => source.tag.clone(),
    }
}

fn runtime_of(classified: &Classified<'_>) -> Option<Runtime> {
    Some(Runtime {
        name: classified.entry.runtime.clone()?,
        version: classified.reading.runtime_version.clone(),
    })
}

/// Same runtime, different (or no longer known) version. Different runtimes (alpine ->
/// debian, go -> a static base) are not a version change.
fn version_changes(from: &Option<Runtime>, to: &Option<Runtime>) -> bool {
    match (from, to) {
        (Some(from), Some(to)) => from.name == to.name && from.version != to.version,
        _ => false,
    }
}
