# dlint's container image: the static binary alone in an empty image, run as a non-root user.
#
#   docker build -t dlint .
#   docker run --rm -v "$PWD:/src" dlint .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/src" dlint --fix .
#
# `--user` makes `--fix` write as the caller, so fixed files keep their owner. The image has
# no ShellCheck: the SC rules run only where a `shellcheck` binary is found.

# build compiles the static binary.
FROM rust:1.85-slim AS build
WORKDIR /build
COPY . .
# Static (glibc with crt-static) at a fixed address: the binary needs nothing from the image it
# runs in, and no relocations at start. The caches keep the registry and the build between
# image builds on one machine.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/build/target \
    target="$(uname -m)-unknown-linux-gnu" \
    && RUSTFLAGS="-C target-feature=+crt-static -C relocation-model=static" \
        cargo build --release --locked --target "$target" --bin dlint \
    && cp "target/$target/release/dlint" /usr/local/bin/dlint

FROM scratch
COPY --from=build /usr/local/bin/dlint /usr/local/bin/dlint
# dlint makes no network calls today; the certificates (~200 kB) keep any TLS call working.
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
ENV PATH=/usr/local/bin
USER 65532:65532
WORKDIR /src
# A linter runs and exits: there is no service to check.
HEALTHCHECK NONE
ENTRYPOINT ["dlint"]
