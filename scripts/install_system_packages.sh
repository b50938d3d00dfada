#!/usr/bin/env bash
# Install the Debian packages plandraft's features and tests need, when they are missing:
#   chromium                                   the browser test (tests/web/test_browser.py)
#   libreoffice-writer-nogui, -calc-nogui      reading .doc/.rtf/.odt and .xls/.ods (pipeline/ingest/convert.py)
#   fonts-ipaexfont                            Japanese fonts for LibreOffice (conversions, `make preview`)
#   tesseract-ocr, tesseract-ocr-jpn           OCR of scanned PDF pages (pipeline/ingest/ocr.py)
# Called by `make test` (and by `make draft` for what the job itself needs); never from pytest.
# Needs root and Debian's package registry; never downloads anything from elsewhere. Without them it
# says what is missing and exits 0, so the rest still runs (the tests that need a package say why
# they are skipped).
set -euo pipefail
want=()
[ -x /usr/bin/chromium ] || want+=(chromium)
command -v soffice >/dev/null || want+=(libreoffice-writer-nogui libreoffice-calc-nogui)
dpkg -s libreoffice-writer-nogui >/dev/null 2>&1 || dpkg -s libreoffice-writer >/dev/null 2>&1 || want+=(libreoffice-writer-nogui)
dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || dpkg -s libreoffice-calc >/dev/null 2>&1 || want+=(libreoffice-calc-nogui)
[ -e /usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf ] || [ -e /usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf ] \
    || dpkg -s fonts-ipaexfont >/dev/null 2>&1 || want+=(fonts-ipaexfont)
command -v tesseract >/dev/null || want+=(tesseract-ocr)
{ command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx jpn; } || want+=(tesseract-ocr-jpn)
mapfile -t want < <(printf '%s\n' "${want[@]}" | awk 'NF && !seen[$0]++')
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
