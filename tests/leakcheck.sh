#!/bin/sh
# valgrind on the bundled samples in every format, and writing and reading a
# baseline: no leak, no invalid access.
set -eu
bin=$1
cd "$(dirname "$0")/.."
vg() {
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
        "$bin" "$@" > /dev/null || [ $? -ne 99 ]
}
for fmt in text json gcc github sarif; do
    vg --format "$fmt" data/*.csv
done
base=$(mktemp)
trap 'rm -f "$base"' EXIT
vg --write-baseline "$base" data/grade3-class2-week48-gbk.csv data/grade5-english.csv
vg --baseline "$base" --format sarif data/*.csv
vg --baseline "$base" --format json data/grade3-class2-week48-gbk.csv
echo "leakcheck: valgrind clean on data/*.csv"
