#!/usr/bin/env python3
"""A minimal relying party that checks a LemonLDAP::NG set-up made by llng-up
(used by selftest.sh): authorization code + PKCE S256 for the demo users,
client_secret_basic, ID token RS256 signature checked against the JWKS with
`openssl dgst -verify`, claims, userinfo, and some refusals.

    rp_check.py DIR REDIRECT_URI [POST_LOGOUT_URI]

Prints one line per check, "ok - ..." or "FAIL - ...", nothing else on stdout.
"""
import base64
import hashlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import login  # noqa: E402

TIMEOUT = 10
USERS = [
    ("dwho", "Doctor Who", ["jitsi-meet", "jitsi-moderators"]),
    ("rtyler", "Rose Tyler", ["jitsi-meet"]),
    ("msmith", "Mickey Smith", []),
]

failures = 0


def check(cond, what, detail=""):
    global failures
    if cond:
        print("ok - %s" % what)
    else:
        failures += 1
        print("FAIL - %s%s" % (what, (": " + detail) if detail else ""))
    sys.stdout.flush()
    return cond


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64u_dec(s):
    if not isinstance(s, str) or any(c not in
                                     "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                     "0123456789-_" for c in s):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http(url, data=None, headers=None):
    """(status, headers, body bytes); errors are answers."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        r = _opener.open(req, timeout=TIMEOUT)
    except urllib.error.HTTPError as e:
        r = e
    with r:
        return r.code, r.headers, r.read(1 << 20)


def get_json(url, **kw):
    st, _, body = http(url, **kw)
    try:
        return st, json.loads(body)
    except ValueError:
        return st, None


# --- DER, for a PEM public key built from the JWK's n and e ------------------
def _der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def _der(tag, content):
    return bytes([tag]) + _der_len(len(content)) + content


def _der_uint(b):
    b = b.lstrip(b"\0") or b"\0"
    if b[0] & 0x80:
        b = b"\0" + b
    return _der(0x02, b)


def rsa_jwk_to_pem(jwk):
    n, e = b64u_dec(jwk["n"]), b64u_dec(jwk["e"])
    rsa_pub = _der(0x30, _der_uint(n) + _der_uint(e))
    # AlgorithmIdentifier rsaEncryption (1.2.840.113549.1.1.1), NULL
    alg = _der(0x30, bytes.fromhex("06092a864886f70d010101") + b"\x05\x00")
    spki = _der(0x30, alg + _der(0x03, b"\0" + rsa_pub))
    b = base64.b64encode(spki).decode()
    return "-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n" % "\n".join(
        b[i:i + 64] for i in range(0, len(b), 64))


def openssl_verify(pem, signing_input, sig):
    with tempfile.TemporaryDirectory() as d:
        paths = {}
        for name, content in (("pub.pem", pem.encode()), ("in", signing_input), ("sig", sig)):
            paths[name] = os.path.join(d, name)
            with open(paths[name], "wb") as f:
                f.write(content)
        r = subprocess.run(["openssl", "dgst", "-sha256", "-verify", paths["pub.pem"],
                            "-signature", paths["sig"], paths["in"]],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=TIMEOUT)
        return r.returncode == 0 and b"Verified OK" in r.stdout


def rsa_bits(pem):
    r = subprocess.run(["openssl", "pkey", "-pubin", "-noout", "-text"], input=pem.encode(),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=TIMEOUT)
    return r.stdout.decode(errors="replace").splitlines()[0] if r.stdout else ""


# --- the flow ----------------------------------------------------------------
def authorize_url(meta, client_id, redirect_uri, state, nonce, challenge, scope):
    q = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
         "scope": scope, "state": state, "nonce": nonce}
    if challenge:
        q.update(code_challenge=challenge, code_challenge_method="S256")
    return meta["authorization_endpoint"] + "?" + urllib.parse.urlencode(
        q, quote_via=urllib.parse.quote)


def basic(client_id, secret):
    # RFC 6749 2.3.1: form-urlencode id and secret before base64.
    raw = "%s:%s" % (urllib.parse.quote_plus(client_id), urllib.parse.quote_plus(secret))
    return {"Authorization": "Basic " + base64.b64encode(raw.encode()).decode()}


def start_login(meta, issuer, client_id, redirect_uri, user, password, scope, pkce=True):
    state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    verifier = secrets.token_urlsafe(32)
    challenge = b64u(hashlib.sha256(verifier.encode()).digest()) if pkce else None
    url = authorize_url(meta, client_id, redirect_uri, state, nonce, challenge, scope)
    r = login.login(url, user, password, idp=issuer, timeout=TIMEOUT)
    return r, state, nonce, verifier


def code_from(r, redirect_uri, state):
    loc = r.get("location") or ""
    if not (r.get("ok") and loc.startswith(redirect_uri + "?")):
        return None, "login ended at status %s location %r error %r" % (
            r.get("status"), loc, r.get("error_code"))
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(loc).query)
    if q.get("state") != [state]:
        return None, "state %r" % q.get("state")
    return q.get("code", [None])[0], ""


def main():
    d, redirect_uri = sys.argv[1], sys.argv[2]
    rd = lambda n: open(os.path.join(d, n)).read().strip()  # noqa: E731
    issuer, client_id, secret, kid = rd("issuer"), rd("client_id"), rd("client_secret"), rd("kid")
    scope = "openid profile email groups"

    st, meta = get_json(issuer + ".well-known/openid-configuration")
    if not check(st == 200 and meta and meta.get("issuer") == issuer,
                 "discovery answers 200 with issuer %s" % issuer, "status %s" % st):
        return
    st, jwks = get_json(meta["jwks_uri"])
    keys = [k for k in (jwks or {}).get("keys", []) if k.get("kid") == kid]
    if not check(st == 200 and len(keys) == 1 and keys[0].get("kty") == "RSA",
                 "JWKS has one RSA key with kid from DIR/kid", "status %s" % st):
        return
    pem = rsa_jwk_to_pem(keys[0])
    check("2048 bit" in rsa_bits(pem), "JWKS key is RSA-2048", rsa_bits(pem))

    for user, name, groups in USERS:
        r, state, nonce, verifier = start_login(meta, issuer, client_id, redirect_uri,
                                                user, user, scope)
        code, why = code_from(r, redirect_uri, state)
        if not check(code, "%s: login redirects to redirect_uri with code and state" % user, why):
            continue
        check(r.get("posted_login") and [h["method"] for h in r["history"]] == ["GET", "POST"],
              "%s: one GET (form), one POST (302)" % user, repr(r["history"]))
        tok_form = {"grant_type": "authorization_code", "code": code,
                    "redirect_uri": redirect_uri, "code_verifier": verifier}
        st, tok = get_json(meta["token_endpoint"], data=tok_form,
                           headers=basic(client_id, secret))
        if not check(st == 200 and tok and isinstance(tok.get("id_token"), str),
                     "%s: token endpoint (client_secret_basic) answers an id_token" % user,
                     "status %s %r" % (st, tok)):
            continue
        check(str(tok.get("token_type", "")).lower() == "bearer" and tok.get("access_token"),
              "%s: bearer access token" % user)
        parts = tok["id_token"].split(".")
        if not check(len(parts) == 3, "%s: ID token is a compact JWS" % user):
            continue
        hdr = json.loads(b64u_dec(parts[0]))
        claims = json.loads(b64u_dec(parts[1]))
        sig = b64u_dec(parts[2])
        check(hdr.get("alg") == "RS256" and hdr.get("kid") == kid,
              "%s: header alg RS256 and our kid" % user, repr(hdr))
        signing_input = (parts[0] + "." + parts[1]).encode()
        check(openssl_verify(pem, signing_input, sig),
              "%s: RS256 signature verifies against the JWKS key" % user)
        bad = bytes([sig[0] ^ 1]) + sig[1:]
        check(not openssl_verify(pem, signing_input, bad),
              "%s: a flipped signature bit does not verify" % user)
        now = time.time()
        check(claims.get("iss") == issuer, "%s: iss" % user, repr(claims.get("iss")))
        check(claims.get("aud") == [client_id], "%s: aud is [%s]" % (user, client_id),
              repr(claims.get("aud")))
        check(claims.get("azp") == client_id, "%s: azp present" % user,
              repr(claims.get("azp")))
        check(claims.get("nonce") == nonce, "%s: nonce matches" % user)
        check(claims.get("sub") == user, "%s: sub = login" % user, repr(claims.get("sub")))
        check(isinstance(claims.get("groups"), list)
              and sorted(claims["groups"]) == sorted(groups),
              "%s: groups = %s" % (user, groups), repr(claims.get("groups")))
        check(claims.get("name") == name and claims.get("email") == user + "@badwolf.org",
              "%s: name and email" % user, "%r %r" % (claims.get("name"), claims.get("email")))
        check(isinstance(claims.get("exp"), int) and claims["exp"] > now
              and isinstance(claims.get("iat"), int) and abs(claims["iat"] - now) < 120,
              "%s: exp in the future, iat now" % user)
        st, ui = get_json(meta["userinfo_endpoint"],
                          headers={"Authorization": "Bearer " + tok["access_token"]})
        check(st == 200 and ui and ui.get("sub") == user
              and sorted(ui.get("groups", [None])) == sorted(groups),
              "%s: userinfo has the same sub and groups" % user, "status %s %r" % (st, ui))
        st, err = get_json(meta["token_endpoint"], data=tok_form,
                           headers=basic(client_id, secret))
        check(st == 400 and err and err.get("error") == "invalid_grant",
              "%s: a reused code is refused with invalid_grant" % user,
              "status %s %r" % (st, err))

    # Refusals.
    r, state, _, _ = start_login(meta, issuer, client_id, redirect_uri, "dwho", "wrong", scope)
    check(r.get("status") == 200 and r.get("form") == "lform" and r.get("error_code") == "5"
          and not r.get("ok"), "wrong password: 200, the form again, error 5",
          "status %s form %s error %s" % (r.get("status"), r.get("form"), r.get("error_code")))

    r, state, _, verifier = start_login(meta, issuer, client_id, redirect_uri, "rtyler",
                                        "rtyler", scope)
    code, why = code_from(r, redirect_uri, state)
    if check(code, "login for the refusal checks", why):
        form = {"grant_type": "authorization_code", "code": code,
                "redirect_uri": redirect_uri, "code_verifier": verifier}
        st, err = get_json(meta["token_endpoint"], data=form,
                           headers=basic(client_id, secret + "x"))
        check(st == 401 and err and err.get("error") == "invalid_client",
              "bad client secret: 401 invalid_client", "status %s %r" % (st, err))
        st, err = get_json(meta["token_endpoint"], data=dict(form, code_verifier="x" * 43),
                           headers=basic(client_id, secret))
        check(st == 400 and err and err.get("error") == "invalid_grant",
              "wrong PKCE verifier: 400 invalid_grant", "status %s %r" % (st, err))

    r, _, _, _ = start_login(meta, issuer, client_id, redirect_uri, "dwho", "dwho", scope,
                             pkce=False)
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(r.get("location") or "").query)
    check(r.get("status") == 302 and q.get("error") == ["invalid_request"]
          and "code" not in q,
          "no PKCE challenge: refused at the authorization endpoint (invalid_request)",
          "status %s location %r" % (r.get("status"), r.get("location")))

    r, state, _, _ = start_login(meta, issuer, client_id, redirect_uri + "x", "dwho", "dwho",
                                 scope)
    check(not r.get("ok") and r.get("error_code") == "108",
          "unregistered redirect_uri: error 108", "error %r" % r.get("error_code"))

    # SSO session kept in a cookie jar file across login.py runs: prompt=none
    # gets a code without a form; logout (confirm page) ends the session.
    if len(sys.argv) > 3:
        post_logout = sys.argv[3]
        with tempfile.TemporaryDirectory() as td:
            jar = os.path.join(td, "jar")
            state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
            verifier = secrets.token_urlsafe(32)
            ch = b64u(hashlib.sha256(verifier.encode()).digest())
            url = authorize_url(meta, client_id, redirect_uri, state, nonce, ch, scope)
            r = login.login(url, "dwho", "dwho", idp=issuer, jar_file=jar, timeout=TIMEOUT)
            code, why = code_from(r, redirect_uri, state)
            check(code, "jar: login as dwho", why)
            with open(jar) as f:
                check("\tlemonldap\t" in f.read() and True, "jar file holds the SSO cookie")
            r = login.login(url + "&prompt=none", None, None, idp=issuer, jar_file=jar,
                            timeout=TIMEOUT)
            code, why = code_from(r, redirect_uri, state)
            check(code and not r.get("posted_login") and len(r["history"]) == 1,
                  "jar: prompt=none with the SSO session: 302 with a code, no form", why)
            lo = meta["end_session_endpoint"] + "?" + urllib.parse.urlencode(
                {"post_logout_redirect_uri": post_logout, "state": "bye1"})
            r = login.login(lo, None, None, idp=issuer, jar_file=jar, timeout=TIMEOUT,
                            confirm=True)
            check(r.get("ok") and r.get("location") == post_logout + "?state=bye1",
                  "jar: logout confirm page, then 302 to post_logout_redirect_uri",
                  "status %s location %r" % (r.get("status"), r.get("location")))
            r = login.login(url + "&prompt=none", None, None, idp=issuer, jar_file=jar,
                            timeout=TIMEOUT)
            check(r.get("status") == 200 and r.get("form") == "lform",
                  "jar: prompt=none after logout: the login form",
                  "status %s location %r" % (r.get("status"), r.get("location")))

    # login.py as the bridge tests use it: start at a (fake) bridge's /login on
    # the redirect_uri's port, which sends the browser to the IdP; the
    # callback (start host, followed) sends it on to Jitsi, where login.py stops.
    fake_bridge(meta, issuer, client_id, redirect_uri, scope)


def fake_bridge(meta, issuer, client_id, redirect_uri, scope):
    import http.server
    import threading
    ru = urllib.parse.urlsplit(redirect_uri)
    jitsi = "https://meet.invalid/Room%20A"
    seen = {}

    class H(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            u = urllib.parse.urlsplit(self.path)
            q = dict(urllib.parse.parse_qsl(u.query))
            if u.path == "/login":
                loc = authorize_url(meta, client_id, redirect_uri, "st-" + q.get("room", ""),
                                    "nn", b64u(hashlib.sha256(b"v" * 43).digest()), scope)
            elif u.path == ru.path:
                seen.update(q)
                loc = jitsi + "#jwt=%22fake%22"
            else:
                loc = None
            self.send_response(302 if loc else 404)
            if loc:
                self.send_header("Location", loc)
            self.send_header("Content-Length", "0")
            self.end_headers()

    try:
        srv = http.server.ThreadingHTTPServer((ru.hostname, ru.port), H)
    except OSError as e:
        check(False, "fake bridge binds %s" % ru.netloc, str(e))
        return
    t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    t.start()
    try:
        start = "http://%s/login?room=A" % ru.netloc
        r = login.login(start, "rtyler", "rtyler", idp=issuer, timeout=TIMEOUT)
        hosts = [urllib.parse.urlsplit(h["url"]).netloc for h in r["history"]]
        check(r.get("ok") and r.get("location") == jitsi + "#jwt=%22fake%22"
              and seen.get("state") == "st-A" and "code" in seen
              and hosts == [ru.netloc, urllib.parse.urlsplit(issuer).netloc,
                            urllib.parse.urlsplit(issuer).netloc, ru.netloc],
              "login.py: bridge /login -> IdP form -> bridge callback -> stops at Jitsi",
              "status %s location %r hosts %r" % (r.get("status"), r.get("location"), hosts))
        r = login.login(start, "rtyler", "rtyler", idp=issuer, timeout=TIMEOUT,
                        no_follow=[urllib.parse.urlsplit(issuer).netloc])
        check(r.get("ok") and r["location"].startswith(meta["authorization_endpoint"])
              and len(r["history"]) == 1, "login.py --no-follow stops at the IdP")
    finally:
        srv.shutdown()
        srv.server_close()


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # an unexpected crash is a failure, not a pass
        import traceback
        traceback.print_exc()
        print("FAIL - rp_check.py crashed: %s: %s" % (type(e).__name__, e))
    sys.exit(1 if failures else 0)
