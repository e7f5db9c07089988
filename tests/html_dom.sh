#!/bin/sh
# Renders HTML reports in headless Chromium and checks the DOM it built
# against the JSON report of the same input: one chart per class in breach,
# the findings table's numbers, the headline figures, nothing fetched from
# outside, and names that hold markup shown as text.
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.."
chromium=${CHROMIUM:-chromium}
if ! command -v "$chromium" >/dev/null 2>&1; then
    echo "html-dom: $chromium not found; 'make deps' installs it" >&2
    exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dump() {
    "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$work/profile" --dump-dom "file://$1" 2>/dev/null
}
check() { # name lang inputs...
    name=$1 lang=$2
    shift 2
    "$bin" --lang "$lang" --format html -o "$work/$name.html" "$@" || [ $? -eq 1 ]
    "$bin" --lang "$lang" --format json -o "$work/$name.json" "$@" || [ $? -eq 1 ]
    dump "$work/$name.html" > "$work/$name.dom"
    node tests/html_dom.js "$work/$name.dom" "$work/$name.json" "$name"
}
check district-en en data/district
check district-zh zh data/district
check escape en tests/html/escape.csv
check samples zh data/grade3-class2-week48-gbk.csv data/grade5-english.csv data/junior1-week48-utf8.csv
# a district too large to draw whole: 400 classes, 1,200 breaches
awk 'BEGIN {
    print "学校,班级,日期,科目,预计时长"
    for (c = 1; c <= 400; c++)
        for (d = 23; d <= 25; d++)
            printf "第%d小学,三年级(%d)班,2026-11-%d,数学,%d\n", c % 4 + 1, c, d, 31 + c % 7 + (d == 25)
}' > "$work/scale.csv"
check scale en "$work/scale.csv"
echo "html-dom: the DOM Chromium built matches the JSON reports"
