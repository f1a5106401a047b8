use crate::declare_rule;
use crate::knowledge::Libc;
use crate::rules::buildcheck::common::{parse_platform, var_refs};
use crate::rules::{Check, Context, Source, Violation};

declare_rule! {
    /// ## What it does
    /// Flags a `FROM --platform=<constant>` whose operating system cannot be the base
    /// image's: a Windows image (`mcr.microsoft.com/windows/servercore`, `nanoserver`, or
    /// what the knowledge base lists as Windows) with a non-Windows platform, or an image
    /// the knowledge base knows as a Linux one (glibc or musl) with `--platform=windows/…`.
    /// Docker's build check `InvalidBaseImagePlatform`
    /// (<https://docs.docker.com/go/dockerfile/rule/invalid-base-image-platform/>).
    ///
    /// BuildKit runs this check on the image it pulled, comparing the platform it got with
    /// the one asked for (operating system and architecture). dlint does not pull images,
    /// so it reports only what is certain without one: an operating-system mismatch between
    /// a constant `--platform` and an image whose operating system its name or the knowledge
    /// base gives. Architecture mismatches, multi-platform manifests without the requested
    /// platform, and platforms given through variables are not checked.
    ///
    /// ## Why is this bad?
    /// No Windows image runs on Linux and no Linux image on Windows: the pull fails or
    /// resolves to nothing usable for the requested platform.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=linux/amd64 mcr.microsoft.com/windows/nanoserver:ltsc2022
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM --platform=windows/amd64 mcr.microsoft.com/windows/nanoserver:ltsc2022
    /// ```
    ///
    /// ## Fix safety
    /// No fix: either the platform or the image is wrong, and only the author knows which.
    pub struct InvalidBaseImagePlatform {
        code: "BK014",
        name: "invalid-base-image-platform",
        family: BuildCheck,
        severity: Warning,
        fix: None,
        sources: [Source::BuildKit("InvalidBaseImagePlatform")],
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Os {
    Linux,
    Windows,
}

/// The operating system of the base image, when its name or the knowledge base says.
fn image_os(ctx: &Context<'_>, image: &crate::semantic::ImageRef) -> Option<Os> {
    let text = image.to_string().to_ascii_lowercase();
    if ["windows", "nanoserver", "servercore"]
        .iter()
        .any(|w| text.contains(w))
    {
        return Some(Os::Windows);
    }
    let info = ctx
        .knowledge()
        .classify(&image.repository, image.tag.as_deref())?;
    match info.libc {
        Libc::Windows => Some(Os::Windows),
        Libc::Glibc | Libc::Musl => Some(Os::Linux),
        Libc::None | Libc::Unknown => None,
    }
}

impl Check for InvalidBaseImagePlatform {
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Violation>) {
        let escape = ctx.tree().escape;
        for stage in &ctx.model.stages {
            let (Some(base), Some(platform)) = (&stage.base, &stage.platform) else {
                continue;
            };
            let Some(image) = base.resolved.as_ref().filter(|i| !i.is_scratch()) else {
                continue;
            };
            if !var_refs(&platform.raw, escape).is_empty() {
                continue;
            }
            let Some((os, _)) = parse_platform(&platform.raw) else {
                continue;
            };
            let wanted = if os == "windows" {
                Os::Windows
            } else {
                Os::Linux
            };
            let Some(actual) = image_os(ctx, image) else {
                continue;
            };
            if actual == wanted {
                continue;
            }
            let actual_name = match actual {
                Os::Linux => "Linux",
                Os::Windows => "Windows",
            };
            let span = ctx
                .instructions()
                .get(stage.from_instruction)
                .and_then(|i| i.flag("platform"))
                .map_or(base.span.clone(), |f| f.span.clone());
            out.push(Violation::new(
                span,
                format!(
                    "Base image {} is a {actual_name} image, but --platform asks for {:?}",
                    base.raw, platform.raw
                ),
            ));
        }
    }
}
