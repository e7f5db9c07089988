#!/bin/bash
# Hostile inputs too big to commit, and what only a script can do: a 100 MB
# field, 10 million rows through a pipe, SIGPIPE, a signal during -o, a file
# that cannot be read. Each checks the message, the exit status and, where
# memory is the point, the peak memory (max RSS from /usr/bin/time).
#
#   bash tests/hostile.sh ./hwcheck
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
export LANG=C
unset LC_ALL LC_MESSAGES LANGUAGE
pass=0
fail=0

ok() {
    pass=$((pass + 1))
    echo "ok: $1"
}
not_ok() {
    fail=$((fail + 1))
    echo "FAIL: $1"
}
# expect NAME WANT_STATUS GOT_STATUS FILE PATTERN...: the status, and each
# fixed string among the lines of FILE.
expect() {
    local name=$1 want=$2 got=$3 file=$4
    shift 4
    if [ "$got" != "$want" ]; then
        not_ok "$name: exit $got, expected $want"
        head -5 "$file"
        return
    fi
    for pat in "$@"; do
        if ! grep -qF -- "$pat" "$file"; then
            not_ok "$name: no line with: $pat"
            head -5 "$file"
            return
        fi
    done
    ok "$name"
}
# max_rss NAME LIMIT_KB: the peak memory that /usr/bin/time wrote to rss.
max_rss() {
    local kb
    kb=$(sed -n 's/^rss=//p' rss)
    if [ -n "$kb" ] && [ "$kb" -le "$2" ]; then
        ok "$1: peak memory ${kb} KiB <= $2 KiB"
    else
        not_ok "$1: peak memory ${kb:-unknown} KiB, limit $2 KiB"
    fi
}
timed() {
    /usr/bin/time -o rss -f 'rss=%M' "$@"
}

header='class,date,subject,minutes,title'

# One 100 MB field, quoted and spanning lines, between two good rows: one
# input error naming line and column, the rows around it read, memory bounded
# by the 1 MiB row limit and not by the field.
big_field() {
    printf '%s\n三年级1班,2026-11-23,数学,20,ok\n三年级1班,2026-11-24,数学,20,"' "$header"
    head -c 100000000 /dev/zero | tr '\0' 'x'
    printf '\nmore"\n三年级1班,2026-11-25,数学,45,ok\n'
}
big_field > field.csv
timed "$bin" field.csv > out 2>&1
expect "100 MB field in a file" 2 $? out \
    'field.csv:3:5: error: this row holds more than 1 MiB of text' \
    'field.csv:5: error: 三年级1班: 45 min' \
    'Checked 1 file(s), 3 row(s), 1 class(es), 2 class-day(s).'
max_rss "100 MB field in a file" 20000
big_field | timed "$bin" - > out 2>&1
expect "100 MB field through a pipe" 2 $? out \
    '<stdin>:3:5: error: this row holds more than 1 MiB of text' \
    '<stdin>:5: error: 三年级1班: 45 min'
max_rss "100 MB field through a pipe" 20000
# Unquoted, without a single line end: the whole file is one row.
{
    printf '%s\n三年级1班,2026-11-23,数学,20,' "$header"
    head -c 100000000 /dev/zero | tr '\0' 'y'
} | timed "$bin" - > out 2>&1
expect "100 MB field, no line end" 2 $? out \
    '<stdin>:2:5: error: this row holds more than 1 MiB of text'
max_rss "100 MB field, no line end" 20000
rm -f field.csv

# 10 million tiny rows through a pipe, none of them written homework: memory
# stays flat (no row text is kept; non-written rows keep nothing).
{
    printf 'class,date,subject,minutes,type\n'
    yes '三年级1班,2026-11-23,数学,10,口头' | head -n 10000000
} | timed "$bin" - > out 2>&1
expect "10 million rows through a pipe" 0 $? out \
    'Checked 1 file(s), 10000000 row(s), 1 class(es), 1 class-day(s).'
max_rss "10 million rows through a pipe" 20000

# 1 million bad rows: each is named, and memory stays flat (errors are
# written as they are found, not kept).
{
    printf '%s\n' "$header"
    yes '三年级1班,2026-13-01,数学,10,x' | head -n 1000000
} | timed "$bin" --format json - > out 2>&1
expect "1 million input errors" 2 $? out \
    '"line":1000001,"column":2' '"bad_rows":1000000'
max_rss "1 million input errors" 20000

# One class-day of a million written rows: one finding lists them all. The
# rows are kept (20 bytes each, for the finding), and the JSON report writes
# them one at a time rather than building them all in memory.
{
    printf '%s\n' "$header"
    yes '三年级1班,2026-11-23,数学,1,x' | head -n 1000000
} > day.csv
timed "$bin" --format json day.csv > out 2>&1
expect "a day of a million rows, JSON" 1 $? out \
    '"line":1000001,"subject":"数学","minutes":1}]}' '"breaches":1'
