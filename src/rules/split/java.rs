//! Java: build with Maven or Gradle on the JDK image, run the jar that ENTRYPOINT/CMD names
//! on the JRE image of the same Java version (the knowledge base's `runtime_alternative`:
//! `maven:3.9-eclipse-temurin-21` → `eclipse-temurin:21-jre`).

use crate::knowledge::TagClass;

use super::java_classes as classes;
use super::rewrite::{join, normalize, split_edits, Planned, Reason, RuntimeStage, Single, Start};

pub(super) fn java_tool(name: &str) -> bool {
    matches!(
        name,
        "mvn" | "mvnw" | "gradle" | "gradlew" | "javac" | "jar" | "./mvnw" | "./gradlew"
    )
}

/// A jar path dlint can copy: literal characters, `*` globs allowed.
fn literal_path(word: &str) -> bool {
    !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./*+@=,-".contains(c))
}

/// The words the container starts with, shell bodies split on blanks (`sh -c "java … -jar
/// app.jar"` included): enough to find `java … -jar <file>`.
pub(super) fn start_tokens(start: &Start<'_>) -> Vec<String> {
    let mut tokens = Vec::new();
    for line in [&start.entrypoint, &start.cmd].into_iter().flatten() {
        let instr = line.instr;
        if instr.json {
            let values = &instr.values;
            let shell = values.first().is_some_and(|p| {
                matches!(p.rsplit('/').next(), Some("sh" | "bash" | "ash" | "dash"))
            }) && values
                .get(1)
                .is_some_and(|f| f.starts_with('-') && f.contains('c'));
            if shell {
                for body in &values[2..] {
                    tokens.extend(body.split_whitespace().map(str::to_string));
                }
            } else {
                tokens.extend(values.iter().cloned());
            }
        } else {
            tokens.extend(instr.rest_text().split_whitespace().map(str::to_string));
        }
    }
    tokens
}

/// The jar the container runs: the word after `-jar`, after a `java` command.
fn jar(start: &Start<'_>) -> Result<String, Reason> {
    let tokens = start_tokens(start);
    let java = tokens
        .iter()
        .position(|t| t.rsplit('/').next() == Some("java"))
        .ok_or_else(|| "the container does not start with `java -jar`".to_string())?;
    let at = tokens[java..]
        .iter()
        .position(|t| t == "-jar")
        .ok_or_else(|| "the container does not start with `java -jar`".to_string())?;
    let jar = tokens
        .get(java + at + 1)
        .ok_or_else(|| "`-jar` names no file".to_string())?;
    if !literal_path(jar) {
        return Err(format!("the jar path `{jar}` is not a literal"));
    }
    Ok(jar.clone())
}

pub(crate) fn rewrite(single: &Single<'_, '_>) -> Result<Planned, Reason> {
    let runtime = single.info.runtime.as_ref();
    if runtime.map(|r| r.name.as_str()) != Some("java") {
        return Err(format!("`{}` is not a Java image", single.base.raw));
    }
    let jre = single.info.runtime_alternative().ok_or_else(|| {
        format!(
            "the knowledge base names no JRE for `{}` (is the Java version in the tag?)",
            single.base.raw
        )
    })?;
    if jre.class != TagClass::Runtime {
        return Err(format!("`{}` is not a JRE image", jre.reference()));
    }
    let image = single
        .runtime_reference(jre)
        .ok_or_else(|| format!("`{}` cannot follow the ARG in the FROM", jre.reference()))?;

    let start = single.start();
    let jar = match jar(&start) {
        Ok(jar) => jar,
        Err(_) if compiles_with_javac(single) => {
            return classes::rewrite(single, &start, &start_tokens(&start), image)
        }
        Err(reason) => return Err(reason),
    };
    let jar_path = if jar.starts_with('/') {
        normalize(&jar)
    } else {
        single
            .final_workdir()
            .and_then(|w| normalize(&join(&w, &jar)))
    }
    .ok_or_else(|| format!("`{jar}` is relative to a working directory the file does not set"))?;
    let destination = if jar_path.contains('*') {
        let (dir, file) = jar_path.rsplit_once('/').unwrap_or(("", &jar_path));
        if dir.contains('*') || file.is_empty() {
            return Err(format!(
                "the jar path `{jar}` is a pattern over directories"
            ));
        }
        format!("{dir}/")
    } else {
        jar_path.clone()
    };

    let build_dir = single.final_workdir();
    single.runs_are_build_only(|name, _| java_tool(name), std::slice::from_ref(&jar_path))?;
    single.copies_land_in(build_dir.as_deref())?;

    let (entrypoint, cmd) = start.verbatim();
    let edits = split_edits(
        single,
        &RuntimeStage {
            image: image.clone(),
            no_shell: false,
            other_family: true,
            copies: vec![(jar_path, destination)],
            env: Vec::new(),
            entrypoint,
            cmd,
        },
    )?;
    let notes = single
        .info
        .minimal_alternatives()
        .iter()
        .filter(|s| s.libc == single.info.libc)
        .filter(|s| s.runtime.as_ref().is_some_and(|r| r.name == "java"))
        .map(|s| match &s.requires {
            Some(requires) => format!(
                "`{}` runs this Java version too ({requires}; no shell)",
                s.reference()
            ),
            None => format!("`{}` runs this Java version too (no shell)", s.reference()),
        })
        .collect();
    Ok(Planned {
        runtime: image,
        edits,
        notes,
    })
}

/// The stage compiles with plain `javac` (no build tool): its classes are in the working
/// directory, not in a jar.
fn compiles_with_javac(single: &Single<'_, '_>) -> bool {
    single.runs.iter().any(|run| {
        run.commands()
            .any(|command| command.effective().name() == Some("javac"))
    })
}

/// The runtime image the split names: the JRE of the same Java version.
pub(crate) fn runtime(single: Option<&Single<'_, '_>>) -> Option<String> {
    single
        .and_then(|s| s.info.runtime_alternative())
        .map(|s| s.reference())
}

pub(crate) fn advice(single: Option<&Single<'_, '_>>) -> String {
    let runtime = runtime(single)
        .map(|r| format!("`{r}`"))
        .unwrap_or_else(|| "a JRE image of the same Java version".into());
    format!("Build the jar in a stage of its own and copy only the jar into {runtime}")
}

#[cfg(test)]
mod tests {
    use super::literal_path;

    #[test]
    fn jar_paths() {
        assert!(literal_path("target/*.jar"));
        assert!(literal_path("/app/app-1.0.jar"));
        assert!(!literal_path("$APP_JAR"));
        assert!(!literal_path("\"app.jar\""));
    }
}
