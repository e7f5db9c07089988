#!/bin/sh
# The benchmark behind docs/performance.md: hwcheck against DuckDB on the
# same generated export, a doubling series, the same rows in GBK, a
# teacher's weekly file, and folders of class files with -j 1 and -j 2. Run
# through `make bench`.
#
#   sh bench/run.sh [--smoke]
#
# Environment: BENCH_ROWS (rows of the big file, default 5000000),
# BENCH_REPS (repetitions, default 5), BENCH_SERIES (rows of the doubling
# series), BENCH_OUT (where files go, default bench/out).
# --smoke: small files, one repetition, DuckDB only if already installed;
# checks that -j 1 and -j 2 agree, on a file split into parts and on a
# folder of files. Takes a few seconds.
set -eu
cd "$(dirname "$0")/.."
smoke=0
[ "${1:-}" = --smoke ] && smoke=1
bin=./hwcheck
gen=build/bench/gen
measure=build/bench/measure
out=${BENCH_OUT:-bench/out}
if [ $smoke = 1 ]; then
    rows=${BENCH_ROWS:-250000} # 20 MB: large enough to be split into parts
    reps=${BENCH_REPS:-1}
    series=${BENCH_SERIES:-10000 20000}
    classes=500
    nfiles=30
    nweekly=100
    wreps=3
else
    rows=${BENCH_ROWS:-5000000}
    reps=${BENCH_REPS:-5}
    series=${BENCH_SERIES:-625000 1250000 2500000 5000000}
    classes=35000
    nfiles=300
    nweekly=3000
    wreps=21 # the weekly file takes some 2 ms a run: many, for a steady median
fi
mkdir -p "$out"

# DuckDB comes from npm (@duckdb/node-api), installed next to the scripts.
duck=0
if [ -d bench/node_modules/@duckdb/node-api ]; then
    duck=1
elif [ $smoke = 0 ]; then
    if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
        echo "bench: installing node and npm (for DuckDB)"
        SUDO=""
        [ "$(id -u)" -ne 0 ] && SUDO=sudo
        $SUDO apt-get install -y -q nodejs npm > /dev/null
    fi
    echo "bench: installing DuckDB (npm @duckdb/node-api) into bench/node_modules"
    npm install --prefix bench --no-save --no-audit --no-fund --loglevel=error \
        '@duckdb/node-api@1.5.6-r.1' > /dev/null
    duck=1
fi

# median of the numbers on standard input
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# gen_file ROWS [ORDER [BREACH]] -> path of a generated UTF-8 export (made
# once); BREACH is the share of class-days (weeks in grades 7-9) over a cap
gen_file() {
    order=${2:-class}
    breach=${3:-0.05}
    f="$out/export-$1-$classes"
    [ "$order" = class ] || f="$f-$order"
    [ "$breach" = 0.05 ] || f="$f-breach$breach"
    f="$f.csv"
    [ -s "$f" ] || "$gen" -o "$f" --rows "$1" --classes "$classes" --breach "$breach" --seed 1 \
        --order "$order"
    echo "$f"
}

size_mb() { awk -v b="$(wc -c < "$1")" 'BEGIN { printf "%.1f", b / 1e6 }'; }

# run_once CMD... : prints "wall rss" of one run
run_once() { "$measure" "$@" | awk '{ print $1, $2 }'; }

status=0

