#!/usr/bin/env bash
# Debian packages the suite and the portal use: Chromium for browser tests, Tesseract for OCR,
# npm to fetch axe-core for the accessibility checks in the browser tests.
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v tesseract >/dev/null || missing+=(tesseract-ocr)
command -v npm >/dev/null || missing+=(npm)
# German, French, Spanish, Portuguese and Italian certificates are common; OCR uses these
# language packs when present (an English pass reads their accents as other letters)
for lang in deu fra spa por ita; do
  [ -e "/usr/share/tesseract-ocr/5/tessdata/$lang.traineddata" ] || [ -e "/usr/share/tesseract-ocr/4.00/tessdata/$lang.traineddata" ] \
    || missing+=("tesseract-ocr-$lang")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  echo "Installing ${missing[*]} (apt-get)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null
elif command -v apt-get >/dev/null && command -v sudo >/dev/null; then
  sudo apt-get update -qq && sudo apt-get install -y -qq "${missing[@]}"
else
  echo "Please install: ${missing[*]} (Debian/Ubuntu: apt-get install ${missing[*]})" >&2
  exit 1
fi
