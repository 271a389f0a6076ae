#!/bin/sh
# The modules form no circle (issue 18): module X uses module Y when
# bridge/X.c or include/bridge/X.h includes "bridge/Y.h".  tsort fails on a
# loop and names the modules on it.
set -eu
src=${BR_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
for f in "$src"/bridge/*.c "$src"/include/bridge/*.h; do
	x=$(basename "$f")
	x=${x%.*}
	sed -n 's|^#include "bridge/\([a-z0-9_]*\)\.h".*|\1|p' "$f" | while read -r y; do
		[ "$x" = "$y" ] || echo "$x $y"
	done
done >"$edges"
n=$(wc -l <"$edges")
[ "$n" -gt 50 ] || { echo "FAIL: only $n include edges read from $src"; exit 1; }
if ! tsort "$edges" >/dev/null 2>"$edges.err"; then
	cat "$edges.err"
	rm -f "$edges.err"
	echo "FAIL: the modules include each other in a circle (above)"
	exit 1
fi
rm -f "$edges.err"
echo "ok: $n include edges between modules, no circle"