# compare FILE: hwcheck -j 2 and DuckDB (2 threads) on FILE, alternating,
# $reps runs each; prints medians and ratios, checks that both find the
# same breaches and that -j 1 gives the report -j 2 gives.
compare() {
    file=$1
    mb=$(size_mb "$file")
    hw_json="$out/hwcheck.json"
    duck_csv="$out/duckdb.csv"
    : > "$out/.hw"
    : > "$out/.hwj"
    : > "$out/.duck"
    # the file in the page cache before the first timed run, so that the
    # tool that runs first does not also read it from disk
    cat "$file" > /dev/null
    i=0
    while [ $i -lt "$reps" ]; do
        # timed: the default (text) report, as a person or CI runs it, and
        # the JSON report (every finding with its rows), as a program reads it
        run_once $bin -j 2 -o "$out/hwcheck.txt" "$file" >> "$out/.hw"
        run_once $bin -j 2 --format json -o "$hw_json" "$file" >> "$out/.hwj"
        if [ $duck = 1 ]; then
            run_once node bench/duck.mjs "$file" "$duck_csv" 2 >> "$out/.duck"
        fi
        i=$((i + 1))
    done
    # the JSON report is compared with DuckDB's breaches
    nrows=$(grep -o '"rows":[0-9]*' "$hw_json" | tail -1 | cut -d: -f2)
    ndays=$(grep -o '"class_days":[0-9]*' "$hw_json" | tail -1 | cut -d: -f2)
    hw_t=$(cut -d' ' -f1 "$out/.hw" | median)
    hw_m=$(cut -d' ' -f2 "$out/.hw" | median)
    echo "file: $file, $mb MB, $nrows rows, $ndays class-days, UTF-8"
    echo "hwcheck writes its text report, then its JSON report; DuckDB writes the breaches as CSV"
    printf '%-22s %8s %8s %10s %12s\n' tool "wall s" "MB/s" "rows/s" "peak RSS MB"
    line "hwcheck -j 2" "$hw_t" "$hw_m"
    echo "  runs: $(cut -d' ' -f1 "$out/.hw" | tr '\n' ' ')"
    hj_t=$(cut -d' ' -f1 "$out/.hwj" | median)
    hj_m=$(cut -d' ' -f2 "$out/.hwj" | median)
    line "hwcheck -j 2, JSON" "$hj_t" "$hj_m"
    echo "  runs: $(cut -d' ' -f1 "$out/.hwj" | tr '\n' ' ')"
    if [ $duck = 1 ]; then
        d_t=$(cut -d' ' -f1 "$out/.duck" | median)
        d_m=$(cut -d' ' -f2 "$out/.duck" | median)
        line "DuckDB (2 threads)" "$d_t" "$d_m"
        echo "  runs: $(cut -d' ' -f1 "$out/.duck" | tr '\n' ' ')"
        awk -v a="$hw_t" -v b="$d_t" -v c="$hw_m" -v d="$d_m" -v j="$hj_t" -v k="$hj_m" 'BEGIN {
            printf "hwcheck/DuckDB: time %.2f (speed-up %.2fx), peak RSS %.2f\n", a / b, b / a, c / d
            printf "hwcheck JSON/DuckDB: time %.2f (speed-up %.2fx), peak RSS %.2f\n", j / b, b / j, k / d }'
        if node bench/compare.mjs "$hw_json" "$duck_csv"; then :; else status=1; fi
    fi
    "$bin" -j 1 --format json -o "$out/j1.json" "$file" || [ $? = 1 ]
    if ! cmp -s "$out/j1.json" "$hw_json"; then
        echo "bench: -j 1 and -j 2 reports differ on $file" >&2
        status=1
    fi
}
# alternate N [ARG]...: runs run_a ARG... and run_b ARG... (functions the
# caller defines, each printing one run_once line) N times each, in turn;
# their lines go to $out/.a and $out/.b
alternate() {
    n_alt=$1
    shift
    : > "$out/.a"
    : > "$out/.b"
    i=0
    while [ $i -lt "$n_alt" ]; do
        run_a "$@" >> "$out/.a"
        run_b "$@" >> "$out/.b"
        i=$((i + 1))
    done
}
# pair J NAME_A FILE_A NAME_B FILE_B: hwcheck -j J on two files holding the
# same rows, in turn, medians of reps; both must find the same breaches
pair() {
    pj=$1 na=$2 fa=$3 nb=$4 fb=$5
    for f in "$fa" "$fb"; do # untimed: the files in the page cache
        $bin -j "$pj" -o /dev/null "$f" || [ $? = 1 ]
    done
    run_a() { run_once $bin -j "$pj" -o "$out/pair-a.txt" "$fa"; }
    run_b() { run_once $bin -j "$pj" -o "$out/pair-b.txt" "$fb"; }
    alternate "$reps"
    ta=$(cut -d' ' -f1 "$out/.a" | median)
    tb=$(cut -d' ' -f1 "$out/.b" | median)
    awk -v na="$na" -v nb="$nb" -v a="$ta" -v b="$tb" 'BEGIN {
        printf "%s: %.3f s, %s: %.3f s: %s takes %.2f times as long\n", na, a, nb, b, na, a / b }'
    if [ "$(tail -1 "$out/pair-a.txt")" != "$(tail -1 "$out/pair-b.txt")" ]; then
        echo "bench: $na and $nb gave other findings" >&2
        status=1
    fi
}
line() { awk -v n="$1" -v t="$2" -v m="$3" -v mb="$mb" -v r="$nrows" \
    'BEGIN { printf "%-22s %8.3f %8.1f %10.0f %12.1f\n", n, t, mb / t, r / t, m / 1024 }'; }

