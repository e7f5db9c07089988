#!/bin/sh
# Line coverage of src/ reached by a harness's corpus (seeds plus what
# `make fuzz` found in fuzz/out/<harness>/corpus), with clang's source-based
# coverage. Prints llvm-cov's per-file report.
#
#   sh fuzz/coverage.sh fuzz_pipeline
set -eu
h=$1
cd "$(dirname "$0")/.."
b=build-cov
# The harnesses as the fuzz build makes them (the same row bounds), with
# coverage instead of the sanitizers.
${MAKE:-make} -s fuzz-cov-build
dirs="fuzz/corpus/$h"
[ -d fuzz/out/$h/corpus ] && dirs="$dirs fuzz/out/$h/corpus"
[ -d fuzz/regress/$h ] && dirs="$dirs fuzz/regress/$h"
mkdir -p $b/$h
rm -f $b/$h/*.profraw
# shellcheck disable=SC2086
LLVM_PROFILE_FILE=$b/$h/%p.profraw $b/fuzz/$h -runs=0 $dirs > $b/$h/run.log 2>&1
llvm-profdata merge -o $b/$h/all.profdata $b/$h/*.profraw
# shellcheck disable=SC2086
llvm-cov report $b/fuzz/$h -instr-profile=$b/$h/all.profdata $(ls src/*.c | grep -v src/main.c)
