#!/bin/sh
# End-to-end tests: run the built binary on each case under tests/e2e/cases
# and compare what it prints and its exit status with the expected ones.
#
# A case is a folder holding:
#   args      the command-line arguments (shell words; paths relative to the case)
#   expected  the expected standard output, then "[stderr]" and standard error if any
#   status    the expected exit status
#   stdin     (optional) fed to standard input
#   env       (optional) extra environment assignments, one per line
#   after     (optional) a shell script run in the case folder afterwards, with
#             HWCHECK naming the binary; what it
#             prints is compared too (e.g. the file written by -o)
# Each case runs in a fresh copy of its folder. UPDATE=1 rewrites expected and
# status from what the binary does now.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")" && pwd)/cases
pass=0
fail=0
for dir in "$root"/*/; do
    name=$(basename "$dir")
    work=$(mktemp -d)
    cp -R "$dir." "$work/"
    (
        cd "$work" || exit 99
        unset LC_ALL LC_MESSAGES LANGUAGE
        export LANG=C
        if [ -f env ]; then
            while IFS= read -r kv; do [ -n "$kv" ] && export "$kv"; done < env
        fi
        eval "set -- $(cat args)"
        if [ -f stdin ]; then
            "$bin" "$@" < stdin > .stdout 2> .stderr
        else
            "$bin" "$@" < /dev/null > .stdout 2> .stderr
        fi
        code=$?
        if [ -f after ]; then
            HWCHECK="$bin" sh after >> .stdout 2>&1
        fi
        exit $code
    )
    got=$?
    out="$work/.stdout"
    if [ -s "$work/.stderr" ]; then
        printf '[stderr]\n' >> "$out"
        cat "$work/.stderr" >> "$out"
    fi
    if [ "${UPDATE:-}" = 1 ]; then
        cp "$out" "$dir/expected"
        echo "$got" > "$dir/status"
    fi
    want=$(cat "$dir/status" 2>/dev/null || echo missing)
    if [ "$got" = "$want" ] && cmp -s "$out" "$dir/expected"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $name (exit $got, expected $want)"
        diff -u "$dir/expected" "$out" | head -40
    fi
    rm -rf "$work"
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
