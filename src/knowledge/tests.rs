//! Unit tests of the parts that need neither `../shared` nor a whole Dockerfile: package
//! lookups, size formatting, tag-word helpers, error reporting and hostile input. The
//! image-level behaviour is tested in `tests/library/knowledge.rs`.

use super::packages::{npm_package_name, python_package_name};
use super::tag::leading_components;
use super::*;

#[test]
fn python_requirements_normalise_to_project_names() {
    #[rustfmt::skip]
    let rows = [
        ("numpy", Some("numpy")), ("numpy==1.26.4", Some("numpy")),
        ("Pillow[webp]>=10", Some("pillow")), ("psycopg2_binary==2.9", Some("psycopg2-binary")),
        ("torch @ https://x/y.whl", Some("torch")), ("'lxml<6'", Some("lxml")),
        ("zope.interface", Some("zope-interface")), ("-r", None), ("./local-pkg", None),
        ("https://x/numpy.whl", None), ("git+https://x/numpy", None), ("", None),
    ];
    for (requirement, name) in rows {
        assert_eq!(
            python_package_name(requirement).as_deref(),
            name,
            "{requirement}"
        );
    }
}

#[test]
fn npm_specs_normalise_to_package_names() {
    #[rustfmt::skip]
    let rows = [
        ("bcrypt", Some("bcrypt")), ("bcrypt@5.1.0", Some("bcrypt")),
        ("Sharp@latest", Some("sharp")),
        ("@swc/core@1.3.0", Some("@swc/core")), ("@swc", None), ("git+https://x/bcrypt", None),
        ("npm:bcrypt@5", None), ("./bcrypt", None), ("--save", None), ("", None),
    ];
    for (spec, name) in rows {
        assert_eq!(npm_package_name(spec).as_deref(), name, "{spec}");
    }
}

#[test]
fn musl_sensitive_lookups_use_the_normalised_name() {
    let p = packages();
    let found = p
        .musl_sensitive(Ecosystem::Python, "PSYCOPG2_binary==2.9")
        .unwrap();
    assert_eq!(found.name, "psycopg2-binary");
    assert_eq!(found.ecosystem, Ecosystem::Python);
    assert!(p.musl_sensitive(Ecosystem::Python, "requests").is_none());
    assert!(p
        .musl_sensitive(Ecosystem::Node, "@swc/core@1.3.0")
        .is_some());
    assert!(p.musl_sensitive(Ecosystem::Node, "numpy").is_none());
    assert!(p
        .musl_explanation(Ecosystem::Python)
        .unwrap()
        .contains("musllinux"));
    let found_have_links = p
        .musl_sensitive_packages(Ecosystem::Python)
        .chain(p.musl_sensitive_packages(Ecosystem::Node))
        .filter(|package| package.evidence == Evidence::Found)
        .all(|package| package.sources.iter().any(|s| s.starts_with("https://")));
    assert!(found_have_links);
}

#[test]
fn build_toolchain_packages_per_manager() {
    use PackageManager::*;
    let p = packages();
    #[rustfmt::skip]
    let build_only = [
        (Apt, "build-essential"), (Apt, "gcc=4:12.2.0-3"), (Apt, "libssl-dev"), (Apt, "git"),
        (Apt, "gcc:amd64"), (Apk, "build-base"), (Apk, "musl-dev"), (Apk, "gcc=13.2.1-r0"),
        (Apk, "openssl-dev"), (Rpm, "gcc-c++"), (Rpm, "openssl-devel"), (Zypper, "gcc"),
    ];
    for (manager, package) in build_only {
        assert!(
            p.is_build_toolchain(manager, package),
            "{manager:?} {package}"
        );
    }
    #[rustfmt::skip]
    let runtime = [
        (Apt, "curl"), (Apt, "ca-certificates"), (Apt, "-dev"), (Apt, ""), (Apk, "tzdata"),
        (Rpm, "openssl"),
    ];
    for (manager, package) in runtime {
        assert!(
            !p.is_build_toolchain(manager, package),
            "{manager:?} {package}"
        );
    }
    assert!(p
        .build_toolchain(Apk)
        .iter()
        .any(|name| name == "build-base"));
    assert_eq!(PackageManager::from_command("/usr/bin/apt-get"), Some(Apt));
    assert_eq!(PackageManager::from_command("microdnf"), Some(Rpm));
    assert_eq!(PackageManager::from_command("pip"), None);
}

