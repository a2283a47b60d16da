#!/usr/bin/env bash
# The gettext catalogs: extract, update, compile (docs/translating.md).
#   scripts/i18n.sh extract   – the templates (.pot) from the code
#   scripts/i18n.sh update    – extract, then merge new and changed messages into every .po
#   scripts/i18n.sh compile   – build the .mo files the app reads (make run and make test do this)
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL="${PYBABEL:-.venv/bin/pybabel}"
DIR=app/translations
KEYWORDS=(-k _ -k gettext -k ngettext:1,2 -k lazy_gettext -k _l -k lazy_ngettext:1,2 -k N_ -k Nn_:1,2 -k pgettext:1c,2 -k lazy_pgettext:1c,2)

extract() {
  "$PYBABEL" -q extract -F babel.cfg "${KEYWORDS[@]}" --no-wrap --sort-by-file --project Tavle \
    --copyright-holder "Tavle contributors" -o "$DIR/messages.pot" .
  "$PYBABEL" -q extract -F babel-js.cfg -k gettext -k ngettext:1,2 --no-wrap --sort-by-file --project Tavle \
    --copyright-holder "Tavle contributors" -o "$DIR/js.pot" .
}

case "${1:-}" in
  extract) extract ;;
  update)
    extract
    for domain in messages js; do
      "$PYBABEL" -q update --no-wrap --ignore-obsolete -N -D "$domain" -i "$DIR/$domain.pot" -d "$DIR"
    done ;;
  compile)
    for domain in messages js; do
      "$PYBABEL" -q compile -D "$domain" -d "$DIR" ${STRICT:+--statistics}
    done ;;
  *) echo "usage: $0 extract|update|compile" >&2; exit 2 ;;
esac
