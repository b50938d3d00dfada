#!/usr/bin/env bash
# Install Debian's chromium for the browser tests (tests/e2e), if it is missing.
# Needs root and Debian's package registry; never downloads a browser of its own.
# Exit 0: /usr/bin/chromium is there; 1: could not install (the reason on stderr).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install_chromium: /usr/bin/chromium missing and not root (run: sudo apt-get install -y chromium)" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null; then
    echo "install_chromium: no apt-get (not Debian): install chromium at /usr/bin/chromium by hand" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends chromium >&2
test -x /usr/bin/chromium
