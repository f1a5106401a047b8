//! Which lines of two texts match, as diff operations, in bounded time. Myers' algorithm
//! (the minimal diff) takes time proportional to the lines times the differences, so a file
//! with tens of thousands of fixed lines would take minutes; past [`MYERS_LINES`] the lines
//! are first aligned on anchors (lines that occur once in each text, in the same order, as
//! patience diff does) and each stretch between anchors is diffed alone, by Myers when it is
//! short and line by line when it is not. Every result is a correct diff; only huge inputs
//! get one that may not be minimal.

use std::collections::HashMap;

use similar::{capture_diff_slices, Algorithm, DiffOp};

/// Up to this many lines in both texts together, Myers diffs the whole.
const MYERS_LINES: usize = 4_000;

/// The operations turning `old` into `new`, in order.
pub fn line_ops(old: &[&str], new: &[&str]) -> Vec<DiffOp> {
    if old.len() + new.len() <= MYERS_LINES {
        return capture_diff_slices(Algorithm::Myers, old, new);
    }
    let mut ops = Vec::new();
    let (mut i, mut j) = (0, 0);
    for (a, b) in anchors(old, new) {
        stretch(old, new, i..a, j..b, &mut ops);
        push(
            &mut ops,
            DiffOp::Equal {
                old_index: a,
                new_index: b,
                len: 1,
            },
        );
        (i, j) = (a + 1, b + 1);
    }
    stretch(old, new, i..old.len(), j..new.len(), &mut ops);
    ops
}

/// Lines that occur exactly once in `old` and once in `new`, as (old, new) index pairs, the
/// longest run of them in the same order in both (patience sorting, n·log n).
fn anchors(old: &[&str], new: &[&str]) -> Vec<(usize, usize)> {
    // Per line text: (count in old, index in old, count in new, index in new).
    let mut seen: HashMap<&str, (u32, usize, u32, usize)> = HashMap::new();
    for (i, line) in old.iter().enumerate() {
        let entry = seen.entry(line).or_insert((0, i, 0, 0));
        entry.0 += 1;
    }
    for (j, line) in new.iter().enumerate() {
        if let Some(entry) = seen.get_mut(line) {
            entry.2 += 1;
            entry.3 = j;
        }
    }
    let mut pairs: Vec<(usize, usize)> = seen
        .values()
        .filter(|e| e.0 == 1 && e.2 == 1)
        .map(|e| (e.1, e.3))
        .collect();
    pairs.sort_unstable();
    // Longest increasing subsequence of the new indices.
    let mut tails: Vec<usize> = Vec::new(); // index into `pairs` ending a run of each length
    let mut previous: Vec<Option<usize>> = vec![None; pairs.len()];
    for (k, &(_, b)) in pairs.iter().enumerate() {
        let length = tails.partition_point(|&t| pairs[t].1 < b);
        previous[k] = length.checked_sub(1).map(|l| tails[l]);
        if length == tails.len() {
            tails.push(k);
        } else {
            tails[length] = k;
        }
    }
    let mut run = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(k) = at {
        run.push(pairs[k]);
        at = previous[k];
    }
    run.reverse();
    run
}

/// The operations for one stretch between anchors.
fn stretch(
    old: &[&str],
    new: &[&str],
    old_range: std::ops::Range<usize>,
    new_range: std::ops::Range<usize>,
    ops: &mut Vec<DiffOp>,
) {
    let (o, n) = (old_range.start, new_range.start);
    if old_range.len() + new_range.len() <= MYERS_LINES {
        for op in capture_diff_slices(Algorithm::Myers, &old[old_range], &new[new_range]) {
            push(ops, shifted(op, o, n));
        }
        return;
    }
    // Too long for Myers: pair the lines in order, equal ones as context.
    let paired = old_range.len().min(new_range.len());
    for k in 0..paired {
        let op = if old[o + k] == new[n + k] {
            DiffOp::Equal {
                old_index: o + k,
                new_index: n + k,
                len: 1,
            }
        } else {
            DiffOp::Replace {
                old_index: o + k,
                old_len: 1,
                new_index: n + k,
                new_len: 1,
            }
        };
        push(ops, op);
    }
    if old_range.len() > paired {
        push(
            ops,
            DiffOp::Delete {
                old_index: o + paired,
                old_len: old_range.len() - paired,
                new_index: n + paired,
            },
        );
    } else if new_range.len() > paired {
        push(
            ops,
            DiffOp::Insert {
                old_index: o + paired,
                new_index: n + paired,
                new_len: new_range.len() - paired,
            },
        );
    }
}

