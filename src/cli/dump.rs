//! `dlint dump FILE`: the parse tree, in BuildKit's dump format (as in its conformance
//! `result` files) or as JSON with positions. For checking dlint's parser against BuildKit's
//! and for seeing what the linter sees.

use super::args::{DumpArgs, DumpFormat};
use super::output::print;
use super::single_file::{read_and_parse, report_syntax_errors};
use super::ExitStatus;
use crate::syntax::{dump, dump_json};

pub fn run(args: &DumpArgs, no_color: bool) -> ExitStatus {
    let (file, parse) = match read_and_parse(&args.file, no_color) {
        Ok(parsed) => parsed,
        Err(status) => return status,
    };
    // The tree is printed even when the file has errors: the recovered part is what the
    // linter works on, and seeing it explains the findings.
    let mut out = match args.format {
        DumpFormat::Text => dump(&parse.tree),
        DumpFormat::Json => serde_json::to_string_pretty(&dump_json(&parse))
            .unwrap_or_else(|error| format!("{{\"error\": {:?}}}", error.to_string())),
    };
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    print(&out);
    report_syntax_errors(&file, &parse, no_color)
}
