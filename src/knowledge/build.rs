//! Building a [`Knowledge`] from `rules/images.toml` and layering a user's `[images]` table.

use std::collections::{BTreeMap, HashMap};

use super::classify::{read_tag, ResolvedSize};
use super::entry::{resolve_entries, word_kinds, ImageEntry};
use super::error::KnowledgeError;
use super::model::{ImageKind, Libc, RecipeOption, Source, StaticRecipe, TagClass};
use super::raw::{entry_path, RawImage, RawImagesFile};
use super::size::Size;
use super::{builtin_raw_entries, Knowledge};

/// Source id given to facts that come from the user's configuration.
const CONFIG_SOURCE: &str = "config";

impl Knowledge {
    /// Parse an images file in the format of `rules/images.toml`. Every entry must say what
    /// kind of image it is, its default class, libc and sources.
    pub fn from_toml_str(text: &str) -> Result<Knowledge, KnowledgeError> {
        let file: RawImagesFile = toml::from_str(text).map_err(|error| {
            KnowledgeError::new("images.toml", error.to_string().replace('\n', " "))
        })?;
        Knowledge::from_raw(file)
    }

    /// The built-in knowledge base from the bytes `build.rs` made of it with
    /// [`Knowledge::to_embedded`]; `None` if there are none (the TOML is malformed) or they do
    /// not decode.
    pub(crate) fn from_embedded(bytes: &[u8]) -> Option<Knowledge> {
        postcard::from_bytes(bytes).ok()
    }

    /// What `build.rs` embeds: the finished knowledge base (without the entries as written)
    /// and, apart, the entries as written, which only overrides need.
    #[cfg_attr(not(test), allow(dead_code))] // called by build.rs
    pub(crate) fn to_embedded(&self) -> Option<(Vec<u8>, Vec<u8>)> {
        let raw_entries = self.raw_entries.as_ref()?;
        let finished = postcard::to_allocvec(self).ok()?;
        Some((finished, postcard::to_allocvec(raw_entries).ok()?))
    }

    fn from_raw(file: RawImagesFile) -> Result<Knowledge, KnowledgeError> {
        if file.schema_version != 1 {
            return Err(KnowledgeError::new(
                "schema_version",
                format!("unsupported schema version {}", file.schema_version),
            ));
        }
        let sources: BTreeMap<String, Source> = file
            .sources
            .into_iter()
            .map(|(id, raw)| {
                let source = Source {
                    id: id.clone(),
                    description: raw.desc,
                    url: raw.url,
                    commit: raw.commit,
                    date: raw.date,
                    file: None,
                };
                (id, source)
            })
            .collect();
        let mut raw_entries = BTreeMap::new();
        for (key, table) in &file.image {
            let raw = RawImage::from_table(&entry_path("image", key), table)?;
            raw_entries.insert(key.to_ascii_lowercase(), raw);
        }
        let mut library_prefixes = file.registry.library_prefixes;
        library_prefixes.sort_by_key(|prefix| std::cmp::Reverse(prefix.len()));
        let mut knowledge = Knowledge {
            compiled: file.compiled,
            compiled_from: file.compiled_from,
            static_recipes: BTreeMap::new(),
            vocabulary: word_kinds(file.tokens, "tokens")?,
            library_prefixes,
            sources,
            raw_entries: Some(raw_entries),
            entries: BTreeMap::new(),
            by_repository: HashMap::new(),
            sizes: BTreeMap::new(),
        };
        for (language, raw) in file.static_link {
            let path = format!("static_link.{language}");
            let recipe = StaticRecipe {
                language: language.clone(),
                summary: raw.summary,
                env: raw.env.into_iter().collect(),
                options: raw
                    .options
                    .into_iter()
                    .map(|option| RecipeOption {
                        value: option.value,
                        effect: option.effect,
                    })
                    .collect(),
                caveats: raw.caveats,
                shell_runtime: raw.shell_runtime,
                sources: knowledge.checked_sources(&raw.src, &format!("{path}.src"))?,
            };
            knowledge.static_recipes.insert(language, recipe);
        }
        knowledge.rebuild("image")?;
        knowledge.check_complete()?;
        Ok(knowledge)
    }

