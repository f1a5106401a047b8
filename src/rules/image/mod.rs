//! Base image choice: heavy, SDK, debug, deprecated, untagged and `latest` images.

pub(crate) mod common;
pub(crate) mod jre_swap;
pub(crate) mod provides;

pub mod debug_variant_in_runtime;
pub mod deprecated_image;
pub mod heavy_base_image;
pub mod latest_tag;
pub mod sdk_image_in_runtime;
pub mod untagged_image;
pub mod untrusted_registry;
