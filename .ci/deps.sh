#!/bin/sh
# Installs the Debian packages hwcheck needs to build and test, if any are missing.
set -eu
# chromium renders the HTML report for its DOM test.
pkgs="build-essential pkg-config libcsv-dev libcjson-dev libcmocka-dev valgrind chromium"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# npm runs the JSON-schema validator of the tests; the image usually has it.
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
[ -z "$missing" ] && exit 0
echo "installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
