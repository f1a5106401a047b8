//! A bound on YAML alias expansion, checked before a `.hadolint.yaml` is loaded: the loader
//! copies an anchored node at every alias, so a few lines of aliases of aliases ("billion
//! laughs") would expand to billions of values.

use yaml_rust2::parser::{Event, Parser};

/// More values than any hadolint configuration holds once aliases are expanded.
pub const MAX_EXPANDED_VALUES: u64 = 10_000;

/// Why a YAML text was refused: the message and the character index of the alias that went
/// over the bound.
pub struct TooManyValues {
    pub message: String,
    pub char_index: usize,
}

/// Counts the values `text` holds with every alias expanded, stopping at the first alias that
/// takes the count over [`MAX_EXPANDED_VALUES`]. A syntax error is left to the loader, which
/// reports it with its position.
pub fn check(text: &str) -> Result<(), TooManyValues> {
    let mut parser = Parser::new_from_str(text);
    // Values in each anchored node, by anchor id.
    let mut anchored: Vec<u64> = Vec::new();
    // Per open sequence or mapping: its anchor id and the values counted so far.
    let mut open: Vec<(usize, u64)> = Vec::new();
    // Values seen so far, aliases expanded.
    let mut total: u64 = 0;
    loop {
        let Ok((event, mark)) = parser.next_token() else {
            return Ok(());
        };
        let (anchor, size) = match event {
            Event::StreamEnd => return Ok(()),
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                open.push((anchor, 1));
                total = total.saturating_add(1);
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match open.pop() {
                Some((anchor, size)) => (anchor, size),
                None => continue,
            },
            Event::Scalar(_, _, anchor, _) => {
                total = total.saturating_add(1);
                (anchor, 1)
            }
            Event::Alias(id) => {
                let size = anchored.get(id).copied().unwrap_or(1);
                total = total.saturating_add(size);
                (0, size)
            }
            _ => continue,
        };
        if anchor != 0 {
            if anchored.len() <= anchor {
                anchored.resize(anchor + 1, 1);
            }
            anchored[anchor] = size;
        }
        if let Some((_, parent)) = open.last_mut() {
            *parent = parent.saturating_add(size);
        }
        if total > MAX_EXPANDED_VALUES {
            return Err(TooManyValues {
                message: format!(
                    "YAML aliases expand to more than {MAX_EXPANDED_VALUES} values; \
                     refusing to load"
                ),
                char_index: mark.index(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Nine levels of ten aliases each: 10⁹ values once expanded.
    fn billion_laughs() -> String {
        let mut text = String::from("a0: &a0 [\"lol\"]\n");
        for level in 1..10 {
            let previous = format!("*a{}", level - 1);
            let items = [previous.as_str(); 10].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{items}]\n"));
        }
        text
    }

    #[test]
    fn billion_laughs_is_refused_at_an_alias() {
        let text = billion_laughs();
        let error = check(&text).expect_err("refused");
        assert!(error.message.contains("aliases"), "{}", error.message);
        let at: String = text.chars().skip(error.char_index).take(2).collect();
        assert_eq!(at, "*a", "points at an alias");
    }

    #[test]
    fn a_few_aliases_are_fine() {
        let text = "base: &base [DL3008, DL3009]\nignored: *base\noverride:\n  info: *base\n";
        assert!(check(text).is_ok());
        let big: String = (0..2000).map(|i| format!("k{i}: v\n")).collect();
        assert!(check(&big).is_ok());
    }
}
