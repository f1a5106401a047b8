//! Package-manager caches left in layers: hadolint's cache rules and dlint's `CCH` rules.

pub(crate) mod common;
mod gemrc;
pub(crate) mod recommends;

pub mod cch001;
pub mod cch002;
pub mod cch003;
pub mod cch004;
pub mod cch005;
pub mod cch006;
pub mod dl3009;
pub mod dl3015;
pub mod dl3019;
pub mod dl3032;
pub mod dl3036;
pub mod dl3040;
pub mod dl3042;
pub mod dl3060;
