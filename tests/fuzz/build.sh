#!/bin/sh
# build.sh - builds the libFuzzer targets with clang.
#
#   tests/fuzz/build.sh OUTDIR [TARGET...]
#
# Run from anywhere; SRCDIR is the tree this script is in.  The library
# sources are compiled once into OUTDIR/obj with clang (coverage
# instrumentation plus ASan and UBSan; libbridge.a is gcc-built and does not
# mix), an object is rebuilt only when its source or a header is newer.
# Each target links its own main with those objects.  TARGET names are
# fuzz_jose, fuzz_jwks, ... (default: every tests/fuzz/fuzz_*.c).
# Environment: CLANG (default clang), FUZZ_JOBS (parallel compiles, default 2).
# Exit 77 when clang or its libFuzzer runtime is missing.
set -eu

SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:?usage: build.sh OUTDIR [TARGET...]}
shift
CLANG=${CLANG:-clang}
JOBS=${FUZZ_JOBS:-2}

if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "build.sh: $CLANG not found" >&2
	exit 77
fi
mkdir -p "$OUT/obj"
OUT=$(cd "$OUT" && pwd)

# Does this clang have the libFuzzer and sanitizer runtimes?
probe="$OUT/obj/probe"
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n){(void)d;(void)n;return 0;}\n' \
	>"$probe.c"
if ! "$CLANG" -fsanitize=fuzzer,address,undefined "$probe.c" -o "$probe" >"$probe.log" 2>&1; then
	echo "build.sh: $CLANG cannot link -fsanitize=fuzzer,address,undefined (libclang-rt missing?)" >&2
	cat "$probe.log" >&2
	exit 77
fi

PKGS="cjose jansson libcrypto libcurl libevent libevent_pthreads inih"
DEP_CFLAGS=$(pkg-config --cflags $PKGS)
DEP_LIBS="$(pkg-config --libs $PKGS) -lunistring -lpthread -lm"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
CFLAGS="-std=c11 -g -O1 -Werror=implicit-function-declaration -Werror=int-conversion -fno-omit-frame-pointer $SAN -I$SRCDIR/include -I$SRCDIR/tests/fuzz"

# The library, minus main.c (the fuzz mains bring their own).
# bridge/*.h are the modules' private headers (config_keys.h).
newest_h=$(ls -t "$SRCDIR"/include/bridge/*.h "$SRCDIR"/bridge/*.h "$SRCDIR/tests/fuzz/config.h" "$0" | head -n 1)
todo=""
objs=""
for src in "$SRCDIR"/bridge/*.c; do
	base=$(basename "$src" .c)
	[ "$base" = main ] && continue
	obj="$OUT/obj/$base.o"
	objs="$objs $obj"
	if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest_h" -nt "$obj" ]; then
		todo="$todo $base"
	fi
done
if [ -n "$todo" ]; then
	export CLANG CFLAGS DEP_CFLAGS SRCDIR OUT
	# shellcheck disable=SC2086
	printf '%s\n' $todo | xargs -P "$JOBS" -I '{}' sh -c \
		'$CLANG $CFLAGS -fsanitize=fuzzer-no-link $DEP_CFLAGS -c "$SRCDIR/bridge/{}.c" -o "$OUT/obj/{}.o"'
	rm -f "$OUT/obj/libbridge-fuzz.a"
fi
if [ "$(cat "$OUT/obj/objs.list" 2>/dev/null)" != "$objs" ]; then
	rm -f "$OUT/obj/libbridge-fuzz.a" # a source was added or removed
fi
if [ ! -f "$OUT/obj/libbridge-fuzz.a" ]; then
	# Only the objects of today's sources: one left from a renamed or
	# removed file (config.o) would define its symbols twice.
	# shellcheck disable=SC2086
	rm -f "$OUT/obj/libbridge-fuzz.a.tmp"
	ar rcs "$OUT/obj/libbridge-fuzz.a.tmp" $objs
	mv "$OUT/obj/libbridge-fuzz.a.tmp" "$OUT/obj/libbridge-fuzz.a"
	printf '%s\n' "$objs" >"$OUT/obj/objs.list"
fi

if [ $# -eq 0 ]; then
	set -- $(cd "$SRCDIR/tests/fuzz" && ls fuzz_*.c | sed 's/\.c$//')
fi
for t in "$@"; do
	src="$SRCDIR/tests/fuzz/$t.c"
	bin="$OUT/$t"
	if [ -f "$bin" ] && [ ! "$src" -nt "$bin" ] && [ ! "$OUT/obj/libbridge-fuzz.a" -nt "$bin" ]; then
		continue
	fi
	echo "  CCLD     $t"
	# shellcheck disable=SC2086
	"$CLANG" $CFLAGS -fsanitize=fuzzer $DEP_CFLAGS "$src" "$OUT/obj/libbridge-fuzz.a" \
		$DEP_LIBS -o "$bin"
done
