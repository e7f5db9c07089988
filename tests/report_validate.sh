#!/bin/sh
# Checks the machine-readable reports with real validators from npm:
#   --format json   against docs/report.schema.json with ajv-cli;
#   --format sarif  with sarif-multitool validate (Microsoft's SARIF SDK),
#                   which must report no error and no warning.
# Each runs on the samples, input errors, whole-file refusals, a school
# policy with every rule, standard input and a baseline; and each validator
# must reject a report broken on purpose, so the check can fail.
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.."
root=$(pwd)
tools=$(sh tests/npm_tools.sh ajv sarif)
ajv=$tools/node_modules/.bin/ajv
# The npm wrapper passes arguments through a shell; call the tool itself.
multitool=$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
chmod u+x "$multitool"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }

json_valid() { # file
    "$ajv" validate --spec=draft7 -s "$root/docs/report.schema.json" -d "$1" >"$work/ajv.out" 2>&1
}
# Prints the validator's errors and warnings (level, rule, where); none: valid.
sarif_problems() { # file
    rm -f "$work/log.sarif"
    "$multitool" validate "$1" -o "$work/log.sarif" >/dev/null 2>&1 || true
    [ -f "$work/log.sarif" ] || { echo "no validation log"; return; }
    node -e '
        const log = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        for (const run of log.runs)
            for (const r of run.results || [])
                if (r.level === "error" || r.level === "warning" || r.level === undefined)
                    console.log(r.level || "warning", r.ruleId,
                                JSON.stringify((r.message || {}).arguments || []));
    ' "$work/log.sarif"
}

# Runs hwcheck in a case folder (a copy) in both formats and validates both.
check() { # name, folder, hwcheck arguments...
    name=$1
    dir=$2
    shift 2
    rm -rf "$work/run"
    cp -R "$dir" "$work/run"
    (cd "$work/run" && "$bin" --format json "$@" >"$work/report.json" 2>/dev/null) || true
    (cd "$work/run" && "$bin" --format sarif "$@" >"$work/report.sarif" 2>/dev/null) || true
    if json_valid "$work/report.json"; then ok; else ko "$name: JSON report"; cat "$work/ajv.out"; fi
    problems=$(sarif_problems "$work/report.sarif")
    if [ -z "$problems" ]; then ok; else ko "$name: SARIF"; echo "$problems"; fi
    # Both formats carry the same results: SARIF has one per finding and input error.
    counts=$(node -e '
        const fs = require("fs");
        const j = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
        const s = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
        console.log(j.findings.length + j.input_errors.length, s.runs[0].results.length);
    ' "$work/report.json" "$work/report.sarif")
    set -- $counts
    if [ "$1" = "$2" ] && [ "$1" != 0 ]; then ok; else ko "$name: $1 JSON items, $2 SARIF results"; fi
}

cases=$root/tests/e2e/cases
check "samples" "$root/data" grade3-class2-week48-gbk.csv grade5-english.csv junior1-week48-utf8.csv
check "every rule of a school policy" "$cases/policy-school-rules-json" --policy school.json register.csv
check "input errors" "$cases/input-errors-json" --lang zh bad.csv
check "xlsx, xls and UTF-16 refused" "$cases/xlsx-and-utf16" book.xlsx old.xls unicode.txt
check "standard input and ./ paths" "$root/data" - ./grade3-class2-week48-gbk.csv "$root/data/grade5-english.csv" <"$root/data/junior1-week48-utf8.csv"

# A baseline of two samples under the default policy, then a check of all
# three under another: new findings are reported, and the baseline entries
# of the checked files that no longer occur are listed.
(cd "$root/data" && "$bin" --write-baseline "$work/baseline.json" \
    ./grade3-class2-week48-gbk.csv junior1-week48-utf8.csv >/dev/null) || true
if json_valid "$work/baseline.json"; then ok; else ko "written baseline"; cat "$work/ajv.out"; fi
check "baseline with unmatched entries" "$root/data" --preset national-strict \
    --baseline "$work/baseline.json" grade3-class2-week48-gbk.csv junior1-week48-utf8.csv \
    grade5-english.csv
got=$(node -e '
    const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(j.findings.length, (j.baseline_unmatched || []).length, j.summary.baselined);
' "$work/report.json")
[ "$got" = "5 4 1" ] && ok || ko "baseline: got $got findings, unmatched, baselined"

# The validators must catch a broken report.
node -e '
    const fs = require("fs");
    const j = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    delete j.findings[0].rule;
    fs.writeFileSync(process.argv[2], JSON.stringify(j));
    const s = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
    delete s.version;
    s.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    fs.writeFileSync(process.argv[4], JSON.stringify(s));
' "$work/baseline.json" "$work/broken.json" "$work/report.sarif" "$work/broken.sarif"
if json_valid "$work/broken.json"; then ko "ajv accepted a finding without a rule"; else ok; fi
if [ -n "$(sarif_problems "$work/broken.sarif")" ]; then ok; else ko "sarif-multitool accepted a broken log"; fi

echo "report validation: $pass passed, $fail failed"
[ "$fail" = 0 ]
