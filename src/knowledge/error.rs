//! The one error type of the knowledge base: which key is wrong and why.

use std::fmt;

/// A problem in `rules/*.toml` or in a user's `[images]` table.
///
/// `key` is the dotted path of the offending entry (for example
/// `images."registry.example.com/base/python".class`), so a config error can point the user at
/// the exact line they have to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnowledgeError {
    /// Dotted path of the key that is wrong.
    pub key: String,
    /// What is wrong with it.
    pub message: String,
}

impl KnowledgeError {
    pub(crate) fn new(key: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for KnowledgeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

impl std::error::Error for KnowledgeError {}
