#!/bin/sh
# smoke.sh - the short fuzzing pass of `make check-full`: builds every libFuzzer
# target with clang (tests/fuzz/build.sh) and runs each for about 8 s
# (FUZZ_SECONDS) on its seed corpus; fails on any crash.  Skips (77) only
# when clang or its libFuzzer/sanitizer runtime (libclang-rt) is missing.
# `make fuzz` is the longer run (60 s each).
: "${BR_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${BR_BUILDDIR:=$BR_SRCDIR}"
FUZZ_SECONDS=${FUZZ_SMOKE_SECONDS:-8}
export FUZZ_SECONDS
exec "$BR_SRCDIR/tests/fuzz/run.sh" "$BR_BUILDDIR/fuzz"
