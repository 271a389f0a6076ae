#!/bin/sh
# Jitsi's inline mode in headless Chromium (issue 15): the demo's stand-in
# Jitsi page (contrib/demo-jitsi.py --proxy, which passes /auth/ to the
# bridge as nginx does, so the bridge is on its origin), the mock OP as the
# identity provider, and a second stand-in on another origin.  inline.test.js drives the browser: the
# popup login posts the token to the opener, a foreign origin receives
# nothing, renewal gives a new token without the IdP, the hidden-iframe
# logout posts logout-success, and without an opener the page redirects.
#
# All on 127.0.0.1. Skips (exit 77) when node or chromium is missing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib.sh
. "$here/../lib.sh"
# shellcheck source=lib.sh
. "$here/lib.sh"
browser_needs python3 openssl
die() {
	not_ok "$1" "${2:-}"
	for f in "$TMP/bridge.log" "$TMP/mockop.log"; do
		[ -s "$f" ] && tail -n 20 "$f" | sed 's/^/#   /'
	done
	finish
	exit 1
}
"$here/setup" || die "npm ci of the browser test modules"

ports=$(free_ports 4) || die "four free ports" "got: $ports"
# shellcheck disable=SC2086
set -- $ports
bport=$1
fport=$2
xport=$3
oport=$4
front="http://127.0.0.1:$fport"
bridge="$front/auth"

issuer="http://127.0.0.1:$oport"
start_mockop "$oport" || die "mock OP starts and issues refresh tokens"

python3 "$BR_SRCDIR/contrib/demo-jitsi.py" --port "$fport" --bridge "$bridge" --proxy "$bport" \
	>"$TMP/front.log" 2>&1 &
PIDS="$PIDS $!"
python3 "$BR_SRCDIR/contrib/demo-jitsi.py" --port "$xport" --bridge "$bridge" --inline-auth "$bridge" \
	>"$TMP/foreign.log" 2>&1 &
PIDS="$PIDS $!"

"$BR_BIN" --generate-key "$TMP/signing.pem" >/dev/null 2>&1 || die "bridge --generate-key"
chmod 600 "$TMP/signing.pem"
cat >"$TMP/bridge.conf" <<CONF
[server]
listen = 127.0.0.1:$bport
public_url = $bridge
workers = 1
log_level = debug

[provider]
issuer = $issuer
client_id = jitsi
client_secret = mock-secret

[jitsi]
url = $front
domain = meet.example.org
signing_key = $TMP/signing.pem

[rules]
allow = inGroup("jitsi-meet")
CONF
start_bridge "$TMP/bridge.conf" "$TMP/bridge.log"
wait_bridge_ready "$bridge" || die "bridge ready at $bridge/healthz (through the front)"
ok "bridge ready at $bridge/healthz (through the front)"
wait_for_http "http://127.0.0.1:$xport/" 15 || die "foreign stand-in answers"

export BR_CHROMIUM="$chromium" BR_INLINE_FRONT="$front" \
	BR_INLINE_FOREIGN="http://127.0.0.1:$xport" BR_INLINE_ISSUER="$issuer"
run_node_test inline.test.js 240
no_sanitizer_report "$TMP/bridge.log"
finish
