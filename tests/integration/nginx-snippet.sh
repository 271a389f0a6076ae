#!/bin/sh
# The shipped nginx snippet (contrib/nginx/) in front of a stand-in bridge,
# inside a server block that has Jitsi's own regex locations: /auth/ must
# reach the bridge unchanged (path, query, Location, long headers),
# /auth/metrics must not, and the multi-tenant rewrite must not catch /auth/.
# Exit 77 (skip) when nginx or python3 is missing.
set -u

for tool in nginx python3 curl; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: $tool not found"
		exit 77
	fi
done

src="${BR_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
tmp=$(mktemp -d) || exit 1
up_pid=""
ngx_pid=""
cleanup() {
	[ -n "$ngx_pid" ] && kill "$ngx_pid" 2>/dev/null
	[ -n "$up_pid" ] && kill "$up_pid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# shellcheck source=wait.sh
. "$src/tests/integration/wait.sh"
ports=$(free_ports 2) || { echo "not ok - two free ports"; exit 1; }
up_port=${ports% *}
ngx_port=${ports#* }

# The stand-in bridge: logs each request line and X-Forwarded-For, answers
# /auth/login with a redirect carrying long Location and Set-Cookie headers.
cat >"$tmp/upstream.py" <<'PY'
import http.server, sys
log = open(sys.argv[2], "a", buffering=1)
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        log.write("%s xff=%s\n" % (self.path, self.headers.get("X-Forwarded-For")))
        if self.path.startswith("/auth/login"):
            self.send_response(302)
            self.send_header("Location", "https://sso.example.org/authorize?state=" + "s" * 3000)
            for i in range(3):
                self.send_header("Set-Cookie", "jitsi_oidc_%d=%s; Path=/auth/; HttpOnly" % (i, "c" * 1500))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"bridge\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
python3 "$tmp/upstream.py" "$up_port" "$tmp/upstream.log" &
up_pid=$!

sed -e "s/127\.0\.0\.1:8800/127.0.0.1:$up_port/g" \
	"$src/contrib/nginx/jitsi-oidc-bridge.conf" >"$tmp/snippet.conf"
mkdir -p "$tmp/html"
cat >"$tmp/nginx.conf" <<NGX
daemon off;
master_process off;
pid $tmp/nginx.pid;
error_log $tmp/error.log;
events {}
http {
	access_log $tmp/access.log;
	client_body_temp_path $tmp/body;
	proxy_temp_path $tmp/proxy;
	fastcgi_temp_path $tmp/fastcgi;
	uwsgi_temp_path $tmp/uwsgi;
	scgi_temp_path $tmp/scgi;
	include $src/contrib/nginx/jitsi-oidc-bridge-http.conf;
	server {
		listen 127.0.0.1:$ngx_port;
		server_name meet.example.org;
		root $tmp/html;
		# Jitsi's own locations (jitsi-meet's nginx site, abridged).
		location ~ ^/([^/?&:'"]+)\$ {
			return 200 "jitsi room\n";
		}
		location ~ ^/([^/?&:'"]+)/(.*)\$ {
			rewrite ^/([^/?&:'"]+)/(.*)\$ /\$2;
		}
		include $tmp/snippet.conf;
	}
}
NGX
if ! nginx -t -q -p "$tmp" -c "$tmp/nginx.conf"; then
	echo "FAIL: nginx -t"
	cat "$tmp/error.log" 2>/dev/null
	exit 1
fi
nginx -p "$tmp" -c "$tmp/nginx.conf" &
ngx_pid=$!

# Wait (bounded) until both listen.
i=0
while [ $i -lt 50 ]; do
	if curl -s -o /dev/null "http://127.0.0.1:$ngx_port/auth/healthz" &&
		curl -s -o /dev/null "http://127.0.0.1:$up_port/ping"; then
		break
	fi
	i=$((i + 1))
	sleep 0.1
done
: >"$tmp/upstream.log"

fail=0
check() { # name expected actual
	if [ "$2" = "$3" ]; then
		echo "ok: $1"
	else
		echo "FAIL: $1: expected '$2', got '$3'"
		fail=1
	fi
}
base="http://127.0.0.1:$ngx_port"

out=$(curl -s -o /dev/null -D "$tmp/h1" -w '%{http_code}' "$base/auth/login?room=My%20Room&tenant=t")
check "login status" 302 "$out"
loc=$(sed -n 's/^[Ll]ocation: \(.*\)\r$/\1/p' "$tmp/h1")
want="https://sso.example.org/authorize?state=$(printf 's%.0s' $(seq 1 3000))"
if [ "$loc" = "$want" ]; then loc=same; else loc="differs (${#loc} bytes)"; fi
check "Location untouched" same "$loc"
check "Set-Cookie lines" 3 "$(grep -c '^[Ss]et-[Cc]ookie: jitsi_oidc_' "$tmp/h1")"
check "upstream saw path and query" "/auth/login?room=My%20Room&tenant=t xff=127.0.0.1" \
	"$(sed -n 1p "$tmp/upstream.log")"

out=$(curl -s -w ' %{http_code}' "$base/auth/asap/0123abcd.pem")
check "asap proxied" "bridge 200" "$(echo $out)"
check "upstream saw asap path" "/auth/asap/0123abcd.pem xff=127.0.0.1" "$(sed -n 2p "$tmp/upstream.log")"

out=$(curl -s -o /dev/null -w '%{http_code}' "$base/auth/metrics")
check "metrics hidden" 404 "$out"
check "metrics never reached the bridge" 2 "$(wc -l <"$tmp/upstream.log" | tr -d ' ')"

out=$(curl -s "$base/SomeRoom")
check "Jitsi room page still served" "jitsi room" "$out"

head -c 4096 /dev/zero >"$tmp/big-body"
out=$(curl -s -o /dev/null -w '%{http_code}' -X POST --data-binary @"$tmp/big-body" "$base/auth/login")
check "request bodies refused" 413 "$out"

if [ $fail -ne 0 ]; then
	echo "--- nginx error log"
	cat "$tmp/error.log"
fi
exit $fail