#[test]
fn apk_to_apt_translations_are_consistent() {
    let p = packages();
    assert_eq!(p.apt_for_apk("musl-dev").unwrap(), ["libc6-dev"]);
    assert_eq!(
        p.apt_for_apk("build-base=0.5-r3").unwrap(),
        ["build-essential"]
    );
    assert!(p.apt_for_apk("gcompat").unwrap().is_empty());
    assert!(p.apt_for_apk("no-such-package").is_none());
    // A build-only apk package translates to build-only apt packages, and a runtime one to
    // runtime ones: a translated stage keeps its build/runtime split.
    for apk in p.apk_to_apt_names() {
        let apk_build = p.is_build_toolchain(PackageManager::Apk, apk);
        for apt in p.apt_for_apk(apk).unwrap() {
            let apt_build = p.is_build_toolchain(PackageManager::Apt, apt);
            assert_eq!(apt_build, apk_build, "{apk} -> {apt}");
        }
    }
    // What a documented source build needs on Alpine can be translated for Debian.
    for ecosystem in [Ecosystem::Python, Ecosystem::Node] {
        for package in p.musl_sensitive_packages(ecosystem) {
            for apk in &package.alpine_build_packages {
                assert!(p.apt_for_apk(apk).is_some(), "{}: {apk}", package.name);
            }
        }
    }
}

#[test]
fn sizes_are_formatted_for_humans() {
    assert_eq!(format_megabytes(1110.0), "~1.1 GB");
    assert_eq!(format_megabytes(119.2), "~119 MB");
    assert_eq!(format_megabytes(43.2), "~43 MB");
    assert_eq!(format_megabytes(3.8), "~3.8 MB");
    assert_eq!(format_megabytes(2.0), "~2 MB");
    assert_eq!(format_megabytes(1000.0), "~1 GB");
    assert_eq!(format_megabytes(f64::NAN), "~? MB");
    assert_eq!(format_megabytes(-1.0), "~? MB");
}

#[test]
fn leading_components_stop_at_the_first_non_number() {
    assert_eq!(leading_components("3.12.4", 2).as_deref(), Some("3.12"));
    assert_eq!(leading_components("22.11.0", 1).as_deref(), Some("22"));
    assert_eq!(leading_components("8u412", 1).as_deref(), Some("8"));
    assert_eq!(leading_components("21.0.4_7", 1).as_deref(), Some("21"));
    assert_eq!(leading_components("3", 2), None);
    assert_eq!(leading_components("3..12", 2), None);
    assert_eq!(leading_components("", 1), None);
}

#[test]
fn malformed_data_files_report_the_key() {
    let broken = BUILTIN_IMAGES.replacen(
        "default_class = \"full-os\"",
        "default_class = \"fullos\"",
        1,
    );
    let error = Knowledge::from_toml_str(&broken).unwrap_err();
    assert_eq!(error.key, "image.debian.default_class");
    let broken = BUILTIN_IMAGES.replacen("src = [\"docs\"]", "src = [\"nowhere\"]", 1);
    let error = Knowledge::from_toml_str(&broken).unwrap_err();
    assert!(error.message.contains("nowhere"), "{error}");
    let broken = BUILTIN_IMAGES.replacen(
        "tag = [\"{version}\", \"slim\"",
        "tag = [\"{vers}\", \"slim\"",
        1,
    );
    assert!(Knowledge::from_toml_str(&broken)
        .unwrap_err()
        .key
        .ends_with(".tag"));
    assert!(Knowledge::from_toml_str("not toml [").is_err());
    assert!(Packages::from_toml_str("schema_version = 2").is_err());
}

