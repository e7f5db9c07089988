#!/bin/bash
# Doubling benchmark: for each pathological input shape, the CPU time for
# size N, 2N and 4N, and the ratios. A linear run gives ratios near 2; a quadratic one
# near 4. Exits non-zero when a ratio passes MAX_RATIO (default 3).
#
#   bash bench/doubling.sh ./hwcheck [N-scale]
# Inputs are made under bench/out/ (not committed) and removed afterwards.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
scale=${2:-1}
max_ratio=${MAX_RATIO:-3}
out=$(cd "$(dirname "$0")" && pwd)/out
mkdir -p "$out"
trap 'rm -f "$out"/*.csv "$out/time"' EXIT
export LANG=C

header='class,date,subject,minutes,title'

# gen SHAPE N: writes the input of that shape and size to stdout.
gen() {
    local n=$1
    case $shape in
    huge-quoted-field) # one field of 25n MB, quoted, spanning lines
        printf '%s\n三年级1班,2026-11-23,数学,20,"' "$header"
        head -c $((n * 25000000)) /dev/zero | tr '\0' 'x' | fold -w 1000
        printf '"\n' ;;
    huge-unquoted-field) # one field of 25n MB, no line end at all
        printf '%s\n三年级1班,2026-11-23,数学,20,' "$header"
        head -c $((n * 25000000)) /dev/zero | tr '\0' 'y' ;;
    many-quotes) # 25n MB of escaped quotes in one field
        printf '%s\n三年级1班,2026-11-23,数学,20,"' "$header"
        head -c $((n * 25000000)) /dev/zero | tr '\0' '"'
        printf '"\n' ;;
    many-columns) # 2000n columns in the header and in each of 2000 rows
        awk -v c=$((n * 2000)) 'BEGIN {
            for (i = 1; i <= c; i++) printf "c%d,", i; print "class,date,subject,minutes"
            for (r = 0; r < 2000; r++) {
                for (i = 1; i <= c; i++) printf "v,"; print "三年级1班,2026-11-23,数学,1" } }' ;;
    extra-fields) # 100000n rows, each with 60 fields beyond the header
        awk -v r=$((n * 20000)) 'BEGIN { print "class,date,subject,minutes"
            for (i = 0; i < r; i++) { printf "三年级1班,2026-11-23,数学,1"
                for (j = 0; j < 60; j++) printf ",x"; print "" } }' ;;
    many-errors) # 200000n rows, each with three input errors
        printf '%s\n' "$header"
        yes ',2026-13-01,数学,半天,x' | head -n $((n * 200000)) ;;
    many-classes) # 100000n rows, each a class of its own
        awk -v r=$((n * 100000)) 'BEGIN { print "class,date,subject,minutes"
            for (i = 0; i < r; i++) printf "三年级%d班,2026-11-23,数学,45\n", i }' ;;
    one-class-day) # 200000n written rows on one class-day: one finding lists all
        printf '%s\n' "$header"
        yes '三年级1班,2026-11-23,数学,1,x' | head -n $((n * 200000)) ;;
    esac
}

# secs: CPU seconds of one run, best of three.
secs() {
    local best="" t
    for _ in 1 2 3; do
        # CPU time (user + system), which other jobs on the machine disturb
        # less than wall time.
        /usr/bin/time -o "$out/time" -f '%U %S' "$bin" --format json "$1" > /dev/null 2>&1
        t=$(tail -1 "$out/time" | awk '{ printf "%.2f", $1 + $2 }')
        if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$t
        fi
    done
    echo "$best"
}

status=0
printf '%-20s %8s %8s %8s %7s %7s\n' shape "t(N)" "t(2N)" "t(4N)" 2N/N 4N/2N
for shape in huge-quoted-field huge-unquoted-field many-quotes many-columns extra-fields \
    many-errors many-classes one-class-day; do
    times=()
    for k in 1 2 4; do
        gen $((k * scale)) > "$out/$shape.csv"
        times+=("$(secs "$out/$shape.csv")")
    done
    line=$(awk -v a="${times[0]}" -v b="${times[1]}" -v c="${times[2]}" -v m="$max_ratio" 'BEGIN {
        # Below 10 ms a ratio is noise: count such times as 10 ms.
        if (a < 0.01) a = 0.01; if (b < 0.01) b = 0.01; if (c < 0.01) c = 0.01
        r1 = b / a; r2 = c / b
        printf "%7.2f %7.2f%s", r1, r2, (r2 > m ? "  TOO SLOW" : "") }')
    printf '%-20s %8s %8s %8s %s\n' "$shape" "${times[0]}" "${times[1]}" "${times[2]}" "$line"
    case $line in *"TOO SLOW"*) status=1 ;; esac
done
exit $status