max_rss "a day of a million rows, JSON" 131072
rm -f day.csv

# hwcheck | head: SIGPIPE ends it quietly (no message), also when the shell
# that started it ignores SIGPIPE.
{
    printf '%s\n' "$header"
    yes '三年级1班,2026-11-23,数学,半天,x' | head -n 20000
} > many.csv
{
    "$bin" many.csv 2> err
    echo $? > status
} | head -1 > /dev/null
if [ "$(cat status)" = 141 ] && [ ! -s err ]; then
    ok "hwcheck | head: quiet, killed by SIGPIPE"
else
    not_ok "hwcheck | head: status $(cat status), stderr: $(head -c 200 err)"
fi
(
    trap '' PIPE
    {
        "$bin" many.csv 2> err
        echo $? > status
    } | head -1 > /dev/null
)
if [ "$(cat status)" = 141 ] && [ ! -s err ]; then
    ok "hwcheck | head with SIGPIPE ignored: quiet"
else
    not_ok "hwcheck | head with SIGPIPE ignored: status $(cat status), stderr: $(head -c 200 err)"
fi

# A signal while -o writes: the earlier report stays, no temporary file is
# left. A FIFO that nobody writes to holds hwcheck after it made the
# temporary file. Job control on, so that a background job gets SIGINT.
set -m
for sig in INT TERM HUP; do
    rm -f fifo report.json*
    mkfifo fifo
    echo "old report" > report.json
    "$bin" -o report.json fifo 2> err &
    pid=$!
    for _ in $(seq 50); do
        ls report.json.tmp* > /dev/null 2>&1 && break
        sleep 0.1
    done
    made=$(ls report.json.tmp* 2> /dev/null)
    kill -s "$sig" "$pid"
    wait "$pid"
    got=$?
    left=$(ls report.json.tmp* 2> /dev/null)
    if [ -n "$made" ] && [ -z "$left" ] && [ "$(cat report.json)" = "old report" ] &&
        [ "$got" = $((128 + $(kill -l "$sig"))) ]; then
        ok "SIG$sig during -o: temporary file removed, old report kept"
    else
        not_ok "SIG$sig during -o: made '$made', left '$left', status $got, report: $(cat report.json)"
    fi
done
set +m
rm -f fifo report.json*

# A write error on a regular file (a full disk, here the file size limit):
# reported, status 2, the earlier report kept, no temporary file left. With
# SIGXFSZ at its default the process is killed instead, and still leaves no
# temporary file.
echo "old report" > report.json
(
    trap '' XFSZ
    ulimit -f 1
    "$bin" --format json -o report.json many.csv > out 2>&1
)
got=$?
left=$(ls report.json.tmp* 2> /dev/null)
if [ "$got" = 2 ] && grep -q 'cannot write the report to report.json: File too large' out &&
    [ "$(cat report.json)" = "old report" ] && [ -z "$left" ]; then
    ok "-o past the file size limit: error, old report kept"
else
    not_ok "-o past the file size limit: status $got, left '$left', $(head -c 200 out)"
fi
(
    ulimit -f 1
    exec "$bin" --format json -o report.json many.csv > out 2>&1
)
got=$?
left=$(ls report.json.tmp* 2> /dev/null)
if [ "$got" = $((128 + $(kill -l XFSZ))) ] && [ "$(cat report.json)" = "old report" ] &&
    [ -z "$left" ]; then
    ok "-o killed by SIGXFSZ: old report kept, no temporary file"
else
    not_ok "-o killed by SIGXFSZ: status $got, left '$left'"
fi
rm -f report.json* many.csv

# A file that cannot be read. root reads any file whatever its mode, so as
# root the check runs as the user nobody (setpriv); without setpriv it is
# skipped and says so.
mkdir locked && printf '%s\n三年级1班,2026-11-23,数学,45,x\n' "$header" > locked/a.csv
chmod 000 locked/a.csv
chmod 755 locked "$work"
run_as=""
if [ "$(id -u)" = 0 ]; then
    if command -v setpriv > /dev/null; then
        run_as="setpriv --reuid=nobody --regid=nogroup --clear-groups"
    else
        run_as=skip
    fi
fi
# nobody may not reach the build folder (a checkout under /root): run a copy
# from the scratch folder.
cp "$bin" ./hwcheck-copy && chmod 755 ./hwcheck-copy
if [ "$run_as" != skip ] && ! $run_as ./hwcheck-copy --version > /dev/null 2>&1; then
    run_as=skip
fi
if [ "$run_as" = skip ]; then
    echo "skipped: unreadable file (running as root, and cannot run as the user nobody)"
else
    $run_as ./hwcheck-copy locked/a.csv > out 2>&1
    expect "unreadable file" 2 $? out 'locked/a.csv: error: cannot open the file: Permission denied'
fi

echo "hostile: $pass passed, $fail failed"
[ "$fail" = 0 ]
