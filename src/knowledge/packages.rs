//! Package knowledge for RUN lines: packages that break or build slowly on musl, packages only
//! a build needs, and Alpine -> Debian package names. Data: `rules/packages.toml`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::error::KnowledgeError;

const BUILTIN_PACKAGES: &str = include_str!("../../rules/packages.toml");
/// The same, converted to JSON by `build.rs` (`null` if the TOML is malformed).
const BUILTIN_PACKAGES_JSON: &str = include_out_dir!(str "packages.json");

/// The package knowledge shipped with dlint, parsed on first use.
///
/// # Panics
/// Only if the embedded `rules/packages.toml` is malformed, which `cargo test --test library knowledge::`
/// rules out; user input never reaches this.
pub fn packages() -> &'static Packages {
    static BUILTIN: OnceLock<Packages> = OnceLock::new();
    BUILTIN.get_or_init(|| {
        match Packages::from_json_or_toml(BUILTIN_PACKAGES_JSON, BUILTIN_PACKAGES) {
            Ok(packages) => packages,
            Err(error) => panic!("rules/packages.toml is invalid: {error}"),
        }
    })
}

/// The JSON `build.rs` made of `rules/packages.toml` parses, and to the same facts.
#[cfg(test)]
pub(crate) fn json_matches_toml() -> bool {
    let from_json = Packages::from_json_or_toml(BUILTIN_PACKAGES_JSON, "not toml [");
    let from_toml = Packages::from_toml_str(BUILTIN_PACKAGES);
    match (from_json, from_toml) {
        (Ok(json), Ok(toml)) => format!("{json:?}") == format!("{toml:?}"),
        _ => false,
    }
}

/// A language package ecosystem whose native packages care about libc.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ecosystem {
    /// pip / PyPI.
    Python,
    /// npm / yarn / pnpm.
    Node,
}

impl Ecosystem {
    fn from_name(name: &str) -> Option<Ecosystem> {
        match name {
            "python" => Some(Ecosystem::Python),
            "node" => Some(Ecosystem::Node),
            _ => None,
        }
    }
}

/// How well a musl problem is documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Evidence {
    /// An issue or page documenting the problem was found (see `sources`).
    Found,
    /// Named by the seed documents, not re-verified.
    Seed,
    /// Plausible (native code) but not checked.
    Unverified,
}

/// A package whose native code makes it risky or slow to install on musl (Alpine).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MuslSensitivePackage {
    /// Normalised name (PEP 503 for Python, lower-case npm name).
    pub name: String,
    pub ecosystem: Ecosystem,
    pub evidence: Evidence,
    pub reason: String,
    /// URLs (or `seed`) backing the reason.
    pub sources: Vec<String>,
    /// apk packages a source build needs, where documented.
    pub alpine_build_packages: Vec<String>,
}

/// How a command gets into an image: the packages that install it, and the one to install.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandPackages {
    pub installed_by: Vec<String>,
    pub apt: String,
    pub apk: String,
}

/// A PyPI project pip always compiles (no Linux wheel): what the build and the running
/// program need from Debian.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceBuild {
    /// Compiler and headers the build needs.
    pub apt_build: Vec<String>,
    /// Shared libraries the built module loads at run time.
    pub apt_runtime: Vec<String>,
}

/// A distribution's own Python, for a venv made with it: what its runtime needs again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistroPython {
    /// The package holding the interpreter the venv's `python` links to.
    pub interpreter: String,
    /// Packages only making the venv and compiling into it need (pip, venv, headers).
    pub build_only: Vec<String>,
    /// Compiler → the runtime packages of the support libraries its output loads.
    pub compiler_libs: BTreeMap<String, Vec<String>>,
    /// `-dev` package → its library's runtime packages (apk), or the `-l` names to look up
    /// in the shared libraries per Debian release (apt).
    pub dev_libs: BTreeMap<String, Vec<String>>,
}

