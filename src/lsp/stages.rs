//! Stages for the editor: document symbols (one per `FROM`), go-to-definition from a stage
//! reference (`COPY --from=name`, `RUN --mount=…,from=name`, `FROM name`) to the stage, and the
//! names that completion offers.

use std::ops::Range;

use lsp_types::{DocumentSymbol, Location, SymbolKind};

use super::document::Document;
use super::encoding::Encoding;
use crate::syntax::{parse, Instruction, Keyword, Tree};

/// One stage as written.
pub struct Stage {
    pub index: usize,
    /// `AS name`, as written.
    pub name: Option<String>,
    pub name_span: Option<Range<usize>>,
    pub image: String,
    pub image_span: Range<usize>,
    /// From the `FROM` to the end of the stage's last instruction.
    pub span: Range<usize>,
}

pub fn stages(tree: &Tree) -> Vec<Stage> {
    let mut out: Vec<Stage> = Vec::new();
    // An instruction's span ends after its line ending; a stage ends before it.
    let end = |instruction: &Instruction| {
        let text = &tree.source[..instruction.span.end];
        instruction
            .span
            .start
            .max(text.trim_end_matches(['\n', '\r']).len())
    };
    for instruction in tree.instructions() {
        if instruction.keyword == Keyword::From {
            let named = instruction
                .args
                .get(1)
                .is_some_and(|a| a.value.eq_ignore_ascii_case("as"));
            let name = named.then(|| instruction.args.get(2)).flatten();
            let image = instruction.args.first();
            out.push(Stage {
                index: out.len(),
                name: name.map(|a| a.value.clone()),
                name_span: name.map(|a| a.span.clone()),
                image: image.map_or_else(String::new, |a| a.value.clone()),
                image_span: image.map_or(instruction.keyword_span.clone(), |a| a.span.clone()),
                span: instruction.span.start..end(instruction),
            });
        } else if let Some(stage) = out.last_mut() {
            stage.span.end = stage.span.end.max(end(instruction));
        }
    }
    out
}

/// The stage a reference names (by name, case-insensitively as BuildKit, or by index) among
/// the stages that start before `offset`.
pub fn resolve<'a>(stages: &'a [Stage], reference: &str, offset: usize) -> Option<&'a Stage> {
    let mut earlier = stages.iter().filter(|s| s.span.start < offset);
    if let Ok(index) = reference.parse::<usize>() {
        return earlier.clone().find(|s| s.index == index);
    }
    earlier.rfind(|s| {
        s.name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case(reference))
    })
}

/// One symbol per stage: its name (or `stage N`), the base image as detail.
pub fn document_symbols(document: &Document, encoding: Encoding) -> Vec<DocumentSymbol> {
    let parsed = parse(&document.text);
    let converter = document.converter(encoding);
    stages(&parsed.tree)
        .into_iter()
        .map(|stage| {
            let selection = stage.name_span.clone().unwrap_or(stage.image_span.clone());
            #[allow(deprecated)] // `deprecated` is a required field of the struct
            DocumentSymbol {
                name: stage
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("stage {}", stage.index)),
                detail: Some(format!("FROM {}", stage.image)),
                kind: SymbolKind::CLASS,
                tags: None,
                deprecated: None,
                range: converter.range(&stage.span),
                selection_range: converter.range(&selection),
                children: None,
            }
        })
        .collect()
}

/// The stage reference under `offset`: its text and span.
fn reference_at(text: &str, instruction: &Instruction, offset: usize) -> Option<String> {
    let inside = |span: &Range<usize>| span.start <= offset && offset <= span.end;
    if instruction.keyword == Keyword::From {
        let image = instruction.args.first()?;
        return inside(&image.span).then(|| image.value.clone());
    }
    for flag in &instruction.flags {
        let Some(span) = flag.value_span.as_ref().filter(|s| inside(s)) else {
            continue;
        };
        if flag.name.eq_ignore_ascii_case("from") {
            return flag.value.clone();
        }
        if flag.name.eq_ignore_ascii_case("mount") {
            // `type=bind,from=builder,source=/out`: the option under the cursor.
            let raw = text.get(span.clone())?;
            let mut at = span.start;
            for option in raw.split(',') {
                let end = at + option.len();
                if at <= offset && offset <= end {
                    let (key, value) = option.split_once('=')?;
                    return key
                        .trim()
                        .eq_ignore_ascii_case("from")
                        .then(|| value.trim_matches(['"', '\'']).to_string());
                }
                at = end + 1;
            }
        }
    }
    None
}

/// Go to definition: from a stage reference to the stage's name (or its `FROM`).
pub fn definition(document: &Document, offset: usize, encoding: Encoding) -> Option<Location> {
    let parsed = parse(&document.text);
    let stages = stages(&parsed.tree);
    let instruction = parsed
        .tree
        .instructions()
        .find(|i| i.span.start <= offset && offset <= i.span.end)?;
    let instruction = instruction.onbuild.as_deref().unwrap_or(instruction);
    let reference = reference_at(&document.text, instruction, offset)?;
    let stage = resolve(&stages, &reference, instruction.span.start)?;
    let target = stage.name_span.clone().unwrap_or(stage.image_span.clone());
    let converter = document.converter(encoding);
    Some(Location::new(
        document.uri.clone(),
        converter.range(&target),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::Url;

    const TEXT: &str = "ARG V=1\nFROM golang:1.22 AS Build\nRUN go build\n\
FROM build AS test\nRUN --mount=type=bind,from=build,source=/o,target=/o true\n\
FROM alpine\nCOPY --from=Build /app /app\nCOPY --from=0 /x /x\n";

    fn doc() -> Document {
        Document::new(Url::parse("file:///w/Dockerfile").unwrap(), 1, TEXT.into())
    }

    fn target(offset: usize) -> Option<u32> {
        definition(&doc(), offset, Encoding::Utf8).map(|l| l.range.start.line)
    }

    #[test]
    fn stages_are_symbols() {
        let symbols = document_symbols(&doc(), Encoding::Utf8);
        let names: Vec<&str> = symbols.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Build", "test", "stage 2"]);
        assert_eq!(symbols[0].detail.as_deref(), Some("FROM golang:1.22"));
        assert_eq!(symbols[0].range.start.line, 1);
        assert_eq!(symbols[0].range.end.line, 2);
        assert_eq!(symbols[2].range.end.line, 7);
    }

    #[test]
    fn references_lead_to_their_stage() {
        let at = |needle: &str| TEXT.find(needle).unwrap() + 2;
        assert_eq!(target(at("=Build /app")), Some(1));
        assert_eq!(target(at("build AS test")), Some(1));
        assert_eq!(target(at("from=build,") + 5), Some(1));
        assert_eq!(target(at("=0 /x")), Some(1));
        // Not a stage reference: an image, a source path.
        assert_eq!(target(at("alpine")), None);
        assert_eq!(target(at("source=/o")), None);
        assert_eq!(target(at("/app /app")), None);
    }
}
