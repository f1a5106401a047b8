#!/usr/bin/env bash
# The GitHub Action's install step (action.yml): the release binary of this action's version
# for the runner's platform, its checksum verified against the release's SHA256SUMS; only
# when the release has no binary for the platform, `cargo install --locked` from the action's
# source.
#
#   scripts/github-action-install.sh DIR
#
# Installs dlint into DIR (DIR/dlint, or DIR/dlint.exe on Windows) and prints `bin=DIR` to
# $GITHUB_OUTPUT. Reads RUNNER_OS and RUNNER_ARCH (as GitHub sets them) and
# DLINT_RELEASES, the base URL of the releases (default: this project's GitHub releases; a
# mirror, or a file:// directory in tests). A checksum that does not match always fails: that
# is never a reason to fall back.
set -euo pipefail
shopt -s inherit_errexit 2>/dev/null || true

dir="$1"
repo="$(cd "$(dirname "$0")/.." && pwd)"
releases="${DLINT_RELEASES:-https://github.com/dlint-dev/dlint/releases/download}"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$repo/Cargo.toml" | head -n 1)"
output="${GITHUB_OUTPUT:-/dev/null}"
mkdir -p "$dir"

case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
  Linux/X64) asset="dlint-x86_64-unknown-linux-gnu.tar.gz" ;;
  Linux/ARM64) asset="dlint-aarch64-unknown-linux-gnu.tar.gz" ;;
  macOS/X64) asset="dlint-x86_64-apple-darwin.tar.gz" ;;
  macOS/ARM64) asset="dlint-aarch64-apple-darwin.tar.gz" ;;
  Windows/X64) asset="dlint-x86_64-pc-windows-msvc.zip" ;;
  *) asset="" ;;
esac

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  else
    shasum -a 256 "$1" | cut -d ' ' -f 1
  fi
}

download() { # URL FILE: false when the URL does not exist or cannot be fetched
  curl --fail --silent --show-error --location --retry 3 --output "$2" "$1" 2>/dev/null
}

from_source() {
  echo "dlint: $1; building v$version from the action's source (cargo install --locked)"
  if ! command -v cargo >/dev/null 2>&1; then
    echo "::error title=dlint::no dlint v$version binary for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?} and cargo is not installed: add a Rust toolchain step (e.g. dtolnay/rust-toolchain@stable) before this action"
    exit 2
  fi
  cargo install --locked --path "$repo" --root "$dir/cargo"
  cp "$dir/cargo/bin/"dlint* "$dir/"
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ -z "$asset" ]; then
  from_source "no release binary for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}"
elif ! download "$releases/v$version/SHA256SUMS" "$work/SHA256SUMS" ||
  ! download "$releases/v$version/$asset" "$work/$asset"; then
  from_source "release v$version has no $asset"
else
  expected="$(awk -v name="$asset" '$2 == name || $2 == "*" name { print $1 }' "$work/SHA256SUMS")"
  actual="$(sha256 "$work/$asset")"
  if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
    echo "::error title=dlint::checksum mismatch for $asset (v$version): expected ${expected:-no entry in SHA256SUMS}, got $actual"
    exit 2
  fi
  case "$asset" in
    *.zip) unzip -q -o "$work/$asset" -d "$work/unpacked" ;;
    *) mkdir -p "$work/unpacked" && tar -xzf "$work/$asset" -C "$work/unpacked" ;;
  esac
  find "$work/unpacked" -type f \( -name dlint -o -name dlint.exe \) -exec cp {} "$dir/" \;
  echo "dlint: installed v$version from $asset (sha256 $actual)"
fi
chmod +x "$dir/"dlint* 2>/dev/null || true
"$dir/dlint" --version
echo "bin=$dir" >> "$output"