/// A system package manager, as far as build-toolchain knowledge is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PackageManager {
    /// apt-get, apt, aptitude (Debian, Ubuntu).
    Apt,
    /// apk (Alpine, Wolfi).
    Apk,
    /// yum, dnf, microdnf, tdnf (RHEL family, Fedora, Amazon Linux, Azure Linux).
    Rpm,
    /// zypper (openSUSE, SLES).
    Zypper,
}

impl PackageManager {
    /// The manager a command runs, from its name or path (`apt-get`, `/sbin/apk`, `dnf`).
    pub fn from_command(command: &str) -> Option<PackageManager> {
        let name = command.rsplit('/').next().unwrap_or(command);
        match name {
            "apt-get" | "apt" | "aptitude" => Some(PackageManager::Apt),
            "apk" => Some(PackageManager::Apk),
            "yum" | "dnf" | "microdnf" | "tdnf" => Some(PackageManager::Rpm),
            "zypper" => Some(PackageManager::Zypper),
            _ => None,
        }
    }

    fn from_name(name: &str) -> Option<PackageManager> {
        match name {
            "apt" => Some(PackageManager::Apt),
            "apk" => Some(PackageManager::Apk),
            "rpm" => Some(PackageManager::Rpm),
            "zypper" => Some(PackageManager::Zypper),
            _ => None,
        }
    }

    /// The package name of an install argument, without version pin, architecture or release
    /// (`gcc=4:12.2.0-3` -> `gcc`, `python3@edge` -> `python3`), lower-cased.
    pub fn package_name(self, argument: &str) -> String {
        let stops: &[char] = match self {
            PackageManager::Apt => &['=', ':', '/'],
            PackageManager::Apk => &['=', '~', '<', '>', '@'],
            PackageManager::Rpm => &[],
            PackageManager::Zypper => &['=', '<', '>'],
        };
        let name = argument.trim();
        let name = name.split(stops).next().unwrap_or(name);
        name.to_ascii_lowercase()
    }
}

#[derive(Debug, Clone)]
struct Toolchain {
    packages: Vec<String>,
    suffixes: Vec<String>,
}

#[derive(Debug, Clone)]
struct EcosystemFacts {
    general: String,
    packages: BTreeMap<String, MuslSensitivePackage>,
}

/// Package facts: musl-sensitive packages, build toolchains, apk -> apt names.
#[derive(Debug, Clone)]
pub struct Packages {
    compiled: String,
    musl: BTreeMap<Ecosystem, EcosystemFacts>,
    toolchains: BTreeMap<PackageManager, Toolchain>,
    apk_to_apt: BTreeMap<String, Vec<String>>,
    commands: BTreeMap<String, CommandPackages>,
    python_source_builds: BTreeMap<String, SourceBuild>,
    go_cgo_modules: Vec<String>,
    go_cgo_libraries: BTreeMap<String, Vec<String>>,
    rust_system_crates: BTreeMap<String, Option<String>>,
    /// Debian release names by major version (`13` → `trixie`).
    debian_suites: BTreeMap<String, String>,
    /// `-l<name>` → Debian release → runtime package.
    shared_libs: BTreeMap<String, BTreeMap<String, String>>,
    distro_python: BTreeMap<PackageManager, DistroPython>,
    /// CMake imported target (`CURL::libcurl`) → `-l` name.
    cmake_targets: BTreeMap<String, String>,
}

impl Packages {
    /// Parse a packages file in the format of `rules/packages.toml`.
    pub fn from_toml_str(text: &str) -> Result<Packages, KnowledgeError> {
        let file: RawPackagesFile = toml::from_str(text).map_err(|error| {
            KnowledgeError::new("packages.toml", error.to_string().replace('\n', " "))
        })?;
        Packages::from_raw(file)
    }

    /// The built-in packages file from the JSON `build.rs` made of it (faster to parse at
    /// start); from the TOML itself, which reports the error, when the conversion failed.
    fn from_json_or_toml(json: &str, toml_text: &str) -> Result<Packages, KnowledgeError> {
        match serde_json::from_str::<RawPackagesFile>(json) {
            Ok(file) => Packages::from_raw(file),
            Err(_) => Packages::from_toml_str(toml_text),
        }
    }

