use crate::declare_rule;
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Flags an `ARG` or `ENV` whose name says it holds a secret, with BuildKit's exact
    /// test: split at `_`, some word is `apikey`, `auth`, `credential(s)`, `key`,
    /// `password`, `pword`, `passwd`, `secret` or `token`, and no word is `public`, `file`
    /// or `version` (any case). Docker's build check `SecretsUsedInArgOrEnv`
    /// (<https://docs.docker.com/go/dockerfile/rule/secrets-used-in-arg-or-env/>).
    ///
    /// Off by default: `DL3064` (`secret-in-arg-env`) reports secret-like names in `ARG`
    /// and `ENV` and is on by default. Select this rule to get Docker's exact word list and
    /// message.
    ///
    /// ## Why is this bad?
    /// `ARG` and `ENV` values are stored in the image's metadata and build history, where
    /// anyone with the image can read them. Secrets belong in `RUN --mount=type=secret`.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG GITHUB_TOKEN
    /// RUN git clone https://$GITHUB_TOKEN@github.com/org/repo
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN \
    ///     git clone https://$GITHUB_TOKEN@github.com/org/repo
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the secret has to be passed differently by whoever runs the build.
    pub struct SecretsUsedInArgOrEnv {
        code: "BK016",
        name: "secrets-used-in-arg-or-env",
        family: BuildCheck,
        severity: Warning,
        fix: None,
        default_enabled: false,
        sources: [Source::BuildKit("SecretsUsedInArgOrEnv")],
    }
}

const DENY: &[&str] = &[
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pword",
    "passwd",
    "secret",
    "token",
];
const ALLOW: &[&str] = &["public", "file", "version"];

/// BuildKit's `(?i)(?:_|^)(?:apikey|…)(?:_|$)` without the allow-list match.
pub(crate) fn is_secret_name(name: &str) -> bool {
    let words: Vec<String> = name.split('_').map(str::to_ascii_lowercase).collect();
    words.iter().any(|w| DENY.contains(&w.as_str()))
        && !words.iter().any(|w| ALLOW.contains(&w.as_str()))
}

impl Check for SecretsUsedInArgOrEnv {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for instr in ctx.instructions() {
            let name = match instr.keyword {
                Keyword::Arg => "ARG",
                Keyword::Env => "ENV",
                _ => continue,
            };
            let legacy_env = instr.keyword == Keyword::Env
                && instr.args.first().is_some_and(|a| !a.value.contains('='));
            let keys = instr
                .args
                .iter()
                .take(if legacy_env { 1 } else { usize::MAX });
            for arg in keys {
                let key = arg.value.split('=').next().unwrap_or("");
                if is_secret_name(key) {
                    out.push(Violation::new(
                        arg.span.start..arg.span.start + key.len().min(arg.span.len()),
                        format!("Do not use ARG or ENV instructions for sensitive data ({name} {key:?})"),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_secret_name;

    #[test]
    fn buildkit_word_test() {
        for secret in [
            "API_KEY",
            "password",
            "GITHUB_TOKEN",
            "secret_MESSAGE",
            "AUTH",
        ] {
            assert!(is_secret_name(secret), "{secret}");
        }
        for plain in [
            "PUBLIC_KEY",
            "KEY_FILE",
            "TOKEN_VERSION",
            "MONKEY",
            "AUTHOR",
            "PASSWORDS",
        ] {
            assert!(!is_secret_name(plain), "{plain}");
        }
    }
}
