#!/bin/sh
# run.sh - builds the libFuzzer targets and runs each on a scratch copy of
# its seed corpus for FUZZ_SECONDS (default 60); fails when any target
# crashes, leaks, times out (> 5 s per input) or goes over 2 GB.
#
#   tests/fuzz/run.sh OUTDIR [TARGET...]      (default: every fuzz_*.c)
#
# OUTDIR gets the binaries (tests/fuzz/build.sh), OUTDIR/corpus/<name> the
# working corpora (the committed seeds in tests/fuzz/corpus/<name> are never
# written), OUTDIR/artifacts the crash inputs and OUTDIR/logs the output.
# FUZZ_JOBS targets run at once (default 2).  Exit 77 when clang or its
# libFuzzer runtime is missing.
set -u

SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:?usage: run.sh OUTDIR [TARGET...]}
shift
SECONDS_EACH=${FUZZ_SECONDS:-60}
JOBS=${FUZZ_JOBS:-2}

"$SRCDIR/tests/fuzz/build.sh" "$OUT" "$@"
rc=$?
[ $rc -eq 0 ] || exit $rc
OUT=$(cd "$OUT" && pwd)

if [ $# -eq 0 ]; then
	set -- $(cd "$SRCDIR/tests/fuzz" && ls fuzz_*.c | sed 's/\.c$//')
fi
mkdir -p "$OUT/artifacts" "$OUT/logs" "$OUT/corpus"
rm -f "$OUT"/logs/*.status

run_one() {
	t=$1
	name=${t#fuzz_}
	work="$OUT/corpus/$name"
	# A fresh copy of the seeds each run: what an earlier run found stays
	# out of the committed corpus (copy it there by hand when it matters).
	rm -rf "$work"
	mkdir -p "$work"
	if [ -d "$SRCDIR/tests/fuzz/corpus/$name" ]; then
		cp "$SRCDIR/tests/fuzz/corpus/$name"/* "$work"/
	fi
	extra=""
	case $name in
	rule) extra="-max_len=4200" ;;
	config) extra="-max_len=16384" ;;
	esac
	# shellcheck disable=SC2086
	"$OUT/$t" -max_total_time="$SECONDS_EACH" -timeout=5 -rss_limit_mb=2048 \
		-artifact_prefix="$OUT/artifacts/$name-" -print_final_stats=1 $extra \
		"$work" >"$OUT/logs/$name.log" 2>&1 </dev/null
	st=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$OUT/logs/$name.log")
	if [ $st -eq 0 ]; then
		echo "fuzz: $t: ok (${runs:-?} runs in ${SECONDS_EACH} s)"
	else
		echo "fuzz: $t: FAILED (exit $st); log: $OUT/logs/$name.log"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|artifact_prefix|Test unit written)' \
			"$OUT/logs/$name.log" | head -n 8 | sed 's/^/    /'
	fi
	echo $st >"$OUT/logs/$name.status"
}

# Run JOBS targets at a time.
running=0
for t in "$@"; do
	run_one "$t" &
	running=$((running + 1))
	if [ $running -ge "$JOBS" ]; then
		wait
		running=0
	fi
done
wait

failed=0
for t in "$@"; do
	st=$(cat "$OUT/logs/${t#fuzz_}.status" 2>/dev/null || echo 1)
	[ "$st" -eq 0 ] || failed=$((failed + 1))
done
if [ $failed -ne 0 ]; then
	echo "fuzz: $failed target(s) failed; crash inputs in $OUT/artifacts"
	exit 1
fi
echo "fuzz: all $# targets ok"
