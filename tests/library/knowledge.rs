//! Tests of the image and package knowledge base (`rules/*.toml` read by `src/knowledge`).
//!
//! Expected classes and suggestions are facts about real images; where a test needs a number
//! or a version from the data it reads `rules/images.toml` itself, so the data can change
//! without the tests hard-coding today's values.

use std::collections::BTreeSet;
use std::path::Path;

use dlint::knowledge::{
    format_megabytes, packages, ImageInfo, Knowledge, Libc, LifecycleStatus, Runtime, SizeMeasure,
    SuggestionKind, TagClass,
};

const IMAGES_TOML: &str = include_str!("../../rules/images.toml");

fn kb() -> &'static Knowledge {
    Knowledge::builtin()
}

/// `python:3.12` -> ("python", Some("3.12")); a colon inside a registry host:port is not a tag.
fn split_reference(reference: &str) -> (&str, Option<&str>) {
    match reference.rsplit_once(':') {
        Some((repository, tag)) if !tag.contains('/') => (repository, Some(tag)),
        _ => (reference, None),
    }
}

fn classify(reference: &str) -> ImageInfo {
    let (repository, tag) = split_reference(reference);
    kb().classify(repository, tag)
        .unwrap_or_else(|| panic!("{reference} should be in the knowledge base"))
}

/// The data file read independently of the code under test.
fn images_data() -> toml::Table {
    IMAGES_TOML
        .parse()
        .expect("rules/images.toml is valid TOML")
}

fn image_data<'a>(data: &'a toml::Table, key: &str) -> &'a toml::Table {
    data["image"][key]
        .as_table()
        .unwrap_or_else(|| panic!("rules/images.toml has no image entry {key}"))
}

#[test]
fn builtin_data_loads_and_says_when_it_was_compiled() {
    let data = images_data();
    assert_eq!(kb().compiled(), data["compiled"].as_str().unwrap());
    assert!(IMAGES_TOML.contains(&format!("Compiled {}", kb().compiled())));
    assert!(!kb().compiled_from().is_empty());
    assert!(packages().compiled().len() >= 10);
}

use Libc as L;
use TagClass as C;

/// reference, class, libc, build_only
#[rustfmt::skip]
const CLASSES: &[(&str, TagClass, Libc, bool)] = &[
    ("python:3.12", C::Full, L::Glibc, false),
    ("python:3.12-slim", C::Slim, L::Glibc, false),
    ("python:3.12-slim-bookworm", C::Slim, L::Glibc, false),
    ("python:3.12.4-alpine3.20", C::Alpine, L::Musl, false),
    ("python:latest", C::Full, L::Glibc, false),
    ("python:3.12-windowsservercore-ltsc2022", C::Windows, L::Windows, false),
    ("node:22-bookworm", C::Full, L::Glibc, false),
    ("node:lts-alpine", C::Alpine, L::Musl, false),
    ("node:20-slim", C::Slim, L::Glibc, false),
    ("golang:1.23", C::Sdk, L::Glibc, true),
    ("golang:1.23-alpine", C::Alpine, L::Musl, true),
    ("golang:1.26-windowsservercore-ltsc2025", C::Windows, L::Windows, true),
    ("rust:1-slim", C::Sdk, L::Glibc, true),
    ("mcr.microsoft.com/dotnet/sdk:8.0-jammy", C::Sdk, L::Glibc, true),
    ("mcr.microsoft.com/dotnet/aspnet:8.0", C::Runtime, L::Glibc, false),
    ("mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled", C::Minimal, L::Glibc, false),
    ("mcr.microsoft.com/dotnet/sdk:10.0-alpine", C::Alpine, L::Musl, true),
    ("eclipse-temurin:21-jdk", C::Sdk, L::Glibc, true),
    ("eclipse-temurin:21-jre", C::Runtime, L::Glibc, false),
    ("eclipse-temurin:21-jre-alpine", C::Alpine, L::Musl, false),
    ("maven:3.9-eclipse-temurin-21", C::Sdk, L::Glibc, true),
    ("gradle:jdk21-alpine", C::Alpine, L::Musl, true),
    ("debian:bookworm", C::FullOs, L::Glibc, false),
    ("debian:trixie-slim", C::Slim, L::Glibc, false),
    ("ubuntu:24.04", C::FullOs, L::Glibc, false),
    ("alpine:3.20", C::Alpine, L::Musl, false),
    ("alpine", C::Alpine, L::Musl, false),
    ("busybox:musl", C::Minimal, L::None, false),
    ("scratch", C::Minimal, L::None, false),
    ("gcr.io/distroless/static-debian13", C::Minimal, L::None, false),
    ("gcr.io/distroless/python3-debian13:nonroot", C::Minimal, L::Glibc, false),
    ("cgr.dev/chainguard/python:latest-dev", C::Minimal, L::Glibc, false),
    ("mcr.microsoft.com/windows/servercore:ltsc2022-amd64", C::Windows, L::Windows, false),
    ("php:8.3-fpm-alpine3.20", C::Alpine, L::Musl, false),
];

