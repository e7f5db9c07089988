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
mkdir -p $b/$h
# The same small row bounds as the fuzz build (see FUZZ_DEFS in the Makefile).
flags="-g -O1 -fprofile-instr-generate -fcoverage-mapping -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude
       -DHW_CSV_MAX_ROW_BYTES=2048 -DHW_CSV_MAX_FIELDS=64 -DHW_CSV_PIECE=100"
srcs=$(ls src/*.c | grep -v src/main.c)
# shellcheck disable=SC2086
clang $flags -DHW_VERSION='"cov"' -fsanitize=fuzzer -o $b/$h/$h fuzz/$h.c $srcs -lcsv -lcjson
dirs="fuzz/corpus/$h"
[ -d fuzz/out/$h/corpus ] && dirs="$dirs fuzz/out/$h/corpus"
[ -d fuzz/regress/$h ] && dirs="$dirs fuzz/regress/$h"
# shellcheck disable=SC2086
LLVM_PROFILE_FILE=$b/$h/%p.profraw $b/$h/$h -runs=0 $dirs > $b/$h/run.log 2>&1
llvm-profdata merge -o $b/$h/all.profdata $b/$h/*.profraw
# shellcheck disable=SC2086
llvm-cov report $b/$h/$h -instr-profile=$b/$h/all.profdata $srcs
