#!/usr/bin/env bash
# Confirms dlint's reject cases (tests/conformance/rejects) with a real BuildKit, and that
# the corpus files dlint accepts are accepted by it.
#
# The BuildKit is Debian's: trixie's golang-github-docker-docker-dev ships the BuildKit
# sources Docker 26.1 vendors (BuildKit 0.13). tests/buildkit-oracle/main.go runs its parser,
# instruction reader and converter (dockerfile2llb) on each file, with images "resolved"
# offline, so nothing is pulled. The .deb files are only unpacked into the cache (never
# installed), with Go 1.24 from the same release; GOPATH mode, no module proxy.
#
# Cases whose 0.13 wording differs from the master messages in the .expected files, and cases
# 0.13 is too old to know, are listed in tests/buildkit-oracle/buildkit-0.13.tsv: each is
# printed, none is skipped silently. Cache: /var/cache/dlint-buildkit (outside the clone).
set -euo pipefail
shopt -s inherit_errexit 2>/dev/null || true

cache="${DLINT_BUILDKIT_CACHE:-/var/cache/dlint-buildkit}"
here=tests/buildkit-oracle
cases=tests/conformance/rejects
record="$here/buildkit-0.13.tsv"
corpus=../shared/corpus/real
suite=trixie
expected_docker=26.1.

