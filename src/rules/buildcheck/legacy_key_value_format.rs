use crate::declare_rule;
use crate::fix::{Edit, Fix};
use crate::rules::{Check, Context, Source, Violation};
use crate::syntax::{Instruction, Keyword};

declare_rule! {
    /// ## What it does
    /// Flags `ENV` and `LABEL` in the legacy whitespace-separated form (`ENV key value`)
    /// instead of `key=value`. Docker's build check `LegacyKeyValueFormat`
    /// (<https://docs.docker.com/go/dockerfile/rule/legacy-key-value-format/>).
    ///
    /// ## Why is this bad?
    /// In the legacy form everything after the key is the value, spaces included, and only
    /// one pair fits on a line: `ENV A 1 B 2` sets `A` to `1 B 2`. The `key=value` form says
    /// where the value ends and takes several pairs.
    ///
    /// ## Example
    /// ```dockerfile
    /// ENV NODE_ENV production
    /// LABEL description A small web server
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ENV NODE_ENV=production
    /// LABEL description="A small web server"
    /// ```
    ///
    /// ## Fix safety
    /// Safe. On a one-line instruction the fix writes `key=value` when the value is one
    /// word, and `key="value"` when it has spaces but no quotes or escape characters (the
    /// value reads back the same, variables included). Other values get no fix.
    pub struct LegacyKeyValueFormat {
        code: "BK013",
        name: "legacy-key-value-format",
        family: BuildCheck,
        severity: Warning,
        fix: Sometimes,
        sources: [Source::BuildKit("LegacyKeyValueFormat")],
    }
}

/// Does `text` hold whitespace outside quotes (BuildKit would split it into words)?
fn splits(text: &str, escape: char) -> bool {
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (_, c) if c == escape && quote != Some('\'') => {
                chars.next();
            }
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, c) if c.is_whitespace() => return true,
            _ => {}
        }
    }
    false
}

fn fix(instr: &Instruction, escape: char) -> Option<Fix> {
    if instr.start_line != instr.end_line || instr.args.len() != 2 {
        return None;
    }
    let (key, value) = (&instr.args[0], &instr.args[1]);
    let raw = instr.line.text.get(value.range.clone())?;
    let pair = if !splits(raw, escape) {
        format!("{}={raw}", key.value)
    } else if !raw.contains(['"', '\'', escape]) {
        format!("{}=\"{raw}\"", key.value)
    } else {
        return None;
    };
    Some(Fix::safe(
        format!("Write `{pair}`"),
        vec![Edit::replace(key.span.start..value.span.end, pair.clone())],
    ))
}

impl Check for LegacyKeyValueFormat {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        for instr in ctx.instructions() {
            let name = match instr.keyword {
                Keyword::Env => "ENV",
                Keyword::Label => "LABEL",
                _ => continue,
            };
            let legacy =
                instr.args.first().is_some_and(|a| !a.value.contains('=')) && instr.args.len() >= 2;
            if !legacy {
                continue;
            }
            let mut violation = Violation::new(
                instr.keyword_span.start..instr.args[0].span.end,
                format!("\"{name} key=value\" should be used instead of legacy \"{name} key value\" format"),
            );
            if let Some(fix) = fix(instr, ctx.tree().escape) {
                violation = violation.with_fix(fix);
            }
            out.push(violation);
        }
    }
}
