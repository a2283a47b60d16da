#!/usr/bin/env bash
# Render the 2019 demo workshop's report as PNG pages, to look at it as a reader would.
#
#   bash scripts/render_report.sh [OUT_DIR] [--no-docx]
#
# Loads the demo into a throw-away SQLite database, exports the report with
# `flask workshop export CODE --format pdf` and `--format docx`, and turns the pages into PNGs:
#   OUT_DIR/pdf-NN.png   the PDF (WeasyPrint), through pdftoppm
#   OUT_DIR/docx-NN.png  the Word file, converted to PDF by LibreOffice, then pdftoppm
# It installs poppler-utils (pdftoppm) with apt-get when missing; LibreOffice
# (libreoffice-writer-nogui, a large download) only when --docx is not turned off and apt-get can run.
# Not part of the test suite: the tests check the files' text and structure, this shows their look.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${1:-render}
WITH_DOCX=1
for arg in "$@"; do [ "$arg" = "--no-docx" ] && WITH_DOCX=0; done
[ "$OUT" = "--no-docx" ] && OUT=render
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

apt_install() {
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@") >/dev/null
  else
    (sudo -n apt-get update -qq && sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@") >/dev/null
  fi
}
command -v pdftoppm >/dev/null || apt_install poppler-utils
if [ "$WITH_DOCX" = 1 ] && ! command -v soffice >/dev/null; then
  echo "installing LibreOffice Writer to render the Word file (use --no-docx to skip)"
  apt_install libreoffice-writer-nogui || { echo "LibreOffice could not be installed: rendering the PDF only" >&2; WITH_DOCX=0; }
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export TAVLE_ENV=development TAVLE_INSTANCE_DIR="$WORK" TAVLE_DATABASE_URL="sqlite:///$WORK/render.sqlite3"
export MPLBACKEND=Agg
FLASK=.venv/bin/flask
$FLASK db upgrade >/dev/null 2>&1
CODE=$($FLASK demo | sed -n 's/.*code \([A-Z0-9]*\).*/\1/p' | head -n1)
$FLASK workshop export "$CODE" --format pdf -o "$WORK/report.pdf"
$FLASK workshop export "$CODE" --format docx -o "$WORK/report.docx"
cp "$WORK/report.pdf" "$WORK/report.docx" "$OUT/"

rm -f "$OUT"/pdf-*.png "$OUT"/docx-*.png
pdftoppm -r 80 -png "$WORK/report.pdf" "$OUT/pdf"
if [ "$WITH_DOCX" = 1 ]; then
  soffice --headless --convert-to pdf --outdir "$WORK/lo" "$WORK/report.docx" >/dev/null 2>&1
  pdftoppm -r 80 -png "$WORK/lo/report.pdf" "$OUT/docx"
fi
echo "pages in $OUT:"
ls "$OUT" | grep -E '^(pdf|docx)-.*\.png$' | tr '\n' ' '
echo
