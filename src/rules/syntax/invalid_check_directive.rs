use super::reject::go_bool;
use crate::declare_rule;
use crate::rules::{Check, Context, Violation};

declare_rule! {
    /// ## What it does
    /// Reports a `# check=` parser directive that BuildKit cannot read: an option other than
    /// `skip`, `error` and `experimental`, a part without `=`, or an `error` value that is not
    /// a boolean. BuildKit's messages: `failed to parse check options: invalid check option
    /// "x"`, and `failed to parse check options: failed to parse check option "error=maybe":
    /// strconv.ParseBool: parsing "maybe": invalid syntax`.
    ///
    /// The directive is read as BuildKit reads it: up to three parts separated by `;` (a
    /// third part keeps any further `;`), each `key=value` with spaces trimmed.
    ///
    /// ## Why is this bad?
    /// `docker build` fails before building anything: BuildKit reads the directive when it
    /// converts the Dockerfile, and a directive it cannot read is an error, not a warning.
    ///
    /// ## Example
    /// ```dockerfile
    /// # check=skip=JSONArgsRecommended;errors=true
    /// FROM debian:13-slim
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// # check=skip=JSONArgsRecommended;error=true
    /// FROM debian:13-slim
    /// ```
    ///
    /// ## Fix safety
    /// No fix: which option was meant is for the author to say.
    pub struct InvalidCheckDirective {
        code: "REJ011",
        name: "invalid-check-directive",
        family: Syntax,
        severity: Error,
        fix: None,
    }
}

impl Check for InvalidCheckDirective {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        // BuildKit reads the first `check` directive only.
        let Some(directive) = ctx.tree().directives().find(|d| d.name == "check") else {
            return;
        };
        let value = directive.value.as_str();
        let Some((offset, part, error)) = first_error(value) else {
            return;
        };
        let start = directive.value_span.start + offset;
        let span = if directive.value_span.end - directive.value_span.start == value.len() {
            start..start + part.len()
        } else {
            directive.value_span.clone()
        };
        out.push(Violation::new(
            span,
            format!(
                "failed to parse check options: {error}; the options are `skip=RULE,…`, \
                 `error=true|false` and `experimental=RULE,…`, separated by `;`"
            ),
        ));
    }
}

/// The first part of the directive's value BuildKit rejects: its byte offset in the value,
/// its text, and BuildKit's message for it (`linter.ParseLintOptions`).
fn first_error(value: &str) -> Option<(usize, &str, String)> {
    let leading = value.len() - value.trim_start().len();
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return None;
    }
    let mut offset = leading;
    for part in trimmed.splitn(3, ';') {
        let here = offset;
        offset += part.len() + 1;
        let Some((key, v)) = part.split_once('=') else {
            return Some((here, part, format!("invalid check option {part:?}")));
        };
        match key.trim() {
            "skip" | "experimental" => {}
            "error" => {
                let v = v.trim();
                if !go_bool(v) {
                    return Some((
                        here,
                        part,
                        format!(
                            "failed to parse check option {part:?}: strconv.ParseBool: \
                             parsing {v:?}: invalid syntax"
                        ),
                    ));
                }
            }
            other => return Some((here, part, format!("invalid check option {other:?}"))),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::first_error;

    #[test]
    fn reads_the_directive_as_buildkit_does() {
        assert!(first_error("skip=all").is_none());
        assert!(first_error(" skip = A, B ; error = True ").is_none());
        assert!(first_error("skip=A;error=true;experimental=B;whatever").is_none());
        assert!(first_error("").is_none());
        let (offset, part, message) = first_error("skip=A;errors=true").unwrap();
        assert_eq!((offset, part), (7, "errors=true"));
        assert_eq!(message, "invalid check option \"errors\"");
        let (_, _, message) = first_error("error=maybe").unwrap();
        assert_eq!(
            message,
            "failed to parse check option \"error=maybe\": strconv.ParseBool: parsing \
             \"maybe\": invalid syntax"
        );
        let (_, part, message) = first_error("skip=A;").unwrap();
        assert_eq!(part, "");
        assert_eq!(message, "invalid check option \"\"");
        assert!(first_error("skipall").is_some());
    }
}
