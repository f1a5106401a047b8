//! The one list of rules. Adding a rule means adding its file and one line here.

use super::buildcheck::*;
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
        &bk001::StageNameCasing,
        &bk002::FromAsCasing,
        &bk003::NoEmptyContinuation,
        &bk004::ConsistentInstructionCasing,
        &bk005::DuplicateStageName,
        &bk006::ReservedStageName,
        &bk007::JsonArgsRecommended,
        &bk008::MaintainerDeprecated,
        &bk009::UndefinedArgInFrom,
        &bk010::WorkdirRelativePath,
        &bk011::UndefinedVar,
        &bk012::MultipleInstructionsDisallowed,
        &bk013::LegacyKeyValueFormat,
        &bk014::InvalidBaseImagePlatform,
        &bk015::RedundantTargetPlatform,
        &bk016::SecretsUsedInArgOrEnv,
        &bk017::InvalidDefaultArgInFrom,
        &bk018::FromPlatformFlagConstDisallowed,
        &bk019::CopyIgnoredFile,
        &bk020::InvalidDefinitionDescription,
        &bk021::ExposeProtoCasing,
        &bk022::ExposeInvalidFormat,
        &cch001::NpmCacheClean,
        &cch002::PnpmStorePrune,
        &cch003::GemNoDocument,
        &cch004::ComposerNoCache,
        &cch005::BuildCacheInRuntime,
        &cch006::CacheRemovedInLaterLayer,
        &dl1000::InvalidSyntax,
        &dl1001::InlineIgnorePragma,
        &lim001::ExpansionTooLarge,
        &lim002::NestingTooDeep,
        &rej001::UnknownInstruction,
        &rej002::InvalidFlag,
        &rej003::InvalidArguments,
        &rej004::InvalidMount,
        &rej005::InvalidSubstitution,
        &rej006::InvalidStageReference,
        &rej007::InvalidImageReference,
        &rej008::InvalidExposedPort,
        &rej009::InvalidStopSignal,
        &rej010::InvalidCopySource,
        &rej011::InvalidCheckDirective,
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
        &sup002::InvalidPurposePragma,
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

/// Looks a rule up by code, Docker build-check name (`JSONArgsRecommended`, any case) or
/// kebab-case name, case-insensitively. A kebab name shared by a hadolint rule and the build
/// check that duplicates it (`maintainer-deprecated`) finds the hadolint rule, which is the
/// one on by default; Docker's CamelCase name finds the build check.
pub fn find_rule(code_or_name: &str) -> Option<&'static dyn Rule> {
    let rules = all_rules().iter().copied();
    let query = code_or_name.trim();
    rules
        .clone()
        .find(|r| r.meta().code.eq_ignore_ascii_case(query))
        .or_else(|| {
            rules
                .clone()
                .find(|r| buildkit_name(r.meta()).is_some_and(|n| n.eq_ignore_ascii_case(query)))
        })
        .or_else(|| {
            let mut named = rules.filter(|r| r.meta().name.eq_ignore_ascii_case(query));
            let first = named.next()?;
            Some(
                std::iter::once(first)
                    .chain(named)
                    .find(|r| r.meta().family != super::Family::BuildCheck)
                    .unwrap_or(first),
            )
        })
}

/// Docker's name of a build check (`JSONArgsRecommended`), if the rule is one.
pub fn buildkit_name(meta: &super::RuleMeta) -> Option<&'static str> {
    meta.sources.iter().find_map(|s| match s {
        super::Source::BuildKit(name) => Some(*name),
        super::Source::Hadolint(_) => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_names_find_build_checks() {
        for query in [
            "JSONArgsRecommended",
            "jsonargsrecommended",
            "json-args-recommended",
            "bk007",
        ] {
            assert_eq!(
                find_rule(query).map(|r| r.meta().code),
                Some("BK007"),
                "{query}"
            );
        }
        assert_eq!(
            find_rule("MaintainerDeprecated").map(|r| r.meta().code),
            Some("BK008")
        );
        assert_eq!(
            find_rule("maintainer-deprecated").map(|r| r.meta().code),
            Some("DL4000")
        );
        assert_eq!(find_rule("DL4000").map(|r| r.meta().code), Some("DL4000"));
        assert!(find_rule("NoSuchCheck").is_none());
    }

    #[test]
    fn twenty_two_build_checks_with_docker_names() {
        let checks: Vec<_> = all_rules()
            .iter()
            .filter(|r| r.meta().family == super::super::Family::BuildCheck)
            .collect();
        assert_eq!(checks.len(), 22);
        for (i, rule) in checks.iter().enumerate() {
            let meta = rule.meta();
            assert_eq!(meta.code, format!("BK{:03}", i + 1));
            let docker = buildkit_name(meta).expect("a Docker name");
            let url = format!("https://docs.docker.com/go/dockerfile/rule/{}/", meta.name);
            assert!(meta.docs.contains(&url), "{} links {url}", meta.code);
            assert_eq!(
                meta.name.replace('-', ""),
                docker.to_ascii_lowercase(),
                "{docker}"
            );
        }
    }
}
