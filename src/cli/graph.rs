//! `dlint graph FILE`: the stage graph (stages, `FROM`/`COPY --from`/`RUN --mount` edges, the
//! runtime stage) as text, JSON, Graphviz dot or Mermaid.

use super::args::GraphArgs;
use super::output::{eprint, format_file_error, print, stderr_color};
use super::single_file::{read_and_parse, report_syntax_errors};
use super::target::unknown_target_error;
use super::ExitStatus;
use crate::semantic::{render_graph, Model};

pub fn run(args: &GraphArgs, no_color: bool) -> ExitStatus {
    let (file, parse) = match read_and_parse(&args.file, no_color) {
        Ok(parsed) => parsed,
        Err(status) => return status,
    };
    let model = Model::build(&parse, args.target.as_deref());
    if let Some(error) = unknown_target_error(&file.display, &model) {
        eprint(&format_file_error(&error, stderr_color(no_color)));
        return ExitStatus::Error;
    }
    let mut out = render_graph(&model, args.format.into());
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    print(&out);
    report_syntax_errors(&file, &parse, no_color)
}
