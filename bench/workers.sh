#!/bin/sh
# Workers 1 -> 2: complete logins per second (wall clock) with the bridge at
# workers = 1 and workers = 2, same machine, same load, interleaved rounds.
#
# On a 2-core machine the OP and the load driver share the cores with the
# bridge, so they are made as cheap as they can be: bench/fastop signs its
# ID tokens with ES256 (about a tenth of an RSA-2048 signature) and the
# driver is bench/loginload (C, blocking sockets) rather than the Python
# one. The bridge still does its whole pipeline per login (seal and open the
# cookie, token request over curl, ES256 ID token verification, rules, an
# RS256 Jitsi token). Printed per round and as medians: logins/s, the cores
# each process used (CPU seconds / wall seconds), and logins per bridge
# CPU-second (which stays flat when the workers do not contend).
#
#   BENCH_LOGINS=10000 BENCH_SECONDS=30 BENCH_CONC=16 BENCH_ROUNDS=3 sh bench/workers.sh
. "$(dirname "$0")/lib.sh"
need "$BR_BIN" "$FASTOP" "$LOGINLOAD"
: "${BENCH_LOGINS:=10000}"
: "${BENCH_SECONDS:=30}"
: "${BENCH_CONC:=16}"
: "${BENCH_ROUNDS:=3}"
hz=$(getconf CLK_TCK)

machine
echo "# $BENCH_LOGINS logins per run (<= ${BENCH_SECONDS}s), $BENCH_CONC connections, $BENCH_ROUNDS rounds; OP ES256, driver bench/loginload"
key=$TMP/signing.pem
"$BR_BIN" --generate-key "$key" >/dev/null || exit 1
start_fastop ES256

# run W ROUND: one bridge with W workers; appends "W rate cores opcores percpu" to $TMP/runs.
run() {
	port=$(free_port)
	write_conf "$TMP/bridge-$1.conf" "$port" "$1" "$key"
	start_bridge "$TMP/bridge-$1.conf" "bridge-$1-$2"
	"$LOGINLOAD" "$port" /auth 500 10 "$BENCH_CONC" >/dev/null # warm-up
	t0=$(cpu_ticks "$BRIDGE_PID")
	o0=$(cpu_ticks "$OP_PID")
	out=$("$LOGINLOAD" "$port" /auth "$BENCH_LOGINS" "$BENCH_SECONDS" "$BENCH_CONC")
	t1=$(cpu_ticks "$BRIDGE_PID")
	o1=$(cpu_ticks "$OP_PID")
	stop "$BRIDGE_PID"
	echo "$out" | awk -v w="$1" -v r="$2" -v bt=$((t1 - t0)) -v ot=$((o1 - o0)) -v hz="$hz" '{
		ok = $4; s = $8
		printf "%d %.0f %.2f %.2f %.0f\n", w, ok / s, bt / hz / s, ot / hz / s, (bt > 0 ? ok * hz / bt : 0)
		printf "round %d workers %d: %s; bridge %.2f cores, OP %.2f cores, %.0f logins per bridge CPU-second\n",
			r, w, $0, bt / hz / s, ot / hz / s, (bt > 0 ? ok * hz / bt : 0) > "/dev/stderr"
	}' >>"$TMP/runs"
}

r=1
while [ "$r" -le "$BENCH_ROUNDS" ]; do
	run 1 "$r"
	run 2 "$r"
	r=$((r + 1))
done 2>&1

# median W COLUMN
median() {
	awk -v w="$1" '$1 == w' "$TMP/runs" | sort -n -k"$2" | awk -v c="$2" '{ v[NR] = $c } END { print v[int((NR + 1) / 2)] }'
}
r1=$(median 1 2)
r2=$(median 2 2)
echo "medians: workers 1: $r1 logins/s ($(median 1 3) bridge cores, $(median 1 5) per bridge CPU-second); workers 2: $r2 logins/s ($(median 2 3) bridge cores, $(median 2 5) per bridge CPU-second)"
echo "workers 2/1: $(ratio "$r2" "$r1") logins/s (target >= 1.7); per bridge CPU-second $(ratio "$(median 2 5)" "$(median 1 5)")"
echo "# load average: $(cut -d' ' -f1-3 /proc/loadavg)"
