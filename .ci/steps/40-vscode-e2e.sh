#!/usr/bin/env bash
# VS Code end to end: the packaged extension (.vsix with dlint bundled) in a real VS Code
# (code-server from npm), driven by Debian's Chromium through puppeteer-core
# (editors/vscode/test/e2e/run.mjs). Screenshots: target/vscode-e2e/*.png.
# npm installs are cached outside the clone, keyed by the lockfile.
set -euo pipefail
cd "$(dirname "$0")/../.."
E2E=editors/vscode/test/e2e
SHOTS="$PWD/target/vscode-e2e"

apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1; }
}
for tool in node npm; do
  command -v "$tool" >/dev/null 2>&1 || apt_install nodejs npm || true
done
if ! command -v npm >/dev/null 2>&1; then
  echo "vscode-e2e: skipping: npm cannot be installed"
  exit 0
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != 20 ]; then
  echo "vscode-e2e: skipping: code-server 4.100.3 needs Node.js 20, this machine has $(node --version)"
  exit 0
fi
command -v chromium >/dev/null 2>&1 || apt_install chromium || true
if ! command -v chromium >/dev/null 2>&1; then
  echo "vscode-e2e: skipping: Debian's chromium cannot be installed"
  exit 0
fi
command -v rg >/dev/null 2>&1 || apt_install ripgrep
command -v make >/dev/null 2>&1 && command -v g++ >/dev/null 2>&1 || apt_install build-essential

key="$(cat "$E2E/package-lock.json" "$0" | sha256sum | cut -c1-16)"
CACHE="/var/cache/dlint-vscode/$key"
if [ ! -f "$CACHE/.ready" ]; then
  echo "vscode-e2e: installing code-server, puppeteer-core and vsce into $CACHE"
  rm -rf "$CACHE"
  mkdir -p "$CACHE"
  cp "$E2E/package.json" "$E2E/package-lock.json" "$CACHE/"
  (cd "$CACHE" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  # What code-server's postinstall does, without its downloads: VS Code's own modules, then
  # its native modules built against this Node (headers from /usr/include/node).
  vscode="$CACHE/node_modules/code-server/lib/vscode"
  (cd "$vscode" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
  (cd "$vscode/extensions" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
  [ -f /usr/include/node/node.h ] && export npm_config_nodedir=/usr
  # node-pty's install script also runs a step (compile_commands.json) that needs a download;
  # what matters is the built module, checked below.
  (cd "$vscode" && npm rebuild @parcel/watcher @vscode/spdlog @vscode/deviceid native-watchdog node-pty \
    --loglevel=error >/dev/null 2>&1) || true
  (cd "$CACHE/node_modules/argon2" && ../.bin/node-pre-gyp rebuild --build-from-source >/dev/null 2>&1)
  for module in node-pty/build/Release/pty.node @vscode/spdlog/build/Release/spdlog.node \
    native-watchdog/build/Release/watchdog.node; do
    test -f "$vscode/node_modules/$module" || { echo "vscode-e2e: $module was not built"; exit 1; }
  done
  mkdir -p "$vscode/node_modules/@vscode/ripgrep/bin"
  ln -sf "$(command -v rg)" "$vscode/node_modules/@vscode/ripgrep/bin/rg"
  ln -sfn node_modules "$vscode/node_modules.asar"
  touch "$CACHE/.ready"
fi
ln -sfn "$CACHE/node_modules" "$E2E/node_modules"

# The extension, packaged with the dlint binary of this build.
cargo build --quiet --bin dlint
mkdir -p "$SHOTS"
rm -f "$SHOTS"/*.png
VSCE="$CACHE/node_modules/.bin/vsce" sh editors/vscode/scripts/package.sh \
  "$PWD/target/debug/dlint" "$SHOTS/dlint.vsix"

CODE_SERVER="$CACHE/node_modules/code-server/out/node/entry.js" CHROMIUM="$(command -v chromium)" \
  VSIX="$SHOTS/dlint.vsix" E2E_SHOTS="$SHOTS" timeout 600 node "$E2E/run.mjs" 2>&1 | tee /tmp/dlint-vscode-e2e.log
grep -q " 0 failed" /tmp/dlint-vscode-e2e.log
echo "vscode-e2e: screenshots in $SHOTS"
