#!/bin/sh
# The full login pipeline: /login (seal the cookie), then /callback (open the
# cookie, exchange the code with bench/fastop over HTTP, verify the RS256 ID
# token against the OP's JWKS, map claims, evaluate rules, sign the Jitsi
# token), driven by bench/logins.py over keep-alive connections.
#
# The OP signs an ID token per login (the nonce is per login), on the same
# cores. So the main figure is logins per CPU-second of the bridge process
# itself (utime+stime from /proc; the OP and the driver are other processes),
# compared with the crypto bound of one RSA-2048 sign + one verify per login
# from `openssl speed` (which also divides by CPU time):
# 1 / (1/sign + 1/verify). Target ratio >= 0.7. Wall-clock logins/s are
# printed too; they include the OP's and the driver's share of the cores.
#
# Memory: VmRSS idle, after a warm-up, and after each of two halves of
# BENCH_LOGINS logins (growth between the halves should be noise).
#
#   BENCH_LOGINS=10000 BENCH_SECONDS=45 BENCH_CONC=16 sh bench/callback.sh
. "$(dirname "$0")/lib.sh"
need openssl python3 curl "$BR_BIN" "$FASTOP"
: "${BENCH_LOGINS:=10000}"
: "${BENCH_SECONDS:=40}"
: "${BENCH_CONC:=16}"
: "${BENCH_WORKERS:=1}"
half=$((BENCH_LOGINS / 2))
half_s=$((BENCH_SECONDS / 2))
hz=$(getconf CLK_TCK)

machine
echo "# bridge workers=$BENCH_WORKERS log_level=$BENCH_LOG; $BENCH_LOGINS logins (2 halves, each <= ${half_s}s), $BENCH_CONC connections"

# The crypto bound, on this machine now.
openssl speed -seconds 3 rsa2048 >"$TMP/speed.out" 2>/dev/null
sign=$(awk '/^rsa 2048 bits/ { print $(NF - 1) }' "$TMP/speed.out")
verify=$(awk '/^rsa 2048 bits/ { print $NF }' "$TMP/speed.out")
bound=$(awk -v s="$sign" -v v="$verify" 'BEGIN { printf "%.0f", 1 / (1 / s + 1 / v) }')
echo "openssl speed rsa2048: sign/s $sign verify/s $verify -> bound $bound logins per CPU-second"

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
	python3 "$BR_SRCDIR/bench/logins.py" "$base" "$1" "$2" "$BENCH_CONC"
}
w=$(drive 500 10)
echo "warm-up: $w"
rss_warm=$(rss_kib "$BRIDGE_PID")

# run_half NAME: sets NAME_out, NAME_ticks, NAME_optics, NAME_rss.
run_half() {
	t0=$(cpu_ticks "$BRIDGE_PID")
	o0=$(cpu_ticks "$OP_PID")
	out=$(drive "$half" "$half_s")
	t1=$(cpu_ticks "$BRIDGE_PID")
	o1=$(cpu_ticks "$OP_PID")
	eval "$1_out=\"\$out\" $1_ticks=$((t1 - t0)) $1_opticks=$((o1 - o0)) $1_rss=$(rss_kib "$BRIDGE_PID")"
}
run_half h1
run_half h2

summary() {
	out=$1 ticks=$2 opticks=$3
	ok=$(echo "$out" | awk '{ print $4 }')
	failed=$(echo "$out" | awk '{ print $6 }')
	secs=$(echo "$out" | awk '{ print $8 }')
	wall=$(awk -v n="$ok" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
	percpu=$(awk -v n="$ok" -v t="$ticks" -v hz="$hz" 'BEGIN { if (t > 0) printf "%.0f", n * hz / t; else print 0 }')
	opus=$(awk -v n="$ok" -v t="$opticks" -v hz="$hz" 'BEGIN { if (n > 0) printf "%.0f", t * 1e6 / hz / n; else print 0 }')
	echo "ok $ok failed $failed in ${secs}s: $wall logins/s wall, $percpu logins per bridge CPU-second, ratio to bound $(ratio "$percpu" "$bound") (OP: ${opus} us CPU per login)"
}
echo "half 1: $(summary "$h1_out" "$h1_ticks" "$h1_opticks")"
echo "half 2: $(summary "$h2_out" "$h2_ticks" "$h2_opticks")"
echo "# load average during the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "RSS KiB: idle $rss_idle, after warm-up $rss_warm, after half 1 $h1_rss, after half 2 $h2_rss (growth over half 2: $((h2_rss - h1_rss)) KiB)"
echo "idle RSS $(awk -v k="$rss_idle" 'BEGIN { printf "%.1f", k / 1024 }') MiB (target < 8 MiB): RssAnon $anon_idle KiB (private), RssFile $file_idle KiB (shared library pages)"