echo "== hwcheck $($bin --version | head -1 | cut -d' ' -f2) on $(nproc) core(s); medians of $reps run(s)"
big=$(gen_file "$rows")
compare "$big"
# the CSV stage alone, one thread, callbacks that only count: libcsv fed in
# blocks and line by line, and hwcheck's stage with its fast path and without
echo
echo "== the CSV stage alone on $big, 1 thread, medians of $reps"
for how in blocks lines libcsv stage; do
    : > "$out/.c"
    i=0
    while [ $i -lt "$reps" ]; do
        build/bench/csvonly "$big" $how | sed 's/.* \([0-9.]*\) s: .*/\1/' >> "$out/.c"
        i=$((i + 1))
    done
    case $how in
    blocks) what="libcsv alone, fed in 256 KiB blocks" ;;
    lines) what="libcsv alone, fed line by line" ;;
    libcsv) what="hwcheck's CSV stage, every line to libcsv" ;;
    stage) what="hwcheck's CSV stage, plain lines split by its fast path" ;;
    esac
    awk -v t="$(median < "$out/.c")" -v mb="$mb" -v w="$what" 'BEGIN {
        printf "%-58s %.3f s, %4.0f MB/s\n", w ":", t, mb / t }'
done

echo
echo "== doubling series (hwcheck -j 2, text report, medians of $reps)"
printf '%10s %12s %10s %8s %8s %12s %14s\n' rows class-days MB "wall s" "MB/s" "peak RSS MB" "RSS B/class-day"
for n in $series; do
    f=$(gen_file "$n")
    : > "$out/.s"
    i=0
    while [ $i -lt "$reps" ]; do
        run_once $bin -j 2 -o "$out/series.txt" "$f" >> "$out/.s"
        i=$((i + 1))
    done
    $bin -j 2 --format json -o "$out/series.json" "$f" || [ $? = 1 ]
    cd_n=$(grep -o '"class_days":[0-9]*' "$out/series.json" | tail -1 | cut -d: -f2)
    t=$(cut -d' ' -f1 "$out/.s" | median)
    m=$(cut -d' ' -f2 "$out/.s" | median)
    awk -v n="$n" -v c="$cd_n" -v mb="$(size_mb "$f")" -v t="$t" -v m="$m" 'BEGIN {
        printf "%10d %12d %10.1f %8.3f %8.1f %12.1f %14.1f\n", n, c, mb, t, mb / t, m / 1024, m * 1024 / c }'
done

echo
# A register saved by Excel or WPS on Chinese Windows is GBK: the rows of the
# second file of the series again, in GBK, hwcheck alone (DuckDB reads UTF-8
# only). Both must find the same breaches.
n=$(echo "$series" | awk '{ print (NF > 1 ? $2 : $1) }')
utf=$(gen_file "$n")
gbk="$out/export-$n-$classes-gbk.csv"
[ -s "$gbk" ] || "$gen" -o "$gbk" --rows "$n" --classes "$classes" --breach 0.05 --seed 1 --gbk 1
echo "== the same $n rows in GBK ($(size_mb "$gbk") MB) and UTF-8 ($(size_mb "$utf") MB), hwcheck -j 2, medians of $reps alternating runs"
pair 2 GBK "$gbk" UTF-8 "$utf"

