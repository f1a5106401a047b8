//! Java compiled with plain `javac` and run by class name (`java -cp . Main`): the classes
//! stay in the working directory, which the JRE stage copies whole.

use super::java::java_tool;
use super::rewrite::{
    is_within, join, normalize, split_edits, Planned, Reason, RuntimeStage, Single, Start,
};

/// Options of `java` that take a value in the next word.
const VALUE_OPTIONS: &[&str] = &["-cp", "-classpath", "--class-path", "-p", "--module-path"];

/// The split for a `javac` build: the final WORKDIR (classes and resources) copied into
/// `image`, the JRE. `tokens` are the words the container starts with.
pub(super) fn rewrite(
    single: &Single<'_, '_>,
    start: &Start<'_>,
    tokens: &[String],
    image: String,
) -> Result<Planned, Reason> {
    let java = tokens
        .iter()
        .position(|t| t.rsplit('/').next() == Some("java"))
        .ok_or_else(|| "the container does not start with `java`".to_string())?;
    let app = single
        .final_workdir()
        .filter(|dir| dir != "/")
        .ok_or_else(|| "the classes' directory (WORKDIR) is not set".to_string())?;
    let mut words = tokens[java + 1..].iter();
    while let Some(word) = words.next() {
        if word.ends_with(".java") {
            return Err(format!(
                "`java {word}` runs the source launcher, which needs the JDK's compiler"
            ));
        }
        if word.starts_with("--source") {
            return Err("`java --source` needs the JDK's compiler".into());
        }
        let class_path = if VALUE_OPTIONS.contains(&word.as_str()) {
            words.next()
        } else {
            None
        };
        for entry in class_path.into_iter().flat_map(|p| p.split(':')) {
            let resolved = normalize(&join(&app, entry));
            if !resolved.is_some_and(|p| is_within(&p, &app)) {
                return Err(format!(
                    "the class path entry `{entry}` is outside the working directory the runtime \
                     stage copies"
                ));
            }
        }
    }
    single.runs_are_build_only(|name, _| java_tool(name), std::slice::from_ref(&app))?;
    single.copies_land_in(Some(&app))?;
    single.no_chown()?;
    let (entrypoint, cmd) = start.verbatim();
    let edits = split_edits(
        single,
        &RuntimeStage {
            image: image.clone(),
            no_shell: false,
            other_family: true,
            copies: vec![(app.clone(), app)],
            env: Vec::new(),
            entrypoint,
            cmd,
        },
    )?;
    Ok(Planned {
        runtime: image,
        edits,
        notes: Vec::new(),
    })
}
