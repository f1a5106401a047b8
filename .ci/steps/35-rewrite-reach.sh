#!/usr/bin/env bash
# Rewrite reach (issue 17): of the STG001/IMG002/STAT001 findings on application images of the
# real-world corpus (../shared/corpus/real), the share that carries an unsafe rewrite rather
# than display-only advice. Fails below the floor the project has reached.
set -euo pipefail
shopt -s inherit_errexit 2>/dev/null || true

floor=64

if [ ! -d ../shared/corpus/real ]; then
  echo "rewrite-reach: skipped: no ../shared/corpus/real"
  exit 0
fi
command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3 >/dev/null; }
# The debug build of this commit (cargo test made it already: this is then a no-op).
cargo build --quiet --bin dlint
dlint=target/debug/dlint
echo "rewrite-reach: $dlint over ../shared/corpus/real, floor $floor %"
python3 scripts/rewrite-reach --dlint "$dlint" --check "$floor"
