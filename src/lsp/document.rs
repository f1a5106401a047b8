//! An open document: its text, version and line index, kept in sync with the editor through
//! full or incremental changes, and its last lint results.

use std::path::PathBuf;
use std::sync::Arc;

use lsp_types::{TextDocumentContentChangeEvent, Url};

use super::encoding::{Converter, Encoding};
use super::lines::LineIndex;
use crate::diagnostic::Diagnostic;
use crate::line_index::floor_char_boundary;

#[derive(Debug)]
pub struct Document {
    pub uri: Url,
    /// The file behind the document, for `file:` URIs.
    pub path: Option<PathBuf>,
    pub version: i32,
    /// The server's own counter, new on every open and change (versions restart on reopen).
    pub revision: u64,
    pub text: String,
    pub index: LineIndex,
    /// Findings for this version under the settings generation they were computed with:
    /// dlint's own, then every finding once ShellCheck's are in ([`super::background`]).
    lint: Option<(u64, Arc<Vec<Diagnostic>>)>,
    complete: Option<(u64, Arc<Vec<Diagnostic>>)>,
}

impl Document {
    pub fn new(uri: Url, version: i32, text: String) -> Document {
        let path = file_path(&uri);
        let index = LineIndex::new(&text);
        Document {
            uri,
            path,
            version,
            revision: 0,
            text,
            index,
            lint: None,
            complete: None,
        }
    }

    pub fn converter(&self, encoding: Encoding) -> Converter<'_> {
        Converter {
            text: &self.text,
            index: &self.index,
            encoding,
        }
    }

    /// Applies the changes of one `didChange`, in order; each range is in the text as left by
    /// the previous change. Ranges out of bounds are clamped rather than refused: a confused
    /// client gets a document that a full resync repairs, never a crash.
    pub fn apply_changes(
        &mut self,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
    ) {
        for change in changes {
            match change.range {
                None => self.text = change.text,
                Some(range) => {
                    let span = self.converter(encoding).span(&range);
                    let start = floor_char_boundary(&self.text, span.start);
                    let end = floor_char_boundary(&self.text, span.end).max(start);
                    self.text.replace_range(start..end, &change.text);
                }
            }
            self.index = LineIndex::new(&self.text);
        }
        self.version = version;
        self.lint = None;
        self.complete = None;
    }

    /// The findings for the current text, if computed under `generation`: with ShellCheck's
    /// when they are in, else dlint's own.
    pub fn cached(&self, generation: u64) -> Option<Arc<Vec<Diagnostic>>> {
        [&self.complete, &self.lint]
            .into_iter()
            .flatten()
            .find(|(g, _)| *g == generation)
            .map(|(_, diagnostics)| Arc::clone(diagnostics))
    }

    /// Whether ShellCheck's findings are in for the current text under `generation`.
    pub fn is_complete(&self, generation: u64) -> bool {
        self.complete
            .as_ref()
            .is_some_and(|(g, _)| *g == generation)
    }

    pub fn store(&mut self, generation: u64, diagnostics: Arc<Vec<Diagnostic>>) {
        self.lint = Some((generation, diagnostics));
    }

    /// Every finding, ShellCheck's included.
    pub fn store_complete(&mut self, generation: u64, diagnostics: Arc<Vec<Diagnostic>>) {
        self.complete = Some((generation, diagnostics));
    }

    /// A configuration file rather than a Dockerfile: saving it reloads the settings, and it
    /// is never linted.
    pub fn is_config(&self) -> bool {
        is_config_uri(&self.uri)
    }
}

pub fn file_path(uri: &Url) -> Option<PathBuf> {
    (uri.scheme() == "file")
        .then(|| uri.to_file_path().ok())
        .flatten()
}

pub fn is_config_uri(uri: &Url) -> bool {
    let name = uri.path_segments().and_then(|mut s| s.next_back());
    name.is_some_and(|name| crate::config::CONFIG_FILE_NAMES.contains(&name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};

    fn change(
        range: Option<((u32, u32), (u32, u32))>,
        text: &str,
    ) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range
                .map(|((a, b), (c, d))| Range::new(Position::new(a, b), Position::new(c, d))),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn incremental_changes_apply_in_order_and_clamp() {
        let uri = Url::parse("file:///w/Dockerfile").unwrap();
        let mut doc = Document::new(uri, 1, "FROM a\nRUN 😀 b\n".into());
        assert_eq!(
            doc.path.as_deref(),
            Some(std::path::Path::new("/w/Dockerfile"))
        );
        doc.apply_changes(
            2,
            vec![
                // After the emoji (two UTF-16 units): replace `b` with `c`.
                change(Some(((1, 7), (1, 8))), "c"),
                change(Some(((0, 5), (0, 6))), "alpine"),
                change(Some(((7, 0), (9, 9))), "# end\n"),
            ],
            Encoding::Utf16,
        );
        assert_eq!(doc.text, "FROM alpine\nRUN 😀 c\n# end\n");
        assert_eq!(doc.version, 2);
        doc.apply_changes(3, vec![change(None, "FROM b\n")], Encoding::Utf16);
        assert_eq!(doc.text, "FROM b\n");
        assert_eq!(doc.index.line_count(), 2);
    }

    #[test]
    fn configuration_files_are_recognised() {
        assert!(is_config_uri(&Url::parse("file:///w/.dlint.toml").unwrap()));
        assert!(is_config_uri(&Url::parse("file:///w/dlint.toml").unwrap()));
        assert!(!is_config_uri(&Url::parse("file:///w/Dockerfile").unwrap()));
        assert!(!is_config_uri(&Url::parse("untitled:Untitled-1").unwrap()));
    }
}