    fn from_raw(file: RawPackagesFile) -> Result<Packages, KnowledgeError> {
        if file.schema_version != 1 {
            return Err(KnowledgeError::new(
                "schema_version",
                format!("unsupported schema version {}", file.schema_version),
            ));
        }
        let mut musl = BTreeMap::new();
        for (name, raw) in file.musl {
            let ecosystem = Ecosystem::from_name(&name).ok_or_else(|| {
                KnowledgeError::new(format!("musl.{name}"), "expected python or node")
            })?;
            let packages = raw
                .packages
                .into_iter()
                .map(|(package, facts)| {
                    let normalised = normalise(ecosystem, &package);
                    let entry = MuslSensitivePackage {
                        name: normalised.clone(),
                        ecosystem,
                        evidence: facts.evidence,
                        reason: facts.reason,
                        sources: facts.src,
                        alpine_build_packages: facts.alpine_build_packages.unwrap_or_default(),
                    };
                    (normalised, entry)
                })
                .collect();
            let facts = EcosystemFacts {
                general: raw.general,
                packages,
            };
            musl.insert(ecosystem, facts);
        }
        let mut toolchains = BTreeMap::new();
        for (name, raw) in file.toolchain {
            let manager = PackageManager::from_name(&name).ok_or_else(|| {
                KnowledgeError::new(
                    format!("toolchain.{name}"),
                    "expected apt, apk, rpm or zypper",
                )
            })?;
            let lower = |items: Vec<String>| items.iter().map(|i| i.to_ascii_lowercase()).collect();
            let toolchain = Toolchain {
                packages: lower(raw.packages),
                suffixes: lower(raw.suffixes),
            };
            toolchains.insert(manager, toolchain);
        }
        Ok(Packages {
            compiled: file.compiled,
            musl,
            toolchains,
            apk_to_apt: file.apk_to_apt.packages,
            commands: file.commands.table,
            python_source_builds: file
                .source_build
                .into_iter()
                .filter(|(ecosystem, _)| ecosystem == "python")
                .flat_map(|(_, raw)| raw.packages)
                .map(|(name, build)| (normalise(Ecosystem::Python, &name), build))
                .collect(),
            rust_system_crates: file
                .system_libs
                .into_iter()
                .filter(|(language, _)| language == "rust")
                .flat_map(|(_, raw)| raw.crates)
                .map(|(name, facts)| (name, facts.vendored))
                .collect(),
            go_cgo_libraries: file
                .cgo
                .iter()
                .filter(|(language, _)| language.as_str() == "go")
                .flat_map(|(_, raw)| raw.runtime_libraries.clone())
                .collect(),
            debian_suites: file
                .shared_libs
                .get("apt")
                .map(|raw| raw.suites.clone())
                .unwrap_or_default(),
            cmake_targets: file
                .shared_libs
                .get("apt")
                .map(|raw| raw.cmake_targets.clone())
                .unwrap_or_default(),
            shared_libs: file
                .shared_libs
                .into_iter()
                .filter(|(manager, _)| manager == "apt")
                .flat_map(|(_, raw)| raw.libs)
                .collect(),
            distro_python: file
                .distro_python
                .into_iter()
                .map(|(name, raw)| {
                    let manager = PackageManager::from_name(&name).ok_or_else(|| {
                        KnowledgeError::new(format!("distro_python.{name}"), "expected apt or apk")
                    })?;
                    let python = DistroPython {
                        interpreter: raw.interpreter,
                        build_only: raw.build_only,
                        compiler_libs: raw.compiler_libs,
                        dev_libs: raw.dev_libs,
                    };
                    Ok((manager, python))
                })
                .collect::<Result<_, KnowledgeError>>()?,
            go_cgo_modules: file
                .cgo
                .into_iter()
                .filter(|(language, _)| language == "go")
                .flat_map(|(_, raw)| raw.modules)
                .collect(),
        })
    }

