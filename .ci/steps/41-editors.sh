#!/usr/bin/env bash
# Editors besides VS Code, each driving `dlint server` for real: Debian's Neovim 0.7 (pushed
# diagnostics; .ci/run's Neovim step runs the 0.11 wheel) and Emacs 28 with Debian's
# elpa-eglot (eglot 1.9). They must run here: the tests skip only when the editor is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; }
}
[ -x /usr/bin/nvim ] || apt_install neovim || true
emacs_ok() { emacs --batch --eval "(progn (require 'package) (package-initialize) (require 'eglot))" >/dev/null 2>&1; }
emacs_ok || apt_install emacs-nox elpa-eglot || true

if [ -x /usr/bin/nvim ]; then
  echo "editors: $(/usr/bin/nvim --version | head -1) (Debian)"
  DLINT_NVIM=/usr/bin/nvim cargo test --test nvim_e2e -- --nocapture 2>&1 | tee /tmp/dlint-ci-nvim07.log
  grep -q "test result: ok" /tmp/dlint-ci-nvim07.log
  grep -q 'neovim "0.7' /tmp/dlint-ci-nvim07.log
else
  echo "editors: skipping Neovim 0.7: Debian's neovim cannot be installed"
fi

if emacs_ok; then
  echo "editors: $(emacs --version | head -1) with eglot"
  cargo test --test editors -- --nocapture 2>&1 | tee /tmp/dlint-ci-emacs.log
  grep -q "test result: ok" /tmp/dlint-ci-emacs.log
  grep -q "^emacs .*exit 0" /tmp/dlint-ci-emacs.log
else
  echo "editors: skipping Emacs: emacs with eglot cannot be installed"
fi
