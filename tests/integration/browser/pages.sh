#!/bin/sh
# Browser test of the pages: tests/unit/render_pages writes every page kind,
# headless Chromium (playwright-core) checks what a person sees.  Skips
# (exit 77) without node or chromium.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
chromium=${BR_CHROMIUM:-/usr/bin/chromium}

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "pages.sh: node/npm not found, skipped"
	exit 77
fi
if [ ! -x "$chromium" ]; then
	echo "pages.sh: $chromium not found, skipped"
	exit 77
fi

builddir=${BR_BUILDDIR:-$(pwd)}
render="$builddir/tests/unit/render_pages"
if [ ! -x "$render" ]; then
	echo "pages.sh: $render not built"
	exit 99
fi

"$here/setup"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT INT TERM
"$render" "$out"

BR_CHROMIUM=$chromium \
BR_ARTIFACTS=${BR_ARTIFACTS:-${BR_SRCDIR:-$here/../../..}/tests/artifacts} \
	node "$here/pages.test.js" "$out"
