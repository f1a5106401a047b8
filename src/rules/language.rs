//! The language a build command compiles: picks STG001's recipe and the static-link recipe
//! of STAT001/STAT002.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Language {
    Go,
    Rust,
    Node,
    Python,
    Java,
    Dotnet,
    /// C and C++ (`gcc`, `cc`, `clang` …).
    Native,
}

impl Language {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Language::Go => "Go",
            Language::Rust => "Rust",
            Language::Node => "Node.js",
            Language::Python => "Python",
            Language::Java => "Java",
            Language::Dotnet => ".NET",
            Language::Native => "C/C++",
        }
    }

    /// The knowledge base's static-link recipe key, for the languages that link a binary.
    pub(crate) fn static_recipe(self) -> Option<&'static str> {
        match self {
            Language::Go => Some("go"),
            Language::Rust => Some("rust"),
            Language::Native => Some("c"),
            Language::Node | Language::Python | Language::Java | Language::Dotnet => None,
        }
    }
}
