#!/bin/sh
# valgrind on the bundled samples in every format, and writing and reading a
# baseline: no leak, no invalid access.
#
#   sh tests/leakcheck.sh build/hwcheck "valgrind --error-exitcode=99 ..."
#
# The second argument is the valgrind command (VALGRIND in the Makefile); it
# must exit with status 99 on an error (1 and 2 are hwcheck's own).
set -eu
bin=$1
valgrind=$2
cd "$(dirname "$0")/.."
vg() {
    # shellcheck disable=SC2086
    $valgrind "$bin" "$@" > /dev/null || [ $? -ne 99 ]
}
for fmt in text json gcc github sarif csv html; do
    for summary in "" --summary; do
        vg --format "$fmt" $summary data/*.csv data/district
    done
done
vg --format csv --output-encoding gb18030 data/district
base=$(mktemp)
trap 'rm -f "$base"' EXIT
vg --write-baseline "$base" data/grade3-class2-week48-gbk.csv data/grade5-english.csv
vg --baseline "$base" --format sarif data/*.csv
vg --baseline "$base" --format json data/grade3-class2-week48-gbk.csv
echo "leakcheck: valgrind clean on data/*.csv and data/district, every format"
