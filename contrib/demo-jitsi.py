#!/usr/bin/env python3
"""A stand-in for Jitsi Meet in the demo: serves /<room> and shows the token
the bridge delivered, checked the way Prosody checks it.

The token arrives in the URL fragment (#jwt=%22<token>%22), which browsers
never send to a server, so the page reads it with a few lines of script,
decodes it for display, and posts it back to /verify, where this server
fetches the bridge's /asap/<sha256(kid)>.pem and verifies the signature
with openssl, as Prosody would.  It also lists the other fragment
parameters (config.*, interfaceConfig.*, iceServers.* overrides that Jitsi
sent in its {state} and the bridge handed back), read the way Jitsi's
parseURLParams() reads them: percent-decoded, then JSON-parsed.

    demo-jitsi.py --port 8802 --bridge http://127.0.0.1:8800
"""
import argparse
import base64
import hashlib
import json
import subprocess
import tempfile
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo meeting</title>
<style>body{font-family:sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}
pre{background:#f4f4f4;padding:1rem;overflow-x:auto}#verdict{overflow-wrap:anywhere}.ok{color:#070}.bad{color:#a00}</style>
</head><body>
<h1>Demo "Jitsi Meet"</h1>
<p>This page stands in for a Jitsi Meet server: it shows the token the bridge
sent with you, and whether its signature verifies with the key from the
bridge's <code>/asap</code> key server, as Prosody checks it.</p>
<p id="verdict">No token in this URL.</p>
<h2>Token header and claims</h2>
<pre id="claims">-</pre>
<h2>Overrides handed back</h2>
<pre id="overrides">(none)</pre>
<p><a href="BRIDGE/logout">Sign out</a> &middot; <a href="BRIDGE/">Another room</a></p>
<script>
(function () {
  var over = [];
  location.hash.substr(1).split('&').forEach(function (p) {
    var kv = p.split('=');
    if (!kv[0] || kv[0] === 'jwt') return;
    var v;
    try { v = JSON.stringify(JSON.parse(decodeURIComponent(kv[1]))); }
    catch (e) { v = '(not JSON, Jitsi drops it)'; }
    over.push(kv[0] + ' = ' + v);
  });
  if (over.length) document.getElementById('overrides').textContent = over.join('\\n');
  var m = location.hash.match(/jwt=([^&]*)/);
  if (!m) return;
  var token = JSON.parse(decodeURIComponent(m[1]));
  function part(i) {
    var s = token.split('.')[i].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(decodeURIComponent(escape(atob(s))));
  }
  document.getElementById('claims').textContent =
    JSON.stringify({header: part(0), claims: part(1)}, null, 2);
  fetch('/verify', {method: 'POST', body: token}).then(function (r) { return r.json(); })
    .then(function (v) {
      var el = document.getElementById('verdict');
      el.textContent = v.ok ? 'Signature verified with ' + v.url : 'NOT verified: ' + v.error;
      el.className = v.ok ? 'ok' : 'bad';
    });
})();
</script>
</body></html>
"""


def b64url(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def verify(token, bridge):
    head, payload, sig = token.split(".")
    header = json.loads(b64url(head))
    kid = header["kid"]
    url = "%s/asap/%s.pem" % (bridge, hashlib.sha256(kid.encode()).hexdigest())
    pem = urllib.request.urlopen(url, timeout=5).read()
    digest = {"RS256": "-sha256", "RS384": "-sha384", "RS512": "-sha512"}[header["alg"]]
    with tempfile.TemporaryDirectory() as d:
        open(d + "/k.pem", "wb").write(pem)
        open(d + "/sig", "wb").write(b64url(sig))
        open(d + "/data", "wb").write((head + "." + payload).encode())
        r = subprocess.run(["openssl", "dgst", digest, "-verify", d + "/k.pem",
                            "-signature", d + "/sig", d + "/data"], capture_output=True)
    return r.returncode == 0, url


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = PAGE.replace("BRIDGE", self.server.bridge).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        n = min(int(self.headers.get("Content-Length", "0")), 16384)
        token = self.rfile.read(n).decode()
        try:
            ok, url = verify(token, self.server.bridge)
            out = {"ok": ok, "url": url, "error": None if ok else "bad signature"}
        except Exception as e:  # shown on the demo page only
            out = {"ok": False, "error": str(e)}
        body = json.dumps(out).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=8802)
    ap.add_argument("--bridge", default="http://127.0.0.1:8800")
    a = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.bridge = a.bridge
    srv.serve_forever()


if __name__ == "__main__":
    main()