#[test]
fn real_tags_classify_to_the_right_class_and_libc() {
    for &(reference, class, libc, build_only) in CLASSES {
        let info = classify(reference);
        assert_eq!(info.class, class, "class of {reference}");
        assert_eq!(info.libc, libc, "libc of {reference}");
        assert_eq!(info.build_only, build_only, "build_only of {reference}");
        assert!(info.unrecognized_tokens.is_empty(), "{reference}: {info:?}");
    }
}

/// reference, version as written, runtime version, OS suite
#[rustfmt::skip]
const VERSIONS: &[Row] = &[
    ("python:3.12-slim-bookworm", Some("3.12"), Some("3.12"), Some("bookworm")),
    ("python:3.12.4-alpine3.20", Some("3.12.4"), Some("3.12"), None),
    ("python:3", Some("3"), None, None),
    ("python:3.15-rc-slim", Some("3.15-rc"), None, None),
    ("node:22-bookworm", Some("22"), Some("22"), Some("bookworm")),
    ("node:lts-alpine", Some("lts"), None, None),
    ("node:jod-slim", Some("jod"), Some("22"), None),
    ("mcr.microsoft.com/dotnet/sdk:8.0-jammy", Some("8.0"), Some("8.0"), Some("jammy")),
    ("eclipse-temurin:21.0.4_7-jdk-noble", Some("21.0.4_7"), Some("21"), Some("noble")),
    ("eclipse-temurin:21-jre-ubi9-minimal", Some("21"), Some("21"), Some("ubi9-minimal")),
    ("maven:3.9.9-eclipse-temurin-21-alpine", Some("3.9.9"), Some("21"), None),
    ("gradle:8.10-jdk21", Some("8.10"), Some("21"), None),
    ("windowsservercore-ltsc2022", None, None, None),
    ("python:latest", None, None, None),
];

#[test]
fn versions_runtimes_and_suites_come_from_the_tag() {
    for &(reference, version, runtime_version, suite) in VERSIONS {
        let info = match reference.split_once(':') {
            Some(_) => classify(reference),
            None => kb()
                .classify("mcr.microsoft.com/windows/servercore", Some(reference))
                .unwrap(),
        };
        assert_eq!(info.version.as_deref(), version, "version of {reference}");
        let runtime = info.runtime.as_ref().and_then(|r| r.version.as_deref());
        assert_eq!(runtime, runtime_version, "runtime version of {reference}");
        assert_eq!(info.os_suite.as_deref(), suite, "suite of {reference}");
        assert!(info.unrecognized_tokens.is_empty(), "{reference}: {info:?}");
    }
    assert!(classify("python:3.15-rc-slim").prerelease);
    assert!(classify("gcr.io/distroless/base-debian13:debug-nonroot").debug_variant);
    assert!(!classify("gcr.io/distroless/base-debian13:nonroot").debug_variant);
}

