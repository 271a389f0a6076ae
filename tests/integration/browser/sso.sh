#!/bin/sh
# Jitsi's native SSO in headless Chromium (issue 21): a stand-in Jitsi origin
# (sso-jitsi.py: a web app running the config.js lines `--check` printed,
# and a re-implementation of static/sso.html's exchange), the bridge on
# another origin (so sso.html's fetch to /token is cross-origin and needs
# the bridge's CORS answer), the mock OP as the identity provider.
# sso.test.js drives the browser: the popup's code flow ends with a working
# token posted to Jitsi, renewal through the handle needs no IdP page, and a
# denial reaches Jitsi as oauth-error.
#
# All on 127.0.0.1. Skips (exit 77) when node or chromium is missing.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib.sh
. "$here/../lib.sh"
# shellcheck source=lib.sh
. "$here/lib.sh"
browser_needs python3 openssl curl
die() {
	not_ok "$1" "${2:-}"
	for f in "$TMP/bridge.log" "$TMP/mockop.log" "$TMP/front.log"; do
		[ -s "$f" ] && tail -n 20 "$f" | sed 's/^/#   /'
	done
	finish
	exit 1
}
"$here/setup" || die "npm ci of the browser test modules"

ports=$(free_ports 3) || die "three free ports" "got: $ports"
# shellcheck disable=SC2086
set -- $ports
bport=$1
fport=$2
oport=$3
front="http://127.0.0.1:$fport"
bridge="http://127.0.0.1:$bport/auth"

issuer="http://127.0.0.1:$oport"
start_mockop "$oport" || die "mock OP starts and issues refresh tokens"

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
sso_client_id = jitsi-meet

[rules]
allow = inGroup("jitsi-meet")
CONF
"$BR_BIN" -c "$TMP/bridge.conf" --check >"$TMP/check.out" 2>&1 || die "--check" "$(tail -n 5 "$TMP/check.out")"
awk '/^# --- Jitsi Meet config.js ---/ { on = 1; next } /^# --- / { on = 0 } on' \
	"$TMP/check.out" >"$TMP/config.js"
grep -q "config.sso = " "$TMP/config.js" || die "--check prints config.sso" "$(cat "$TMP/config.js")"
ok "--check prints config.sso and the /authorize tokenAuthUrl"

python3 "$here/sso-jitsi.py" --port "$fport" --config-js "$TMP/config.js" --token-scheme http: \
	>"$TMP/front.log" 2>&1 &
PIDS="$PIDS $!"
start_bridge "$TMP/bridge.conf" "$TMP/bridge.log"
wait_bridge_ready "$bridge" || die "bridge ready at $bridge/healthz"
ok "bridge ready at $bridge/healthz"
wait_for_http "$front/" 15 || die "stand-in Jitsi answers"

export BR_CHROMIUM="$chromium" BR_SSO_FRONT="$front" BR_SSO_BRIDGE="$bridge" \
	BR_SSO_ISSUER="$issuer"
run_node_test sso.test.js 240
no_sanitizer_report "$TMP/bridge.log"
finish
