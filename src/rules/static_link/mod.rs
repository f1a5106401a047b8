//! Static linking for scratch and distroless static runtimes.
