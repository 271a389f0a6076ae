#!/bin/sh
# The daemon's life: bad config, start with the IdP down, reload (good and
# bad), key rotation through reload, graceful shutdown.
. "$(dirname "$0")/lib.sh"

port=$(free_port)
idp_port=$(free_port) # nobody listens there: the IdP is down
key1=$TMP/signing1.pem
key2=$TMP/signing2.pem
kid1=$("$BR_BIN" --generate-key "$key1")
kid2=$("$BR_BIN" --generate-key "$key2")

write_conf() {
	cat >"$TMP/bridge.conf" <<CONF
[server]
listen = 127.0.0.1:$port
public_url = http://127.0.0.1:$port/auth
workers = 2

[provider]
issuer = http://127.0.0.1:$idp_port/
client_id = jitsi
client_secret = s3cret-value
timeout = 2s

[jitsi]
url = https://meet.example.org
app_id = jitsi
domain = meet.example.org
signing_key = $1
$2
CONF
}

# 1. a bad config names the file, the line and the key
printf '[server]\nlisten = 127.0.0.1:1\n\n[provider]\nbogus = 1\n' >"$TMP/bad.conf"
"$BR_BIN" -c "$TMP/bad.conf" >"$TMP/bad.out" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q "bad.conf:5: \[provider\] bogus" "$TMP/bad.out"; then
	ok "bad config exits 1 naming FILE:LINE and the key"
else
	not_ok "bad config exits 1 naming FILE:LINE and the key" "rc=$rc $(cat "$TMP/bad.out")"
fi

"$BR_BIN" --generate-key "$key1" >"$TMP/gen.out" 2>&1
if [ $? -ne 0 ] && [ "$(stat -c %a "$key1")" = 600 ]; then
	ok "--generate-key refuses to overwrite, keys are 0600"
else
	not_ok "--generate-key refuses to overwrite, keys are 0600" "$(cat "$TMP/gen.out")"
fi

# 2. starts while the IdP is down; says why
write_conf "$key1" ""
log=$TMP/bridge.log
start_bridge "$TMP/bridge.conf" "$log"
base=http://127.0.0.1:$port/auth
if wait_for_http "$base/healthz" 10; then
	ok "starts and listens while the IdP is down"
else
	not_ok "starts and listens while the IdP is down" "$(tail -5 "$log")"
fi
body=$(curl -s -m 5 "$base/healthz")
st=$(status_of "$base/healthz")
case "$st $body" in
"503 provider metadata not loaded") ok "/healthz says 503 and which part is missing (no transport error text)" ;;
*) not_ok "/healthz says 503 and which part is missing (no transport error text)" "$st $body" ;;
esac
if grep "provider discovery failed" "$log" | grep -q "cannot reach"; then
	ok "the log has the transport error"
else
	not_ok "the log has the transport error" "$(tail -3 "$log")"
fi
st=$(status_of "$base/login?room=abc")
body=$(curl -s -m 5 "$base/login?room=abc")
case "$st $body" in
"503 "*"temporarily unavailable"*) ok "/login shows the sign-in unavailable page" ;;
*) not_ok "/login shows the sign-in unavailable page" "$st $body" ;;
esac

# 3. the asap key server serves the current key
h1=$(printf '%s' "$kid1" | sha256sum | cut -d' ' -f1)
h2=$(printf '%s' "$kid2" | sha256sum | cut -d' ' -f1)
check "/asap serves the signing key's PEM" sh -c "curl -sf -m 5 '$base/asap/$h1.pem' | grep -q 'BEGIN PUBLIC KEY'"
check "/asap answers 404 for unknown keys" test "$(status_of "$base/asap/$h2.pem")" = 404

# 4. a broken config on SIGHUP is logged and the old one kept
printf '[server]\nlisten = nonsense\n' >"$TMP/bridge.conf"
kill -HUP "$BRIDGE_PID"
if wait_for_log "$log" "reload failed" 5 && [ "$(status_of "$base/asap/$h1.pem")" = 200 ]; then
	ok "SIGHUP with a broken config keeps serving the old one"
else
	not_ok "SIGHUP with a broken config keeps serving the old one" "$(tail -5 "$log")"
fi

# 5. rotation by reload: the new key signs, both are published
write_conf "$key2" "previous_keys = $key1"
kill -HUP "$BRIDGE_PID"
if wait_for_log "$log" "configuration reloaded" 5 &&
	[ "$(status_of "$base/asap/$h2.pem")" = 200 ] &&
	[ "$(status_of "$base/asap/$h1.pem")" = 200 ]; then
	ok "SIGHUP rotation publishes the new key and keeps the old one"
else
	not_ok "SIGHUP rotation publishes the new key and keeps the old one" "$(tail -5 "$log")"
fi

# 5b. reloads that replace the provider state (its retry timer running on a
# worker's loop) while requests flow: the old one is freed on its own loop
for t in 3s 2s 4s 2s 3s; do
	sed -i "s/^timeout = .*/timeout = $t/" "$TMP/bridge.conf"
	kill -HUP "$BRIDGE_PID"
	seq 1 20 | xargs -P 5 -I{} curl -s -o /dev/null -m 5 "$base/healthz"
done
if wait_for_log "$log" "configuration reloaded" 5 && kill -0 "$BRIDGE_PID" 2>/dev/null &&
	[ "$(status_of "$base/healthz")" = 503 ]; then
	ok "reloads that replace the provider state keep the daemon healthy"
else
	not_ok "reloads that replace the provider state keep the daemon healthy" "$(tail -5 "$log")"
fi

# 6. 200 requests in parallel over 2 workers, all answered
n=$(seq 1 200 | xargs -P 20 -I{} curl -s -o /dev/null -w '%{http_code}\n' -m 10 "$base/healthz" | grep -c 503)
check "200 parallel requests all answered" test "$n" = 200

# 7. SIGTERM: graceful exit 0 within 5 s
kill -TERM "$BRIDGE_PID"
t0=$(date +%s)
wait "$BRIDGE_PID"
rc=$?
t1=$(date +%s)
if [ $rc -eq 0 ] && [ $((t1 - t0)) -le 5 ]; then
	ok "SIGTERM exits 0 within 5 s"
else
	not_ok "SIGTERM exits 0 within 5 s" "rc=$rc after $((t1 - t0)) s"
fi
PIDS=""

# 8. nothing secret in the log
if grep -q "s3cret-value" "$log"; then
	not_ok "the client secret never appears in the log"
else
	ok "the client secret never appears in the log"
fi

finish
