#!/bin/sh
# contrib/demo keeps its promise: it starts the bridge, LemonLDAP::NG and the
# demo Jitsi, they answer, and SIGTERM (to the demo) or Ctrl-C (SIGINT to
# its whole process group, as a terminal sends it) stops all three within a
# few seconds, ending with "demo: stopped". A portal left listening would
# meet the next contrib/demo as a stale IdP.
#
# Runs the demo with --bin (the bridge under test, no install, no build) and
# --state in $TMP, on three consecutive free ports. Skips (77) without
# LemonLDAP::NG, plackup, python3, curl or setsid.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

skip() {
	echo "demo.sh: $1, skipped"
	exit 77
}
for tool in plackup python3 curl openssl setsid ss; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not found (contrib/install-deps)"
done
perl -MLemonldap::NG::Portal::Main -MString::Random -MIO::String -MPlack::Middleware::Static \
	-e 1 2>/dev/null || skip "LemonLDAP::NG portal not installed (contrib/install-deps)"
if [ ! -x "$BR_BIN" ]; then
	echo "demo.sh: $BR_BIN not built"
	exit 99
fi

# N, N+1, N+2 free at once (below the ephemeral range when there is room).
free_base() {
	python3 -c '
import random, socket
try:
    lo = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
except (OSError, ValueError, IndexError):
    lo = 32768
for _ in range(200):
    base = random.randrange(20000, max(lo, 21000) - 3)
    ss = []
    try:
        for p in range(base, base + 3):
            s = socket.socket()
            ss.append(s)
            s.bind(("127.0.0.1", p))
    except OSError:
        continue
    finally:
        for s in ss:
            s.close()
    print(base)
    break'
}

listening() { # PORT: something listens on 127.0.0.1:PORT
	ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
}

# run_demo HOW: start the demo, wait until its three URLs answer, stop it
# (HOW = TERM: SIGTERM to the demo; INT: SIGINT to its process group), then
# assert "demo: stopped" and that no port is still listening.  The INT run
# takes its ports from JITSI_OIDC_BRIDGE_DEMO_PORT_BASE, as the demo's usage
# line offers (the bridge refuses unknown JITSI_OIDC_BRIDGE_* variables, so
# the demo must not pass it on).
run_demo() {
	how=$1
	base=$(free_base)
	[ -n "$base" ] || { not_ok "$how: three free ports"; return; }
	out="$TMP/demo-$how.out"
	# Its own session and process group, as a terminal would give it, and
	# SIGINT not ignored (a background job of sh starts with it ignored).
	if [ "$how" = TERM ]; then
		set -- --port-base "$base"
	else
		set --
	fi
	setsid env --default-signal=INT JITSI_OIDC_BRIDGE_DEMO_PORT_BASE="$base" \
		"$BR_SRCDIR/contrib/demo" "$@" --bin "$BR_BIN" \
		--state "$TMP/state-$how" </dev/null >"$out" 2>&1 &
	demo=$!
	PIDS="$PIDS $demo"
	if ! wait_for_log "$out" "The demo is running" 60; then
		not_ok "$how: the demo starts" "$(tail -n 20 "$out")"
		return
	fi
	ok "$how: the demo starts on ports $base-$((base + 2))"
	# the bridge (at /auth, also through the demo Jitsi, which passes /auth/
	# on so that the bridge is on its origin), the IdP, the demo Jitsi
	for p in "$base/auth/healthz" "$((base + 2))/auth/healthz" \
		"$((base + 1))/.well-known/openid-configuration" "$((base + 2))/"; do
		st=$(status_of "http://127.0.0.1:$p")
		if [ "$st" = 200 ]; then
			ok "$how: http://127.0.0.1:$p answers 200"
		else
			not_ok "$how: http://127.0.0.1:$p answers 200" "got $st"
		fi
	done

	if [ "$how" = TERM ]; then
		kill -TERM "$demo"
	else
		kill -INT "-$demo"
	fi
	if wait_for_exit "$demo" 5; then
		ok "$how: the demo exits within 5 s"
	else
		not_ok "$how: the demo exits within 5 s" "$(tail -n 5 "$out")"
	fi
	if grep -qx "demo: stopped" "$out"; then
		ok "$how: it says \"demo: stopped\""
	else
		not_ok "$how: it says \"demo: stopped\"" "$(tail -n 5 "$out")"
	fi
	# Bounded: up to 3 s more for a port to close.
	for p in "$base" "$((base + 1))" "$((base + 2))"; do
		i=0
		while listening "$p" && [ $i -lt 30 ]; do
			i=$((i + 1))
			sleep 0.1
		done
		if listening "$p"; then
			not_ok "$how: port $p closed" "$(ss -Hltnp "sport = :$p" 2>/dev/null)"
		else
			ok "$how: port $p closed"
		fi
	done
	# Whatever is left of this run (on failure) goes now, not at the end.
	"$BR_SRCDIR/tests/integration/llng/llng-down" --dir "$TMP/state-$how/llng" >/dev/null 2>&1
	kill -KILL "-$demo" 2>/dev/null
}

run_demo TERM
run_demo INT
finish
