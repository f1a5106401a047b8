//! hadolint's `DL` rules that are not about caches or base images, ported with their codes,
//! meanings and default severities.

pub(crate) mod common;

pub mod dl3000;
pub mod dl3001;
pub mod dl3002;
pub mod dl3003;
pub mod dl3004;
pub mod dl3008;
pub mod dl3010;
pub mod dl3011;
pub mod dl3012;
pub mod dl3013;
pub mod dl3014;
pub mod dl3016;
pub mod dl3018;
pub mod dl3020;
pub mod dl3021;
pub mod dl3025;
pub mod dl3027;
pub mod dl3028;
pub mod dl3029;
pub mod dl3030;
pub mod dl3033;
pub mod dl3034;
pub mod dl3035;
pub mod dl3037;
pub mod dl3038;
pub mod dl3041;
pub mod dl3043;
pub mod dl3044;
pub mod dl3045;
pub mod dl3046;
pub mod dl3047;
pub mod dl3048;
pub mod dl3057;
pub mod dl3059;
pub mod dl3061;
pub mod dl3062;
pub mod dl3063;
pub mod dl4000;
pub mod dl4001;
pub mod dl4006;