    /// The Debian package holding the library a program links with `-l<name>`, per Debian
    /// release (`trixie` → `libcurl4t64`).
    pub fn shared_lib_package(&self, name: &str) -> Option<&BTreeMap<String, String>> {
        self.shared_libs.get(name)
    }

    /// The distribution's Python as installed with `manager`, for a venv made with it.
    pub fn distro_python(&self, manager: PackageManager) -> Option<&DistroPython> {
        self.distro_python.get(&manager)
    }

    /// The `-l` name a CMake imported target links (`CURL::libcurl` → `curl`).
    pub fn cmake_target_library(&self, target: &str) -> Option<&str> {
        self.cmake_targets.get(target).map(String::as_str)
    }

    /// The Debian release name of a major version (`13` → `trixie`).
    pub fn debian_suite(&self, major: &str) -> Option<&str> {
        self.debian_suites.get(major).map(String::as_str)
    }

    /// When the data was compiled.
    pub fn compiled(&self) -> &str {
        &self.compiled
    }

    /// Look up a requirement as written in `pip install` / `npm install` (`numpy==1.26`,
    /// `Pillow[webp]>=10`, `bcrypt@5.1.0`, `@swc/core@1`); `None` when the package is not
    /// known to be musl-sensitive or the argument is a path, URL or option.
    pub fn musl_sensitive(
        &self,
        ecosystem: Ecosystem,
        requirement: &str,
    ) -> Option<&MuslSensitivePackage> {
        let name = match ecosystem {
            Ecosystem::Python => python_package_name(requirement)?,
            Ecosystem::Node => npm_package_name(requirement)?,
        };
        self.musl.get(&ecosystem)?.packages.get(&name)
    }

    /// All musl-sensitive packages of an ecosystem, by name.
    pub fn musl_sensitive_packages(
        &self,
        ecosystem: Ecosystem,
    ) -> impl Iterator<Item = &MuslSensitivePackage> {
        self.musl
            .get(&ecosystem)
            .into_iter()
            .flat_map(|facts| facts.packages.values())
    }

    /// Why packages of this ecosystem care about libc, for the message body.
    pub fn musl_explanation(&self, ecosystem: Ecosystem) -> Option<&str> {
        self.musl
            .get(&ecosystem)
            .map(|facts| facts.general.as_str())
    }

    /// Whether an install argument is a build-only package (compiler, headers, SCM):
    /// `gcc`, `libpq-dev`, `build-base`, `openssl-devel`. Version pins are ignored.
    pub fn is_build_toolchain(&self, manager: PackageManager, argument: &str) -> bool {
        let Some(toolchain) = self.toolchains.get(&manager) else {
            return false;
        };
        let name = manager.package_name(argument);
        if name.is_empty() {
            return false;
        }
        toolchain.packages.contains(&name)
            || toolchain
                .suffixes
                .iter()
                .any(|suffix| name.len() > suffix.len() && name.ends_with(suffix.as_str()))
    }

    /// The exact build-only package names listed for a manager.
    pub fn build_toolchain(&self, manager: PackageManager) -> &[String] {
        self.toolchains
            .get(&manager)
            .map(|toolchain| toolchain.packages.as_slice())
            .unwrap_or(&[])
    }

    /// Debian package(s) for an Alpine package (`musl-dev` -> `libc6-dev`). An empty slice
    /// means the package is not needed on Debian (`libc6-compat`, `gcompat`); `None` means
    /// dlint does not know, and a fix must not guess.
    pub fn apt_for_apk(&self, apk_argument: &str) -> Option<&[String]> {
        let name = PackageManager::Apk.package_name(apk_argument);
        self.apk_to_apt.get(&name).map(Vec::as_slice)
    }

    /// How `command` gets into an image, for the commands the base-image rules check.
    pub fn command_packages(&self, command: &str) -> Option<&CommandPackages> {
        self.commands.get(command)
    }

