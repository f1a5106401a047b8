use crate::declare_rule;
use crate::rules::hadolint::common::drop_quotes;
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags a `LABEL` key that breaks Docker's label-key conventions: keys use lower-case
    /// letters, digits, `.` and `-`, start with a letter, end with a letter or digit, have
    /// no `..` or `--`, and stay out of the reserved `com.docker.`, `io.docker.` and
    /// `org.dockerproject.` namespaces.
    ///
    /// ## Why is this bad?
    /// Tools that read labels (registries, orchestrators, `docker inspect` filters) expect
    /// reverse-DNS keys in that form; `Version`, `my_label` or `com.docker.thing` are easy to
    /// miss or clash with Docker's own. Keys given through variables are not judged.
    ///
    /// ## Example
    /// ```dockerfile
    /// LABEL Version="1.0" com.example_app.tier="web"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// LABEL version="1.0" com.example-app.tier="web"
    /// ```
    ///
    /// ## Fix safety
    /// No fix: renaming a label breaks whatever reads it.
    pub struct InvalidLabelKey {
        code: "DL3048",
        name: "invalid-label-key",
        family: Hadolint,
        severity: Style,
        fix: None,
        sources: [Source::Hadolint("DL3048")],
    }
}

/// Why `key` is not a valid label key, if it is not.
fn problem(key: &str) -> Option<&'static str> {
    if key.is_empty() {
        return Some("is empty");
    }
    if !key.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Some("must start with a lower-case letter");
    }
    if !key.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        return Some("must end with a lower-case letter or a digit");
    }
    if key
        .chars()
        .any(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-'))
    {
        return Some("may only contain lower-case letters, digits, `.` and `-`");
    }
    if key.contains("..") || key.contains("--") {
        return Some("must not contain `..` or `--`");
    }
    if ["com.docker.", "io.docker.", "org.dockerproject."]
        .iter()
        .any(|ns| key.starts_with(ns))
    {
        return Some("uses a namespace reserved by Docker");
    }
    None
}

impl Check for InvalidLabelKey {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for instr in ctx.instructions() {
            if instr.keyword != Keyword::Label {
                continue;
            }
            let keys: Vec<&str> = instr.values.chunks(3).map(|p| p[0].as_str()).collect();
            for (j, raw) in keys.iter().enumerate() {
                let key = drop_quotes(raw);
                if key.contains('$') {
                    continue;
                }
                let Some(problem) = problem(key) else {
                    continue;
                };
                // `key=value` words, or the legacy `LABEL key value` whose first word is the key.
                let arg = if instr.args.len() == keys.len() {
                    instr.args.get(j)
                } else {
                    instr.args.first().filter(|_| keys.len() == 1)
                };
                let span = arg.map_or(instr.keyword_span.clone(), |arg| {
                    arg.span.start..arg.span.start + raw.len().min(arg.span.len())
                });
                out.push(Violation::new(
                    span,
                    format!("Invalid label key `{key}`: it {problem}"),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn label_keys() {
        assert_eq!(problem("org.opencontainers.image.version"), None);
        assert_eq!(problem("com.example.v2"), None);
        assert!(problem("Version").is_some());
        assert!(problem("my_label").is_some());
        assert!(problem("com.docker.foo").is_some());
        assert!(problem("a..b").is_some());
        assert!(problem("trailing-").is_some());
    }
}
