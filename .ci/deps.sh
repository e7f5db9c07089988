#!/bin/sh
# Installs the Debian packages hwcheck needs to build and test, if any are missing.
set -eu
# mandoc lints the man page; git is used by a CI-format test; chromium renders
# the HTML report for its DOM test; time measures peak memory in the hostile
# suite; clang and its runtime build the fuzzers.
pkgs="build-essential pkg-config libcsv-dev libcjson-dev libcmocka-dev valgrind mandoc git chromium time clang libclang-rt-14-dev"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# npm runs the validators of the tests (ajv-cli, sarif-multitool); the image
# usually has it.
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
[ -z "$missing" ] && exit 0
echo "installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
