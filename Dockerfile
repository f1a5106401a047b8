# dlint's container image: the static binary alone in an empty image, run as a non-root user.
#
#   docker build -t dlint .
#   docker run --rm -v "$PWD:/src" dlint .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/src" dlint --fix .
#
# `--user` makes `--fix` write as the caller, so fixed files keep their owner. The image has
# no ShellCheck: the SC rules run only where a `shellcheck` binary is found.
FROM rust:1.85-slim AS build
WORKDIR /build
COPY . .
# Static (glibc with crt-static): the binary needs nothing from the image it runs in. The
# caches keep the registry and the build between image builds on one machine.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/build/target \
    target="$(uname -m)-unknown-linux-gnu" \
    && RUSTFLAGS="-C target-feature=+crt-static" \
        cargo build --release --locked --target "$target" --bin dlint \
    && cp "target/$target/release/dlint" /usr/local/bin/dlint

FROM scratch
COPY --from=build /usr/local/bin/dlint /usr/local/bin/dlint
ENV PATH=/usr/local/bin
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["dlint"]
