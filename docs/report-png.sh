#!/bin/sh
# Makes docs/report.png: the sample district's HTML report (data/district) as
# headless Chromium shows it, the top of the page at 1200 px wide.
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" --lang zh --format html -o "$work/report.html" data/district || [ $? -eq 1 ]
${CHROMIUM:-chromium} --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --hide-scrollbars --window-size=1200,1900 \
    --screenshot="$work/report.png" "file://$work/report.html" 2>/dev/null
cp "$work/report.png" docs/report.png
echo "docs/report.png: $(wc -c < docs/report.png) bytes"
