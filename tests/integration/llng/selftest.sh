#!/bin/sh
# Self-test of the LemonLDAP::NG test IdP (no bridge involved): llng-up on a
# free port, a scripted code flow with PKCE for the three demo users
# (rp_check.py), an idempotent restart, llng-down. Last line: "N passed, N failed".
set -u

here=$(cd "$(dirname "$0")" && pwd)
passed=0
failed=0
dir=
tmp=$(mktemp -d "${TMPDIR:-/tmp}/llng-selftest.XXXXXX") || exit 99

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	if [ -n "$dir" ]; then
		"$here/llng-down" --dir "$dir" >/dev/null 2>&1 || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# A process that has exited may linger as a zombie until reaped.
gone() {
	[ -r "/proc/$1/stat" ] || return 0
	case "$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" in
	Z | X | '') return 0 ;;
	*) return 1 ;;
	esac
}
ok() { passed=$((passed + 1)); echo "ok - $1"; }
fail() { failed=$((failed + 1)); echo "FAIL - $1"; }
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
	exit $?
}

for tool in python3 openssl curl plackup; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: $tool not installed (contrib/install-deps)"
		exit 77
	fi
done
if ! perl -MLemonldap::NG::Portal::Main -e 1 2>/dev/null; then
	echo "SKIP: LemonLDAP::NG portal not installed (contrib/install-deps)"
	exit 77
fi

# Two free ports: the portal's, and a dummy redirect_uri nobody listens on
# (login.py stops at the redirect to it). The kernel picks them.
ports=$(python3 -c '
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))
for s in ss:
    s.close()')
# shellcheck disable=SC2086 # two numbers, split on purpose
set -- $ports
port=$1
rp_port=$2
redirect="http://127.0.0.1:$rp_port/callback"
dir="$tmp/idp"

if "$here/llng-up" --port "$port" --dir "$dir" --rp-redirect "$redirect" \
	--rp-post-logout "http://127.0.0.1:$rp_port/" >"$tmp/up.out" 2>&1; then
	ok "llng-up starts the portal on port $port"
else
	fail "llng-up starts the portal on port $port"
	sed 's/^/# /' "$tmp/up.out"
	finish
fi
if [ "$(head -n1 "$dir/issuer")" = "http://127.0.0.1:$port/" ]; then
	ok "issuer file"
else
	fail "issuer file"
fi
secret=$(cat "$dir/client_secret")
kid=$(cat "$dir/kid")
case "$secret" in
'' | *[!A-Za-z0-9._~-]*) fail "client secret is unreserved characters" ;;
*) ok "client secret is unreserved characters" ;;
esac
if curl -sf --max-time 10 -o /dev/null \
	"http://127.0.0.1:$port/static/bootstrap/css/styles.css"; then
	ok "static files served"
else
	fail "static files served"
fi

run_rp() {
	timeout 120 python3 "$here/rp_check.py" "$dir" "$redirect" "http://127.0.0.1:$rp_port/" >"$tmp/rp.out" 2>"$tmp/rp.err"
	rc=$?
	while IFS= read -r line; do
		case "$line" in
		"ok - "*) passed=$((passed + 1)); echo "$1$line" ;;
		"FAIL - "*) failed=$((failed + 1)); echo "$1$line" ;;
		*) echo "# $line" ;;
		esac
	done <"$tmp/rp.out"
	sed 's/^/# /' "$tmp/rp.err"
	[ "$rc" -eq 0 ] || [ "$failed" -gt 0 ] || fail "rp_check.py exited $rc"
}
run_rp ""

# Idempotent: a second llng-up with the same dir keeps key, kid and secret.
pid1=$(cat "$dir/pid")
if "$here/llng-up" --port "$port" --dir "$dir" --rp-redirect "$redirect" \
	--rp-post-logout "http://127.0.0.1:$rp_port/" >"$tmp/up2.out" 2>&1; then
	ok "second llng-up with the same dir"
else
	fail "second llng-up with the same dir"
	sed 's/^/# /' "$tmp/up2.out"
fi
if [ "$(cat "$dir/client_secret")" = "$secret" ] && [ "$(cat "$dir/kid")" = "$kid" ]; then
	ok "restart keeps secret and kid"
else
	fail "restart keeps secret and kid"
fi
if gone "$pid1"; then
	ok "restart stopped the old portal"
else
	fail "restart stopped the old portal"
fi
run_rp "(after restart) "

pid=$(cat "$dir/pid")
"$here/llng-down" --dir "$dir"
if gone "$pid"; then
	ok "llng-down stops the portal"
else
	fail "llng-down stops the portal"
fi
if curl -s --max-time 2 -o /dev/null "http://127.0.0.1:$port/"; then
	fail "port $port closed after llng-down"
else
	ok "port $port closed after llng-down"
fi
dir=
finish