#[test]
fn odd_input_never_panics() {
    let kb = Knowledge::builtin();
    let long = "9".repeat(10_000);
    #[rustfmt::skip]
    let tags = [
        "", "-", "---", ":", "3.12-ßlim", "é", "3..12", ".", "latest-", "alpine-", "jdk",
        "@sha256:x", &long,
    ];
    for repository in [
        "python",
        "",
        "docker.io/library/",
        "arm64v8/",
        "ß",
        "scratch",
        "debian",
    ] {
        for tag in tags {
            if let Some(info) = kb.classify(repository, Some(tag)) {
                let _ = info.reference();
                let _ = info.all_suggestions().count();
            }
        }
    }
    for argument in ["", "=", "@", "ß=1", "@/", "@a/", "[", "é"] {
        let _ = packages().is_build_toolchain(PackageManager::Apk, argument);
        let _ = packages().musl_sensitive(Ecosystem::Python, argument);
        let _ = packages().musl_sensitive(Ecosystem::Node, argument);
        let _ = packages().apt_for_apk(argument);
    }
}

/// The built-in data is decoded from what `build.rs` built of the TOML; it must say exactly
/// what building it from the TOML at run time says.
#[test]
fn the_embedded_data_matches_the_toml() {
    assert!(!BUILTIN_IMAGES_BIN.is_empty());
    assert!(!BUILTIN_RAW_ENTRIES_BIN.is_empty());
    let from_toml = Knowledge::from_toml_str(BUILTIN_IMAGES).unwrap();
    let embedded = Knowledge::from_embedded(BUILTIN_IMAGES_BIN).unwrap();
    assert!(embedded.raw_entries.is_none());
    // The bytes are reproducible: the same data makes the same bytes.
    let (finished, raw_entries) = from_toml.to_embedded().unwrap();
    assert!(finished == BUILTIN_IMAGES_BIN && raw_entries == BUILTIN_RAW_ENTRIES_BIN);
    // Field by field: `by_repository` is a HashMap, whose Debug order varies per instance.
    let fields = |k: &Knowledge, raw_entries: &BTreeMap<String, RawImage>| {
        let by_repository: BTreeMap<_, _> = k.by_repository.iter().collect();
        format!(
            "{:?} {:?} {:?} {:?} {:?} {raw_entries:?} {:?} {:?} {:?} {by_repository:?}",
            k.compiled,
            k.compiled_from,
            k.sources,
            k.library_prefixes,
            k.vocabulary,
            k.entries,
            k.sizes,
            k.static_recipes
        )
    };
    assert_eq!(
        fields(&embedded, builtin_raw_entries()),
        fields(&from_toml, from_toml.raw_entries.as_ref().unwrap())
    );
    assert!(packages::json_matches_toml());
}

/// Overrides of the built-in knowledge base read its entries as written from their own
/// embedded data; the result is the same as layering on a knowledge base built from the TOML.
#[test]
fn overrides_of_the_embedded_data_match_overrides_of_the_toml() {
    let table: toml::Value = toml::from_str(
        r#"
        [images.python]
        default_class = "slim"
        [images."registry.example.com/base/python"]
        like = "python"
        "#,
    )
    .unwrap();
    let from_toml = Knowledge::from_toml_str(BUILTIN_IMAGES).unwrap();
    let layered_toml = from_toml.with_overrides(&table["images"]).unwrap();
    let layered_builtin = Knowledge::builtin()
        .with_overrides(&table["images"])
        .unwrap();
    assert_eq!(
        format!("{:?}", layered_builtin.raw_entries),
        format!("{:?}", layered_toml.raw_entries)
    );
    assert_eq!(
        format!("{:?}", layered_builtin.entries),
        format!("{:?}", layered_toml.entries)
    );
    let private = |k: &Knowledge| k.classify("registry.example.com/base/python", Some("3.12"));
    assert_eq!(private(&layered_builtin), private(&layered_toml));
    assert!(private(&layered_builtin).is_some());
    assert_eq!(
        layered_builtin
            .classify("python", Some("3.12"))
            .unwrap()
            .class,
        TagClass::Slim
    );
}