    /// The commands the base-image rules check, with how each is installed.
    pub fn checked_commands(&self) -> impl Iterator<Item = (&str, &CommandPackages)> {
        self.commands.iter().map(|(name, p)| (name.as_str(), p))
    }

    /// The commands an installed package puts on the PATH, as far as the checked commands
    /// go (`build-essential` -> `cc`, `g++`, `gcc`, `make`).
    pub fn commands_installed_by(&self, manager: PackageManager, argument: &str) -> Vec<&str> {
        let name = manager.package_name(argument);
        self.commands
            .iter()
            .filter(|(_, p)| p.installed_by.contains(&name))
            .map(|(command, _)| command.as_str())
            .collect()
    }

    /// A pip requirement (`psycopg2==2.9`) for a project with no Linux wheel: pip compiles
    /// it on every image.
    pub fn python_source_build(&self, requirement: &str) -> Option<(String, &SourceBuild)> {
        let name = python_package_name(requirement)?;
        let build = self.python_source_builds.get(&name)?;
        Some((name, build))
    }

    /// The crates of a `Cargo.lock` (its `name = "…"` lines) that link a system C library
    /// without vendoring it (`openssl-sys` without `openssl-src`).
    pub fn rust_system_crates(&self, cargo_lock: &str) -> Vec<&str> {
        let names: Vec<&str> = cargo_lock
            .lines()
            .filter_map(|line| line.trim().strip_prefix("name = \""))
            .filter_map(|rest| rest.strip_suffix('"'))
            .collect();
        self.rust_system_crates
            .iter()
            .filter(|(name, vendored)| {
                names.contains(&name.as_str())
                    && !vendored.as_deref().is_some_and(|v| names.contains(&v))
            })
            .map(|(name, _)| name.as_str())
            .collect()
    }

    /// The Go modules a `go.mod` requires that need cgo (`github.com/mattn/go-sqlite3`).
    pub fn go_cgo_modules(&self, go_mod: &str) -> Vec<&str> {
        self.go_cgo_modules
            .iter()
            .filter(|module| {
                go_mod.split_whitespace().any(|word| {
                    word == module.as_str()
                        || word
                            .strip_prefix(module.as_str())
                            .is_some_and(|rest| rest.starts_with("/v") || rest.starts_with('/'))
                })
            })
            .map(String::as_str)
            .collect()
    }

    /// The shared libraries (file names in the multiarch library directory) a cgo program
    /// built against the Debian `-dev` package loads at run time and distroless base lacks;
    /// `None` when the knowledge base does not know the package.
    pub fn go_cgo_runtime_libraries(&self, dev_package: &str) -> Option<&[String]> {
        self.go_cgo_libraries.get(dev_package).map(Vec::as_slice)
    }

    /// Every Alpine package name with a known Debian translation.
    pub fn apk_to_apt_names(&self) -> impl Iterator<Item = &str> {
        self.apk_to_apt.keys().map(String::as_str)
    }
}

/// The PEP 503 normalised project name of a pip requirement (`Pillow[webp]>=10` -> `pillow`,
/// `psycopg2_binary==2.9` -> `psycopg2-binary`); `None` for options, paths and URLs.
pub fn python_package_name(requirement: &str) -> Option<String> {
    let requirement = requirement.trim().trim_matches(|c| c == '"' || c == '\'');
    if requirement.starts_with(['-', '.', '/']) {
        return None;
    }
    let end = requirement
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(requirement.len());
    let name = &requirement[..end];
    // After the name PEP 508 allows only extras, a version, a marker or `@ url`; anything
    // else (`https://…`, `git+…`, `pkg/dir`) is not a project name.
    let rest = requirement[end..].trim_start();
    let continues_requirement =
        rest.is_empty() || rest.starts_with(['=', '<', '>', '!', '~', '[', ';', '@', '(', ',']);
    if name.is_empty() || !continues_requirement {
        return None;
    }
    Some(normalise(Ecosystem::Python, name))
}

