//! Package-manager caches left in layers: hadolint's cache rules and dlint's `CCH` rules.

pub(crate) mod common;
mod gemrc;
pub(crate) mod recommends;

pub mod apk_no_cache;
pub mod apt_lists_not_deleted;
pub mod apt_no_install_recommends;
pub mod build_cache_in_runtime;
pub mod cache_removed_in_later_layer;
pub mod composer_no_cache;
pub mod dnf_clean_all;
pub mod gem_no_document;
pub mod npm_cache_clean;
pub mod pip_no_cache_dir;
pub mod pnpm_store_prune;
pub mod yarn_cache_clean;
pub mod yum_clean_all;
pub mod zypper_clean;
