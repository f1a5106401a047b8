//! Libc compatibility on musl (Alpine): native packages, glibc-only downloads, compilers.