/// A reference and three optional expectations about it.
type Row = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

/// reference, slim, glibc, runtime alternative
#[rustfmt::skip]
const ALTERNATIVES: &[Row] = &[
    ("python:3.12", Some("python:3.12-slim"), None, None),
    ("python:3.12-bookworm", Some("python:3.12-slim-bookworm"), None, None),
    ("python:3.12-slim", None, None, None),
    ("python:3.12.4-alpine3.20", None, Some("python:3.12.4-slim"), None),
    ("node:22", Some("node:22-slim"), None, None),
    ("node:22-bookworm", Some("node:22-bookworm-slim"), None, None),
    ("node:lts-alpine", None, Some("node:lts-slim"), None),
    ("debian:bookworm", Some("debian:bookworm-slim"), None, None),
    ("debian:12", Some("debian:12-slim"), None, None),
    ("debian:latest", None, None, None),
    ("ubuntu:24.04", None, None, None),
    ("perl:5.40-threaded-bookworm", Some("perl:5.40-slim-threaded-bookworm"), None, None),
    ("golang:1.23-alpine", None, Some("golang:1.23"), Some("gcr.io/distroless/static-debian13:nonroot")),
    ("golang:1.23", None, None, Some("gcr.io/distroless/base-debian13:nonroot")),
    ("rust:1", Some("rust:1-slim"), None, Some("gcr.io/distroless/cc-debian13:nonroot")),
    ("eclipse-temurin:21-jdk", None, None, Some("eclipse-temurin:21-jre")),
    ("eclipse-temurin:21-jdk-alpine", None, Some("eclipse-temurin:21-jdk"), Some("eclipse-temurin:21-jre-alpine")),
    ("maven:3-eclipse-temurin-21", None, None, Some("eclipse-temurin:21-jre")),
    ("maven:3-eclipse-temurin-23", None, None, None),
    ("gradle:8.10-jdk21-alpine", None, None, Some("eclipse-temurin:21-jre-alpine")),
    ("mcr.microsoft.com/dotnet/sdk:8.0", None, None, Some("mcr.microsoft.com/dotnet/aspnet:8.0")),
    ("mcr.microsoft.com/dotnet/sdk:8.0-bookworm-slim", None, None, Some("mcr.microsoft.com/dotnet/aspnet:8.0-bookworm-slim")),
    ("mcr.microsoft.com/dotnet/sdk:10.0-noble-aot", None, None, None),
    ("php:8.3-fpm-alpine3.20", None, Some("php:8.3-fpm"), None),
    ("docker.io/library/python:3.12", Some("docker.io/library/python:3.12-slim"), None, None),
    ("arm64v8/buildpack-deps:bookworm-curl", Some("arm64v8/debian:bookworm-slim"), None, None),
];

#[test]
fn slim_glibc_and_runtime_alternatives_keep_version_and_suite() {
    let show = |s: Option<&dlint::knowledge::Suggestion>| s.map(|s| s.reference());
    for &(reference, slim, glibc, runtime) in ALTERNATIVES {
        let info = classify(reference);
        let actual = (
            show(info.slim_alternative()),
            show(info.glibc_alternative()),
            show(info.runtime_alternative()),
        );
        let expected = (
            slim.map(String::from),
            glibc.map(String::from),
            runtime.map(String::from),
        );
        assert_eq!(actual, expected, "slim, glibc, runtime of {reference}");
    }
}

