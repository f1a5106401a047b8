//! Base image choice: heavy, SDK, debug, deprecated, untagged and `latest` images.

pub(crate) mod common;
pub(crate) mod jre_swap;
pub(crate) mod provides;

pub mod dl3006;
pub mod dl3007;
pub mod dl3026;
pub mod img001;
pub mod img002;
pub mod img003;
pub mod img004;
