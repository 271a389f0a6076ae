#!/bin/sh
# TLS to the identity provider: verification is always on; [provider]
# ca_file adds a trust anchor. A provider with a self-signed certificate is
# refused (and /healthz says why) until its CA is given.
. "$(dirname "$0")/lib.sh"

idp_port=$(free_port)
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=test IdP CA" \
	-addext "subjectAltName=IP:127.0.0.1" -addext "basicConstraints=critical,CA:TRUE" \
	-keyout "$TMP/idp.key" -out "$TMP/idp.crt" >/dev/null 2>&1
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=someone else" \
	-keyout "$TMP/other.key" -out "$TMP/other.crt" >/dev/null 2>&1

cat >"$TMP/idp.py" <<'PY'
import json, ssl, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
port, cert, key, jwks = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
base = "https://127.0.0.1:%d" % port
doc = {"issuer": base + "/", "authorization_endpoint": base + "/auth",
       "token_endpoint": base + "/token", "jwks_uri": base + "/jwks"}
class H(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps(doc).encode() if self.path.startswith("/.well-known/") else open(jwks, "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
srv = HTTPServer(("127.0.0.1", port), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.serve_forever()
PY
python3 "$TMP/idp.py" "$idp_port" "$TMP/idp.crt" "$TMP/idp.key" "$BR_SRCDIR/tests/data/jose/jwks_rsa1.json" \
	>"$TMP/idp.log" 2>&1 &
PIDS="$PIDS $!"
"$BR_BIN" --generate-key "$TMP/signing.pem" >/dev/null

run_with() { # NAME CA_FILE_LINE
	port=$(free_port)
	cat >"$TMP/$1.conf" <<CONF
[server]
listen = 127.0.0.1:$port
public_url = http://127.0.0.1:$port

[provider]
issuer = https://127.0.0.1:$idp_port/
client_id = jitsi
client_secret = secret
timeout = 3s
$2

[jitsi]
url = https://meet.example.org
domain = meet.example.org
signing_key = $TMP/signing.pem
CONF
	start_bridge "$TMP/$1.conf" "$TMP/$1.log"
	wait_for_http "http://127.0.0.1:$port/healthz" 10
	base=http://127.0.0.1:$port
}

run_with system ""
wait_for_log "$TMP/system.log" "provider discovery failed" 10
body=$(curl -s -m 5 "$base/healthz")
case "$(status_of "$base/healthz") $body" in
"503 provider metadata not loaded") ok "a provider whose certificate no trusted CA signed is refused: /healthz 503 names the missing part" ;;
*) not_ok "a provider whose certificate no trusted CA signed is refused: /healthz 503 names the missing part" "$body" ;;
esac
if grep "provider discovery failed" "$TMP/system.log" | grep -qi certificate; then
	ok "the log says why (the certificate)"
else
	not_ok "the log says why (the certificate)" "$(tail -3 "$TMP/system.log")"
fi

run_with wrongca "ca_file = $TMP/other.crt"
wait_for_log "$TMP/wrongca.log" "provider discovery failed" 10
check "a ca_file with another CA does not help" test "$(status_of "$base/healthz")" = 503

run_with withca "ca_file = $TMP/idp.crt"
check "with its CA in ca_file the provider is trusted (discovery and JWKS over TLS)" \
	wait_bridge_ready "$base" 50

finish