mkdir -p "$cache/apt/lists/partial" "$cache/gocache"
echo "deb http://deb.debian.org/debian $suite main" >"$cache/apt/sources.list"
apt_opts=(
  -o "Dir::Etc::sourcelist=$cache/apt/sources.list" -o Dir::Etc::sourceparts=/dev/null
  -o "Dir::State::Lists=$cache/apt/lists" -o "Dir::Cache=$cache/apt/cache"
  -o APT::Sandbox::User=root -o Debug::NoLocking=1
)
packages_key="$(sha256sum "$here/debian-packages.txt" | cut -c1-16)"
root="$cache/root-$packages_key"
if [ ! -f "$root/.complete" ]; then
  echo "buildkit-rejects: fetching $(wc -l <"$here/debian-packages.txt") Debian $suite packages"
  if ! apt-get "${apt_opts[@]}" update -qq; then
    echo "buildkit-rejects: skipped: the Debian $suite archive cannot be reached"
    exit 0
  fi
  rm -rf "$cache/debs" "$root" "$cache"/root-* && mkdir -p "$cache/debs" "$root" "$cache/apt/cache/archives/partial"
  mapfile -t packages <"$here/debian-packages.txt"
  (cd "$cache/debs" && apt-get "${apt_opts[@]}" download -qq "${packages[@]}")
  for deb in "$cache"/debs/*.deb; do dpkg-deb -x "$deb" "$root"; done
  dpkg-deb -f "$cache"/debs/golang-github-docker-docker-dev_*.deb Version >"$root/.docker-version"
  rm -rf "$cache/debs" "$cache/apt/cache"
  touch "$root/.complete"
fi
docker_version="$(cat "$root/.docker-version")"
echo "buildkit-rejects: BuildKit 0.13 as vendored by Docker $docker_version (Debian $suite)"
if [[ "$docker_version" != "$expected_docker"* ]]; then
  echo "buildkit-rejects: FAILED: Debian now ships Docker $docker_version, not $expected_docker*:"
  echo "  record its BuildKit's messages in a new tests/buildkit-oracle/buildkit-<version>.tsv"
  exit 1
fi

oracle_key="$(cat "$here/main.go" "$here/debian-packages.txt" | sha256sum | cut -c1-16)"
oracle="$cache/oracle-$oracle_key"
if [ ! -x "$oracle" ]; then
  echo "buildkit-rejects: building the oracle"
  GOROOT="$root/usr/lib/go-1.24" GOPATH="$root/usr/share/gocode" GO111MODULE=off GOFLAGS= \
    GOTOOLCHAIN=local GOCACHE="$cache/gocache" \
    "$root/usr/lib/go-1.24/bin/go" build -o "$oracle.tmp" "$here/main.go"
  mv "$oracle.tmp" "$oracle"
fi

command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3 >/dev/null; }
dlint="${CARGO_TARGET_DIR:-target}/debug/dlint"
[ -x "$dlint" ] || cargo build --quiet --bin dlint
dlint="$(realpath "$dlint")"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$oracle" "$cases"/*.Dockerfile >"$work/cases.tsv"
if [ -d "$corpus" ]; then
  (cd "$corpus" && find . -type f | sort | sed 's|^\./||' | xargs "$oracle") |
    sed 's|^|corpus/real/|' >"$work/corpus.tsv"
  (cd "$corpus" && find . -type f | sort | xargs "$dlint" check --isolated \
    --shellcheck never --format json --select REJ,DL1000,DL3011,DL3023,DL3043,DL3061) \
    >"$work/dlint.json" || true
else
  echo "buildkit-rejects: $corpus is absent: only the reject cases are checked"
  : >"$work/corpus.tsv"
  echo '{"findings": []}' >"$work/dlint.json"
fi

python3 - "$cases" "$record" "$work/cases.tsv" "$work/corpus.tsv" "$work/dlint.json" <<'PY'
import json, sys, os
cases_dir, record_path, cases_out, corpus_out, dlint_json = sys.argv[1:]

record = {}
for line in open(record_path, encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    name, verdict, text, why = line.rstrip("\n").split("\t")
    record[name] = (verdict, text, why)

def read(path):
    out = {}
    for line in open(path, encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        out[parts[0]] = (parts[1], parts[2] if len(parts) > 2 else "")
    return out

passed = failed = 0
used = set()
def ok(msg):
    global passed
    passed += 1
    print(f"buildkit-rejects: ok: {msg}")
def fail(msg):
    global failed
    failed += 1
    print(f"buildkit-rejects: FAILED: {msg}")

def judge(name, verdict, message, expected):
    """expected: the master message, or None when BuildKit must accept the file."""
    rec = record.get(name)
    if rec:
        used.add(name)
        want, text, why = rec
        if want == "accepts":
            if verdict == "ok":
                print(f"buildkit-rejects: not confirmable with BuildKit 0.13: {name} ({why})")
            else:
                fail(f"{name}: recorded as accepted by 0.13 but it says: {message}")
            return
        if verdict == "error" and text in message:
            ok(f"{name} rejected with 0.13's wording ({why})")
        else:
            fail(f"{name}: expected 0.13 to say `{text}`, got {verdict} {message}")
        return
    if expected is None:
        if verdict == "ok":
            return True
        if "should not be blank" in message:
            print(f"buildkit-rejects: depends on build arguments: {name}: {message}")
            return
        fail(f"{name}: dlint reports no rejection, BuildKit says: {message}")
        return
    if verdict == "error" and expected in message:
        ok(f"{name}: {expected}")
    else:
        fail(f"{name}: expected `{expected}`, BuildKit says {verdict} {message}")

for name, (verdict, message) in sorted(read(cases_out).items()):
    case = os.path.basename(name)
    expected = open(os.path.join(cases_dir, case[: -len(".Dockerfile")] + ".expected"),
                    encoding="utf-8").read().strip().split(" ", 2)[2]
    judge(case, verdict, message, expected)

flagged = {os.path.normpath(f["file"]) for f in json.load(open(dlint_json))["findings"]}
accepted = 0
for name, (verdict, message) in sorted(read(corpus_out).items()):
    rel = name[len("corpus/real/"):]
    if rel in flagged:
        # dlint reports a rejection: BuildKit must reject the file too.
        if name in record:
            judge(name, verdict, message, "")
        elif verdict == "error":
            ok(f"{name}: rejected by both")
        else:
            fail(f"{name}: dlint reports a rejection, BuildKit accepts it")
    elif judge(name, verdict, message, None):
        accepted += 1
if accepted:
    ok(f"{accepted} corpus files dlint accepts are accepted by BuildKit 0.13")
for name in sorted(set(record) - used):
    fail(f"{name} is in {record_path} but was not checked")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
