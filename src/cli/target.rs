//! `--target` must name a stage of the file, as `docker build --target` insists: findings
//! computed for a runtime stage that does not exist would mislead.

use super::input::FileError;
use crate::semantic::Model;

/// The usage error for a `--target` that names no stage of the file at `path`, if it does.
pub fn unknown_target_error(path: &str, model: &Model) -> Option<FileError> {
    let target = model.unknown_target.as_ref()?;
    let names: Vec<&str> = model
        .stages
        .iter()
        .filter_map(|stage| stage.name.as_deref())
        .collect();
    let hint = if names.is_empty() {
        "this file names no stages; name one with `FROM image AS name`".to_string()
    } else {
        format!("stages named in this file: {}", names.join(", "))
    };
    Some(FileError {
        path: path.to_string(),
        message: format!("`--target {target}` names no stage in `{path}`"),
        hint: Some(hint),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn lists_the_stages_that_exist() {
        let parse = parse("FROM golang AS build\nFROM alpine AS runtime\n");
        let error = unknown_target_error("Dockerfile", &Model::build(&parse, Some("tests")))
            .expect("no stage is called tests");
        assert!(error.message.contains("--target tests"), "{error}");
        assert_eq!(
            error.hint.as_deref(),
            Some("stages named in this file: build, runtime")
        );
        assert!(unknown_target_error("Dockerfile", &Model::build(&parse, Some("build"))).is_none());
        assert!(unknown_target_error("Dockerfile", &Model::build(&parse, None)).is_none());
    }
}
