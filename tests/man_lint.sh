#!/bin/sh
# The man page renders without a warning: mandoc's linter (warnings and
# worse), and man-db with groff in an ASCII locale, as a user without a
# UTF-8 locale would read it. And every long option of the help text is in
# the page.
#
#   sh tests/man_lint.sh ./hwcheck hwcheck.1
set -eu
bin=$1
page=$2
fail=0
if command -v mandoc >/dev/null 2>&1; then
    out=$(mandoc -T lint -W warning "$page" 2>&1) || true
    if [ -n "$out" ]; then echo "FAIL: mandoc -T lint:"; echo "$out"; fail=1; fi
else
    echo "FAIL: mandoc is not installed (apt-get install mandoc)"; fail=1
fi
if command -v man >/dev/null 2>&1 && command -v groff >/dev/null 2>&1; then
    for lang in C C.UTF-8; do
        out=$(env -u LC_ALL LANG=$lang MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null) || true
        if [ -n "$out" ]; then echo "FAIL: man --warnings (LANG=$lang):"; echo "$out"; fail=1; fi
    done
fi
# Every long option of the help text is in the page.
opts=$("$bin" --help | grep -o -- '--[a-z-]*' | sort -u) || true
if [ -z "$opts" ]; then echo "FAIL: no long option in $bin --help"; fail=1; fi
for opt in $opts; do
    grep -q -- "Fl \\\\-${opt#--}" "$page" || { echo "FAIL: $opt is not in $page"; fail=1; }
done
[ "$fail" = 0 ] && echo "man-lint: $page renders without warnings"
exit "$fail"