fn shifted(op: DiffOp, o: usize, n: usize) -> DiffOp {
    match op {
        DiffOp::Equal {
            old_index,
            new_index,
            len,
        } => DiffOp::Equal {
            old_index: old_index + o,
            new_index: new_index + n,
            len,
        },
        DiffOp::Delete {
            old_index,
            old_len,
            new_index,
        } => DiffOp::Delete {
            old_index: old_index + o,
            old_len,
            new_index: new_index + n,
        },
        DiffOp::Insert {
            old_index,
            new_index,
            new_len,
        } => DiffOp::Insert {
            old_index: old_index + o,
            new_index: new_index + n,
            new_len,
        },
        DiffOp::Replace {
            old_index,
            old_len,
            new_index,
            new_len,
        } => DiffOp::Replace {
            old_index: old_index + o,
            old_len,
            new_index: new_index + n,
            new_len,
        },
    }
}

/// Appends `op`, joining it to the last one when both are equal runs or both replacements
/// that follow on, so the hunks come out as Myers' do.
fn push(ops: &mut Vec<DiffOp>, op: DiffOp) {
    match (ops.last_mut(), op) {
        (
            Some(DiffOp::Equal { old_index, len, .. }),
            DiffOp::Equal {
                old_index: next,
                len: more,
                ..
            },
        ) if *old_index + *len == next => *len += more,
        (
            Some(DiffOp::Replace {
                old_index,
                old_len,
                new_len,
                ..
            }),
            DiffOp::Replace {
                old_index: next,
                old_len: more_old,
                new_len: more_new,
                ..
            },
        ) if *old_index + *old_len == next => {
            *old_len += more_old;
            *new_len += more_new;
        }
        (_, op) => ops.push(op),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applying the operations to `old` gives `new`.
    fn replay(old: &[&str], new: &[&str], ops: &[DiffOp]) -> Vec<String> {
        let mut out = Vec::new();
        let mut at = 0;
        for op in ops {
            assert_eq!(op.old_range().start, at, "operations follow on");
            match *op {
                DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => {
                    for k in 0..len {
                        assert_eq!(old[old_index + k], new[new_index + k]);
                        out.push(old[old_index + k].to_string());
                    }
                }
                _ => out.extend(new[op.new_range()].iter().map(|s| s.to_string())),
            }
            at = op.old_range().end;
        }
        assert_eq!(at, old.len());
        out
    }

    #[test]
    fn large_inputs_give_a_correct_diff() {
        let old: Vec<String> = (0..30_000)
            .map(|i| match i % 3 {
                0 => "RUN apt-get install -y curl\n".to_string(),
                1 => format!("RUN echo {i}\n"),
                _ => "USER root\n".to_string(),
            })
            .collect();
        let new: Vec<String> = old
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 1000 != 7)
            .map(|(_, l)| l.replace("-y curl", "-y --no-install-recommends curl"))
            .collect();
        let old: Vec<&str> = old.iter().map(String::as_str).collect();
        let new: Vec<&str> = new.iter().map(String::as_str).collect();
        let ops = line_ops(&old, &new);
        assert_eq!(replay(&old, &new, &ops), new);
        let changed = ops
            .iter()
            .filter(|o| !matches!(o, DiffOp::Equal { .. }))
            .count();
        assert!(changed >= 10_000, "each changed line is its own change");
    }

    #[test]
    fn large_inputs_without_unique_lines_are_paired_in_order() {
        let old: Vec<&str> = ["A\n", "B\n"].repeat(10_000);
        let mut new: Vec<&str> = ["A\n", "C\n"].repeat(10_000);
        new.push("D\n");
        let ops = line_ops(&old, &new);
        assert_eq!(replay(&old, &new, &ops), new);
        let replaced = ops
            .iter()
            .filter(|o| matches!(o, DiffOp::Replace { .. }))
            .count();
        assert_eq!(replaced, 10_000, "each B becomes its C");
    }

    #[test]
    fn small_inputs_are_myers() {
        let old = ["a\n", "b\n", "c\n"];
        let new = ["a\n", "x\n", "c\n", "d\n"];
        assert_eq!(
            line_ops(&old, &new),
            capture_diff_slices(Algorithm::Myers, &old, &new)
        );
    }
}