echo
# The same rows on standard input: redirected from the file (a regular
# file, split as the file named is) and piped (read in order as it comes),
# each against the file named, in turn. Both must find the same breaches.
echo "== the same $n rows on standard input, against the file named, hwcheck -j 2, medians of $reps alternating runs"
for how in redirected piped; do
    run_a() {
        if [ $how = redirected ]; then
            run_once sh -c "exec $bin -j 2 -o $out/pair-a.txt - < $utf"
        else
            run_once sh -c "cat $utf | $bin -j 2 -o $out/pair-a.txt -"
        fi
    }
    run_b() { run_once $bin -j 2 -o "$out/pair-b.txt" "$utf"; }
    alternate "$reps"
    ta=$(cut -d' ' -f1 "$out/.a" | median)
    tb=$(cut -d' ' -f1 "$out/.b" | median)
    awk -v n="$how" -v a="$ta" -v b="$tb" 'BEGIN {
        printf "%s: %.3f s, named: %.3f s: %s takes %.2f times as long\n", n, a, b, n, a / b }'
    if [ "$(tail -1 "$out/pair-a.txt")" != "$(tail -1 "$out/pair-b.txt")" ]; then
        echo "bench: standard input ($how) and the file named gave other findings" >&2
        status=1
    fi
done

echo
# Registers as people save and type them, against the generated file, read
# whole by one thread (-j 1 here; any file under 2 MiB in a folder): Excel
# and WPS save "CSV UTF-8" with a BOM; a cell typed with Alt+Enter holds a
# line break inside its quotes; a cell typed by hand keeps a space; a
# minutes column formatted as a number with a decimal exports 20.0; Excel
# for the Mac's "CSV (Macintosh)" ends lines with CR alone.
echo "== the same $n rows as people save and type them, against as generated, hwcheck -j 1, medians of $reps alternating runs"
bom="$out/export-$n-$classes-bom.csv"
[ -s "$bom" ] || { printf '\357\273\277' && cat "$utf"; } > "$bom"
pair 1 "with a BOM" "$bom" "without" "$utf"
lines="$out/export-$n-$classes-lines.csv" # every tenth row's text on two lines
[ -s "$lines" ] || sed '0~10s/,"/,"\r\n/' "$utf" > "$lines"
pair 1 "cells on two lines" "$lines" "on one" "$utf"
spaces="$out/export-$n-$classes-spaces.csv" # a space after each subject
[ -s "$spaces" ] || awk 'BEGIN { FS = OFS = "," } NR > 1 { $5 = $5 " " } 1' "$utf" > "$spaces"
pair 1 "spaces in cells" "$spaces" "none" "$utf"
decimals="$out/export-$n-$classes-decimals.csv" # minutes as a number column exports them
[ -s "$decimals" ] || awk 'BEGIN { FS = OFS = "," } NR > 1 { $6 = $6 ".0" } 1' "$utf" > "$decimals"
pair 1 "minutes as 20.0" "$decimals" "as 20" "$utf"
mac="$out/export-$n-$classes-cr.csv" # CR line ends, as "CSV (Macintosh)"
[ -s "$mac" ] || tr '\n' '\r' < "$utf" > "$mac"
pair 1 "CR line ends" "$mac" "LF" "$utf"

echo
echo "== a teacher's weekly file (100 rows), medians of $wreps runs"
week="$out/week-100.csv"
[ -s "$week" ] || "$gen" -o "$week" --rows 100 --classes 1 --weeks 8 --seed 7
: > "$out/.w"
i=0
while [ $i -lt "$wreps" ]; do
    run_once $bin "$week" >> "$out/.w"
    i=$((i + 1))
done
wt=$(cut -d' ' -f1 "$out/.w" | median)
awk -v t="$wt" 'BEGIN { printf "100-row file: %.2f ms (target < 5 ms)\n", t * 1000 }'

# speedup TARGET ARGS...: -j 1 against -j 2 on the files ARGS name, medians
# of freps alternating runs; checks that the two write the same report
# found: whether the status of the hwcheck run just before says it checked
# its input (1: breaches; 2: input errors too, when errors=1)
found() {
    st=$?
    [ "$st" = 1 ] || { [ "$st" = 2 ] && [ "${errors:-0}" = 1 ]; }
}

