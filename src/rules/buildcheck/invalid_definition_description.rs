use crate::declare_rule;
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::{Keyword, Node};

declare_rule! {
    /// ## What it does
    /// Flags a named `FROM … AS name` or an `ARG` right below a comment (no blank line and
    /// no empty `#` line in between) whose first word is not the stage or argument name,
    /// on the instruction's line as `docker build --check` reports it. BuildKit reads such a
    /// comment as the definition's description (shown by `docker buildx build --call
    /// outline`), in the form `# <name> <description>`. Docker's build check
    /// `InvalidDefinitionDescription`, experimental in BuildKit
    /// (<https://docs.docker.com/go/dockerfile/rule/invalid-definition-description/>).
    ///
    /// Off by default, as it is experimental in BuildKit: any comment above a stage or an
    /// `ARG` is reported, suppression comments included.
    ///
    /// ## Why is this bad?
    /// Tools that list a build's stages and arguments show the comment as the description;
    /// one that does not start with the name is probably not meant as one.
    ///
    /// ## Example
    /// ```dockerfile
    /// # The Go version to build with
    /// ARG GO_VERSION=1.23
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// # GO_VERSION The Go version to build with
    /// ARG GO_VERSION=1.23
    /// ```
    ///
    /// A comment not meant as a description can be separated from the instruction by a
    /// blank line.
    ///
    /// ## Fix safety
    /// No fix: rewording a comment is the author's job.
    pub struct InvalidDefinitionDescription {
        code: "BK020",
        name: "invalid-definition-description",
        family: BuildCheck,
        severity: Info,
        fix: None,
        default_enabled: false,
        sources: [Source::BuildKit("InvalidDefinitionDescription")],
    }
}

impl Check for InvalidDefinitionDescription {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let tree = ctx.tree();
        let mut last_comment: Option<std::ops::Range<usize>> = None;
        for node in &tree.nodes {
            // An empty `#` line ends a comment block, as in BuildKit's parser; so does a
            // blank line, as BuildKit's documentation of the check says.
            let instr = match node {
                Node::Comment(span) => {
                    let body = tree
                        .text(span.clone())
                        .trim()
                        .trim_start_matches('#')
                        .trim();
                    last_comment = (!body.is_empty()).then(|| span.clone());
                    continue;
                }
                Node::Instruction(instr) => instr,
                _ => {
                    last_comment = None;
                    continue;
                }
            };
            let Some(comment) = last_comment.take() else {
                continue;
            };
            let (what, keys): (&str, Vec<String>) = match instr.keyword {
                Keyword::Arg => (
                    "ARG",
                    instr
                        .args
                        .iter()
                        .map(|a| a.value.split('=').next().unwrap_or("").to_string())
                        .collect(),
                ),
                Keyword::From => match instr.args.get(1..3) {
                    Some([as_word, name]) if as_word.value.eq_ignore_ascii_case("as") => {
                        ("FROM", vec![name.value.to_lowercase()])
                    }
                    _ => continue,
                },
                _ => continue,
            };
            if keys.is_empty() {
                continue;
            }
            let text = tree.text(comment.clone());
            let body = text.trim().trim_start_matches('#').trim();
            let first = body.split(' ').next().unwrap_or("");
            if keys.iter().any(|k| k == first) {
                continue;
            }
            let example = if keys.len() > 1 {
                "<arg_key>"
            } else {
                &keys[0]
            };
            // Reported on the instruction, where `docker build --check` puts it.
            let line_end = tree.source[instr.span.clone()]
                .find('\n')
                .map_or(instr.span.end, |i| instr.span.start + i);
            let line_end = instr.span.start
                + tree.source[instr.span.start..line_end]
                    .trim_end_matches(['\r', '\\', ' ', '\t'])
                    .len();
            out.push(Violation::new(
                instr.span.start..line_end.max(instr.keyword_span.end),
                format!("Comment for {what} should follow the format: `# {example} <description>`"),
            ));
        }
    }
}
