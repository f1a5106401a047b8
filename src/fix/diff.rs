//! Unified diffs of a fix, in the format `git apply` and `patch -p1` accept.

use std::path::{Component, Path, PathBuf};

use similar::udiff::UnifiedHunkHeader;
use similar::DiffOp;

use super::line_ops::line_ops;

/// The path to write after `a/` and `b/` in a diff header, so that `git apply` and `patch -p1`
/// run from `cwd` find the file: relative to `cwd` when the file is under it (`../x` and
/// `./x` resolved), else relative to the root (`/srv/Dockerfile` becomes `srv/Dockerfile`,
/// to apply from `/`). Never starts with `/` and never holds `..`, which both tools refuse.
pub fn patch_path(display: &str, cwd: Option<&Path>) -> String {
    let path = Path::new(display);
    let full = match cwd {
        Some(cwd) if !path.is_absolute() => cwd.join(path),
        _ => path.to_path_buf(),
    };
    let full = normalize(&full);
    let relative = cwd
        .map(normalize)
        .and_then(|cwd| full.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .filter(|rest| rest.components().next().is_some())
        .unwrap_or(full);
    let parts: Vec<String> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if parts.is_empty() {
        display.to_string()
    } else {
        parts.join("/")
    }
}

/// `a/./b/../c` as `a/c`, without touching the file system (`..` above the root stays there).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(component);
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// A unified diff from `before` to `after`, with `a/` and `b/` path prefixes. Empty when the
/// texts are equal. A missing final newline is marked as `diff` does. Lines end at `\n`,
/// `\r\n` or a lone `\r`; which lines match is [`line_ops`]'s answer (Myers', or a bounded
/// one for huge inputs).
pub fn unified_diff(path: &str, before: &str, after: &str) -> String {
    if before == after {
        return String::new();
    }
    let old = lines(before);
    let new = lines(after);
    let mut out = String::new();
    out.push_str(&format!("--- a/{path}\n+++ b/{path}\n"));
    for hunk in similar::group_diff_ops(line_ops(&old, &new), 3) {
        out.push_str(&UnifiedHunkHeader::new(&hunk).to_string());
        out.push('\n');
        for op in &hunk {
            let (removed, added) = match *op {
                DiffOp::Equal { .. } => {
                    for line in &old[op.old_range()] {
                        push_line(&mut out, ' ', line);
                    }
                    continue;
                }
                _ => (op.old_range(), op.new_range()),
            };
            for line in &old[removed] {
                push_line(&mut out, '-', line);
            }
            for line in &new[added] {
                push_line(&mut out, '+', line);
            }
        }
    }
    out
}

fn push_line(out: &mut String, sign: char, line: &str) {
    out.push(sign);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

/// The lines of `text`, each with its line ending.
fn lines(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'\r' if bytes.get(at + 1) == Some(&b'\n') => {
                out.push(&text[start..at + 2]);
                at += 2;
                start = at;
            }
            b'\r' | b'\n' => {
                out.push(&text[start..=at]);
                at += 1;
                start = at;
            }
            _ => at += 1,
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_missing_final_newline() {
        let d = unified_diff("Dockerfile", "FROM a\nRUN x", "FROM a\nRUN y");
        assert!(d.starts_with("--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,2 +1,2 @@\n"));
        assert!(d.contains("-RUN x\n\\ No newline at end of file\n+RUN y\n"));
    }

    #[test]
    fn patch_paths_are_relative_to_the_current_directory() {
        let cwd = Some(Path::new("/home/me/repo"));
        assert_eq!(patch_path("Dockerfile", cwd), "Dockerfile");
        assert_eq!(patch_path("./app/Dockerfile", cwd), "app/Dockerfile");
        assert_eq!(
            patch_path("/home/me/repo/app/Dockerfile", cwd),
            "app/Dockerfile"
        );
        assert_eq!(patch_path("../repo/Dockerfile", cwd), "Dockerfile");
        // outside the current directory: relative to the root, never `a//` nor `a/../`
        assert_eq!(patch_path("/srv/x/Dockerfile", cwd), "srv/x/Dockerfile");
        assert_eq!(
            patch_path("../other/Dockerfile", cwd),
            "home/me/other/Dockerfile"
        );
        assert_eq!(patch_path("/srv/Dockerfile", None), "srv/Dockerfile");
        assert_eq!(patch_path("-", cwd), "-");
    }

    /// The output of similar's own unified diff, which this one replaced.
    fn similar_unified(path: &str, before: &str, after: &str) -> String {
        let diff = similar::TextDiff::from_lines(before, after);
        let mut out = format!("--- a/{path}\n+++ b/{path}\n");
        for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
            out.push_str(&format!("{}\n", hunk.header()));
            for change in hunk.iter_changes() {
                let sign = match change.tag() {
                    similar::ChangeTag::Delete => '-',
                    similar::ChangeTag::Insert => '+',
                    similar::ChangeTag::Equal => ' ',
                };
                push_line(&mut out, sign, change.value());
            }
        }
        out
    }

    #[test]
    fn small_diffs_are_similars_byte_for_byte() {
        let mut x: u64 = 0x2545F4914F6CDD1D;
        let mut next = |bound: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % bound) as usize
        };
        let pieces = [
            "FROM a\n",
            "RUN x\n",
            "RUN y\r\n",
            "USER z\r",
            "",
            "\n",
            "EOF",
        ];
        for _ in 0..500 {
            let mut text = |n: usize| -> String {
                (0..n).map(|_| pieces[next(pieces.len() as u64)]).collect()
            };
            let (before, after) = (text(12), text(12));
            if before == after {
                continue;
            }
            assert_eq!(
                unified_diff("f", &before, &after),
                similar_unified("f", &before, &after),
                "{before:?} -> {after:?}"
            );
        }
    }

    #[test]
    fn equal_texts_give_no_diff() {
        assert_eq!(unified_diff("f", "a\n", "a\n"), "");
    }
}
