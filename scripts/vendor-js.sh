#!/usr/bin/env bash
# Re-vendor the front-end libraries from the npm registry into app/static/vendor/.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund socket.io-client@4.8.3 chart.js@4.5.1 sortablejs@1.15.6 wordcloud@1.2.3
out="$here/app/static/vendor"
mkdir -p "$out/licenses"
cp node_modules/socket.io-client/dist/socket.io.min.js "$out/"
cp node_modules/chart.js/dist/chart.umd.min.js "$out/"
cp node_modules/sortablejs/Sortable.min.js "$out/"
cp node_modules/wordcloud/src/wordcloud2.js "$out/"
cp node_modules/socket.io-client/LICENSE "$out/licenses/socket.io-client.LICENSE"
cp node_modules/chart.js/LICENSE.md "$out/licenses/chart.js.LICENSE.md"
cp node_modules/sortablejs/LICENSE "$out/licenses/sortablejs.LICENSE"
cp node_modules/wordcloud/LICENSE "$out/licenses/wordcloud.LICENSE"
echo "vendored into $out"
