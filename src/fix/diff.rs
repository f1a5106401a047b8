//! Unified diffs of a fix, in the format `git apply` and `patch -p1` accept.

use similar::TextDiff;

/// A unified diff from `before` to `after`, with `a/` and `b/` path prefixes. Empty when the
/// texts are equal. A missing final newline is marked as `diff` does.
pub fn unified_diff(path: &str, before: &str, after: &str) -> String {
    if before == after {
        return String::new();
    }
    let diff = TextDiff::from_lines(before, after);
    let mut out = String::new();
    out.push_str(&format!("--- a/{path}\n+++ b/{path}\n"));
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        out.push_str(&hunk.header().to_string());
        out.push('\n');
        for change in hunk.iter_changes() {
            let sign = match change.tag() {
                similar::ChangeTag::Delete => '-',
                similar::ChangeTag::Insert => '+',
                similar::ChangeTag::Equal => ' ',
            };
            out.push(sign);
            let value = change.value();
            out.push_str(value);
            if !value.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
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
    fn equal_texts_give_no_diff() {
        assert_eq!(unified_diff("f", "a\n", "a\n"), "");
    }
}
