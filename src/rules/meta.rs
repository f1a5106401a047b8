//! What every rule declares about itself, and the `declare_rule!` macro that turns a rule's
//! doc comment into its documentation.

use serde::Serialize;

/// Rule families, each with its code prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// `DL1000`: the file does not parse; `REJ`: `docker build` rejects it after parsing;
    /// `LIM`: it goes past what dlint analyses (sizes and depths only hostile files reach).
    Syntax,
    /// `IMG`: base image choice.
    Image,
    /// `STG`: stage structure.
    Stage,
    /// `CCH` and hadolint's cache rules: package-manager caches left in layers.
    Cache,
    /// `MUSL`: libc compatibility on Alpine.
    Musl,
    /// `STAT`: static linking for scratch/distroless.
    Static,
    /// hadolint's other `DL` rules.
    Hadolint,
    /// Docker's build checks (`JSONArgsRecommended` …).
    BuildCheck,
    /// ShellCheck's findings in RUN scripts (`SC2086` …), from the `shellcheck` binary.
    ShellCheck,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Syntax => "syntax",
            Family::Image => "image",
            Family::Stage => "stage",
            Family::Cache => "cache",
            Family::Musl => "musl",
            Family::Static => "static",
            Family::Hadolint => "hadolint",
            Family::BuildCheck => "build-check",
            Family::ShellCheck => "shellcheck",
        }
    }
}

/// How severe a finding is by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Style,
}

impl Severity {
    /// Parses `error`, `warning`, `info` or `style` (any case).
    pub fn parse(text: &str) -> Option<Severity> {
        match text.to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            "style" => Some(Severity::Style),
            _ => None,
        }
    }

    /// At least as severe as `threshold` (`Error` is the most severe).
    pub fn reaches(self, threshold: Severity) -> bool {
        self <= threshold
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Style => "style",
        }
    }
}

/// Whether a rule can offer an automatic edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixKind {
    None,
    /// Some findings come with an edit.
    Sometimes,
    /// Every finding comes with an edit.
    Always,
}

/// Where a rule's idea comes from (Biome's `sources`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "tool", content = "rule")]
pub enum Source {
    Hadolint(&'static str),
    BuildKit(&'static str),
}

#[derive(Debug, Serialize)]
pub struct RuleMeta {
    /// Stable code: never reused.
    pub code: &'static str,
    /// Kebab-case name, also accepted wherever a code is.
    pub name: &'static str,
    pub family: Family,
    pub severity: Severity,
    pub fix: FixKind,
    /// Off unless selected explicitly.
    pub default_enabled: bool,
    pub sources: &'static [Source],
    /// The rule's doc comment: What it does / Why is this bad? / Example / Use instead / Fix
    /// safety.
    #[serde(skip)]
    pub docs: &'static str,
}

impl RuleMeta {
    /// The name findings are reported under: Docker's own (`JSONArgsRecommended`) for a build
    /// check, as `docker build --check` prints it, else the kebab-case name.
    pub fn display_name(&self) -> &'static str {
        if self.family == Family::BuildCheck {
            if let Some(name) = super::registry::buildkit_name(self) {
                return name;
            }
        }
        self.name
    }

    /// The documentation page for this rule.
    pub fn url(&self) -> String {
        if self.family == Family::ShellCheck {
            return format!("https://www.shellcheck.net/wiki/{}", self.code);
        }
        format!("{}/rules/{}.md", crate::DOCS_BASE_URL, self.code)
    }

    /// The doc comment with the one leading space of each `///` line removed.
    pub fn documentation(&self) -> String {
        self.docs
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string()
    }

    /// The first sentence of "What it does", for rule lists and SARIF short descriptions.
    pub fn summary(&self) -> String {
        let docs = self.documentation();
        let mut lines = docs
            .lines()
            .skip_while(|l| !l.starts_with("## What it does"));
        lines.next();
        let paragraph: Vec<&str> = lines
            .skip_while(|l| l.trim().is_empty())
            .take_while(|l| !l.trim().is_empty())
            .collect();
        paragraph.join(" ")
    }
}

/// Declares a rule: its doc comment becomes its documentation, printed by `dlint rule CODE`.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// …
///     pub struct HeavyBaseImage {
///         code: "IMG001", name: "heavy-base-image", family: Image,
///         severity: Warning, fix: Sometimes,
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $rule:ident {
            code: $code:literal,
            name: $name:literal,
            family: $family:ident,
            severity: $severity:ident,
            fix: $fix:ident
            $(, default_enabled: $enabled:literal)?
            $(, sources: [$($source:expr),* $(,)?])?
            $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Default, Clone, Copy)]
        $vis struct $rule;

        impl $crate::rules::HasMeta for $rule {
            const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                code: $code,
                name: $name,
                family: $crate::rules::Family::$family,
                severity: $crate::rules::Severity::$severity,
                fix: $crate::rules::FixKind::$fix,
                default_enabled: $crate::declare_rule!(@enabled $($enabled)?),
                sources: &[$($($source),*)?],
                docs: concat!($($doc, "\n"),*),
            };
        }
    };
    (@enabled) => { true };
    (@enabled $enabled:literal) => { $enabled };
}
