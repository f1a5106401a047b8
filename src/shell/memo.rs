//! A per-thread memo of parsed scripts, keyed by their text.
//!
//! The same RUN text comes back again and again: in the variants of one image in a monorepo
//! (one Dockerfile per distro or version), and on every keystroke in the editor, where most
//! RUNs did not change. A script is parsed once against an identity map (spans are offsets in
//! its text) and each use maps the spans through its own [`SourceMap`]; this gives the same
//! spans as parsing with that map, because maps are monotonic and spans are mapped end-point
//! by end-point (`tests/library/shell_fast_path.rs` compares both on the corpus).
//!
//! Keys are whole script texts, so the map hashes with FxHash (`rustc-hash`) rather than
//! SipHash: the keys are the user's own files, flooding is not a concern.

use std::cell::RefCell;

use rustc_hash::FxHashMap;

use super::walk::{self, Job};
use super::Script;
use crate::syntax::SourceMap;

/// Entries kept per thread; the memo starts afresh when full. Enough for the RUNs of any
/// real Dockerfile (the editor's case) and for a run's recent variants of one image; 512 kept
/// ~1,000 more pages resident on a corpus run for no fewer instructions.
const CAPACITY: usize = 128;
/// Shorter scripts are parsed again: that costs about what the lookup does.
const MIN_LEN: usize = 48;

thread_local! {
    static MEMO: RefCell<FxHashMap<String, Script>> = RefCell::new(FxHashMap::default());
}

/// [`walk::parse`] of a top-level script, through the memo.
pub(crate) fn parse_top(text: &str, map: &SourceMap) -> Script {
    if text.len() < MIN_LEN || !walk::memo_enabled() {
        return walk::parse(Job::top(text, map));
    }
    let hit = MEMO.with(|memo| memo.borrow().get(text).map(|s| relocate(s, map)));
    if let Some(script) = hit {
        return script;
    }
    let identity = SourceMap::contiguous(0, text.len());
    let relative = walk::parse(Job::top(text, &identity));
    let script = relocate(&relative, map);
    MEMO.with(|memo| {
        if let Ok(mut memo) = memo.try_borrow_mut() {
            if memo.len() >= CAPACITY {
                memo.clear();
            }
            memo.insert(text.to_string(), relative);
        }
    });
    script
}

/// `script` (spans in text offsets) with its spans mapped through `map`.
fn relocate(script: &Script, map: &SourceMap) -> Script {
    let mut out = script.clone();
    for command in &mut out.commands {
        command.span = map.span_to_file(command.span.clone());
        for word in command
            .words
            .iter_mut()
            .chain(command.assignments.iter_mut())
        {
            word.span = map.span_to_file(word.span.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_script_is_relocated_for_each_use() {
        let text =
            "apt-get update && apt-get install -y --no-install-recommends curl ca-certificates";
        // The same script at three places in a file, each with its own map.
        let maps: Vec<SourceMap> = [4usize, 100, 7]
            .iter()
            .map(|&start| SourceMap::contiguous(start, start + text.len()))
            .collect();
        let direct: Vec<Script> = maps
            .iter()
            .map(|map| walk::parse(Job::top(text, map)))
            .collect();
        for round in 0..2 {
            for (map, expected) in maps.iter().zip(&direct) {
                assert_eq!(&parse_top(text, map), expected, "round {round}");
            }
        }
        assert!(MEMO.with(|memo| memo.borrow().contains_key(text)), "kept");
    }
}
