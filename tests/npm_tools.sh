#!/bin/sh
# Installs the validators from npm that the report and policy checks run,
# into build/tools, once; prints that folder. Each argument names one:
#   ajv    ajv-cli with ajv-formats (JSON schemas);
#   sarif  Microsoft's sarif-multitool.
#
#   tools=$(sh tests/npm_tools.sh ajv sarif)
set -eu
cd "$(dirname "$0")/.."
tools=$(pwd)/build/tools
need=""
for tool in "$@"; do
    case $tool in
    ajv) [ -x "$tools/node_modules/.bin/ajv" ] || need="$need ajv-cli@5 ajv-formats@2" ;;
    sarif)
        [ -d "$tools/node_modules/@microsoft/sarif-multitool-linux" ] ||
            need="$need @microsoft/sarif-multitool@5"
        ;;
    *)
        echo "npm_tools.sh: no tool $tool" >&2
        exit 2
        ;;
    esac
done
if [ -n "$need" ]; then
    mkdir -p "$tools"
    # shellcheck disable=SC2086
    npm install --silent --no-audit --no-fund --prefix "$tools" $need >/dev/null
fi
echo "$tools"
