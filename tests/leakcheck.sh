#!/bin/sh
# valgrind on the bundled samples, text and JSON: no leak, no invalid access.
set -eu
bin=$1
cd "$(dirname "$0")/.."
for fmt in text json; do
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
        "$bin" --format "$fmt" data/*.csv > /dev/null || [ $? -ne 99 ]
done
echo "leakcheck: valgrind clean on data/*.csv"
