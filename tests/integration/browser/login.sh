#!/bin/sh
# End to end in headless Chromium against a real identity provider: a
# LemonLDAP::NG OpenID provider (tests/integration/llng/llng-up), the bridge
# below the route prefix /auth, and contrib/demo-jitsi.py standing in for
# Jitsi Meet (it verifies the token with the bridge's /asap key, as Prosody
# does). login.test.js drives the browser: landing page, the IdP's login
# form, the Jitsi page, for a moderator, a member and a user who is denied;
# then prompt=none with a live IdP session, and logout; and a login that
# started in the iOS app ([jitsi] apps = ios), with Jitsi's choices in its
# state, ending on the app page and continuing in the browser.
#
# All on 127.0.0.1, on ports the kernel picks. Every process started here is
# stopped by the EXIT trap, also on failure or interruption. Skips (exit 77)
# when node, chromium or LemonLDAP::NG is missing. Screenshots go to
# tests/artifacts/login-*.png; logs stay in $TMP when something failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib.sh
. "$here/../lib.sh"
# shellcheck source=lib.sh
. "$here/lib.sh"
llng="$BR_SRCDIR/tests/integration/llng"

browser_needs python3 openssl curl plackup
perl -MLemonldap::NG::Portal::Main -MString::Random -MIO::String -MPlack::Middleware::Static \
	-e 1 2>/dev/null || skip "LemonLDAP::NG portal not installed (contrib/install-deps)"

idp_dir="$TMP/idp"
idp_up=
# lib.sh's cleanup stops $PIDS (bridge, demo Jitsi) and removes $TMP unless
# a test failed; the portal is stopped by llng-down.
stop_all() {
	status=$?
	trap - EXIT
	# Interrupted in the browser part: what it printed so far.
	if [ -n "${node_pid:-}" ] && [ -s "$TMP/node.out" ]; then
		cat "$TMP/node.out"
	fi
	if [ -n "$idp_up" ]; then
		"$llng/llng-down" --dir "$idp_dir" >/dev/null 2>&1 || true
	fi
	case "$status" in
	0 | 77) ;;
	*) [ "$failed" -gt 0 ] || failed=1 ;;
	esac
	cleanup
	exit "$status"
}
trap stop_all EXIT
trap 'exit 130' INT TERM HUP

# Logs of the bridge and the demo Jitsi, on failure (no tokens: the bridge
# never logs them, the demo logs nothing).
show_logs() {
	for f in "$TMP/bridge.log" "$TMP/jitsi.log"; do
		[ -s "$f" ] || continue
		echo "# last lines of $f:"
		tail -n 20 "$f" | sed 's/^/#   /'
	done
}
die() {
	not_ok "$1" "${2:-}"
	show_logs
	finish
	exit 1
}

"$here/setup" || die "npm ci of the browser test modules"

ports=$(free_ports 3) || die "three free ports" "got: $ports"
# shellcheck disable=SC2086
set -- $ports
[ $# -eq 3 ] || die "three free ports" "got: $ports"
bport=$1
iport=$2
jport=$3
bridge="http://127.0.0.1:$bport/auth"
jitsi="http://127.0.0.1:$jport"

# The demo Jitsi and the signing key first: they get ready while the IdP
# starts (the slowest part).
python3 "$BR_SRCDIR/contrib/demo-jitsi.py" --port "$jport" --bridge "$bridge" \
	</dev/null >"$TMP/jitsi.log" 2>&1 &
PIDS="$PIDS $!"
"$BR_BIN" --generate-key "$TMP/signing.pem" >"$TMP/genkey.out" 2>&1 ||
	die "bridge --generate-key" "$(cat "$TMP/genkey.out")"

# The IdP knows the bridge's callback below the prefix, and the Jitsi url as
# the place to go back to after logout (with and without the slash).
idp_up=1
if ! "$llng/llng-up" --port "$iport" --dir "$idp_dir" \
	--rp-redirect "$bridge/callback" \
	--rp-post-logout "$jitsi" --rp-post-logout "$jitsi/" >"$TMP/llng-up.out" 2>&1; then
	die "LemonLDAP::NG starts on port $iport" "$(tail -n 30 "$TMP/llng-up.out")"
fi
ok "LemonLDAP::NG answers discovery on port $iport"

cp "$idp_dir/client_secret" "$TMP/client_secret"
chmod 600 "$TMP/client_secret" "$TMP/signing.pem"
cat >"$TMP/bridge.conf" <<CONF
; Written by tests/integration/browser/login.sh.
[server]
listen = 127.0.0.1:$bport
public_url = $bridge

[provider]
issuer = http://127.0.0.1:$iport/
client_id = jitsi
client_secret_file = $TMP/client_secret
scopes = openid profile email groups

[claims]
id = sub
name = name preferred_username
email = email
groups = groups

[jitsi]
url = $jitsi
app_id = jitsi
audience = jitsi
domain = meet.example.org
signing_key = $TMP/signing.pem
apps = ios

[rules]
allow = inGroup("jitsi-meet")
moderator = inGroup("jitsi-moderators")

[features]
recording = inGroup("jitsi-moderators")
CONF

start_bridge "$TMP/bridge.conf" "$TMP/bridge.log"

# Ready: the bridge has the IdP's metadata and keys (an ASan build starts
# slower, hence the generous bound), and the demo Jitsi answers.
wait_bridge_ready "$bridge" || die "bridge ready at $bridge/healthz"
ok "bridge ready at $bridge/healthz"
wait_for_http "$jitsi/" 15 || die "demo Jitsi answers at $jitsi/"
ok "demo Jitsi answers at $jitsi/"

# The browser part; its lines are the test lines, its last line the count.
export BR_CHROMIUM="$chromium" BR_ARTIFACTS="${BR_ARTIFACTS:-$BR_SRCDIR/tests/artifacts}" \
	BR_LOGIN_BRIDGE="$bridge" BR_LOGIN_JITSI="$jitsi" BR_LOGIN_ISSUER="http://127.0.0.1:$iport/"
run_node_test login.test.js 300
# The bridge must still be up (no crash on the way), stop cleanly on
# SIGTERM, and have nothing from a sanitizer in its log (ASan+UBSan builds).
if kill -0 "$BRIDGE_PID" 2>/dev/null; then
	ok "bridge still running after the logins"
	kill -TERM "$BRIDGE_PID"
	if wait_for_exit "$BRIDGE_PID" 30; then
		wait "$BRIDGE_PID"
		st=$?
		# Reaped: no longer ours to signal in cleanup.
		rest=
		for p in $PIDS; do
			[ "$p" = "$BRIDGE_PID" ] || rest="$rest $p"
		done
		PIDS=$rest
		if [ "$st" -eq 0 ]; then
			ok "bridge exits 0 on SIGTERM"
		else
			not_ok "bridge exits 0 on SIGTERM" "exit status $st"
		fi
	else
		not_ok "bridge exits 0 on SIGTERM" "still running 30 s after SIGTERM"
	fi
else
	not_ok "bridge still running after the logins"
fi
no_sanitizer_report "$TMP/bridge.log"
[ "$failed" -eq 0 ] || show_logs
finish
