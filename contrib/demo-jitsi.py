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

With --proxy PORT it also passes /auth/ to the bridge listening on PORT (as
nginx does in front of Jitsi), so that the bridge is on this page's origin
and Jitsi's inline mode works; the page then does what jitsi-meet's web app
does with config.tokenAuthInline = true (react/features/authentication/
actions.web.ts loginWithPopup and silentLogout): sign in in a popup, renew
with the handle it got (kept in memory only, as Jitsi does), and log out in
a hidden frame.  --inline-auth URL points the popup at another bridge
(a page on a foreign origin, for the tests: it must receive nothing).

    demo-jitsi.py --port 8802 --bridge http://127.0.0.1:8802/auth --proxy 8800
"""
import argparse
import base64
import hashlib
import http.client
import json
import subprocess
import tempfile
import urllib.parse
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


# Added before </body> in inline mode.  Jitsi's own logic, reduced: the
# popup gets tokenAuthUrl + '&nonce=<64 hex>', the answer is taken only from
# this page's origin, Jitsi closes the popup, setJWT replaces all three
# values, and the silent logout waits for logout-success without a timeout.
INLINE = r"""<h2>Inline mode (config.tokenAuthInline = true)</h2>
<p><button id="inline-login">Sign in (popup)</button>
<button id="inline-renew">Renew the token</button>
<button id="inline-logout">Sign out (hidden frame)</button></p>
<p id="inline-status">No token from the popup yet.</p>
<script>
(function () {
  var AUTH = "INLINE_AUTH";
  window.seen = [];
  window.jwt = { jwt: undefined, idToken: undefined, refreshToken: undefined };
  window.addEventListener('message', function (e) {
    window.seen.push({ origin: e.origin, type: e.data && e.data.type });
  });
  function room() {
    return decodeURIComponent(location.pathname.slice(1)) || 'Demo Room';
  }
  function nonce() {
    var a = new Uint8Array(32);
    crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  function tokenAuthUrl() {
    var state = { room: room(), roomSafe: encodeURIComponent(room().toLowerCase()), tenant: '' };
    if (window.jwt.refreshToken) state.refreshToken = window.jwt.refreshToken;
    return AUTH + '/login?room=' + room() + '&state=' + encodeURIComponent(JSON.stringify(state));
  }
  function loginWithPopup(url, withNonce) {
    return new Promise(function (resolve, reject) {
      var popup = window.open(url + (withNonce === false ? '' : '&nonce=' + nonce()),
                              'Auth-' + Date.now(), 'width=500,height=600');
      if (!popup) { reject(new Error('Login popup was blocked by your browser.')); return; }
      var poll;
      function cleanup() {
        window.removeEventListener('message', handler);
        clearInterval(poll);
        popup.close();
      }
      function handler(event) {
        if (event.origin !== window.location.origin) return;
        if (event.data.type === 'oauth-success') {
          cleanup();
          resolve({ accessToken: event.data.accessToken, idToken: event.data.idToken,
                    refreshToken: event.data.refreshToken });
        } else if (event.data.type === 'oauth-error') {
          cleanup();
          reject(new Error(event.data.error));
        }
      }
      window.addEventListener('message', handler);
      poll = setInterval(function () {
        if (popup.closed) { cleanup(); reject(new Error('Login cancelled')); }
      }, 500);
    });
  }
  function show(text, ok) {
    var el = document.getElementById('inline-status');
    el.textContent = text;
    el.className = ok ? 'ok' : 'bad';
  }
  function claims(t) {
    var s = t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(decodeURIComponent(escape(atob(s))));
  }
  window.login = function (withNonce) {
    var renewing = !!window.jwt.refreshToken;
    return loginWithPopup(tokenAuthUrl(), withNonce).then(function (r) {
      window.jwt = { jwt: r.accessToken, idToken: r.idToken, refreshToken: r.refreshToken };
      var c = claims(r.accessToken);
      show((renewing ? 'Renewed' : 'Signed in') + ' in the popup: ' + c.context.user.id +
           ', room ' + c.room + ', valid until ' + new Date(c.exp * 1000).toLocaleTimeString() +
           (r.refreshToken ? '; a renewal handle is held' : ''), true);
      document.getElementById('claims').textContent =
        JSON.stringify({ claims: c }, null, 2);
      fetch('/verify', { method: 'POST', body: r.accessToken }).then(function (v) { return v.json(); })
        .then(function (v) {
          var el = document.getElementById('verdict');
          el.textContent = v.ok ? 'Signature verified with ' + v.url : 'NOT verified: ' + v.error;
          el.className = v.ok ? 'ok' : 'bad';
        });
      return r;
    }, function (e) { show('Login failed: ' + e.message, false); throw e; });
  };
  window.silentLogout = function () {
    var url = AUTH + '/logout';
    if (window.jwt.idToken) url += '?id_token_hint=' + window.jwt.idToken;
    return new Promise(function (resolve) {
      var iframe = document.createElement('iframe');
      iframe.style.display = 'none';
      iframe.src = url;
      document.body.appendChild(iframe);
      window.addEventListener('message', function h(event) {
        if (event.origin === window.location.origin && event.data.type === 'logout-success') {
          window.removeEventListener('message', h);
          document.body.removeChild(iframe);
          window.jwt = { jwt: undefined, idToken: undefined, refreshToken: undefined };
          show('Signed out (the identity provider session is kept).', true);
          resolve(true);
        }
      });
    });
  };
  function click(f) { return function () { window.last = f().then(function (r) { return { ok: true, r: r }; },
    function (e) { return { ok: false, error: e.message }; }); }; }
  document.getElementById('inline-login').onclick = click(function () {
    window.jwt.refreshToken = undefined;
    return window.login();
  });
  document.getElementById('inline-renew').onclick = click(function () { return window.login(); });
  document.getElementById('inline-logout').onclick = click(function () { return window.silentLogout(); });
})();
</script>
"""

HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade", "te"}


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
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.server.proxy and self.path.startswith(self.server.prefix + "/"):
            self.proxy()
            return
        page = PAGE.replace("BRIDGE", self.server.bridge)
        if self.server.inline_auth:
            page = page.replace("</body>", INLINE.replace("INLINE_AUTH", self.server.inline_auth)
                                + "</body>")
        body = page.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def proxy(self):
        """/auth/... to the bridge, headers and status as they are."""
        conn = http.client.HTTPConnection("127.0.0.1", self.server.proxy, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        conn.request("GET", self.path, headers=headers)
        r = conn.getresponse()
        body = r.read()
        conn.close()
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in HOP and k.lower() != "content-length":
                self.send_header(k, v)
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
    ap.add_argument("--proxy", type=int, metavar="PORT",
                    help="pass the bridge's path (--bridge's) to the bridge on this port: inline mode")
    ap.add_argument("--inline-auth", metavar="URL",
                    help="inline mode against this bridge URL (default with --proxy: --bridge)")
    a = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    srv.bridge = a.bridge
    srv.proxy = a.proxy
    srv.prefix = urllib.parse.urlsplit(a.bridge).path.rstrip("/")
    if a.proxy and not srv.prefix:
        ap.error("--proxy needs a --bridge URL with a path, e.g. http://127.0.0.1:8802/auth")
    srv.inline_auth = a.inline_auth or (a.bridge if a.proxy else None)
    srv.serve_forever()


if __name__ == "__main__":
    main()
