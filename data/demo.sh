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
echo
echo "\$ hwcheck --lang zh --summary data/district    # an academic office: 4 schools, 61 exports"
"$bin" --lang zh --summary data/district
echo "(exit status $?)"
echo
echo "\$ hwcheck --lang zh --format html -o district-report.html data/district"
"$bin" --lang zh --format html -o district-report.html data/district
echo "(exit status $?; open district-report.html in a browser, or print it on A4)"
echo
echo "\$ hwcheck --lang zh --format csv -o district-findings.csv data/district    # for Excel"
"$bin" --lang zh --format csv -o district-findings.csv data/district
echo "(exit status $?)"
exit 0
