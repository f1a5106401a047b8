//! A process-wide memo of [`Knowledge::classify`] for the built-in knowledge base: a batch
//! run meets the same few base images in file after file, and classifying one (reading the
//! tag, checking every suggestion) costs far more than looking it up.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::{ImageInfo, Knowledge};

/// `(repository, tag)` as passed to `classify`.
type Key = (String, Option<String>);

/// Bounded, so that a long-lived process (the language server) cannot grow it without end.
const CAPACITY: usize = 4096;

impl Knowledge {
    /// [`Knowledge::classify`], shared. For the built-in knowledge base each distinct
    /// reference is classified once per process; a knowledge base with the user's overrides
    /// is classified afresh on every call (it may differ from run to run).
    pub fn classify_shared(&self, repository: &str, tag: Option<&str>) -> Option<Arc<ImageInfo>> {
        if !std::ptr::eq(self, Knowledge::builtin()) {
            return self.classify(repository, tag).map(Arc::new);
        }
        static MEMO: OnceLock<Mutex<HashMap<Key, Option<Arc<ImageInfo>>>>> = OnceLock::new();
        let memo = MEMO.get_or_init(Default::default);
        let key = (repository.to_string(), tag.map(str::to_string));
        if let Some(known) = memo.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return known;
        }
        let info = self.classify(repository, tag).map(Arc::new);
        if let Ok(mut m) = memo.lock() {
            if m.len() >= CAPACITY {
                m.clear();
            }
            m.insert(key, info.clone());
        }
        info
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_classification_equals_a_fresh_one() {
        let kb = Knowledge::builtin();
        for (repository, tag) in [
            ("python", Some("3.12")),
            ("python", Some("3.12-alpine")),
            ("golang", None),
            ("no-such-image", Some("1")),
        ] {
            let fresh = kb.classify(repository, tag);
            let first = kb.classify_shared(repository, tag);
            let second = kb.classify_shared(repository, tag);
            assert_eq!(first.as_deref(), fresh.as_ref());
            assert_eq!(second.as_deref(), fresh.as_ref());
        }
    }

    #[test]
    fn overrides_are_not_memoised() {
        let table: toml::Value =
            toml::from_str("[\"python\"]\ndefault_class = \"slim\"").expect("valid TOML");
        let custom = Knowledge::builtin()
            .with_overrides(&table)
            .expect("valid override");
        let builtin = Knowledge::builtin().classify_shared("python", Some("3.12"));
        let overridden = custom.classify_shared("python", Some("3.12"));
        assert_eq!(
            overridden.as_deref(),
            custom.classify("python", Some("3.12")).as_ref()
        );
        assert_ne!(builtin.map(|i| i.class), overridden.map(|i| i.class));
    }
}
