#!/usr/bin/env bash
# Tests .pre-commit-hooks.yaml with the real pre-commit: `pre-commit try-repo` this repository
# against a throwaway git repository, for both hooks.
#
#   scripts/test-pre-commit.sh [PRE_COMMIT]
#
# PRE_COMMIT is the pre-commit executable (default: `pre-commit` on PATH); without one the
# test is skipped, saying so. pre-commit builds the hook with `cargo install` (the hooks are
# `language: rust`): cargo runs offline from the local registry cache, and into a target
# directory kept under target/ so that later runs only rebuild dlint itself.
set -euo pipefail
shopt -s inherit_errexit 2>/dev/null || true

repo="$(cd "$(dirname "$0")/.." && pwd)"
pre_commit="${1:-$(command -v pre-commit || true)}"
if [ -z "$pre_commit" ] || ! "$pre_commit" --version >/dev/null 2>&1; then
  echo "pre-commit test: skipped (no pre-commit)"
  exit 0
fi
case "$pre_commit" in /*) ;; */*) pre_commit="$PWD/$pre_commit" ;; esac
python="$(dirname "$pre_commit")/python"
[ -x "$python" ] || python="python3"

# 1. The files pattern, checked with Python's `re.search`, as pre-commit applies it.
"$python" - "$repo/.pre-commit-hooks.yaml" <<'PY'
import re, sys, yaml
hooks = {h["id"]: h for h in yaml.safe_load(open(sys.argv[1]))}
assert set(hooks) == {"dlint", "dlint-fix"}, hooks.keys()
match = ["Dockerfile", "svc/Dockerfile", "Dockerfile.dev", "a/b/Dockerfile.prod.arm64",
         "app.Dockerfile", "ci/app.dockerfile", "Containerfile", "x/Containerfile.debug"]
skip = ["README.md", "Dockerfile/README.md", "notes/Dockerfiles.txt", "MyDockerfile",
        "dockerfile", "docs/dockerfile.md", ".dockerignore", "Dockerfile.d/x.sh"]
for hook in hooks.values():
    assert hook["language"] == "rust", hook
    pattern = re.compile(hook["files"])
    for name in match:
        assert pattern.search(name), (hook["id"], "should match", name)
    for name in skip:
        assert not pattern.search(name), (hook["id"], "should not match", name)
print("pre-commit test: files pattern ok")
PY

# 2. try-repo against a throwaway repository.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CARGO_NET_OFFLINE=true
export CARGO_TARGET_DIR="$repo/target/ci-tools/hook-target"
# A quick, unoptimised build is enough to test the hook (pre-commit runs `cargo install`, a
# release build, into a fresh clone each time: only dlint itself is rebuilt).
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
  CARGO_PROFILE_RELEASE_DEBUG=0 CARGO_PROFILE_RELEASE_INCREMENTAL=true CARGO_PROFILE_RELEASE_OPT_LEVEL=0
export PRE_COMMIT_HOME="$work/pre-commit-home"
export NO_COLOR=1

cd "$work"
git init -q project
cd project
git config user.email ci@example.com
git config user.name ci
mkdir -p svc
# Only safe-fixable findings: `dlint-fix` fixes them all and then passes.
printf 'FROM alpine:3.20\nRUN apk add curl=8.9.1-r0\n' > Dockerfile
printf 'FROM alpine:3.20\nRUN pip install flask==3.0.3\n' > svc/app.dockerfile
printf 'FROM alpine:3.20\nCOPY app /app\n' > Containerfile
printf 'RUN apk add curl\n' > README.md
git add -A

run() { # expected-status description args...
  local expected="$1" what="$2"
  shift 2
  local status=0
  "$pre_commit" try-repo "$repo" "$@" --all-files > "$work/out.txt" 2>&1 || status=$?
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

run 1 "dlint reports findings" dlint --verbose
expect_in_output "DL3019"
expect_in_output "DL3042"
if grep -q "README.md" "$work/out.txt"; then
  echo "pre-commit test: README.md was linted"; cat "$work/out.txt"; exit 1
fi

run 1 "dlint-fix fixes and fails because files changed" dlint-fix
expect_in_output "files were modified by this hook"
grep -q 'apk add --no-cache curl' Dockerfile
grep -q 'pip install --no-cache-dir flask' svc/app.dockerfile
grep -q 'RUN apk add curl' README.md
git add -A

run 0 "dlint-fix passes once fixed" dlint-fix
run 0 "dlint passes once fixed" dlint
echo "pre-commit test: passed"
