//! The one list of rules. Adding a rule means adding its file and one line here.

use super::Rule;
use super::{
    buildcheck, cache, hadolint, image, meta_rules, musl, split, stage, static_link, syntax,
};

/// Every rule dlint has, in code order.
pub fn all_rules() -> &'static [&'static dyn Rule] {
    static RULES: &[&dyn Rule] = &[
        &buildcheck::stage_name_casing::StageNameCasing,
        &buildcheck::from_as_casing::FromAsCasing,
        &buildcheck::no_empty_continuation::NoEmptyContinuation,
        &buildcheck::consistent_instruction_casing::ConsistentInstructionCasing,
        &buildcheck::duplicate_stage_name::DuplicateStageName,
        &buildcheck::reserved_stage_name::ReservedStageName,
        &buildcheck::json_args_recommended::JsonArgsRecommended,
        &buildcheck::maintainer_deprecated::MaintainerDeprecated,
        &buildcheck::undefined_arg_in_from::UndefinedArgInFrom,
        &buildcheck::workdir_relative_path::WorkdirRelativePath,
        &buildcheck::undefined_var::UndefinedVar,
        &buildcheck::multiple_instructions_disallowed::MultipleInstructionsDisallowed,
        &buildcheck::legacy_key_value_format::LegacyKeyValueFormat,
        &buildcheck::invalid_base_image_platform::InvalidBaseImagePlatform,
        &buildcheck::redundant_target_platform::RedundantTargetPlatform,
        &buildcheck::secrets_used_in_arg_or_env::SecretsUsedInArgOrEnv,
        &buildcheck::invalid_default_arg_in_from::InvalidDefaultArgInFrom,
        &buildcheck::from_platform_flag_const_disallowed::FromPlatformFlagConstDisallowed,
        &buildcheck::copy_ignored_file::CopyIgnoredFile,
        &buildcheck::invalid_definition_description::InvalidDefinitionDescription,
        &buildcheck::expose_proto_casing::ExposeProtoCasing,
        &buildcheck::expose_invalid_format::ExposeInvalidFormat,
        &cache::npm_cache_clean::NpmCacheClean,
        &cache::pnpm_store_prune::PnpmStorePrune,
        &cache::gem_no_document::GemNoDocument,
        &cache::composer_no_cache::ComposerNoCache,
        &cache::build_cache_in_runtime::BuildCacheInRuntime,
        &cache::cache_removed_in_later_layer::CacheRemovedInLaterLayer,
        &syntax::invalid_syntax::InvalidSyntax,
        &hadolint::inline_ignore_pragma::InlineIgnorePragma,
        &syntax::expansion_too_large::ExpansionTooLarge,
        &syntax::nesting_too_deep::NestingTooDeep,
        &syntax::unknown_instruction::UnknownInstruction,
        &syntax::invalid_flag::InvalidFlag,
        &syntax::invalid_arguments::InvalidArguments,
        &syntax::invalid_mount::InvalidMount,
        &syntax::invalid_substitution::InvalidSubstitution,
        &syntax::invalid_stage_reference::InvalidStageReference,
        &syntax::invalid_image_reference::InvalidImageReference,
        &syntax::invalid_exposed_port::InvalidExposedPort,
        &syntax::invalid_stop_signal::InvalidStopSignal,
        &syntax::invalid_copy_source::InvalidCopySource,
        &syntax::invalid_check_directive::InvalidCheckDirective,
        &hadolint::relative_workdir::RelativeWorkdir,
        &hadolint::pointless_command::PointlessCommand,
        &hadolint::root_user::RootUser,
        &hadolint::cd_instead_of_workdir::CdInsteadOfWorkdir,
        &hadolint::sudo_in_run::SudoInRun,
        &image::untagged_image::UntaggedImage,
        &image::latest_tag::LatestTag,
        &image::untrusted_registry::UntrustedRegistry,
        &hadolint::apt_unpinned::AptUnpinned,
        &cache::apt_lists_not_deleted::AptListsNotDeleted,
        &hadolint::copy_then_extract::CopyThenExtract,
        &hadolint::invalid_port::InvalidPort,
        &hadolint::multiple_healthchecks::MultipleHealthchecks,
        &hadolint::pip_unpinned::PipUnpinned,
        &hadolint::apt_get_without_yes::AptGetWithoutYes,
        &cache::apt_no_install_recommends::AptNoInstallRecommends,
        &hadolint::npm_unpinned::NpmUnpinned,
        &hadolint::apk_unpinned::ApkUnpinned,
        &cache::apk_no_cache::ApkNoCache,
        &hadolint::add_instead_of_copy::AddInsteadOfCopy,
        &hadolint::copy_dest_not_directory::CopyDestNotDirectory,
        &hadolint::shell_form_cmd::ShellFormCmd,
        &hadolint::apt_instead_of_apt_get::AptInsteadOfAptGet,
        &hadolint::gem_unpinned::GemUnpinned,
        &hadolint::from_platform::FromPlatform,
        &hadolint::yum_without_yes::YumWithoutYes,
        &stage::copy_from_unknown_stage::CopyFromUnknownStage,
        &stage::copy_from_own_stage::CopyFromOwnStage,
        &stage::duplicate_stage_name::DuplicateStageName,
        &cache::yum_clean_all::YumCleanAll,
        &hadolint::yum_unpinned::YumUnpinned,
        &hadolint::zypper_interactive::ZypperInteractive,
        &hadolint::zypper_dist_upgrade::ZypperDistUpgrade,
        &cache::zypper_clean::ZypperClean,
        &hadolint::zypper_unpinned::ZypperUnpinned,
        &hadolint::dnf_without_yes::DnfWithoutYes,
        &cache::dnf_clean_all::DnfCleanAll,
        &hadolint::dnf_unpinned::DnfUnpinned,
        &cache::pip_no_cache_dir::PipNoCacheDir,
        &hadolint::invalid_onbuild_trigger::InvalidOnbuildTrigger,
        &hadolint::env_self_reference::EnvSelfReference,
        &hadolint::copy_relative_without_workdir::CopyRelativeWithoutWorkdir,
        &hadolint::useradd_high_uid::UseraddHighUid,
        &hadolint::wget_progress::WgetProgress,
        &hadolint::invalid_label_key::InvalidLabelKey,
        &hadolint::missing_label::MissingLabel,
        &hadolint::superfluous_label::SuperfluousLabel,
        &hadolint::empty_label::EmptyLabel,
        &hadolint::label_not_url::LabelNotUrl,
        &hadolint::label_not_rfc_time::LabelNotRfc3339,
        &hadolint::label_not_spdx::LabelNotSpdx,
        &hadolint::label_not_git_hash::LabelNotGitHash,
        &hadolint::label_not_semver::LabelNotSemver,
        &hadolint::missing_healthcheck::MissingHealthcheck,
        &hadolint::label_not_email::LabelNotEmail,
        &hadolint::consecutive_runs::ConsecutiveRuns,
        &cache::yarn_cache_clean::YarnCacheClean,
        &hadolint::instruction_before_from::InstructionBeforeFrom,
        &hadolint::go_unpinned::GoUnpinned,
        &hadolint::reserved_stage_name::ReservedStageName,
        &hadolint::secret_in_arg_env::SecretInArgOrEnv,
        &hadolint::redundant_target_platform::RedundantTargetPlatform,
        &hadolint::non_numeric_user::NonNumericUser,
        &hadolint::maintainer_deprecated::MaintainerDeprecated,
        &hadolint::wget_and_curl::WgetAndCurl,
        &hadolint::multiple_cmd::MultipleCmd,
        &hadolint::multiple_entrypoint::MultipleEntrypoint,
        &hadolint::ln_bin_sh::LnBinSh,
        &hadolint::pipe_without_pipefail::PipeWithoutPipefail,
        &stage::copy_whole_filesystem::CopyWholeFilesystem,
        &image::heavy_base_image::HeavyBaseImage,
        &image::sdk_image_in_runtime::SdkImageInRuntime,
        &image::debug_variant_in_runtime::DebugVariantInRuntime,
        &image::deprecated_image::DeprecatedImage,
        &meta_rules::unused_suppression::UnusedSuppression,
        &meta_rules::invalid_purpose_pragma::InvalidPurposePragma,
        &split::build_in_runtime_stage::BuildInRuntimeStage,
        &musl::musl_python_native_package::MuslPythonNativePackage,
        &musl::musl_node_native_module::MuslNodeNativeModule,
        &musl::musl_glibc_download::MuslGlibcDownload,
        &musl::musl_compilers_for_packages::MuslCompilersForPackages,
        &static_link::dynamic_binary_in_static_runtime::DynamicBinaryInStaticRuntime,
        &static_link::minimal_runtime_missing::MinimalRuntimeMissing,
        &stage::toolchain_in_runtime_stage::ToolchainInRuntimeStage,
        &stage::unused_stage::UnusedStage,
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
