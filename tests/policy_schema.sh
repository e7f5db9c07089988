#!/bin/sh
# Checks docs/policy.schema.json with a real JSON-schema validator (ajv-cli,
# from npm) against every built-in preset as --print-policy prints it and
# against the example policies; and that hwcheck and the schema agree on a
# policy that must be refused.
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.."
tools=$(sh tests/npm_tools.sh ajv)
ajv="$tools/node_modules/.bin/ajv"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
check() { # name, expected (valid|invalid), file
    if "$ajv" validate --spec=draft7 -s docs/policy.schema.json -d "$3" >/dev/null 2>&1; then got=valid; else got=invalid; fi
    if [ "$got" = "$2" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1: schema says $got"; fi
}
"$bin" --list-presets | while read -r name _; do echo "$name"; done > "$work/presets"
while read -r name; do
    "$bin" --preset "$name" --print-policy > "$work/$name.json"
    check "preset $name" valid "$work/$name.json"
done < "$work/presets"
for f in docs/examples/*.json; do
    check "$f" valid "$f"
    "$bin" --policy "$f" --print-policy > "$work/printed.json"
    check "$f as printed" valid "$work/printed.json"
done
printf '{"bands":[{"grades":[3,4],"daily_cap":-5}]}' > "$work/bad.json"
check "negative cap" invalid "$work/bad.json"
if "$bin" --policy "$work/bad.json" --print-policy >/dev/null 2>&1; then
    fail=$((fail + 1)); echo "FAIL: hwcheck accepted a negative cap"
else
    pass=$((pass + 1))
fi
echo "policy schema: $pass passed, $fail failed"
[ "$fail" = 0 ]
