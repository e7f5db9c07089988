#!/bin/sh
# make install into an empty tree with PREFIX and DESTDIR, as a packager
# would: the binary runs, the man page renders, the completion completes;
# make uninstall leaves no file behind.
set -eu
cd "$(dirname "$0")/.."
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
fail=0
ko() { echo "FAIL: $*"; fail=1; }
make -s install DESTDIR="$dest" PREFIX=/opt/hw >/dev/null
for f in bin/hwcheck share/man/man1/hwcheck.1 share/bash-completion/completions/hwcheck share/doc/hwcheck/README.md; do
    [ -f "$dest/opt/hw/$f" ] || ko "$f not installed"
done
"$dest/opt/hw/bin/hwcheck" --version | grep -q '^hwcheck [0-9.]* (libcsv ' || ko "installed binary: --version"
if command -v man >/dev/null 2>&1; then
    MANPATH="$dest/opt/hw/share/man" man -P cat hwcheck 2>/dev/null | grep -q -- '--baseline' ||
        ko "man hwcheck from the installed tree"
fi
got=$(PATH="$dest/opt/hw/bin:$PATH" bash -c '
    . "$1/opt/hw/share/bash-completion/completions/hwcheck"
    COMP_WORDS=(hwcheck --format s); COMP_CWORD=2; _hwcheck; echo "${COMPREPLY[*]}"
    COMP_WORDS=(hwcheck --fail); COMP_CWORD=1; _hwcheck; echo "${COMPREPLY[*]}"
' _ "$dest")
[ "$got" = "sarif
--fail-on" ] || ko "bash completion gave: $got"
make -s uninstall DESTDIR="$dest" PREFIX=/opt/hw >/dev/null
left=$(find "$dest" -type f)
[ -z "$left" ] || ko "left after uninstall: $left"
[ "$fail" = 0 ] && echo "install: binary, man page and completion installed and removed"
exit "$fail"
