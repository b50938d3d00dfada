#!/usr/bin/env bash
# Preview Word files as a person would see them: each .docx → PDF (LibreOffice) → PNG pages (pdftoppm).
#
#   scripts/preview.sh [-o DIR] [-r DPI] [FILE.docx ...]
#
# Without files it previews the drafts in outputs/ (*_案.docx and *_新旧対照表.docx). Writes
# DIR/NAME.pdf and DIR/NAME-01.png … (DIR default: outputs/preview) and prints their paths, plus the
# fonts each PDF uses, so tofu (missing Japanese glyphs) shows up as a non-CJK font.
#
# Needs soffice, pdftoppm and a Japanese font; when missing and running as root (or with sudo) it
# installs Debian's libreoffice-writer, poppler-utils, fonts-noto-cjk and fonts-ipaexfont.
# The templates name Windows fonts (游明朝, 游ゴシック); for the preview they are mapped to IPAex/Noto
# CJK fonts of similar shape through a private fontconfig file, so line breaks come out close to Word's.
set -euo pipefail

out="outputs/preview"
dpi=80
while getopts "o:r:h" opt; do
  case "$opt" in
    o) out="$OPTARG" ;;
    r) dpi="$OPTARG" ;;
    h) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "usage: $0 [-o DIR] [-r DPI] [FILE.docx ...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))

files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  shopt -s nullglob
  files=(outputs/*_案.docx outputs/*_新旧対照表.docx)
  shopt -u nullglob
fi
if [ ${#files[@]} -eq 0 ]; then
  echo "preview: no .docx given and none in outputs/ (run plandraft draft first)" >&2
  exit 2
fi
for f in "${files[@]}"; do
  [ -f "$f" ] || { echo "preview: $f: no such file" >&2; exit 2; }
done

have_tools() {
  command -v soffice >/dev/null && command -v pdftoppm >/dev/null && command -v pdffonts >/dev/null \
    && fc-list :lang=ja family 2>/dev/null | grep -q .
}
if ! have_tools; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then sudo="sudo"; else
      echo "preview: needs LibreOffice, poppler-utils and a Japanese font; install them with" >&2
      echo "  apt-get update && apt-get install -y libreoffice-writer poppler-utils fonts-noto-cjk fonts-ipaexfont" >&2
      exit 1
    fi
  fi
  echo "preview: installing libreoffice-writer poppler-utils fonts-noto-cjk fonts-ipaexfont …" >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    libreoffice-writer poppler-utils fonts-noto-cjk fonts-ipaexfont >&2
fi

mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Windows Japanese fonts → free fonts of the same kind (明朝 → serif, ゴシック → sans).
cat >"$work/fonts.conf" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same"><family>游明朝</family><prefer><family>IPAexMincho</family><family>Noto Serif CJK JP</family></prefer></alias>
  <alias binding="same"><family>Yu Mincho</family><prefer><family>IPAexMincho</family><family>Noto Serif CJK JP</family></prefer></alias>
  <alias binding="same"><family>ＭＳ 明朝</family><prefer><family>IPAexMincho</family><family>Noto Serif CJK JP</family></prefer></alias>
  <alias binding="same"><family>ＭＳ Ｐ明朝</family><prefer><family>IPAexMincho</family><family>Noto Serif CJK JP</family></prefer></alias>
  <alias binding="same"><family>游ゴシック</family><prefer><family>IPAexGothic</family><family>Noto Sans CJK JP</family></prefer></alias>
  <alias binding="same"><family>Yu Gothic</family><prefer><family>IPAexGothic</family><family>Noto Sans CJK JP</family></prefer></alias>
  <alias binding="same"><family>ＭＳ ゴシック</family><prefer><family>IPAexGothic</family><family>Noto Sans CJK JP</family></prefer></alias>
  <alias binding="same"><family>ＭＳ Ｐゴシック</family><prefer><family>IPAexGothic</family><family>Noto Sans CJK JP</family></prefer></alias>
  <alias binding="same"><family>メイリオ</family><prefer><family>IPAexGothic</family><family>Noto Sans CJK JP</family></prefer></alias>
</fontconfig>
EOF
export FONTCONFIG_FILE="$work/fonts.conf"

for f in "${files[@]}"; do
  name="$(basename "${f%.docx}")"
  # A private LibreOffice profile: works beside an open LibreOffice and leaves the user's alone.
  soffice -env:UserInstallation="file://$work/profile" --headless --norestore \
    --convert-to pdf --outdir "$work" "$f" >/dev/null 2>&1 || {
      echo "preview: LibreOffice could not convert $f" >&2; exit 1; }
  mv -f "$work/$name.pdf" "$out/$name.pdf"
  rm -f "$out/$name"-*.png
  pdftoppm -png -r "$dpi" "$out/$name.pdf" "$out/$name"
  echo "$out/$name.pdf"
  ls "$out/$name"-*.png
  echo "  fonts: $(pdffonts "$out/$name.pdf" | awk 'NR>2 {print $1}' | sed 's/^[A-Z]*+//' | sort -u | tr '\n' ' ')" >&2
done
