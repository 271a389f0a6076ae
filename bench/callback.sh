#!/bin/sh
# The full login pipeline: /login (seal the cookie), then /callback (open the
# cookie, exchange the code with bench/fastop over HTTP, verify the RS256 ID
# token against the OP's JWKS, map claims, evaluate rules, sign the Jitsi
# token), driven by bench/logins.py over keep-alive connections.
#
# The OP signs an ID token per login (the nonce is per login), on the same
# cores. So the figures are per CPU-second of the bridge process itself
# (utime+stime from /proc; the OP and the driver are other processes),
# compared with the crypto bound of one RSA-2048 sign + one verify per login
# from `openssl speed` (which also divides by CPU time):
# 1 / (1/sign + 1/verify), measured before and after the logins (the mean
# of the two: the machine's speed drifts). The driver runs each half's
# /login requests first and its /callback requests after them, so that the
# CPU time of /callback alone is known: "/callback per CPU-second" is
# DESIGN.md's target (>= 0.7 of the bound); "logins per CPU-second" counts
# /login too. Wall-clock logins/s are printed as well; they include the
# OP's and the driver's share of the cores.
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

# speed NAME: the crypto bound on this machine now (NAME_sign, NAME_verify,
# NAME_bound).
speed() {
	openssl speed -seconds 3 rsa2048 >"$TMP/speed.out" 2>/dev/null
	s=$(awk '/^rsa 2048 bits/ { print $(NF - 1) }' "$TMP/speed.out")
	v=$(awk '/^rsa 2048 bits/ { print $NF }' "$TMP/speed.out")
	b=$(awk -v s="$s" -v v="$v" 'BEGIN { printf "%.0f", 1 / (1 / s + 1 / v) }')
	eval "$1_sign=$s $1_verify=$v $1_bound=$b"
	echo "openssl speed rsa2048 ($1): sign/s $s verify/s $v -> bound $b logins per CPU-second"
}
speed before

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
	python3 "$BR_SRCDIR/bench/logins.py" --split "$BRIDGE_PID" "$base" "$1" "$2" "$BENCH_CONC"
}
w=$(drive 500 10)
echo "warm-up: $w"
rss_warm=$(rss_kib "$BRIDGE_PID")

# run_half NAME: sets NAME_out, NAME_opticks, NAME_rss.
run_half() {
	o0=$(cpu_ticks "$OP_PID")
	out=$(drive "$half" "$half_s")
	o1=$(cpu_ticks "$OP_PID")
	eval "$1_out=\"\$out\" $1_opticks=$((o1 - o0)) $1_rss=$(rss_kib "$BRIDGE_PID")"
}
run_half h1
run_half h2
speed after
bound=$(awk -v a="$before_bound" -v b="$after_bound" 'BEGIN { printf "%.0f", (a + b) / 2 }')
echo "bound (mean of before and after): $bound per CPU-second"

# per_cpu N TICKS: N per CPU-second.
per_cpu() {
	awk -v n="$1" -v t="$2" -v hz="$hz" 'BEGIN { if (t > 0) printf "%.0f", n * hz / t; else print 0 }'
}

summary() {
	out=$1 opticks=$2
	ok=$(echo "$out" | awk '{ print $4 }')
	failed=$(echo "$out" | awk '{ print $6 }')
	secs=$(echo "$out" | awk '{ print $8 }')
	lt=$(echo "$out" | awk '{ print $10 }')
	ct=$(echo "$out" | awk '{ print $12 }')
	wall=$(awk -v n="$ok" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
	cb=$(per_cpu "$ok" "$ct")
	full=$(per_cpu "$ok" $((lt + ct)))
	opus=$(awk -v n="$ok" -v t="$opticks" -v hz="$hz" 'BEGIN { if (n > 0) printf "%.0f", t * 1e6 / hz / n; else print 0 }')
	echo "ok $ok failed $failed in ${secs}s ($wall logins/s wall): /callback $cb per bridge CPU-second, ratio to bound $(ratio "$cb" "$bound"); whole logins (/login + /callback) $full per CPU-second, ratio $(ratio "$full" "$bound") (OP: ${opus} us CPU per login)"
}
echo "half 1: $(summary "$h1_out" "$h1_opticks")"
echo "half 2: $(summary "$h2_out" "$h2_opticks")"
echo "# load average during the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "RSS KiB: idle $rss_idle, after warm-up $rss_warm, after half 1 $h1_rss, after half 2 $h2_rss (growth over half 2: $((h2_rss - h1_rss)) KiB)"
echo "idle RSS $(awk -v k="$rss_idle" 'BEGIN { printf "%.1f", k / 1024 }') MiB (target < 8 MiB): RssAnon $anon_idle KiB (private), RssFile $file_idle KiB (shared library pages)"
# The floor: a process linked with the bridge's libraries that only
# initialises them (bench/rssfloor.c). The bridge's own share is the rest.
if [ -x "$RSSFLOOR" ]; then
	floor=$("$RSSFLOOR")
	f_rss=$(echo "$floor" | awk '{ print $2 }')
	echo "library floor (bench/rssfloor): $floor KiB; the bridge idle adds $((rss_idle - f_rss)) KiB to it (ratio $(ratio "$rss_idle" "$f_rss"))"
fi