#[test]
fn python_slim_suggestion_carries_the_sizes_from_the_data() {
    let data = images_data();
    let sizes = image_data(&data, "python")["sizes"].as_array().unwrap();
    let compressed = |tag: &str| {
        sizes
            .iter()
            .find(|s| s["tag"].as_str() == Some(tag) && s["measure"].as_str() == Some("compressed"))
            .and_then(|s| {
                s["mb"]
                    .as_float()
                    .or(s["mb"].as_integer().map(|i| i as f64))
            })
            .unwrap_or_else(|| panic!("no compressed size for python:{tag}"))
    };
    let info = classify("python:3.12");
    let change = info
        .slim_alternative()
        .unwrap()
        .size_change
        .clone()
        .unwrap();
    assert_eq!(change.from.measure, SizeMeasure::Compressed);
    assert_eq!(change.from.megabytes, compressed("3.12"));
    assert_eq!(change.to.megabytes, compressed("3.12-slim"));
    assert_eq!(change.from.source.id, "repo-info");
    assert!(change.from.source.commit.is_some() && change.from.source.file.is_some());
    assert!(!change.from.date.is_empty());
    let line = change.describe();
    assert!(
        line.contains(&format_megabytes(compressed("3.12"))),
        "{line}"
    );
    assert!(
        line.contains(&format_megabytes(compressed("3.12-slim"))),
        "{line}"
    );
    assert_eq!(info.size().unwrap().megabytes, compressed("3.12"));
}

#[test]
fn minimal_alternatives_match_the_runtime_version_exactly() {
    let data = images_data();
    let families = [
        ("python", "python3-debian13"),
        ("node", "nodejs22-debian13"),
    ];
    for (family, distroless) in families {
        let key = format!("gcr.io/distroless/{distroless}");
        let entry = image_data(&data, &key);
        assert!(entry.get("lifecycle").is_none(), "{key} must be current");
        let shipped = entry["runtime_version"].as_str().unwrap();
        let matching = classify(&format!("{family}:{shipped}"));
        let offered = minimal_references(&matching);
        assert!(offered.contains(&key), "{family}:{shipped}: {offered:?}");
        let suggestion = matching
            .minimal_alternatives()
            .iter()
            .find(|s| s.repository == key);
        assert!(suggestion.unwrap().requires.is_some());
        let other = format!("{family}:{}", previous_version(shipped));
        assert!(
            !minimal_references(&classify(&other)).contains(&key),
            "{other}"
        );
    }
    // No pinned version, no runtime-specific minimal image.
    assert!(classify("python:3").minimal_alternatives().is_empty());
    assert!(classify("node:lts").minimal_alternatives().is_empty());
}

/// The repositories of the minimal suggestions (each is written with a tag: see
/// `suggestions_write_tagged_references`).
fn minimal_references(info: &ImageInfo) -> Vec<String> {
    info.minimal_alternatives()
        .iter()
        .map(|s| s.repository.clone())
        .collect()
}

/// A FROM dlint writes names a tag (no DL3006 on its own output): distroless suggestions
/// carry the `nonroot` tag the knowledge base gives them; only `scratch` has none.
#[test]
fn suggestions_write_tagged_references() {
    for reference in [
        "golang:1.23",
        "rust:1",
        "python:3.13",
        "node:22",
        "debian:bookworm",
    ] {
        let info = classify(reference);
        for suggestion in info.all_suggestions() {
            assert!(
                suggestion.tag.is_some() || suggestion.repository == "scratch",
                "{reference}: {}",
                suggestion.reference()
            );
        }
    }
    let go = classify("golang:1.23");
    let distroless = go
        .minimal_alternatives()
        .iter()
        .find(|s| s.repository == "gcr.io/distroless/static-debian13")
        .unwrap();
    assert_eq!(
        distroless.reference(),
        "gcr.io/distroless/static-debian13:nonroot"
    );
}

/// `3.13` -> `3.12`, `22` -> `21`: a version next to the shipped one.
fn previous_version(version: &str) -> String {
    let (head, last) = version.rsplit_once('.').unwrap_or(("", version));
    let last: u32 = last.parse().expect("numeric version");
    let previous = last.checked_sub(1).expect("version above zero");
    if head.is_empty() {
        previous.to_string()
    } else {
        format!("{head}.{previous}")
    }
}

