//! IMG002's fix for a JDK image that only runs Java: the same vendor's JRE of the same Java
//! version (`eclipse-temurin:21-jdk` → `eclipse-temurin:21-jre`), when nothing in the image
//! needs the JDK's tools.

use crate::fix::Fix;
use crate::knowledge::{Libc, TagClass};
use crate::rules::image::common::{swap_image, ShippedBase};
use crate::rules::split::build_in_runtime_stage::build_steps;
use crate::rules::Context;
use crate::syntax::Keyword;

/// Programs only a JDK has (the JRE has `java` and little else), and build tools that
/// need one.
const JDK_TOOLS: &[&str] = &[
    "javac",
    "jar",
    "jlink",
    "jshell",
    "jpackage",
    "jdeps",
    "jmod",
    "javadoc",
    "jarsigner",
    "jcmd",
    "jstack",
    "jmap",
    "jps",
    "jstat",
    "jfr",
    "jhsdb",
    "native-image",
    "mvn",
    "mvnw",
    "./mvnw",
    "gradle",
    "gradlew",
    "./gradlew",
];

/// The unsafe swap to the JRE, or why there is none.
pub(crate) fn jre_swap(ctx: &Context<'_>, shipped: &ShippedBase<'_>) -> Result<Fix, String> {
    let info = shipped.info;
    if info.runtime.as_ref().map(|r| r.name.as_str()) != Some("java") {
        return Err("not a Java image".into());
    }
    let jre = info
        .runtime_alternative()
        .ok_or_else(|| format!("the knowledge base names no JRE for `{}`", shipped.base.raw))?;
    if jre.repository != info.repository {
        let deprecated = if info.deprecated.is_some() {
            format!("`{}` is deprecated and ", info.repository)
        } else {
            String::new()
        };
        return Err(format!(
            "{deprecated}`{}` is another image's build of Java: more than the JDK tools would change",
            jre.reference()
        ));
    }
    if info.libc != Libc::Glibc || jre.libc != Libc::Glibc {
        return Err("dlint swaps a JDK for its JRE on glibc (Debian/Ubuntu) images only".into());
    }
    if jre.class != TagClass::Runtime {
        return Err(format!("`{}` is not a JRE image", jre.reference()));
    }
    let stages = &ctx.model.stages;
    if stages.last().map(|s| s.index) != Some(shipped.stage)
        || stages
            .iter()
            .any(|s| s.root == shipped.stage && s.index != shipped.stage)
    {
        return Err("other stages build on this image".into());
    }
    if let Some(step) = build_steps(ctx).first() {
        return Err(format!(
            "`{}` builds in this stage (see STG001)",
            step.label
        ));
    }
    for run in ctx.runs_in(shipped.stage) {
        for command in run.commands() {
            if let Some(name) = command.effective().name().filter(|n| JDK_TOOLS.contains(n)) {
                return Err(format!("a RUN uses `{name}`, which the JRE lacks"));
            }
        }
    }
    let stage = &stages[shipped.stage];
    let instructions = ctx.instructions();
    let body = &instructions[stage.from_instruction + 1..stage.instructions.end];
    if body.iter().any(|i| i.keyword == Keyword::Run && i.json) {
        return Err("an exec-form RUN is not understood".into());
    }
    if body.iter().any(|i| {
        i.keyword == Keyword::Healthcheck && !i.rest_text().trim().eq_ignore_ascii_case("none")
    }) {
        return Err("the HEALTHCHECK may use a JDK tool".into());
    }
    let start = body
        .iter()
        .rev()
        .find(|i| i.keyword == Keyword::Entrypoint)
        .or_else(|| body.iter().rev().find(|i| i.keyword == Keyword::Cmd))
        .ok_or_else(|| "no ENTRYPOINT or CMD says what the container runs".to_string())?;
    let words: Vec<String> = if start.json {
        start.values.clone()
    } else {
        start
            .rest_text()
            .split_whitespace()
            .map(str::to_string)
            .collect()
    };
    if words.first().and_then(|w| w.rsplit('/').next()) != Some("java") {
        return Err(format!(
            "the container starts `{}`, not `java`",
            words.first().map_or("", String::as_str)
        ));
    }
    if let Some(source) = words
        .iter()
        .find(|w| w.ends_with(".java") || w.starts_with("--source"))
    {
        return Err(format!(
            "`java {source}` runs the source launcher, which needs the JDK's compiler"
        ));
    }
    let edit = swap_image(shipped, jre)?;
    Ok(Fix::unsafe_edit(
        format!("Run on the JRE `{}`", jre.reference()),
        vec![edit],
    ))
}
