//! The lossless syntax tree: every byte of the input belongs to exactly one [`Node`].

use super::source_map::{SourceMap, Span};

/// A parsed Dockerfile. `nodes` partition `source` in order: concatenating the text of every
/// node's span gives back the input byte for byte.
#[derive(Debug, Clone)]
pub struct Tree {
    pub source: String,
    pub nodes: Vec<Node>,
    /// The escape character in force (`\` unless a `# escape=` directive says otherwise).
    pub escape: char,
    /// Length of a leading UTF-8 byte-order mark (0 or 3).
    pub bom_len: usize,
}

/// One top-level piece of the file.
#[derive(Debug, Clone)]
pub enum Node {
    /// A UTF-8 byte-order mark at the very start.
    Bom(Span),
    /// A parser directive (`# syntax=`, `# escape=`, `# check=`), with its line ending.
    Directive(Directive),
    /// A comment line outside any instruction, with its line ending.
    Comment(Span),
    /// A blank (whitespace-only) line outside any instruction, with its line ending.
    Blank(Span),
    /// An instruction, from its first byte to the end of its last line (heredoc bodies and
    /// terminators included), with the final line ending.
    Instruction(Box<Instruction>),
}

impl Node {
    pub fn span(&self) -> Span {
        match self {
            Node::Bom(s) | Node::Comment(s) | Node::Blank(s) => s.clone(),
            Node::Directive(d) => d.span.clone(),
            Node::Instruction(i) => i.span.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Directive {
    pub span: Span,
    /// Lower-cased name: `syntax`, `escape` or `check`.
    pub name: String,
    pub name_span: Span,
    pub value: String,
    pub value_span: Span,
    /// 1-based line.
    pub line: usize,
}

/// Instruction keywords BuildKit knows. Anything else parses as [`Keyword::Unknown`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    StopSignal,
    User,
    Volume,
    Workdir,
    Unknown,
}

impl Keyword {
    pub fn from_lowercase(word: &str) -> Keyword {
        match word {
            "add" => Keyword::Add,
            "arg" => Keyword::Arg,
            "cmd" => Keyword::Cmd,
            "copy" => Keyword::Copy,
            "entrypoint" => Keyword::Entrypoint,
            "env" => Keyword::Env,
            "expose" => Keyword::Expose,
            "from" => Keyword::From,
            "healthcheck" => Keyword::Healthcheck,
            "label" => Keyword::Label,
            "maintainer" => Keyword::Maintainer,
            "onbuild" => Keyword::Onbuild,
            "run" => Keyword::Run,
            "shell" => Keyword::Shell,
            "stopsignal" => Keyword::StopSignal,
            "user" => Keyword::User,
            "volume" => Keyword::Volume,
            "workdir" => Keyword::Workdir,
            _ => Keyword::Unknown,
        }
    }

    /// The canonical upper-case spelling (`UNKNOWN` for unknown instructions).
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::StopSignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
            Keyword::Unknown => "UNKNOWN",
        }
    }
}

/// BuildKit's logical line: continuation characters removed, comment and empty lines inside
/// the continuation dropped. `map` leads every byte back to the file.
#[derive(Debug, Clone, Default)]
pub struct LogicalLine {
    pub text: String,
    pub map: SourceMap,
}

impl LogicalLine {
    pub fn span(&self, range: std::ops::Range<usize>) -> Span {
        self.map.span_to_file(range)
    }
}