#[test]
fn node_22_gets_distroless_only_because_the_data_lists_it() {
    let data = images_data();
    let listed = data["image"]
        .as_table()
        .unwrap()
        .get("gcr.io/distroless/nodejs22-debian13")
        .is_some_and(|entry| entry.get("lifecycle").is_none());
    let info = classify("node:22");
    assert_eq!(info.slim_alternative().unwrap().reference(), "node:22-slim");
    let offers = minimal_references(&info).contains(&"gcr.io/distroless/nodejs22-debian13".into());
    assert_eq!(offers, listed);
    // Node 20 has no current distroless image at all.
    assert!(classify("node:20").minimal_alternatives().is_empty());
}

#[test]
fn toolchains_are_sdk_and_point_at_static_bases() {
    let info = classify("golang:1.23");
    assert_eq!(info.class, TagClass::Sdk);
    assert!(info.build_only);
    let minimal = minimal_references(&info);
    assert!(minimal.contains(&"gcr.io/distroless/static-debian13".into()));
    assert!(minimal.contains(&"scratch".into()));
    assert!(info
        .minimal_alternatives()
        .iter()
        .all(|s| s.requires.is_some()));
    let go = kb().static_recipe("go").unwrap();
    assert!(go
        .env
        .contains(&("CGO_ENABLED".to_string(), "0".to_string())));
    for language in ["go", "rust", "c", "dotnet"] {
        let recipe = kb().static_recipe(language).unwrap();
        assert!(!recipe.sources.is_empty() && recipe.sources.iter().all(|s| !s.date.is_empty()));
    }
    assert!(classify("scratch")
        .notes
        .iter()
        .any(|n| n.contains("ca-certificates")));
}

/// reference, lifecycle, first replacement, whether it changes the runtime version
#[rustfmt::skip]
const DEPRECATED: &[(&str, LifecycleStatus, Option<&str>, bool)] = &[
    ("openjdk:17", LifecycleStatus::Deprecated, Some("eclipse-temurin:17"), false),
    ("openjdk:8-jre-alpine", LifecycleStatus::Deprecated, Some("eclipse-temurin:8-jre-alpine"), false),
    // Temurin never shipped 20: no concrete replacement rather than a wrong one.
    ("openjdk:20", LifecycleStatus::Deprecated, None, false),
    ("gcr.io/distroless/python3-debian12:nonroot", LifecycleStatus::Removed, Some("gcr.io/distroless/python3-debian13:nonroot"), true),
    ("gcr.io/distroless/nodejs22-debian12", LifecycleStatus::Removed, Some("gcr.io/distroless/nodejs22-debian13"), false),
    ("gcr.io/distroless/java21-debian12:debug", LifecycleStatus::Removed, Some("gcr.io/distroless/java21-debian13:debug"), false),
    ("gcr.io/distroless/static-debian11", LifecycleStatus::EndOfLife, Some("gcr.io/distroless/static-debian13"), false),
    ("gcr.io/distroless/java11-debian11", LifecycleStatus::EndOfLife, None, false),
    ("centos:7", LifecycleStatus::EndOfLife, Some("almalinux:9"), true),
    ("centos:8", LifecycleStatus::EndOfLife, Some("almalinux:8"), false),
];

#[test]
fn deprecated_images_name_current_replacements() {
    for &(reference, status, replacement, changes_version) in DEPRECATED {
        let deprecation = classify(reference).deprecated.expect(reference);
        assert_eq!(deprecation.status, status, "{reference}");
        assert!(!deprecation.note.is_empty() && !deprecation.sources.is_empty());
        let first = deprecation.replacements.first();
        assert_eq!(
            first.map(|s| s.reference()).as_deref(),
            replacement,
            "{reference}"
        );
        assert_eq!(
            first.is_some_and(|s| s.changes_version),
            changes_version,
            "{reference}"
        );
    }
    assert!(classify("eclipse-temurin:17").deprecated.is_none());
}

