#!/usr/bin/env bash
# Tests the pre-commit hooks with the real pre-commit: `pre-commit try-repo` against a
# throwaway git repository, for each kind of hook.
#
#   scripts/test-pre-commit.sh [--no-source] [--wheels DIR] [--image IMAGE] [PRE_COMMIT]
#
# - source (default; --no-source skips it): .pre-commit-hooks.yaml's `language: rust` hooks.
#   pre-commit builds them with `cargo install`: cargo runs offline from the local registry
#   cache, into a target directory kept under target/ so that later runs only rebuild dlint.
# - --wheels DIR: the `language: python` hooks of packaging/pre-commit (the mirror repository),
#   with DIR served on 127.0.0.1 as the package index standing in for PyPI: a PEP 503 simple
#   index built from the wheels in DIR (dlint-dockerfile's, and those it and the mirror need).
#   The first run (environment made, wheels installed, hooks run) is timed.
# - --image IMAGE: the `language: docker_image` hooks, IMAGE tagged as the name they use.
#
# PRE_COMMIT is the pre-commit executable (default: `pre-commit` on PATH); without one the
# test is skipped, saying so.
set -euo pipefail
shopt -s inherit_errexit 2>/dev/null || true

repo="$(cd "$(dirname "$0")/.." && pwd)"
source_hooks=1
wheels=""
image=""
while [ $# -gt 0 ]; do
  case "$1" in
    --no-source) source_hooks=0 ;;
    --wheels) wheels="$(cd "$2" && pwd)"; shift ;;
    --image) image="$2"; shift ;;
    *) break ;;
  esac
  shift
done
pre_commit="${1:-$(command -v pre-commit || true)}"
if [ -z "$pre_commit" ] || ! "$pre_commit" --version >/dev/null 2>&1; then
  echo "pre-commit test: skipped (no pre-commit)"
  exit 0
fi
case "$pre_commit" in /*) ;; */*) pre_commit="$PWD/$pre_commit" ;; esac
python="$(dirname "$pre_commit")/python"
[ -x "$python" ] || python="python3"

# 1. The files pattern, checked with Python's `re.search`, as pre-commit applies it.
"$python" - "$repo/.pre-commit-hooks.yaml" "$repo/packaging/pre-commit/.pre-commit-hooks.yaml" \
  "$repo/packaging/pre-commit/pyproject.toml" "$repo/Cargo.toml" <<'PY'
import re, sys, yaml
main = {h["id"]: h for h in yaml.safe_load(open(sys.argv[1]))}
mirror = {h["id"]: h for h in yaml.safe_load(open(sys.argv[2]))}
languages = {"dlint": "rust", "dlint-fix": "rust", "dlint-docker": "docker_image",
             "dlint-fix-docker": "docker_image"}
assert {k: h["language"] for k, h in main.items()} == languages, main
assert {k: h["language"] for k, h in mirror.items()} == {"dlint": "python", "dlint-fix": "python"}
version = re.search(r'^version = "(.*)"$', open(sys.argv[4]).read(), re.M).group(1)
for hook in main.values():
    if hook["language"] == "docker_image":
        assert hook["entry"].startswith(f"ghcr.io/dlint-dev/dlint:{version} "), hook
mirror_project = open(sys.argv[3]).read()
assert f'version = "{version}"' in mirror_project, "the mirror's version is not dlint's"
assert f'"dlint-dockerfile=={version}"' in mirror_project, "the mirror pins another dlint"
hooks = {**main, **{"mirror " + k: h for k, h in mirror.items()}}
match = ["Dockerfile", "svc/Dockerfile", "Dockerfile.dev", "a/b/Dockerfile.prod.arm64",
         "app.Dockerfile", "ci/app.dockerfile", "Containerfile", "x/Containerfile.debug"]
skip = ["README.md", "Dockerfile/README.md", "notes/Dockerfiles.txt", "MyDockerfile",
        "dockerfile", "docs/dockerfile.md", ".dockerignore", "Dockerfile.d/x.sh"]
for hook in hooks.values():
    pattern = re.compile(hook["files"])
    for name in match:
        assert pattern.search(name), (hook["id"], "should match", name)
    for name in skip:
        assert not pattern.search(name), (hook["id"], "should not match", name)
print("pre-commit test: files pattern, languages and versions ok")
PY

