#!/bin/sh
# Packages the extension as a .vsix with the dlint binary inside (bin/dlint), so that it
# works without dlint on PATH:
#   scripts/package.sh [path/to/dlint] [output.vsix]
# The binary defaults to the repository's target/release/dlint (`cargo build --release`).
set -eu
cd "$(dirname "$0")/.."
binary="${1:-../../target/release/dlint}"
output="${2:-dlint-$(node -p 'require("./package.json").version').vsix}"
if [ ! -x "$binary" ]; then
  echo "package.sh: no dlint binary at $binary (cargo build --release, or pass its path)" >&2
  exit 2
fi
rm -rf bin
mkdir -p bin
cp "$binary" bin/dlint
chmod 755 bin/dlint
[ -d node_modules/vscode-languageclient ] || npm ci --no-audit --no-fund --loglevel=error
npm run --silent compile
# vsce comes from $VSCE (the CI's cached install) or npx.
if [ -n "${VSCE:-}" ]; then
  "$VSCE" package --out "$output"
else
  npx --yes @vscode/vsce@3.6.0 package --out "$output"
fi
echo "package.sh: $output (bundles $(./bin/dlint --version 2>/dev/null || echo dlint))"