#[test]
fn windows_and_unknown_words_get_no_suggestions() {
    for reference in [
        "python:3.12-windowsservercore-ltsc2022",
        "mcr.microsoft.com/dotnet/sdk:10.0-windowsservercore-ltsc2022",
        "golang:1.26-nanoserver-ltsc2025",
        "python:3.12-weirdvariant",
        "ubuntu:noble-20260610",
    ] {
        let info = classify(reference);
        assert_eq!(info.all_suggestions().count(), 0, "{reference}: {info:?}");
    }
    assert_eq!(
        classify("python:3.12-weirdvariant").unrecognized_tokens,
        ["weirdvariant"]
    );
    assert!(kb()
        .classify("registry.example.com/base/python", Some("3.12"))
        .is_none());
    assert!(kb().classify("bitnami/python", Some("3.12")).is_none());
}

/// Tags tried on every repository of the knowledge base.
#[rustfmt::skip]
const SAMPLE_TAGS: &[&str] = &[
    "latest", "3.12", "3.13", "3.12-bookworm", "3.12-alpine", "22", "22-alpine", "1.23",
    "1.23-alpine", "1", "1-alpine", "17", "21", "21-jdk", "21-jre-alpine", "8.0", "8.0-alpine",
    "10.0-noble", "3-eclipse-temurin-21", "jdk21-alpine", "bookworm", "12", "7", "8", "9",
    "debug-nonroot", "8.2-alpine",
];

