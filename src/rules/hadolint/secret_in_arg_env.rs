use crate::declare_rule;
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::{Instruction, Keyword, Span};

declare_rule! {
    /// ## What it does
    /// Flags an `ARG` or `ENV` whose name says it holds a secret (`GITHUB_TOKEN`,
    /// `DB_PASSWORD`, `AWS_SECRET_ACCESS_KEY`, `apiKey`).
    ///
    /// ## Why is this bad?
    /// `ENV` values are stored in the image's configuration, and the `ARG` values a `RUN`
    /// uses are recorded in the image history: anyone who can pull the image can read them.
    /// Pass secrets with `RUN --mount=type=secret` (and `docker build --secret`), which
    /// leaves nothing behind.
    ///
    /// A name is suspicious when one of its words (split at `_`, `-`, `.` and case changes)
    /// is `password`, `passwd`, `passphrase`, `secret`, `token`, `apikey` or `credentials`,
    /// when it contains `api key`, `private key`, `access key` or `client key`, or when it
    /// is a well-known secret name (`NPM_TOKEN`, `AWS_ACCESS_KEY_ID` …).
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG NPM_TOKEN
    /// RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > ~/.npmrc && npm ci
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
    /// ```
    ///
    /// ## Differences from hadolint
    /// hadolint matches substrings; here whole words are compared
    /// (`TOKENIZERS_PARALLELISM` is not a token), names that point at a secret rather than
    /// hold one (`PASSWORD_FILE`, `TOKEN_URL`) are not flagged, and hadolint's known names
    /// that hold no secret (`TRAVIS_OS_NAME`, `FACEBOOK_APP_ID`, `CF_USERNAME` …) are left
    /// out. So `ARG USERNAME=vscode` (a user name, not a secret) and
    /// `ARG SECRETFILE=secret1.txt` (a file name) are not flagged; hadolint flags both.
    ///
    /// ## Fix safety
    /// No fix: moving to a secret mount changes how the build is invoked.
    pub struct SecretInArgOrEnv {
        code: "DL3064",
        name: "secret-in-arg-env",
        family: Hadolint,
        severity: Warning,
        fix: None,
        sources: [Source::Hadolint("DL3064")],
    }
}

/// Well-known variables that hold a secret whatever their words say.
const KNOWN: &[&str] = &[
    "ACCESS_TOKEN",
    "APPLICATION_KEY",
    "APP_SECRET",
    "AUTH_TOKEN",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "BITTREX_API_KEY",
    "BITTREX_API_SECRET",
    "CF_PASSWORD",
    "CIRCLE_TOKEN",
    "CI_DEPLOY_PASSWORD",
    "DOCKERHUB_PASSWORD",
    "DOCKER_PASSWORD",
    "FACEBOOK_ACCESS_TOKEN",
    "FACEBOOK_APP_SECRET",
    "FIREBASE_API_TOKEN",
    "FIREBASE_TOKEN",
    "FOSSA_API_KEY",
    "GH_ENTERPRISE_TOKEN",
    "GH_TOKEN",
    "GITHUB_ENTERPRISE_TOKEN",
    "GITHUB_TOKEN",
    "HEROKU_API_KEY",
    "NPM_AUTH_TOKEN",
    "NPM_TOKEN",
    "OKTA_CLIENT_TOKEN",
    "OKTA_OAUTH2_CLIENTSECRET",
    "OPENAI_API_KEY",
    "OS_PASSWORD",
    "POSTGRES_PASSWORD",
    "SLACK_TOKEN",
    "STRIPE_API_KEY",
    "VAULT_CLIENT_KEY",
    "VAULT_TOKEN",
];

const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "secrets",
    "token",
    "apikey",
    "credential",
    "credentials",
    "privatekey",
];

const SECRET_PAIRS: &[(&str, &str)] = &[
    ("api", "key"),
    ("private", "key"),
    ("access", "key"),
    ("client", "key"),
];

/// Last words of names that point at a secret or describe it rather than hold it.
const POINTERS: &[&str] = &[
    "file", "path", "dir", "url", "uri", "endpoint", "length", "enabled", "type", "header",
];

/// A name's words: split at `_`, `-`, `.` and lower-to-upper case changes, lower-cased.
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c == '_' || c == '-' || c == '.' {
            words.push(std::mem::take(&mut current));
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    words.push(current);
    words.retain(|w| !w.is_empty());
    words
}

fn looks_secret(name: &str) -> bool {
    if KNOWN.contains(&name.to_ascii_uppercase().as_str()) {
        return true;
    }
    let words = words(name);
    if words.last().is_some_and(|w| POINTERS.contains(&w.as_str())) {
        return false;
    }
    words.iter().any(|w| SECRET_WORDS.contains(&w.as_str()))
        || words
            .windows(2)
            .any(|p| SECRET_PAIRS.contains(&(p[0].as_str(), p[1].as_str())))
}

/// The names an ARG or ENV declares, with the span of each name.
fn declared(instr: &Instruction) -> Vec<(&str, Span)> {
    match instr.keyword {
        Keyword::Arg => instr
            .args
            .iter()
            .map(|a| {
                let name = a.value.split('=').next().unwrap_or(&a.value);
                (
                    name,
                    a.span.start..a.span.start + name.len().min(a.span.len()),
                )
            })
            .collect(),
        Keyword::Env => {
            let keys: Vec<&str> = instr.values.chunks(3).map(|p| p[0].as_str()).collect();
            keys.iter()
                .enumerate()
                .map(|(j, key)| {
                    let arg = if instr.args.len() == keys.len() {
                        instr.args.get(j)
                    } else {
                        instr.args.first()
                    };
                    let span = arg.map_or(instr.keyword_span.clone(), |a| {
                        a.span.start..a.span.start + key.len().min(a.span.len())
                    });
                    (*key, span)
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

impl Check for SecretInArgOrEnv {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for instr in ctx.instructions() {
            for (name, span) in declared(instr) {
                if looks_secret(name) {
                    out.push(Violation::new(
                        span,
                        format!(
                            "`{name}` looks like a secret: {} values stay in the image; use `RUN --mount=type=secret`",
                            instr.keyword.as_str()
                        ),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::looks_secret;

    #[test]
    fn secret_names() {
        for name in [
            "GITHUB_TOKEN",
            "DB_PASSWORD",
            "apiKey",
            "MY_API_KEY",
            "AWS_ACCESS_KEY_ID",
            "client_secret",
        ] {
            assert!(looks_secret(name), "{name}");
        }
        for name in [
            "TOKENIZERS_PARALLELISM",
            "PASSWORD_FILE",
            "GPG_KEY",
            "TRAVIS_OS_NAME",
            "NODE_VERSION",
            "PRIVATE_REGISTRY",
        ] {
            assert!(!looks_secret(name), "{name}");
        }
    }
}