/// The npm package name of an install argument (`bcrypt@5.1.0` -> `bcrypt`,
/// `@swc/core@1.3` -> `@swc/core`); `None` for options, paths, URLs and aliases.
pub fn npm_package_name(spec: &str) -> Option<String> {
    let spec = spec.trim().trim_matches(|c| c == '"' || c == '\'');
    if spec.is_empty() || spec.starts_with(['-', '.', '/', '~']) || spec.contains(':') {
        return None;
    }
    let (scope, rest) = match spec.strip_prefix('@') {
        Some(rest) => {
            let (scope, name) = rest.split_once('/')?;
            (Some(scope), name)
        }
        None => (None, spec),
    };
    let name = rest.split('@').next().unwrap_or(rest);
    if name.is_empty() || name.contains('/') {
        return None;
    }
    let full = match scope {
        Some(scope) => format!("@{scope}/{name}"),
        None => name.to_string(),
    };
    Some(normalise(Ecosystem::Node, &full))
}

fn normalise(ecosystem: Ecosystem, name: &str) -> String {
    let lower = name.trim().to_ascii_lowercase();
    match ecosystem {
        Ecosystem::Node => lower,
        Ecosystem::Python => {
            let mut normalised = String::with_capacity(lower.len());
            for c in lower.chars() {
                let c = if matches!(c, '_' | '.') { '-' } else { c };
                if !(c == '-' && normalised.ends_with('-')) {
                    normalised.push(c);
                }
            }
            normalised
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPackagesFile {
    schema_version: u32,
    compiled: String,
    #[allow(dead_code)] // provenance for readers of the TOML
    compiled_from: String,
    musl: BTreeMap<String, RawEcosystem>,
    toolchain: BTreeMap<String, RawToolchain>,
    apk_to_apt: RawApkToApt,
    commands: RawCommands,
    source_build: BTreeMap<String, RawSourceBuild>,
    cgo: BTreeMap<String, RawCgo>,
    system_libs: BTreeMap<String, RawSystemLibs>,
    #[serde(default)]
    shared_libs: BTreeMap<String, RawSharedLibs>,
    #[serde(default)]
    distro_python: BTreeMap<String, RawDistroPython>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDistroPython {
    #[allow(dead_code)] // provenance for readers of the TOML
    date: String,
    #[allow(dead_code)] // provenance for readers of the TOML
    src: Vec<String>,
    interpreter: String,
    build_only: Vec<String>,
    compiler_libs: BTreeMap<String, Vec<String>>,
    dev_libs: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSharedLibs {
    #[allow(dead_code)] // provenance for readers of the TOML
    date: String,
    #[allow(dead_code)] // provenance for readers of the TOML
    src: Vec<String>,
    suites: BTreeMap<String, String>,
    cmake_targets: BTreeMap<String, String>,
    libs: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSystemLibs {
    #[allow(dead_code)] // provenance for readers of the TOML
    src: Vec<String>,
    crates: BTreeMap<String, RawSystemCrate>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSystemCrate {
    vendored: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCgo {
    #[allow(dead_code)] // provenance for readers of the TOML
    src: Vec<String>,
    modules: Vec<String>,
    #[serde(default)]
    runtime_libraries: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCommands {
    #[allow(dead_code)] // provenance for readers of the TOML
    src: Vec<String>,
    table: BTreeMap<String, CommandPackages>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSourceBuild {
    #[allow(dead_code)] // provenance for readers of the TOML
    src: Vec<String>,
    packages: BTreeMap<String, SourceBuild>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEcosystem {
    general: String,
    #[allow(dead_code)] // provenance for readers of the TOML
    src: Vec<String>,
    packages: BTreeMap<String, RawMuslPackage>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMuslPackage {
    evidence: Evidence,
    reason: String,
    src: Vec<String>,
    alpine_build_packages: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawToolchain {
    packages: Vec<String>,
    suffixes: Vec<String>,
    #[allow(dead_code)] // provenance for readers of the TOML
    src: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApkToApt {
    #[allow(dead_code)] // provenance for readers of the TOML
    src: Vec<String>,
    packages: BTreeMap<String, Vec<String>>,
}