/// Every suggestion the knowledge base can make must name an image that the data lists
/// without a lifecycle (not deprecated, past end of life or removed).
#[test]
fn every_suggestion_names_a_current_listed_image() {
    let data = images_data();
    let mut current = BTreeSet::new();
    for (key, entry) in data["image"].as_table().unwrap() {
        if entry.get("lifecycle").is_some() {
            continue;
        }
        current.insert(key.clone());
        for alias in entry
            .get("also")
            .and_then(|a| a.as_array())
            .into_iter()
            .flatten()
        {
            current.insert(alias.as_str().unwrap().to_string());
        }
    }
    let tags = SAMPLE_TAGS.iter().map(|tag| Some(*tag)).chain([None]);
    let mut checked = 0;
    let repositories: Vec<String> = kb().repositories().map(str::to_string).collect();
    for repository in repositories
        .iter()
        .chain([&"docker.io/library/python".to_string()])
    {
        for tag in tags.clone() {
            let Some(info) = kb().classify(repository, tag) else {
                continue;
            };
            for suggestion in info.all_suggestions() {
                checked += 1;
                let reference = suggestion.reference();
                let (target, _) = split_reference(&reference);
                let target = target.strip_prefix("docker.io/library/").unwrap_or(target);
                assert!(
                    current.contains(target),
                    "{repository}:{tag:?} suggests {}",
                    suggestion.reference()
                );
                let again = kb()
                    .classify(&suggestion.repository, suggestion.tag.as_deref())
                    .unwrap();
                assert!(again.deprecated.is_none() && again.unrecognized_tokens.is_empty());
                // Only a replacement of a deprecated image may move to another version.
                let runtime = |r: &Option<Runtime>| r.clone().map(|r| (r.name, r.version));
                let (from, to) = (runtime(&info.runtime), runtime(&suggestion.runtime));
                let same_name = from.as_ref().map(|r| &r.0) == to.as_ref().map(|r| &r.0);
                if suggestion.kind != SuggestionKind::Replacement && same_name {
                    assert_eq!(from, to, "{repository}:{tag:?} -> {reference}");
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} suggestions were checked");
}

#[test]
fn every_entry_and_size_keeps_its_source_and_date() {
    for repository in kb().repositories() {
        let info = kb().classify(repository, None).unwrap();
        assert!(!info.sources.is_empty(), "{repository} has no source");
        assert!(
            info.sources.iter().all(|s| !s.date.is_empty()),
            "{repository}"
        );
    }
    let data = images_data();
    for (key, entry) in data["image"].as_table().unwrap() {
        for size in entry
            .get("sizes")
            .and_then(|s| s.as_array())
            .into_iter()
            .flatten()
        {
            for field in ["src", "date", "measure"] {
                assert!(size.get(field).is_some(), "{key} size without {field}");
            }
        }
    }
}

#[test]
fn overrides_add_private_images_and_name_wrong_keys() {
    let table: toml::Value = toml::from_str(
        r#"
        [images."registry.example.com/base/python"]
        like = "python"
        default_class = "slim"
        [images.node]
        notes = ["company note"]
        "#,
    )
    .unwrap();
    let layered = kb().with_overrides(&table["images"]).unwrap();
    let info = layered
        .classify("registry.example.com/base/python", Some("3.13"))
        .unwrap();
    assert_eq!(info.class, TagClass::Slim);
    assert_eq!(info.libc, Libc::Glibc);
    assert_eq!(
        info.runtime.as_ref().unwrap().version.as_deref(),
        Some("3.13")
    );
    // Suggestions of the official image are not copied to a private registry…
    assert!(info.slim_alternative().is_none() && info.glibc_alternative().is_none());
    // …but the public distroless image of the same Python version still fits.
    assert!(info
        .minimal_alternatives()
        .iter()
        .any(|s| s.repository.contains("python3-debian13")));
    let alpine = layered
        .classify("registry.example.com/base/python", Some("3.13-alpine"))
        .unwrap();
    assert_eq!(alpine.libc, Libc::Musl);
    // Patching a built-in entry keeps the rest of it.
    let node = layered.classify("node", Some("22")).unwrap();
    assert_eq!(node.notes, ["company note"]);
    assert_eq!(node.slim_alternative().unwrap().reference(), "node:22-slim");
    assert!(node.sources.iter().any(|s| s.id == "config"));
    // The built-in knowledge is untouched.
    assert!(kb()
        .classify("registry.example.com/base/python", None)
        .is_none());

    #[rustfmt::skip]
    let cases = [
        (r#"images = { "r.example/x" = { default_class = "slimm" } }"#, r#"images."r.example/x".default_class"#),
        (r#"images = { "r.example/x" = { clas = "slim" } }"#, r#"images."r.example/x".clas"#),
        (r#"images = { "r.example/x" = { like = "no-such-image" } }"#, r#"images."r.example/x".like"#),
        (r#"images = { "r.example/x" = { slim_alternatives = [{ tag = ["{nope}"] }] } }"#,
         r#"images."r.example/x".slim_alternatives[0].tag"#),
        (r#"images = { x = { minimal_alternatives = [{ repository = "nowhere.example/y" }] } }"#,
         "images.x.minimal_alternatives[0].repository"),
        (r#"images = { x = { sizes = [{ tag = "1", measure = "compressed", mb = -1, src = "config", date = "2026" }] } }"#,
         "images.x.sizes[0].mb"),
        ("images = 3", "images"),
    ];
    for (text, key) in cases {
        let value: toml::Value = toml::from_str(text).unwrap();
        let error = kb().with_overrides(&value["images"]).unwrap_err();
        assert_eq!(error.key, key, "{text}: {error}");
        assert!(!error.message.is_empty());
    }
}

#[rustfmt::skip]
const SNAPSHOT_REFERENCES: &[&str] = &[
    "python:3.12", "python:3.13-slim-trixie", "python:3.12-alpine", "node:22", "node:24-alpine3.22",
    "golang:1.25-bookworm", "rust:1.89-slim-trixie", "eclipse-temurin:21-jre", "openjdk:11-jre-slim",
    "maven:3.9-eclipse-temurin-17", "mcr.microsoft.com/dotnet/sdk:10.0",
    "mcr.microsoft.com/dotnet/aspnet:9.0-alpine", "gcr.io/distroless/java17-debian12",
    "debian:bookworm", "alpine:3.24", "centos:7", "buildpack-deps:bookworm",
];

/// One block per image: its facts, then every suggestion with its size comparison.
fn describe(reference: &str) -> String {
    let info = classify(reference);
    let size = info.size().map(|s| s.human()).unwrap_or_else(|| "-".into());
    let (class, libc, build_only) = (info.class, info.libc, info.build_only);
    let mut out =
        format!("{reference}: class={class} libc={libc} build_only={build_only} size={size}\n");
    if let Some(deprecation) = &info.deprecated {
        out += &format!("  {} since {:?}\n", deprecation.status, deprecation.since);
    }
    for s in info.all_suggestions() {
        let size = s
            .size_change
            .as_ref()
            .map(|c| format!(" [{}]", c.describe()));
        let flag = if s.changes_version {
            " (changes version)"
        } else {
            ""
        };
        let (kind, target) = (s.kind, s.reference());
        out += &format!("  {kind:?} -> {target}{}{flag}\n", size.unwrap_or_default());
    }
    out
}

#[test]
fn classification_table_snapshot() {
    let out: String = SNAPSHOT_REFERENCES.iter().map(|r| describe(r)).collect();
    insta::with_settings!({snapshot_path => "../../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("knowledge__knowledge_classification", out);
    });
}

#[test]
fn corpus_images_classify_without_panics_and_suggest_current_images() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real");
    if !corpus.is_dir() {
        println!("SKIP: {} not found", corpus.display());
        return;
    }
    let (mut seen, mut known) = (0, 0);
    let mut directories = vec![corpus];
    while let Some(directory) = directories.pop() {
        for entry in std::fs::read_dir(&directory).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                directories.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for line in text.lines() {
                let mut words = line.split_whitespace();
                if !words.next().is_some_and(|w| w.eq_ignore_ascii_case("from")) {
                    continue;
                }
                let Some(image) = words.find(|w| !w.starts_with("--")) else {
                    continue;
                };
                let image = image.split('@').next().unwrap_or(image);
                seen += 1;
                let (repository, tag) = split_reference(image);
                let Some(info) = kb().classify(repository, tag) else {
                    continue;
                };
                known += 1;
                for suggestion in info.all_suggestions() {
                    let again = kb().classify(&suggestion.repository, suggestion.tag.as_deref());
                    assert!(again.is_some_and(|a| a.deprecated.is_none()), "{image}");
                }
            }
        }
    }
    println!("corpus: {known} of {seen} FROM images are in the knowledge base");
    assert!(known > 0 && seen >= known);
}

/// What each variant provides to RUN lines comes from the images' own Dockerfiles, with the
/// source's commit and date.
#[test]
fn variants_say_what_they_provide() {
    let provides = |reference: &str| {
        classify(reference)
            .provides
            .unwrap_or_else(|| panic!("{reference}"))
    };
    let full = provides("python:3.12");
    assert!(full.has_command("gcc") && full.has_command("curl") && full.has_package("libpq-dev"));
    let slim = provides("python:3.12-slim");
    assert!(!slim.has_command("gcc") && !slim.has_command("curl") && !slim.has_command("wget"));
    assert!(slim.has_package("ca-certificates"));
    let alpine = provides("python:3.12-alpine");
    assert!(alpine.has_command("wget") && alpine.is_busybox("wget"));
    let curl = provides("buildpack-deps:trixie-curl");
    assert!(curl.has_command("curl") && curl.has_command("gpg") && !curl.has_command("git"));
    assert!(provides("buildpack-deps:trixie-scm").has_command("git"));
    assert!(!provides("debian:trixie-slim").has_command("curl"));
    assert!(provides("gcr.io/distroless/static-debian13")
        .commands
        .is_empty());
    assert_eq!(full.source.commit.as_deref().map(str::len), Some(40));
    assert!(!full.source.date.is_empty() && full.source.file.is_some());
    // A tag dlint does not fully understand provides nothing it knows of.
    assert!(classify("python:3.12-weird").provides.is_none());
}