# speedup TARGET PATH...: -j 1 against -j 2 on the same input; with
# errors=1 its input errors are expected (exit status 2)
speedup() {
    target=$1
    shift
    $bin -j 1 -o /dev/null "$@" || found # untimed: the files in the page cache
    # timed: the text report, as for the big file; the JSON reports below
    run_a() { run_once $bin -j 1 -o "$out/j1.txt" "$@"; }
    run_b() { run_once $bin -j 2 -o "$out/j2.txt" "$@"; }
    alternate "$freps" "$@"
    $bin -j 1 --format json -o "$out/j1.json" "$@" || found
    $bin -j 2 --format json -o "$out/j2.json" "$@" || found
    j1=$(cut -d' ' -f1 "$out/.a" | median)
    j2=$(cut -d' ' -f1 "$out/.b" | median)
    awk -v a="$j1" -v b="$j2" -v t="$target" 'BEGIN {
        printf "-j 1: %.3f s, -j 2: %.3f s: speed-up %.2fx%s\n", a, b, a / b, t }'
    # A core of a shared machine is at times slower than the other for
    # seconds on end: a -j 2 run then waits for it, a -j 1 run meets it
    # only when it runs there. The fastest runs show the two on fast cores.
    j1=$(cut -d' ' -f1 "$out/.a" | sort -g | head -n 1)
    j2=$(cut -d' ' -f1 "$out/.b" | sort -g | head -n 1)
    awk -v a="$j1" -v b="$j2" 'BEGIN {
        printf "  fastest runs: -j 1: %.4f s, -j 2: %.4f s: %.2fx\n", a, b, a / b }'
    if ! cmp -s "$out/j1.json" "$out/j2.json"; then
        echo "bench: -j 1 and -j 2 reports differ on $*" >&2
        status=1
    fi
}

echo
# a run of the folder takes some 40 ms: more runs, for a steadier median
freps=$((reps * 4 + 1))
dir="$out/classes-$nfiles"
[ -d "$dir" ] || "$gen" -d "$dir" --files "$nfiles" --weeks 20 --gbk 0.3 --seed 3
echo "== a folder of $nfiles class files (30% GBK, $(cat "$dir"/*.csv | wc -c | awk '{ printf "%.1f", $1 / 1e6 }') MB), -j 1 against -j 2, text report, medians of $freps"
speedup " (target >= 1.8x)" "$dir"/*.csv

echo
wdir="$out/weekly-$nweekly"
[ -d "$wdir" ] || "$gen" -d "$wdir" --files "$nweekly" --rows $((nweekly * 25)) \
    --classes "$nweekly" --weeks 1 --gbk 0.3 --seed 5
wrows=$(($(cat "$wdir"/*.csv | wc -l) - nweekly))
echo "== a district's week: a folder of $nweekly class files of one week, $wrows rows ($(cat "$wdir"/*.csv | wc -c | awk '{ printf "%.1f", $1 / 1e6 }') MB), named by the folder, medians of $freps"
speedup "" "$wdir"

# A register where a teacher typed another grade now and then: each such row
# is an input error, and the parts it falls in still merge (a part is read
# again only where a class's first row in it has the other grade).
echo
typo="$out/export-$n-$classes-typo.csv" # one row in 2,000 with another grade
[ -s "$typo" ] || awk 'BEGIN { FS = OFS = "," } NR > 1 && NR % 2000 == 0 { $3 = $3 % 9 + 1 } 1' \
    "$utf" > "$typo"
echo "== the same $n rows with one in 2,000 giving its class another grade, -j 1 against -j 2, medians of $reps"
freps=$reps errors=1
speedup "" "$typo"
errors=0

echo
echo "== the same rows in other orders: date by date, date by date with each day's rows shuffled, and shuffled"
for order in date day random; do
    compare "$(gen_file "$rows" "$order")"
done

# A register where breaches are the rule: every finding is sorted, written
# with its rows, and compared; DuckDB only lists the breaches' keys.
echo
echo "== the same number of rows, class by class, with 40 % of class-days over a cap (5 % above)"
compare "$(gen_file "$rows" class 0.4)"
exit $status
