# lib.sh - shared helpers of the benchmarks (POSIX sh, sourced).
#
# Benchmarks measure and print; they never assert on time. Every wait is a
# bounded poll and every process started here is stopped by the EXIT trap.

: "${BR_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${BR_BUILDDIR:=$BR_SRCDIR}"
: "${BR_BIN:=$BR_BUILDDIR/jitsi-oidc-bridge}"
FASTOP=$BR_BUILDDIR/bench/fastop
LOGINLOAD=$BR_BUILDDIR/bench/loginload
RSSFLOOR=$BR_BUILDDIR/bench/rssfloor
# The bridge logs at warn during load (no access log line per request);
# nginx runs with access_log off to match. BENCH_LOG=info puts it back.
: "${BENCH_LOG:=warn}"
export BR_SRCDIR BR_BUILDDIR BR_BIN
. "$BR_SRCDIR/tests/integration/wait.sh"

PIDS=""
TMP=$(mktemp -d "${TMPDIR:-/tmp}/br-bench.XXXXXX")

bench_cleanup() {
	# shellcheck disable=SC2086
	stop_pids $PIDS
	if [ -z "${BR_KEEP_TMP:-}" ]; then
		rm -rf "$TMP"
	else
		echo "# logs kept in $TMP"
	fi
}
trap bench_cleanup EXIT
trap 'exit 1' INT TERM

need() {
	for t in "$@"; do
		if ! command -v "$t" >/dev/null 2>&1 && [ ! -x "$t" ]; then
			echo "# $t not found: skipped"
			exit 77
		fi
	done
}


# stop PID: stops one process started here and forgets it.
stop() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	rest=""
	for p in $PIDS; do
		[ "$p" = "$1" ] || rest="$rest $p"
	done
	PIDS=$rest
}


# wait_for_200 URL [SECONDS]
wait_for_200() {
	i=0
	limit=$(( ${2:-10} * 10 ))
	while [ $i -lt "$limit" ]; do
		if [ "$(curl -s -o /dev/null -w '%{http_code}' -m 1 "$1")" = 200 ]; then
			return 0
		fi
		i=$((i + 1))
		sleep 0.1
	done
	return 1
}

# start_fastop [ALG]: sets OP_PORT, OP_PID, ISSUER (ALG: RS256, the default,
# or ES256).
start_fastop() {
	"$FASTOP" 0 "${1:-RS256}" >"$TMP/fastop.out" 2>&1 &
	OP_PID=$!
	PIDS="$PIDS $OP_PID"
	i=0
	while [ $i -lt 100 ] && ! grep -q '^PORT ' "$TMP/fastop.out"; do
		i=$((i + 1))
		sleep 0.1
	done
	OP_PORT=$(sed -n 's/^PORT //p' "$TMP/fastop.out")
	[ -n "$OP_PORT" ] || { echo "# fastop did not start"; exit 1; }
	ISSUER=http://127.0.0.1:$OP_PORT
}

# write_conf FILE PORT WORKERS KEY: a bridge config against the fast OP.
write_conf() {
	cat >"$1" <<CONF
[server]
listen = 127.0.0.1:$2
public_url = http://127.0.0.1:$2/auth
workers = $3
log_level = $BENCH_LOG

[provider]
issuer = $ISSUER
client_id = jitsi
client_secret = bench-secret
userinfo = never
timeout = 5s

[jitsi]
url = https://meet.example.org
app_id = jitsi
audience = jitsi
domain = meet.example.org
signing_key = $4

[rules]
allow = inGroup("jitsi-meet")
moderator = inGroup("jitsi-moderators")
CONF
}

# start_bridge CONF NAME: sets BRIDGE_PID; waits until /healthz is 200.
start_bridge() {
	"$BR_BIN" -c "$1" >"$TMP/$2.log" 2>&1 &
	BRIDGE_PID=$!
	PIDS="$PIDS $BRIDGE_PID"
	port=$(sed -n 's/^listen = 127.0.0.1://p' "$1")
	if ! wait_for_200 "http://127.0.0.1:$port/auth/healthz" 15; then
		echo "# the bridge did not become healthy:"
		tail -5 "$TMP/$2.log"
		exit 1
	fi
}

# rss_kib PID: resident set size from /proc (VmRSS, KiB).
rss_kib() {
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status"
}

# cpu_ticks PID: utime + stime of a process (all threads), in clock ticks.
cpu_ticks() {
	# the command name (field 2) may hold spaces: cut after the last ')'
	sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

# ticks PID: cpu_ticks of PID and of its children (nginx's workers, Apache's
# processes).
ticks() {
	t=$(cpu_ticks "$1")
	for c in $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
		t=$((t + $(cpu_ticks "$c")))
	done
	echo "$t"
}

# ratio A B: A / B with 2 decimals.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'
}

machine() {
	echo "# machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1); $(date -u '+%Y-%m-%d %H:%M UTC')"
}
