#!/usr/bin/env python3
"""The front of the inline-mode browser test: one origin that serves a
stand-in for Jitsi Meet's web app at / and passes /auth/ through to the
bridge (as nginx does in a real set-up), so that the bridge is on Jitsi's
origin.  With --foreign it serves only the stand-in page, on an origin of
its own (the "foreign origin" that must receive nothing).

The page reimplements, from jitsi-meet's source, what inline mode does
(react/features/authentication/actions.web.ts loginWithPopup and
silentLogout; docs/upstream/inline-login-and-native-sso.md A and C): the
popup with tokenAuthUrl + '&nonce=<64 hex>', the message listener that
checks event.origin === location.origin and closes the popup itself, and
the hidden iframe that waits for logout-success.  Every message from any
origin is also recorded in window.seen for the test to read.

    inline_front.py --port N --bridge-port B --prefix /auth [--foreign URL]
"""
import argparse
import http.client
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = r"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Stand-in Jitsi</title></head>
<body><h1>Stand-in Jitsi (inline mode)</h1>
<button id="login">Login</button>
<script>
var AUTH = "AUTHURL";  // tokenAuthUrl's origin and prefix
window.seen = [];
window.jwt = { jwt: undefined, idToken: undefined, refreshToken: undefined };
window.addEventListener('message', function (e) {
  window.seen.push({ origin: e.origin, type: e.data && e.data.type });
});
function nonce() {
  var a = new Uint8Array(32);
  crypto.getRandomValues(a);
  return Array.prototype.map.call(a, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
}
function tokenAuthUrl(room) {
  var state = { room: room, roomSafe: encodeURIComponent(room.toLowerCase()), tenant: '' };
  if (window.jwt.refreshToken) state.refreshToken = window.jwt.refreshToken;
  return AUTH + '/login?room=' + room + '&state=' + encodeURIComponent(JSON.stringify(state));
}
// loginWithPopup
function loginWithPopup(url, withNonce) {
  return new Promise(function (resolve, reject) {
    var popup = window.open(url + (withNonce === false ? '' : '&nonce=' + nonce()), 'Auth-' + Date.now(),
                            'width=500,height=600');
    if (!popup) { reject(new Error('PopupBlockedError')); return; }
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
// openTokenAuthUrl, inline branch: setJWT replaces all three
window.login = function (room, withNonce) {
  return loginWithPopup(tokenAuthUrl(room || 'Team Room'), withNonce).then(function (r) {
    window.jwt = { jwt: r.accessToken, idToken: r.idToken, refreshToken: r.refreshToken };
    return r;
  });
};
// openLogoutDialog + silentLogout (no timeout in current Jitsi)
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
        resolve(true);
      }
    });
  });
};
document.getElementById('login').onclick = function () {
  window.lastLogin = window.login().then(function (r) { return { ok: true, r: r }; },
                                         function (e) { return { ok: false, error: String(e.message) }; });
};
</script></body></html>
"""

HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade", "te"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet, and never a URL (tokens)
        pass

    def do_GET(self):
        if not self.server.foreign and self.path.startswith(self.server.prefix + "/"):
            self.proxy()
            return
        body = PAGE.replace("AUTHURL", self.server.auth).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def proxy(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.bridge_port, timeout=30)
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--bridge-port", type=int, default=0)
    ap.add_argument("--prefix", default="/auth")
    ap.add_argument("--foreign", help="serve only the page; its tokenAuthUrl prefix is this URL")
    a = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    srv.bridge_port = a.bridge_port
    srv.prefix = a.prefix
    srv.foreign = a.foreign is not None
    srv.auth = a.foreign or ("http://127.0.0.1:%d%s" % (a.port, a.prefix))
    srv.serve_forever()


if __name__ == "__main__":
    main()
