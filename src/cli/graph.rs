//! `dlint graph FILE`: the stage graph (stages, `FROM`/`COPY --from`/`RUN --mount` edges, the
//! runtime stage) as text, JSON, Graphviz dot or Mermaid.

use super::args::GraphArgs;
use super::output::{eprint, format_file_error, print, stderr_color};
use super::single_file::{read_and_parse, report_syntax_errors};
use super::target::unknown_target_error;
use super::ExitStatus;
use crate::config::{find_config, load_config};
use crate::knowledge::Knowledge;
use crate::rules::Context;
use crate::semantic::{render_graph_with_purposes, Model, Purpose};

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
    let (stated, knowledge, project_path) = match stated_purpose(file.path.as_deref(), no_color) {
        Ok(found) => found,
        Err(status) => return status,
    };
    let knowledge = knowledge.as_deref().unwrap_or_else(|| Knowledge::builtin());
    let ctx = Context::new(file.path.as_deref(), &parse, &model, knowledge)
        .with_stated_purpose(stated)
        .with_purpose_path(project_path.as_deref());
    let mut out = render_graph_with_purposes(&model, Some(ctx.purposes()), args.format.into());
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    print(&out);
    report_syntax_errors(&file, &parse, no_color)
}

/// The purpose the file's `dlint.toml` states, that configuration's knowledge base (its
/// `[images]` decide which bases are SDK images) and the file's path relative to it.
type StatedPurpose = (
    Option<Purpose>,
    Option<std::sync::Arc<Knowledge>>,
    Option<std::path::PathBuf>,
);

/// What the file's configuration says about its purpose. A broken configuration is an error.
fn stated_purpose(
    path: Option<&std::path::Path>,
    no_color: bool,
) -> Result<StatedPurpose, ExitStatus> {
    let Some(path) = path else {
        return Ok((None, None, None));
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let Some(config_path) = find_config(&dir) else {
        return Ok((None, None, None));
    };
    match load_config(&config_path) {
        Ok(config) => Ok((
            config.purpose_for(path),
            config.knowledge.clone(),
            path.strip_prefix(config.root())
                .ok()
                .map(std::path::Path::to_path_buf),
        )),
        Err(error) => {
            let color = stderr_color(no_color);
            eprint(&format_file_error(
                &super::check::config_error(&error, color),
                color,
            ));
            Err(ExitStatus::Error)
        }
    }
}
