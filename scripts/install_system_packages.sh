#!/usr/bin/env bash
# Install the Debian packages plandraft's features and tests need, when they are missing:
#   chromium                                   the browser test (tests/web/test_browser.py)
# Called by `make test` (and by `make draft` for what the job itself needs); never from pytest.
# Needs root and Debian's package registry; never downloads anything from elsewhere. Without them it
# says what is missing and exits 0, so the rest still runs (the tests that need a package say why
# they are skipped).
set -euo pipefail
want=()
[ -x /usr/bin/chromium ] || want+=(chromium)
if [ ${#want[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "install_system_packages: missing ${want[*]} (install with: sudo apt-get install -y ${want[*]})" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
echo "install_system_packages: installing ${want[*]} from Debian" >&2
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${want[@]}" >&2
