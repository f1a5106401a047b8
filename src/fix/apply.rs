//! Applying a batch of fixes in one pass: non-overlapping fixes go in, the rest wait for the
//! next pass (the caller re-lints the new text and tries again).

use super::Fix;

/// The result of one pass.
#[derive(Debug, Clone)]
pub struct Applied {
    pub text: String,
    /// Indices (into the input slice) of the fixes that were applied.
    pub applied: Vec<usize>,
    /// Indices of fixes skipped because they overlapped an applied one.
    pub deferred: Vec<usize>,
}

/// Applies `fixes` to `source`, earliest first. A fix whose edits overlap (or touch the same
/// insertion point as) an already accepted fix is deferred whole. Edits with ranges outside
/// the text or off a character boundary are never applied.
pub fn apply_fixes(source: &str, fixes: &[&Fix]) -> Applied {
    let mut order: Vec<usize> = (0..fixes.len()).collect();
    order.sort_by_key(|&i| fixes[i].range().map(|r| (r.start, r.end)));
    let mut accepted = Accepted::default();
    let mut applied = Vec::new();
    let mut deferred = Vec::new();
    for index in order {
        let fix = fixes[index];
        let valid = fix.edits.iter().all(|e| {
            e.range.start <= e.range.end
                && e.range.end <= source.len()
                && source.is_char_boundary(e.range.start)
                && source.is_char_boundary(e.range.end)
        });
        if !valid || fix.edits.is_empty() {
            deferred.push(index);
            continue;
        }
        let internally_disjoint = fix
            .edits
            .windows(2)
            .all(|w| w[0].range.end <= w[1].range.start && w[0].range != w[1].range);
        let clashes = fix.edits.iter().any(|e| accepted.clashes(&e.range));
        if clashes || !internally_disjoint {
            deferred.push(index);
            continue;
        }
        for edit in &fix.edits {
            accepted.insert(&edit.range);
        }
        applied.push(index);
    }
    let mut edits: Vec<_> = applied
        .iter()
        .flat_map(|&i| fixes[i].edits.iter())
        .collect();
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut text = String::with_capacity(source.len() + 64);
    let mut at = 0;
    for edit in edits {
        text.push_str(&source[at..edit.range.start]);
        text.push_str(&edit.replacement);
        at = edit.range.end;
    }
    text.push_str(&source[at..]);
    applied.sort_unstable();
    deferred.sort_unstable();
    Applied {
        text,
        applied,
        deferred,
    }
}

/// The ranges of the fixes accepted so far, which never clash with each other: the replaced
/// ranges (disjoint, by start) and the insertion points, so a new range is checked against
/// its neighbours only, in log time.
#[derive(Default)]
struct Accepted {
    replaced: std::collections::BTreeMap<usize, usize>,
    inserted: std::collections::BTreeSet<usize>,
}

impl Accepted {
    /// Whether `range` clashes ([`overlaps`]) with an accepted range.
    fn clashes(&self, range: &std::ops::Range<usize>) -> bool {
        if range.is_empty() {
            let at = range.start;
            return self.inserted.contains(&at)
                || self
                    .replaced
                    .range(..at)
                    .next_back()
                    .is_some_and(|(_, &end)| at < end);
        }
        // Replaced ranges are disjoint: only the last one starting before `range.end` can
        // reach into it.
        self.inserted
            .range(range.start + 1..range.end)
            .next()
            .is_some()
            || self
                .replaced
                .range(..range.end)
                .next_back()
                .is_some_and(|(_, &end)| range.start < end)
    }

    fn insert(&mut self, range: &std::ops::Range<usize>) {
        if range.is_empty() {
            self.inserted.insert(range.start);
        } else {
            self.replaced.insert(range.start, range.end);
        }
    }
}

/// Two ranges clash when they share a byte, or when both are insertions at the same point, or
/// an insertion sits strictly inside a replaced range.
#[cfg(test)]
fn overlaps(a: &std::ops::Range<usize>, b: &std::ops::Range<usize>) -> bool {
    if a.is_empty() && b.is_empty() {
        return a.start == b.start;
    }
    if a.is_empty() {
        return b.start < a.start && a.start < b.end;
    }
    if b.is_empty() {
        return a.start < b.start && b.start < a.end;
    }
    a.start < b.end && b.start < a.end
}

#[cfg(test)]
mod tests {
    use super::super::{Edit, Fix};
    use super::*;

    #[test]
    fn overlapping_fixes_are_deferred() {
        let src = "apk add curl\n";
        let a = Fix::safe("a", vec![Edit::insert(7, " --no-cache")]);
        let b = Fix::safe("b", vec![Edit::insert(7, " -q")]);
        let c = Fix::safe("c", vec![Edit::replace(8..12, "wget")]);
        let out = apply_fixes(src, &[&a, &b, &c]);
        assert_eq!(out.text, "apk add --no-cache wget\n");
        assert_eq!(out.applied, vec![0, 2]);
        assert_eq!(out.deferred, vec![1]);
    }

    /// The ordered index gives the answer of comparing with every accepted range.
    #[test]
    fn clash_index_agrees_with_pairwise_overlaps() {
        let mut x: u64 = 0x9E3779B97F4A7C15;
        let mut next = |bound: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % bound) as usize
        };
        for _ in 0..200 {
            let mut index = Accepted::default();
            let mut all: Vec<std::ops::Range<usize>> = Vec::new();
            for _ in 0..40 {
                let start = next(60);
                let range = start..start + next(4);
                let pairwise = all.iter().any(|a| overlaps(a, &range));
                assert_eq!(index.clashes(&range), pairwise, "{range:?} against {all:?}");
                if !pairwise {
                    index.insert(&range);
                    all.push(range);
                }
            }
        }
    }

    #[test]
    fn out_of_range_edits_are_never_applied() {
        let fix = Fix::safe("x", vec![Edit::replace(3..99, "")]);
        let out = apply_fixes("abc", &[&fix]);
        assert_eq!(out.text, "abc");
        assert_eq!(out.deferred, vec![0]);
    }
}
