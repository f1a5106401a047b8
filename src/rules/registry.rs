//! The one list of rules. Adding a rule means adding its file and one line here.

use super::cache::*;
use super::image::*;
use super::musl::*;
use super::stage::*;
use super::static_link::*;
use super::syntax::*;
use super::Rule;

/// Every rule dlint has, in code order.
pub fn all_rules() -> &'static [&'static dyn Rule] {
    static RULES: &[&dyn Rule] = &[
        &cch001::NpmCacheClean,
        &cch002::PnpmStorePrune,
        &cch003::GemNoDocument,
        &cch004::ComposerNoCache,
        &cch005::BuildCacheInRuntime,
        &cch006::CacheRemovedInLaterLayer,
        &dl1000::InvalidSyntax,
        &dl3006::UntaggedImage,
        &dl3007::LatestTag,
        &dl3009::AptListsNotDeleted,
        &dl3015::AptNoInstallRecommends,
        &dl3019::ApkNoCache,
        &dl3022::CopyFromUnknownStage,
        &dl3023::CopyFromOwnStage,
        &dl3024::DuplicateStageName,
        &dl3032::YumCleanAll,
        &dl3036::ZypperClean,
        &dl3040::DnfCleanAll,
        &dl3042::PipNoCacheDir,
        &dl3060::YarnCacheClean,
        &dl3067::CopyWholeFilesystem,
        &img001::HeavyBaseImage,
        &img002::SdkImageInRuntime,
        &img003::DebugVariantInRuntime,
        &img004::DeprecatedImage,
        &musl001::MuslPythonNativePackage,
        &musl002::MuslNodeNativeModule,
        &musl003::MuslGlibcDownload,
        &musl004::MuslCompilersForPackages,
        &stat001::DynamicBinaryInStaticRuntime,
        &stat002::MinimalRuntimeMissing,
        &stg002::ToolchainInRuntimeStage,
        &stg003::UnusedStage,
    ];
    RULES
}

/// Looks a rule up by code or name, case-insensitively.
pub fn find_rule(code_or_name: &str) -> Option<&'static dyn Rule> {
    all_rules().iter().copied().find(|r| {
        let meta = r.meta();
        meta.code.eq_ignore_ascii_case(code_or_name) || meta.name.eq_ignore_ascii_case(code_or_name)
    })
}