    /// A copy with the user's `[images]` table layered on top (see [`Knowledge::with_overrides`]
    /// for the format).
    pub(crate) fn layered(&self, images_table: &toml::Value) -> Result<Knowledge, KnowledgeError> {
        let table = images_table.as_table().ok_or_else(|| {
            KnowledgeError::new("images", "expected a table keyed by image repository")
        })?;
        let mut knowledge = self.clone();
        let mut raw_entries = knowledge
            .raw_entries
            .take()
            .unwrap_or_else(|| builtin_raw_entries().clone());
        knowledge.sources.insert(
            CONFIG_SOURCE.to_string(),
            Source {
                id: CONFIG_SOURCE.to_string(),
                description: "the [images] table of dlint.toml".to_string(),
                url: None,
                commit: None,
                date: String::new(),
                file: None,
            },
        );
        for (repository, value) in table {
            let path = entry_path("images", repository);
            let entry_table = value.as_table().ok_or_else(|| {
                KnowledgeError::new(&path, "expected a table (e.g. { like = \"python\" })")
            })?;
            let patch = RawImage::from_table(&path, entry_table)?;
            let written = repository.trim().to_ascii_lowercase();
            let existing_key = self
                .classify_shallow(&written, None)
                .map(|found| found.entry.key.clone());
            let key = existing_key.unwrap_or(written);
            let merged = match raw_entries.get(&key) {
                Some(base) => {
                    let mut base = base.clone();
                    if patch.src.is_none() {
                        let mut src = base.src.take().unwrap_or_default();
                        src.push(CONFIG_SOURCE.to_string());
                        base.src = Some(src);
                    }
                    base.patched_with(patch)
                }
                None => RawImage {
                    src: patch.src.clone().or(Some(vec![CONFIG_SOURCE.to_string()])),
                    ..patch
                },
            };
            raw_entries.insert(key, merged);
        }
        knowledge.raw_entries = Some(raw_entries);
        knowledge.rebuild("images")?;
        Ok(knowledge)
    }

    /// Resolve entries, index repositories, check sources and templates, resolve sizes.
    fn rebuild(&mut self, table: &str) -> Result<(), KnowledgeError> {
        let raw_entries = match &self.raw_entries {
            Some(raw_entries) => raw_entries,
            None => builtin_raw_entries(),
        };
        let entries = resolve_entries(raw_entries, table)?;
        let mut by_repository = HashMap::new();
        for entry in entries.values() {
            for repository in &entry.repositories {
                let repository = repository.to_ascii_lowercase();
                if let Some(other) = by_repository.insert(repository.clone(), entry.key.clone()) {
                    return Err(KnowledgeError::new(
                        entry_path(table, &entry.key),
                        format!("repository \"{repository}\" is also listed under \"{other}\""),
                    ));
                }
            }
        }
        self.entries = entries;
        self.by_repository = by_repository;
        let mut sizes = BTreeMap::new();
        for entry in self.entries.values() {
            let path = entry_path(table, &entry.key);
            self.checked_sources(&entry.sources, &format!("{path}.src"))?;
            if let Some(lifecycle) = &entry.lifecycle {
                self.checked_sources(&lifecycle.src, &format!("{path}.lifecycle.src"))?;
            }
            self.check_template_targets(entry, &path)?;
            sizes.insert(entry.key.clone(), self.resolve_sizes(entry, &path)?);
        }
        self.sizes = sizes;
        Ok(())
    }

