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
#   before    (optional) a shell script run in the case folder first, to make
#             what cannot be committed (a FIFO, a file of megabytes)
#   after     (optional) a shell script run in the case folder afterwards, with
#             HWCHECK naming the binary; what it
#             prints is compared too (e.g. the file written by -o)
# Each case runs in a fresh copy of its folder. UPDATE=1 rewrites expected and
# status from what the binary does now.
#
# HWCHECK_WRAPPER (optional) is a command put before the binary, e.g.
# valgrind. A wrapper that finds a fault must exit with status 99 (valgrind
# --error-exitcode=99: 1 and 2 are hwcheck's own) and log elsewhere than
# standard error; a case whose run exits 99 fails.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
wrapper=${HWCHECK_WRAPPER:-}
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
        if [ -f before ]; then
            sh before || exit 98
        fi
        eval "set -- $(cat args)"
        # shellcheck disable=SC2086 # the wrapper is a command and its words
        if [ -f stdin ]; then
            $wrapper "$bin" "$@" < stdin > .stdout 2> .stderr
        else
            $wrapper "$bin" "$@" < /dev/null > .stdout 2> .stderr
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
    if [ "$got" = 99 ] && [ -n "$wrapper" ]; then
        fail=$((fail + 1))
        echo "FAIL: $name: $wrapper found a fault (see its log)"
    elif [ "$got" = "$want" ] && cmp -s "$out" "$dir/expected"; then
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
