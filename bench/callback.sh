#!/bin/sh
# The full login pipeline: /login (seal the cookie), then /callback (open the
# cookie, exchange the code with bench/fastop over HTTP, verify the RS256 ID
# token against the OP's JWKS, map claims, evaluate rules, sign the Jitsi
# token), driven over keep-alive connections by bench/loginload (C; or
# BENCH_DRIVER=python for bench/logins.py, which needs more CPU per login
# than the bridge's own HTTP work and so leaves the bridge idler).
#
# The OP signs an ID token per login (the nonce is per login), on the same
# cores. So the figures are per CPU-second of the bridge process itself
# (utime+stime from /proc; the OP and the driver are other processes),
# compared with the crypto bound of one RSA-2048 sign + one verify per login
# from `openssl speed` (which also divides by CPU time):
# 1 / (1/sign + 1/verify), per core with all cores busy (see bound()).
#
# This VM's speed drifts by 10-20 % within minutes, so the logins run in
# BENCH_SEGMENTS segments with an `openssl speed` run before each and after
# the last; each segment is compared with the mean of the bounds measured
# just before and just after it, and the median of the segments' ratios is
# the result. Within a segment the driver sends every /login first and
# every /callback after them, so the CPU time of /callback alone is known:
# "/callback per CPU-second" is DESIGN.md's target (>= 0.7 of the bound);
# "whole logins" counts /login too. Wall-clock logins/s are printed as
# well; they include the OP's and the driver's share of the cores.
#
# Memory: VmRSS idle, after a warm-up and after each segment (growth over
# the second half of the segments should be noise), and the floor of the
# bridge's libraries (bench/rssfloor) beside the idle figure.
#
#   BENCH_LOGINS=30000 BENCH_SEGMENTS=10 BENCH_SECONDS=150 BENCH_CONC=16 sh bench/callback.sh
. "$(dirname "$0")/lib.sh"
need openssl python3 curl "$BR_BIN" "$FASTOP"
: "${BENCH_LOGINS:=30000}"
: "${BENCH_SEGMENTS:=10}"
: "${BENCH_SECONDS:=150}"
: "${BENCH_CONC:=16}"
: "${BENCH_WORKERS:=1}"
if [ -z "${BENCH_DRIVER:-}" ]; then
	if [ -x "$LOGINLOAD" ]; then BENCH_DRIVER=c; else BENCH_DRIVER=python; fi
fi
seg_n=$((BENCH_LOGINS / BENCH_SEGMENTS))
seg_s=$((BENCH_SECONDS / BENCH_SEGMENTS + 1))
hz=$(getconf CLK_TCK)

machine
echo "# bridge workers=$BENCH_WORKERS log_level=$BENCH_LOG; $BENCH_SEGMENTS segments of $seg_n logins (each <= ${seg_s}s), $BENCH_CONC connections, driver $BENCH_DRIVER"

# bound: the crypto bound on this machine now, logins per CPU-second. With
# every core busy (`openssl speed -multi`, the rate per process), as the
# cores are during the logins: a lone `openssl speed` on an otherwise idle
# VM runs up to 20 % faster, and by different amounts from run to run.
cores=$(nproc)
bound() {
	openssl speed -multi "$cores" -seconds 1 rsa2048 2>/dev/null | awk -v n="$cores" '/^rsa 2048 bits/ {
		s = $(NF - 1) / n; v = $NF / n
		printf "%.0f %.0f %.0f\n", 1 / (1 / s + 1 / v), s, v }'
}

