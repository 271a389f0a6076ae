#!/usr/bin/env python3
"""A stand-in Jitsi origin for sso.test.js (issue 21): two pages, written
here from what docs/upstream/inline-login-and-native-sso.md says Jitsi does,
not copied from jitsi-meet.

  GET /<room>            the "web app": the config.js part that `--check`
                         printed, then getTokenAuthUrl ({state},
                         {code_challenge}, the verifier in sessionStorage)
                         and loginWithPopup (&nonce=, window.open, the
                         message from its own origin, closing the popup)
  GET /static/sso.html   the exchange sso.html does: state decoded twice,
                         the refresh grant when state.refreshToken is set,
                         else the code with the verifier, POSTed as a form
                         to <scheme>//<config.sso.tokenService>/token, the
                         ID token's nonce checked, oauth-success or
                         oauth-error posted to the opener

The one deviation: Jitsi's sso.html always uses https://; --token-scheme
lets the test talk to an http bridge on 127.0.0.1."""
import argparse
import http.server
import json

WEB_APP = r"""
window.seen = [];
function hex(bytes) { return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(''); }
function b64url(bytes) {
  let s = ''; bytes.forEach((b) => (s += String.fromCharCode(b)));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
async function getTokenAuthUrl(room, refreshToken) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const rnd = crypto.getRandomValues(new Uint8Array(64));
  const verifier = Array.from(rnd, (b) => alphabet[b % alphabet.length]).join('');
  sessionStorage.setItem('code_verifier', verifier);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  const state = { room: room, roomSafe: encodeURIComponent(room.toLowerCase()), tenant: '',
                  'config.startWithAudioMuted': true };
  if (refreshToken) state.refreshToken = refreshToken;
  return config.tokenAuthUrl.replace('{state}', encodeURIComponent(JSON.stringify(state)))
                            .replace('{code_challenge}', b64url(new Uint8Array(digest)));
}
window.ssoLogin = async function (room, refreshToken) {
  const url = await getTokenAuthUrl(room, refreshToken);
  const nonce = hex(crypto.getRandomValues(new Uint8Array(32)));
  sessionStorage.setItem('oauth_nonce', nonce);
  return new Promise((resolve, reject) => {
    const popup = window.open(url + '&nonce=' + nonce, 'Auth-' + Date.now(), 'width=500,height=600');
    if (!popup) return reject(new Error('popup blocked'));
    const poll = setInterval(() => { if (popup.closed) { done(); reject(new Error('Login cancelled')); } }, 500);
    function done() { clearInterval(poll); window.removeEventListener('message', onMessage); }
    function onMessage(e) {
      window.seen.push({ origin: e.origin, type: e.data && e.data.type });
      if (e.origin !== window.location.origin || !e.data) return;
      if (e.data.type === 'oauth-success') {
        done(); popup.close();
        resolve({ accessToken: e.data.accessToken, idToken: e.data.idToken,
                  refreshToken: e.data.refreshToken, nonce: nonce });
      } else if (e.data.type === 'oauth-error') {
        done(); popup.close(); reject(new Error(e.data.error));
      }
    }
    window.addEventListener('message', onMessage);
  });
};
"""

SSO_HTML = r"""
(async () => {
  const target = window.opener || window.parent;
  const post = (m) => target.postMessage(m, window.location.origin);
  try {
    const params = new URLSearchParams(window.location.search);
    const state = JSON.parse(decodeURIComponent(params.get('state')));
    let form;
    if (state.refreshToken) {
      form = { grant_type: 'refresh_token', refresh_token: state.refreshToken,
               client_id: config.sso.clientId };
    } else {
      if (params.get('error')) throw new Error(params.get('error_description') || params.get('error'));
      const verifier = sessionStorage.getItem('code_verifier');
      const nonce = sessionStorage.getItem('oauth_nonce');
      if (!params.get('code')) throw new Error('no code');
      if (!verifier) throw new Error('No PKCE code verifier found in session');
      if (!nonce) throw new Error('No OAuth nonce found in session');
      form = { grant_type: 'authorization_code', code: params.get('code'),
               redirect_uri: window.location.origin + window.location.pathname,
               client_id: config.sso.clientId, code_verifier: verifier };
      window.expectNonce = nonce;
    }
    const res = await fetch(TOKEN_SCHEME + '//' + config.sso.tokenService + '/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(json.error_description || json.error || 'Token exchange failed');
    if (!json.access_token || !json.id_token) throw new Error('Missing tokens in response');
    if (window.expectNonce) {
      const p = json.id_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      const payload = JSON.parse(decodeURIComponent(Array.from(atob(p),
        (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join('')));
      if (!payload.nonce) throw new Error('ID token does not contain a nonce claim');
      if (payload.nonce !== window.expectNonce) throw new Error('nonce mismatch');
    }
    post({ type: 'oauth-success', accessToken: json.access_token, idToken: json.id_token,
           refreshToken: json.refresh_token || state.refreshToken });
  } catch (e) {
    post({ type: 'oauth-error', error: e.message });
  }
})();
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--config-js", required=True, help="the config.js part of --check")
    ap.add_argument("--token-scheme", default="https:")
    a = ap.parse_args()
    with open(a.config_js) as f:
        config_js = "var config = {};\n" + f.read()
    head = "<script>\n%s\nvar TOKEN_SCHEME = %s;\n" % (config_js, json.dumps(a.token_scheme))

    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            path = self.path.split("?")[0]
            script = SSO_HTML if path == "/static/sso.html" else WEB_APP
            body = ("<!doctype html><html><head><title>stand-in Jitsi</title></head><body>%s%s"
                    "</script></body></html>" % (head, script)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, fmt, *args):
            pass

    http.server.ThreadingHTTPServer(("127.0.0.1", a.port), H).serve_forever()


if __name__ == "__main__":
    main()
