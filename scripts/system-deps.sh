#!/usr/bin/env bash
# Debian packages the suite and the portal use: Chromium for browser tests, Tesseract for OCR,
# npm to fetch axe-core for the accessibility checks in the browser tests.
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v tesseract >/dev/null || missing+=(tesseract-ocr)
command -v npm >/dev/null || missing+=(npm)
# Tesseract language packs for the certificates suppliers send (ingestion/pdf/data/ocr_languages.json):
# an English pass reads their letters as others ("Łódź" as "todz") and Chinese as junk. OCR reads a
# page in English, with a warning on the extraction, when its pack is missing: so these are optional.
optional=()
for lang in deu fra spa por ita tur pol nld ces ron hun swe dan fin vie chi_sim jpn kor rus ell; do
  [ -e "/usr/share/tesseract-ocr/5/tessdata/$lang.traineddata" ] || [ -e "/usr/share/tesseract-ocr/4.00/tessdata/$lang.traineddata" ] \
    || optional+=("tesseract-ocr-${lang//_/-}")
done
# The OCR tests draw a Chinese certificate with this font (tests/ingestion/scans.py).
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || optional+=(fonts-wqy-microhei)
[ ${#missing[@]} -eq 0 ] && [ ${#optional[@]} -eq 0 ] && exit 0
install() {
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "Installing $* (apt-get)…"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  elif command -v apt-get >/dev/null && command -v sudo >/dev/null; then
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
  else
    return 1
  fi
}
update() {
  if [ "$(id -u)" = 0 ]; then apt-get update -qq >/dev/null; elif command -v sudo >/dev/null; then sudo apt-get update -qq; fi
}
command -v apt-get >/dev/null && { update || echo "apt-get update failed: installing from the cached lists" >&2; }
if [ ${#missing[@]} -gt 0 ] && ! install "${missing[@]}"; then
  echo "Please install: ${missing[*]} (Debian/Ubuntu: apt-get install ${missing[*]})" >&2
  exit 1
fi
if [ ${#optional[@]} -gt 0 ] && ! install "${optional[@]}"; then
  echo "Warning: could not install ${optional[*]}; OCR reads those languages' pages in English" \
       "(apt-get install ${optional[*]})" >&2
fi
exit 0
