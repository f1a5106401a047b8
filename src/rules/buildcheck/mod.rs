//! Docker's build checks (`docker build --check`), one file per check, codes `BK001`…`BK022`
//! in the order of Docker's table. Each keeps Docker's name as its source, so
//! `JSONArgsRecommended`, `json-args-recommended` and `BK007` all name the same rule, and
//! BuildKit's `# check=skip=…` directive silences it.

pub(crate) mod common;
pub(crate) mod dockerignore;

pub mod consistent_instruction_casing;
pub mod copy_ignored_file;
pub mod duplicate_stage_name;
pub mod expose_invalid_format;
pub mod expose_proto_casing;
pub mod from_as_casing;
pub mod from_platform_flag_const_disallowed;
pub mod invalid_base_image_platform;
pub mod invalid_default_arg_in_from;
pub mod invalid_definition_description;
pub mod json_args_recommended;
pub mod legacy_key_value_format;
pub mod maintainer_deprecated;
pub mod multiple_instructions_disallowed;
pub mod no_empty_continuation;
pub mod redundant_target_platform;
pub mod reserved_stage_name;
pub mod secrets_used_in_arg_or_env;
pub mod stage_name_casing;
pub mod undefined_arg_in_from;
pub mod undefined_var;
pub mod workdir_relative_path;
