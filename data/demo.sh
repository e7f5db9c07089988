#!/bin/sh
# make demo: check the bundled sample exports, as a teacher and as a program would.
set -u
bin=${1:-./hwcheck}
cd "$(dirname "$0")/.."
echo "\$ hwcheck --lang zh data/grade3-class2-week48-gbk.csv    # a class teacher's GBK export"
"$bin" --lang zh data/grade3-class2-week48-gbk.csv
echo "(exit status $?)"
echo
echo "\$ hwcheck --lang en data/*.csv    # every sample at once"
"$bin" --lang en data/*.csv
echo "(exit status $?)"
echo
echo "\$ hwcheck --format json data/grade5-english.csv    # for programs"
"$bin" --format json data/grade5-english.csv
echo "(exit status $?)"
exit 0