# 2. try-repo against a throwaway repository.
work="$(mktemp -d)"
server=""
cleanup() {
  [ -z "$server" ] || kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export PRE_COMMIT_HOME="$work/pre-commit-home"
export NO_COLOR=1

cd "$work"
git init -q project
cd project
git config user.email ci@example.com
git config user.name ci

# Only safe-fixable findings: `dlint-fix` fixes them all and then passes.
reset_project() {
  git rm -rq --cached . >/dev/null 2>&1 || true
  rm -rf ./*
  mkdir -p svc
  printf 'FROM alpine:3.20\nRUN apk add curl=8.9.1-r0\n' > Dockerfile
  printf 'FROM alpine:3.20\nRUN pip install flask==3.0.3\n' > svc/app.dockerfile
  printf 'FROM alpine:3.20\nCOPY app /app\n' > Containerfile
  printf 'RUN apk add curl\n' > README.md
  git add -A
}

run() { # hook-repo expected-status description args...
  local hooks="$1" expected="$2" what="$3"
  shift 3
  local status=0
  "$pre_commit" try-repo "$hooks" "$@" --all-files > "$work/out.txt" 2>&1 || status=$?
  if [ "$status" -ne "$expected" ]; then
    echo "pre-commit test: $what: exit $status, expected $expected"
    cat "$work/out.txt"
    exit 1
  fi
  echo "pre-commit test: $what: ok (exit $status)"
}
expect_in_output() {
  if ! grep -q -- "$1" "$work/out.txt"; then
    echo "pre-commit test: missing from the output: $1"
    cat "$work/out.txt"
    exit 1
  fi
}

check_hooks() { # hook-repo lint-id fix-id label
  local hooks="$1" lint="$2" fix="$3" label="$4"
  reset_project
  run "$hooks" 1 "$label: $lint reports findings" "$lint" --verbose
  expect_in_output "DL3019"
  expect_in_output "DL3042"
  if grep -q "README.md" "$work/out.txt"; then
    echo "pre-commit test: README.md was linted"; cat "$work/out.txt"; exit 1
  fi
  run "$hooks" 1 "$label: $fix fixes and fails because files changed" "$fix"
  expect_in_output "files were modified by this hook"
  grep -q 'apk add --no-cache curl' Dockerfile
  grep -q 'pip install --no-cache-dir flask' svc/app.dockerfile
  grep -q 'RUN apk add curl' README.md
  # Fixed files keep their owner (the image runs as the committer).
  if [ "$(stat -c %u Dockerfile)" != "$(id -u)" ]; then
    echo "pre-commit test: $label: the fixed Dockerfile changed owner"; exit 1
  fi
  git add -A
  run "$hooks" 0 "$label: $fix passes once fixed" "$fix"
  run "$hooks" 0 "$label: $lint passes once fixed" "$lint"
}

if [ "$source_hooks" = 1 ]; then
  (
    export CARGO_NET_OFFLINE=true
    export CARGO_TARGET_DIR="$repo/target/ci-tools/hook-target"
    # A quick, unoptimised build is enough to test the hook (pre-commit runs `cargo install`,
    # a release build, into a fresh clone each time: only dlint itself is rebuilt).
    export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      CARGO_PROFILE_RELEASE_DEBUG=0 CARGO_PROFILE_RELEASE_INCREMENTAL=true \
      CARGO_PROFILE_RELEASE_OPT_LEVEL=0
    check_hooks "$repo" dlint dlint-fix "source"
  )
fi

if [ -n "$image" ]; then
  name="$(sed -n 's/^  entry: \(ghcr.io[^ ]*\) check$/\1/p' "$repo/.pre-commit-hooks.yaml" | head -n 1)"
  docker tag "$image" "$name"
  check_hooks "$repo" dlint-docker dlint-fix-docker "image $name"
fi

if [ -n "$wheels" ]; then
  # A PEP 503 simple index of DIR's wheels, served on 127.0.0.1.
  index="$work/index"
  "$python" - "$wheels" "$index" <<'PY'
import pathlib, re, shutil, sys
wheels, index = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
projects = {}
for wheel in sorted(wheels.glob("*.whl")):
    project = re.sub(r"[-_.]+", "-", wheel.name.split("-")[0]).lower()
    projects.setdefault(project, []).append(wheel.name)
    (index / project).mkdir(parents=True, exist_ok=True)
    shutil.copy(wheel, index / project / wheel.name)
for project, files in projects.items():
    links = "".join(f'<a href="{f}">{f}</a>\n' for f in files)
    (index / project / "index.html").write_text(f"<!DOCTYPE html>\n<html><body>\n{links}</body></html>\n")
links = "".join(f'<a href="{p}/">{p}</a>\n' for p in projects)
(index / "index.html").write_text(f"<!DOCTYPE html>\n<html><body>\n{links}</body></html>\n")
print("pre-commit test: local index:", ", ".join(sorted(projects)))
PY
  port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  "$python" -m http.server --bind 127.0.0.1 --directory "$index" "$port" >/dev/null 2>&1 &
  server=$!
  for _ in $(seq 50); do
    curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break
    sleep 0.1
  done
  # The mirror as its own repository, as pre-commit would clone it.
  mirror="$work/mirror"
  cp -r "$repo/packaging/pre-commit" "$mirror"
  git -C "$mirror" init -q
  git -C "$mirror" add -A
  git -C "$mirror" -c user.email=ci@example.com -c user.name=ci commit -qm mirror
  export PIP_INDEX_URL="http://127.0.0.1:$port/" PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
  unset PIP_EXTRA_INDEX_URL PIP_FIND_LINKS
  reset_project
  start="$(date +%s.%N)"
  run "$mirror" 1 "wheel: first run (installs the hook from the index)" dlint
  expect_in_output "DL3019"
  first="$("$python" -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$start" "$(date +%s.%N)")"
  echo "pre-commit test: wheel: first run took ${first}s (environment, wheels, hooks)"
  if "$python" -c "import sys; sys.exit(float(sys.argv[1]) < 60)" "$first"; then
    echo "pre-commit test: wheel: the first run took ${first}s, the budget is 60s"
    exit 1
  fi
  check_hooks "$mirror" dlint dlint-fix "wheel"
fi
echo "pre-commit test: passed"
