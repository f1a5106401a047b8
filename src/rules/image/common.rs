//! What the base-image rules share: the shipped bases with their knowledge, and edits that
//! swap an image while keeping ARG references intact.

use crate::fix::Edit;
use crate::knowledge::{ImageInfo, Suggestion};
use crate::rules::Context;
use crate::semantic::{Base, ImageRef};

/// A FROM with an external image that ships in the final image (the root of the runtime
/// stage's FROM chain).
pub(crate) struct ShippedBase<'a> {
    /// The stage whose FROM names the image.
    pub stage: usize,
    pub base: &'a Base,
    pub image: &'a ImageRef,
    pub info: &'a ImageInfo,
}

/// The external bases whose filesystem reaches the final image, with what the knowledge base
/// knows about them. Unresolved images (unknown ARGs) are skipped: dlint never guesses.
pub(crate) fn shipped_bases<'a>(ctx: &'a Context<'_>) -> Vec<ShippedBase<'a>> {
    bases(ctx, |stage| ctx.ships(stage))
}

/// Every external base of the file (all stages), with its knowledge.
pub(crate) fn all_bases<'a>(ctx: &'a Context<'_>) -> Vec<ShippedBase<'a>> {
    bases(ctx, |_| true)
}

fn bases<'a>(ctx: &'a Context<'_>, keep: impl Fn(usize) -> bool) -> Vec<ShippedBase<'a>> {
    ctx.model
        .stages
        .iter()
        .filter(|s| keep(s.index))
        .filter_map(|s| {
            let base = s.base.as_ref()?;
            let image = base.resolved.as_ref()?;
            let info = ctx.base_info(s.index)?;
            Some(ShippedBase {
                stage: s.index,
                base,
                image,
                info,
            })
        })
        .collect()
}

/// An edit turning the FROM's image into `suggestion`, touching as little as possible:
/// when the image is written literally the reference is replaced; when it uses ARGs
/// (`python:${PY}`) and the suggestion only appends to the resolved text (`-slim`), the
/// suffix is appended so the ARG keeps working. `Err` says why there is no such edit: a
/// digest pins the current image, and dlint cannot know the digest of the new one, so a
/// pinned FROM is never rewritten (dropping the pin silently would unpin the build).
pub(crate) fn swap_image(
    shipped: &ShippedBase<'_>,
    suggestion: &Suggestion,
) -> Result<Edit, String> {
    let base = shipped.base;
    let current = strip_digest(&shipped.image.to_string());
    let wanted = suggestion.reference();
    if let Some(digest) = &shipped.image.digest {
        let short: String = digest.chars().take(19).collect();
        return Err(format!(
            "`@{short}…` pins the current image: pin the digest of `{wanted}` yourself"
        ));
    }
    if !base.raw.contains('$') {
        return Ok(Edit::replace(base.span.clone(), wanted));
    }
    let unwritable = || {
        format!(
            "`{}` cannot become `{wanted}` by keeping its ARGs",
            base.raw
        )
    };
    let suffix = wanted.strip_prefix(&current).ok_or_else(unwritable)?;
    if suffix.is_empty() {
        return Err(unwritable());
    }
    Ok(Edit::insert(base.span.end, suffix.to_string()))
}

fn strip_digest(reference: &str) -> String {
    reference.split('@').next().unwrap_or(reference).to_string()
}

/// Bytes saved going from the current image to the suggestion, when both sizes are known.
pub(crate) fn saving(suggestion: &Suggestion) -> Option<u64> {
    let change = suggestion.size_change.as_ref()?;
    let saved = change.from.megabytes - change.to.megabytes;
    (saved > 0.0).then_some((saved * 1e6) as u64)
}

/// `python:3.12 (~411 MB) → python:3.12-slim (~43 MB compressed)`, sizes when known.
pub(crate) fn describe_swap(shipped: &ShippedBase<'_>, suggestion: &Suggestion) -> String {
    match &suggestion.size_change {
        Some(change) => format!(
            "{} ({}) → {} ({} {})",
            strip_digest(&shipped.image.to_string()),
            change.from.human(),
            suggestion.reference(),
            change.to.human(),
            change.to.measure.describe()
        ),
        None => format!(
            "{} → {}",
            strip_digest(&shipped.image.to_string()),
            suggestion.reference()
        ),
    }
}