key=$TMP/signing.pem
"$BR_BIN" --generate-key "$key" >/dev/null || exit 1
start_fastop
port=$(free_port)
write_conf "$TMP/bridge.conf" "$port" "$BENCH_WORKERS" "$key"
start_bridge "$TMP/bridge.conf" bridge
base=http://127.0.0.1:$port/auth
sleep 1
rss_idle=$(rss_kib "$BRIDGE_PID")
anon_idle=$(sed -n 's/^RssAnon:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$BRIDGE_PID/status")
file_idle=$(sed -n 's/^RssFile:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$BRIDGE_PID/status")

drive() {
	if [ "$BENCH_DRIVER" = c ]; then
		"$LOGINLOAD" --split "$BRIDGE_PID" "$port" /auth "$1" "$2" "$BENCH_CONC"
	else
		python3 "$BR_SRCDIR/bench/logins.py" --split "$BRIDGE_PID" "$base" "$1" "$2" "$BENCH_CONC"
	fi
}
w=$(drive 500 10)
echo "warm-up: $w"
rss_warm=$(rss_kib "$BRIDGE_PID")

# Segments, each between two bound measurements. One line per segment in
# $TMP/segments: "ok failed secs login_ticks callback_ticks op_ticks rss".
b_prev=$(bound)
echo "openssl speed -multi $cores rsa2048, per process: bound ${b_prev%% *} (sign/s, verify/s: ${b_prev#* })"
: >"$TMP/segments"
: >"$TMP/bounds"
i=1
while [ "$i" -le "$BENCH_SEGMENTS" ]; do
	o0=$(cpu_ticks "$OP_PID")
	out=$(drive "$seg_n" "$seg_s")
	o1=$(cpu_ticks "$OP_PID")
	b_next=$(bound)
	echo "$out" | awk -v ot=$((o1 - o0)) -v rss="$(rss_kib "$BRIDGE_PID")" \
		'{ print $4, $6, $8, $10, $12, ot, rss }' >>"$TMP/segments"
	echo "${b_prev%% *} ${b_next%% *}" >>"$TMP/bounds"
	b_prev=$b_next
	i=$((i + 1))
done

paste -d' ' "$TMP/segments" "$TMP/bounds" | awk -v hz="$hz" '
	function per(n, t) { return t > 0 ? n * hz / t : 0 }
	{
		bound = ($8 + $9) / 2
		cb = per($1, $5); full = per($1, $4 + $5)
		rc[NR] = cb / bound; rf[NR] = full / bound
		printf "segment %d: ok %d failed %d in %.1fs (%.0f logins/s wall); bound %.0f; /callback %.0f per bridge CPU-second, ratio %.2f; whole logins %.0f, ratio %.2f; OP %.0f us CPU per login; RSS %d KiB\n",
			NR, $1, $2, $3, $1 / $3, bound, cb, cb / bound, full, full / bound, ($1 > 0 ? $6 * 1e6 / hz / $1 : 0), $7
	}
	function median(a, n,   i, j, t) {
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	END {
		printf "median ratio to the crypto bound: /callback %.2f (target >= 0.7), whole logins %.2f\n", median(rc, NR), median(rf, NR)
	}'
echo "# load average during the run: $(cut -d' ' -f1-3 /proc/loadavg)"

half=$((BENCH_SEGMENTS / 2))
rss_mid=$(awk -v h="$half" 'NR == h { print $7 }' "$TMP/segments")
rss_end=$(awk 'END { print $7 }' "$TMP/segments")
echo "RSS KiB: idle $rss_idle, after warm-up $rss_warm, after segment $half $rss_mid, after segment $BENCH_SEGMENTS $rss_end (growth over the second half: $((rss_end - rss_mid)) KiB)"
echo "idle RSS $(awk -v k="$rss_idle" 'BEGIN { printf "%.1f", k / 1024 }') MiB (target < 8 MiB): RssAnon $anon_idle KiB (private), RssFile $file_idle KiB (shared library pages)"
# The floor: a process linked with the bridge's libraries that only
# initialises them (bench/rssfloor.c). The bridge's own share is the rest.
if [ -x "$RSSFLOOR" ]; then
	floor=$("$RSSFLOOR")
	f_rss=$(echo "$floor" | awk '{ print $2 }')
	echo "library floor (bench/rssfloor): $floor KiB; the bridge idle adds $((rss_idle - f_rss)) KiB to it (ratio $(ratio "$rss_idle" "$f_rss"))"
fi