    fn check_template_targets(&self, entry: &ImageEntry, path: &str) -> Result<(), KnowledgeError> {
        let lists = [
            ("slim_alternatives", &entry.slim),
            ("glibc_alternatives", &entry.glibc),
            ("runtime_alternatives", &entry.runtime_alternatives),
            ("minimal_alternatives", &entry.minimal),
            ("replacements", &entry.replacements),
        ];
        for (list, templates) in lists {
            for (index, template) in templates.iter().enumerate() {
                let Some(repository) = &template.repository else {
                    continue;
                };
                if self.entry_for_repository(repository).is_none() {
                    return Err(KnowledgeError::new(
                        format!("{path}.{list}[{index}].repository"),
                        format!("\"{repository}\" is not an image entry"),
                    ));
                }
            }
        }
        Ok(())
    }

    fn resolve_sizes(
        &self,
        entry: &ImageEntry,
        path: &str,
    ) -> Result<Vec<ResolvedSize>, KnowledgeError> {
        entry
            .raw_sizes
            .iter()
            .enumerate()
            .map(|(index, raw)| {
                let size_path = format!("{path}.sizes[{index}]");
                let mut source = self.sources.get(&raw.src).cloned().ok_or_else(|| {
                    KnowledgeError::new(
                        format!("{size_path}.src"),
                        format!("unknown source \"{}\"", raw.src),
                    )
                })?;
                source.file = raw.file.clone();
                if raw.commit.is_some() {
                    source.commit = raw.commit.clone();
                }
                if !raw.mb.is_finite() || raw.mb <= 0.0 {
                    return Err(KnowledgeError::new(
                        format!("{size_path}.mb"),
                        "size must be a positive number of megabytes",
                    ));
                }
                let reading = read_tag(&self.vocabulary, entry, Some(&raw.tag));
                Ok(ResolvedSize {
                    size: Size {
                        megabytes: raw.mb,
                        measure: raw.measure,
                        measured_on: format!("{}:{}", entry.key, raw.tag),
                        arch: raw.arch.clone(),
                        date: raw.date.clone(),
                        source,
                        note: raw.note.clone(),
                    },
                    class: reading.class,
                    libc: reading.libc,
                    slim: reading.parsed.slim,
                    runtime_version: reading.runtime_version,
                })
            })
            .collect()
    }

    /// Built-in entries must be complete; user entries may leave things unknown.
    fn check_complete(&self) -> Result<(), KnowledgeError> {
        for entry in self.entries.values() {
            let path = entry_path("image", &entry.key);
            let missing = if entry.kind == ImageKind::Unknown {
                Some("kind")
            } else if entry.default_class == TagClass::Unknown {
                Some("default_class")
            } else if entry.libc == Libc::Unknown {
                Some("libc")
            } else if entry.sources.is_empty() {
                Some("src")
            } else {
                None
            };
            if let Some(field) = missing {
                return Err(KnowledgeError::new(
                    format!("{path}.{field}"),
                    "required (directly or through `like`)",
                ));
            }
            for (variant, provides) in &entry.provides {
                self.checked_sources(
                    std::slice::from_ref(&provides.src),
                    &format!("{path}.provides.{variant}.src"),
                )?;
            }
        }
        Ok(())
    }

    fn checked_sources(&self, ids: &[String], path: &str) -> Result<Vec<Source>, KnowledgeError> {
        ids.iter()
            .map(|id| {
                self.sources
                    .get(id)
                    .cloned()
                    .ok_or_else(|| KnowledgeError::new(path, format!("unknown source \"{id}\"")))
            })
            .collect()
    }

    /// Sources by id, skipping unknown ids (they were checked when the entry was built).
    pub(crate) fn resolve_sources(&self, ids: &[String]) -> Vec<Source> {
        ids.iter()
            .filter_map(|id| self.sources.get(id).cloned())
            .collect()
    }
}

/// Serializes a map in key order, so that `build.rs` writes the same bytes for the same data.
pub(crate) fn sorted<S: serde::Serializer>(
    map: &HashMap<String, String>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(map.iter().collect::<BTreeMap<_, _>>())
}
