//! The one list of rules. Adding a rule means adding its file and one line here.

use super::cache::*;
use super::hadolint::*;
use super::image::*;
use super::meta_rules::*;
use super::musl::*;
use super::split::*;
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
        &dl1001::InlineIgnorePragma,
        &dl3000::RelativeWorkdir,
        &dl3001::PointlessCommand,
        &dl3002::RootUser,
        &dl3003::CdInsteadOfWorkdir,
        &dl3004::SudoInRun,
        &dl3006::UntaggedImage,
        &dl3007::LatestTag,
        &dl3026::UntrustedRegistry,
        &dl3008::AptUnpinned,
        &dl3009::AptListsNotDeleted,
        &dl3010::CopyThenExtract,
        &dl3011::InvalidPort,
        &dl3012::MultipleHealthchecks,
        &dl3013::PipUnpinned,
        &dl3014::AptGetWithoutYes,
        &dl3015::AptNoInstallRecommends,
        &dl3016::NpmUnpinned,
        &dl3018::ApkUnpinned,
        &dl3019::ApkNoCache,
        &dl3020::AddInsteadOfCopy,
        &dl3021::CopyDestNotDirectory,
        &dl3025::ShellFormCmd,
        &dl3027::AptInsteadOfAptGet,
        &dl3028::GemUnpinned,
        &dl3029::FromPlatform,
        &dl3030::YumWithoutYes,
        &dl3022::CopyFromUnknownStage,
        &dl3023::CopyFromOwnStage,
        &dl3024::DuplicateStageName,
        &dl3032::YumCleanAll,
        &dl3033::YumUnpinned,
        &dl3034::ZypperInteractive,
        &dl3035::ZypperDistUpgrade,
        &dl3036::ZypperClean,
        &dl3037::ZypperUnpinned,
        &dl3038::DnfWithoutYes,
        &dl3040::DnfCleanAll,
        &dl3041::DnfUnpinned,
        &dl3042::PipNoCacheDir,
        &dl3043::InvalidOnbuildTrigger,
        &dl3044::EnvSelfReference,
        &dl3045::CopyRelativeWithoutWorkdir,
        &dl3046::UseraddHighUid,
        &dl3047::WgetProgress,
        &dl3048::InvalidLabelKey,
        &dl3049::MissingLabel,
        &dl3050::SuperfluousLabel,
        &dl3051::EmptyLabel,
        &dl3052::LabelNotUrl,
        &dl3053::LabelNotRfc3339,
        &dl3054::LabelNotSpdx,
        &dl3055::LabelNotGitHash,
        &dl3056::LabelNotSemver,
        &dl3057::MissingHealthcheck,
        &dl3058::LabelNotEmail,
        &dl3059::ConsecutiveRuns,
        &dl3060::YarnCacheClean,
        &dl3061::InstructionBeforeFrom,
        &dl3062::GoUnpinned,
        &dl3063::ReservedStageName,
        &dl3064::SecretInArgOrEnv,
        &dl3065::RedundantTargetPlatform,
        &dl3066::NonNumericUser,
        &dl4000::MaintainerDeprecated,
        &dl4001::WgetAndCurl,
        &dl4003::MultipleCmd,
        &dl4004::MultipleEntrypoint,
        &dl4005::LnBinSh,
        &dl4006::PipeWithoutPipefail,
        &dl3067::CopyWholeFilesystem,
        &img001::HeavyBaseImage,
        &img002::SdkImageInRuntime,
        &img003::DebugVariantInRuntime,
        &img004::DeprecatedImage,
        &sup001::UnusedSuppression,
        &stg001::BuildInRuntimeStage,
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