#[derive(Debug, Clone)]
pub struct Instruction {
    /// Whole instruction in the file, including heredoc bodies and the final line ending.
    pub span: Span,
    pub keyword: Keyword,
    /// The keyword as written (`run`, `Run`, `RUN`, or an unknown word).
    pub keyword_text: String,
    pub keyword_span: Span,
    pub flags: Vec<Flag>,
    /// Argument words. JSON form: one per string. A shell-form RUN/CMD/ENTRYPOINT/SHELL
    /// command is a single argument, as BuildKit sees it (the shell layer splits it into
    /// commands and words). Other instructions: their words as BuildKit splits them.
    pub args: Vec<Arg>,
    /// Range in `line.text` of everything after the keyword and flags (trimmed). For a
    /// shell-form RUN/CMD/ENTRYPOINT this is the command handed to the shell.
    pub rest: std::ops::Range<usize>,
    /// True when the arguments are a JSON array (exec form).
    pub json: bool,
    pub heredocs: Vec<Heredoc>,
    /// 1-based first and last line (the last includes heredoc terminators).
    pub start_line: usize,
    pub end_line: usize,
    /// The instruction ONBUILD wraps.
    pub onbuild: Option<Box<Instruction>>,
    /// BuildKit's node values after the keyword, as its dump prints them.
    pub values: Vec<String>,
    pub line: LogicalLine,
}

impl Instruction {
    /// Text after keyword and flags, in BuildKit's joined form.
    pub fn rest_text(&self) -> &str {
        &self.line.text[self.rest.clone()]
    }

    /// File span of the text after keyword and flags.
    pub fn rest_span(&self) -> Span {
        self.line.span(self.rest.clone())
    }

    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    pub fn is(&self, keyword: Keyword) -> bool {
        self.keyword == keyword
    }
}

/// A `--name[=value]` flag before the arguments.
#[derive(Debug, Clone)]
pub struct Flag {
    pub span: Span,
    /// Name without the leading dashes (`from`, `mount`, …).
    pub name: String,
    pub name_span: Span,
    /// Value after `=`, quotes and escapes processed; `None` for a bare flag.
    pub value: Option<String>,
    pub value_span: Option<Span>,
    /// BuildKit's string for this flag (`--from=builder`), as its dump prints it.
    pub buildkit: String,
}

/// An argument word.
#[derive(Debug, Clone)]
pub struct Arg {
    pub span: Span,
    /// The value: JSON strings decoded; shell-form words as written (quotes kept).
    pub value: String,
    /// Range of the word in the instruction's logical line.
    pub range: std::ops::Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Heredoc {
    /// The terminator word (quotes removed).
    pub name: String,
    /// The `<<NAME` marker in the file.
    pub marker_span: Span,
    /// `<<-`: leading tabs are stripped from the body and the terminator.
    pub chomp: bool,
    /// False when the name was quoted: the body is not expanded.
    pub expand: bool,
    /// File descriptor written before `<<` (`3<<EOF`), 0 when absent.
    pub fd: u32,
    /// The body lines, without the terminator line.
    pub body_span: Span,
    /// The terminator line, without its line ending (empty when unterminated).
    pub terminator_span: Span,
}

/// Severity of a syntax problem: errors make BuildKit reject the file, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorSeverity {
    Error,
    Warning,
}

#[derive(Debug, Clone)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
    /// 1-based line where the problem is.
    pub line: usize,
    pub severity: ErrorSeverity,
}

/// The result of parsing: the tree plus everything that went wrong. Never fails.
#[derive(Debug, Clone)]
pub struct Parse {
    pub tree: Tree,
    pub errors: Vec<ParseError>,
}

impl Parse {
    /// BuildKit would accept the file: no error-severity problems.
    pub fn is_ok(&self) -> bool {
        !self
            .errors
            .iter()
            .any(|e| e.severity == ErrorSeverity::Error)
    }
}

impl Tree {
    /// Prints the tree back: the concatenation of all node spans.
    pub fn print(&self) -> String {
        let mut out = String::with_capacity(self.source.len());
        for node in &self.nodes {
            out.push_str(&self.source[node.span()]);
        }
        out
    }

    pub fn instructions(&self) -> impl Iterator<Item = &Instruction> {
        self.nodes.iter().filter_map(|n| match n {
            Node::Instruction(i) => Some(i.as_ref()),
            _ => None,
        })
    }

    pub fn directives(&self) -> impl Iterator<Item = &Directive> {
        self.nodes.iter().filter_map(|n| match n {
            Node::Directive(d) => Some(d),
            _ => None,
        })
    }

    /// Text of a file span.
    pub fn text(&self, span: Span) -> &str {
        &self.source[span]
    }
}
