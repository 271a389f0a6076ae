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
# The branded pages' logo (a real PNG: a green badge with a white bar) and
# extra style sheet, as an operator would give them.
mkdir -p "$out/auth/static"
python3 - "$out/auth/static/logo" <<'PY'
import struct, sys, zlib
w, h = 180, 48
rows = b''
for y in range(h):
    row = b'\x00'
    for x in range(w):
        bar = 12 <= y < 36 and 60 <= x < 170
        row += b'\xff\xff\xff' if bar else b'\x0b\x6e\x4f'
    rows += row
def chunk(t, d):
    c = struct.pack('>I', len(d)) + t + d
    return c + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
png += chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b'')
open(sys.argv[1], 'wb').write(png)
PY
printf 'main { border-top: 6px solid #0b6e4f }\nh1 { letter-spacing: .01em }\n' >"$out/auth/static/custom.css"
"$render" "$out"

BR_CHROMIUM=$chromium \
BR_ARTIFACTS=${BR_ARTIFACTS:-${BR_SRCDIR:-$here/../../..}/tests/artifacts} \
	node "$here/pages.test.js" "$out"
