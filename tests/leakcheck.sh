#!/bin/sh
# valgrind on the bundled samples, text and JSON: no leak, no invalid access.
set -eu
bin=$1
cd "$(dirname "$0")/.."
for fmt in text json csv html; do
    for summary in "" --summary; do
        valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
            "$bin" --format "$fmt" $summary data/*.csv data/district > /dev/null || [ $? -ne 99 ]
    done
done
valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
    "$bin" --format csv --output-encoding gb18030 data/district > /dev/null || [ $? -ne 99 ]
echo "leakcheck: valgrind clean on data/*.csv and data/district, every format"
