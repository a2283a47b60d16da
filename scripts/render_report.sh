#!/usr/bin/env bash
# Render the 2019 demo workshop's report as PNG pages, to look at it as a reader would.
#
#   bash scripts/render_report.sh [OUT_DIR] [--no-docx] [--readme]
#
# Loads the demo into a throw-away SQLite database, exports the report with
# `flask workshop export CODE --format pdf`, `--format pdfa` and `--format docx`, says what
# pdfinfo finds in the two PDFs (tagged, PDF/A), and turns the pages into PNGs:
#   OUT_DIR/pdf-NN.png   the PDF (WeasyPrint), through pdftoppm
#   OUT_DIR/docx-NN.png  the Word file, converted to PDF by LibreOffice, then pdftoppm
# --readme also refreshes the two pages the README shows (docs/img/report-pdf-page.png, the
# PDF's page with the dot vote's result, and docs/img/report-word-page.png, the Word file's page
# with the ranking's result), small: 60 dpi, 64 colours.
# It installs poppler-utils (pdftoppm, pdfinfo) with apt-get when missing; LibreOffice
# (libreoffice-writer-nogui, a large download) only when --no-docx is not given and apt-get can run.
# Not part of the test suite: the tests check the files' text and structure, this shows their look.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=render
WITH_DOCX=1
README=0
for arg in "$@"; do
  case "$arg" in
    --no-docx) WITH_DOCX=0 ;;
    --readme) README=1 ;;
    -*) echo "unknown option $arg" >&2; exit 2 ;;
    *) OUT=$arg ;;
  esac
done
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

apt_install() {
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@") >/dev/null
  else
    (sudo -n apt-get update -qq && sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@") >/dev/null
  fi
}
command -v pdftoppm >/dev/null || apt_install poppler-utils
if [ "$WITH_DOCX" = 1 ] && ! command -v soffice >/dev/null; then
  echo "installing LibreOffice Writer to render the Word file (use --no-docx to skip)"
  apt_install libreoffice-writer-nogui || { echo "LibreOffice could not be installed: rendering the PDF only" >&2; WITH_DOCX=0; }
fi
if [ "$README" = 1 ] && [ "$WITH_DOCX" = 0 ]; then
  echo "--readme needs the Word file's pages too: drop --no-docx" >&2; exit 2
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export TAVLE_ENV=development TAVLE_INSTANCE_DIR="$WORK" TAVLE_DATABASE_URL="sqlite:///$WORK/render.sqlite3"
export MPLBACKEND=Agg
FLASK=.venv/bin/flask
$FLASK db upgrade >/dev/null 2>&1
CODE=$($FLASK demo 2>/dev/null | sed -n 's/.*code \([A-Z0-9]*\).*/\1/p' | head -n1)
for fmt in pdf pdfa docx; do
  ext=$fmt; [ "$fmt" = pdfa ] && ext=pdf
  $FLASK workshop export "$CODE" --format "$fmt" -o "$WORK/report-$fmt.$ext" 2>/dev/null | grep '^Wrote' || true
done
cp "$WORK/report-pdf.pdf" "$WORK/report-pdfa.pdf" "$WORK/report-docx.docx" "$OUT/"

for f in report-pdf.pdf report-pdfa.pdf; do
  echo "$f: $(pdfinfo "$WORK/$f" | grep -E '^(Tagged|Pages):' | tr -s ' ' | tr '\n' ' ')" \
       "$(pdfinfo -meta "$WORK/$f" | grep -o 'pdfa\?u\?aid:part="[0-9]"' | head -n1)"
done

rm -f "$OUT"/pdf-*.png "$OUT"/docx-*.png
pdftoppm -r 80 -png "$WORK/report-pdf.pdf" "$OUT/pdf"
if [ "$WITH_DOCX" = 1 ]; then
  soffice --headless --convert-to pdf --outdir "$WORK/lo" "$WORK/report-docx.docx" >/dev/null 2>&1
  cp "$WORK/lo/report-docx.pdf" "$OUT/report-docx-libreoffice.pdf"
  pdftoppm -r 80 -png "$WORK/lo/report-docx.pdf" "$OUT/docx"
fi
echo "pages in $OUT:"
ls "$OUT" | grep -E '^(pdf|docx)-.*\.png$' | tr '\n' ' '
echo

# The page of a PDF whose text holds $2 (the first such page).
page_with() {
  local pages n
  pages=$(pdfinfo "$1" | sed -n 's/^Pages: *//p')
  for n in $(seq 1 "$pages"); do
    if pdftotext -f "$n" -l "$n" "$1" - | grep -q "$2"; then echo "$n"; return; fi
  done
  return 1
}
if [ "$README" = 1 ]; then
  pdf_page=$(page_with "$WORK/report-pdf.pdf" "Figur 1:")
  word_page=$(page_with "$WORK/lo/report-docx.pdf" "Figur 2:")
  pdftoppm -r 60 -png -singlefile -f "$pdf_page" -l "$pdf_page" "$WORK/report-pdf.pdf" "$WORK/readme-pdf"
  pdftoppm -r 60 -png -singlefile -f "$word_page" -l "$word_page" "$WORK/lo/report-docx.pdf" "$WORK/readme-word"
  .venv/bin/python - "$WORK" <<'EOF'
import sys
from PIL import Image

work = sys.argv[1]
for name, target in (("readme-pdf", "docs/img/report-pdf-page.png"), ("readme-word", "docs/img/report-word-page.png")):
    image = Image.open(f"{work}/{name}.png").convert("RGB")
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
    print("wrote", target)
EOF
fi
