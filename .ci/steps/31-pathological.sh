#!/usr/bin/env bash
# Resource bombs (docs/pathological.md): every input under 1 MB must take at most 2 s and
# 256 MB in `dlint check` and `dlint server`, release build. Uses the static release binary
# step 30 built, else builds one.
set -euo pipefail

bin="target/x86_64-unknown-linux-gnu/release/dlint"
if [ ! -x "$bin" ]; then
  bin="target/release/dlint"
  echo "pathological: building the release binary"
  cargo build --release --locked --bin dlint
fi
if [ ! -x /usr/bin/time ]; then
  apt-get install -y -qq time >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq time >/dev/null 2>&1; }
fi
echo "pathological: $bin, inputs under 1 MB, bounds 2 s and 256 MB"
python3 scripts/pathological --bin "$bin" --bounded-only --check --timeout 30
