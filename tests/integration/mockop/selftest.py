#!/usr/bin/env python3
"""Self-test of mockop.py: discovery, JWKS, a PKCE code flow with signatures
checked by openssl, ID token mutations and endpoint faults. Prints one line
per check and "N passed, N failed" last; exit 1 on any failure, 77 (skip)
when openssl is missing."""
import base64
import hashlib
import http.client
import json
import os
import secrets
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
SECRET = "s3cret ü:+%/"  # needs form-urlencoding in client_secret_basic
CLIENT = "jitsi"
REDIRECT = "http://127.0.0.1:9/callback"
TIMEOUT = 10

passed = failed = 0


def check(cond, what, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("ok - " + what)
    else:
        failed += 1
        print("FAIL - %s%s" % (what, ": " + str(detail) if detail != "" else ""))
    sys.stdout.flush()
    return cond


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def b64u_dec(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


class Client:
    def __init__(self, port):
        self.port = port

    def req(self, method, path, body=None, headers=None, timeout=TIMEOUT):
        """(status, headers dict, body bytes)"""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            h = dict(headers or {})
            if isinstance(body, dict):
                body = urllib.parse.urlencode(body)
                h.setdefault("Content-Type", "application/x-www-form-urlencoded")
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            data = r.read()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data
        finally:
            c.close()

    def json(self, method, path, body=None, headers=None):
        st, h, data = self.req(method, path, body, headers)
        try:
            return st, json.loads(data)
        except ValueError:
            return st, None

    def control(self, ctl):
        st, state = self.json("POST", "/_control", json.dumps(ctl),
                              {"Content-Type": "application/json"})
        if st != 200:
            raise RuntimeError("control %r: %s %r" % (ctl, st, state))
        return state

    def code_flow(self, pkce=True, nonce="n-" + secrets.token_hex(4), auth="basic"):
        state = secrets.token_urlsafe(8)
        verifier = secrets.token_urlsafe(32)
        q = {"response_type": "code", "client_id": CLIENT, "redirect_uri": REDIRECT,
             "scope": "openid profile email", "state": state, "nonce": nonce}
        if pkce:
            q.update(code_challenge=b64u(hashlib.sha256(verifier.encode()).digest()),
                     code_challenge_method="S256")
        st, h, _ = self.req("GET", "/authorize?" + urllib.parse.urlencode(q))
        loc = h.get("location", "")
        rq = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(loc).query))
        if st != 302 or rq.get("state") != state or "code" not in rq:
            return None, {"authorize_status": st, "location": loc}
        form = {"grant_type": "authorization_code", "code": rq["code"],
                "redirect_uri": REDIRECT, "code_verifier": verifier}
        headers = {}
        if auth == "basic":
            raw = "%s:%s" % (urllib.parse.quote_plus(CLIENT), urllib.parse.quote_plus(SECRET))
            headers["Authorization"] = "Basic " + base64.b64encode(raw.encode()).decode()
        else:
            form.update(client_id=CLIENT, client_secret=SECRET)
        st, tok = self.json("POST", "/token", form, headers)
        return (tok if st == 200 else None), {"status": st, "body": tok, "form": form,
                                              "headers": headers, "nonce": nonce}


# --- verification with openssl --------------------------------------------------
def _der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def _der(tag, c):
    return bytes([tag]) + _der_len(len(c)) + c


def _uint(b):
    b = b.lstrip(b"\0") or b"\0"
    return _der(2, (b"\0" + b) if b[0] & 0x80 else b)


def jwk_pem(k):
    if k["kty"] == "RSA":
        alg = _der(0x30, bytes.fromhex("06092a864886f70d010101") + b"\x05\x00")
        key = _der(0x30, _uint(b64u_dec(k["n"])) + _uint(b64u_dec(k["e"])))
    else:
        curve = {"P-256": "06082a8648ce3d030107", "P-384": "06052b81040022"}[k["crv"]]
        alg = _der(0x30, bytes.fromhex("06072a8648ce3d0201" + curve))
        key = b"\x04" + b64u_dec(k["x"]) + b64u_dec(k["y"])
    spki = base64.b64encode(_der(0x30, alg + _der(3, b"\0" + key))).decode()
    return "-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n" % "\n".join(
        spki[i:i + 64] for i in range(0, len(spki), 64))


def verify(jwt, jwk, tmp):
    """Checks a compact JWS against a JWK with openssl, per the header's alg."""
    h, p, s = jwt.split(".")
    alg = json.loads(b64u_dec(h))["alg"]
    sig = b64u_dec(s)
    if alg.startswith("ES"):
        n = len(sig) // 2
        sig = _der(0x30, _uint(sig[:n]) + _uint(sig[n:]))
    files = {"pub": jwk_pem(jwk).encode(), "in": (h + "." + p).encode(), "sig": sig}
    for name, data in files.items():
        with open(os.path.join(tmp, name), "wb") as f:
            f.write(data)
    args = ["openssl", "dgst", "-sha" + alg[2:], "-verify", os.path.join(tmp, "pub"),
            "-signature", os.path.join(tmp, "sig")]
    if alg.startswith("PS"):
        args[3:3] = ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:-2"]
    r = subprocess.run(args + [os.path.join(tmp, "in")], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=TIMEOUT)
    return r.returncode == 0


def parts(jwt):
    h, p, _ = jwt.split(".")
    return json.loads(b64u_dec(h)), json.loads(b64u_dec(p))


def key_bits(jwk):
    return len(b64u_dec(jwk["n"]).lstrip(b"\0")) * 8


# --- the test -------------------------------------------------------------------
def start(tmp):
    p = subprocess.Popen([sys.executable, os.path.join(HERE, "mockop.py"), "--client-secret",
                          SECRET, "--keys", os.path.join(tmp, "keys")],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60  # first start generates five keys
    line = b""
    while time.monotonic() < deadline and not line.endswith(b"\n"):
        r, _, _ = select.select([p.stdout], [], [], 0.5)
        if r:
            ch = os.read(p.stdout.fileno(), 1)
            if not ch:
                break
            line += ch
        elif p.poll() is not None:
            break
    if not line.startswith(b"PORT "):
        p.kill()
        raise RuntimeError("mockop did not start: %r %r" % (line, p.stderr.read()))
    return p, int(line.split()[1])


def run(c, tmp):
    port = c.port
    issuer = "http://127.0.0.1:%d" % port
    st, disc = c.json("GET", "/.well-known/openid-configuration")
    check(st == 200 and disc["issuer"] == issuer, "discovery 200 with issuer", disc)
    check(disc.get("token_endpoint") == issuer + "/token", "discovery token_endpoint")
    st, jwks = c.json("GET", "/jwks")
    keys = {k["kid"]: k for k in (jwks or {}).get("keys", [])}
    check(st == 200 and list(keys) == ["rsa1"] and key_bits(keys["rsa1"]) == 2048
          and "alg" not in keys["rsa1"], "JWKS: one RSA-2048 key rsa1, no alg", jwks)

    tok, info = c.code_flow()
    if not check(tok is not None, "code flow with PKCE and client_secret_basic", info):
        return
    h, cl = parts(tok["id_token"])
    check(h == {"alg": "RS256", "typ": "JWT", "kid": "rsa1"}, "ID token header", h)
    check(verify(tok["id_token"], keys["rsa1"], tmp), "RS256 signature verifies (openssl)")
    check(cl["iss"] == issuer and cl["aud"] == CLIENT and cl["azp"] == CLIENT
          and cl["sub"] == "alice" and cl["nonce"] == info["nonce"]
          and cl["groups"] == ["jitsi-meet"], "ID token claims, nonce echoed", cl)
    ah = hashlib.sha256(tok["access_token"].encode()).digest()[:16]
    check(cl.get("at_hash") == b64u(ah), "at_hash")
    st, last = c.json("GET", "/_last")
    raw = "%s:%s" % (urllib.parse.quote_plus(CLIENT), urllib.parse.quote_plus(SECRET))
    check(last["token"]["authorization"] == "Basic " + base64.b64encode(raw.encode()).decode()
          and last["token"]["form"]["grant_type"] == "authorization_code",
          "/_last records the Authorization header and the form", last.get("token"))
    check(last["counts"]["token"] == 1 and last["counts"]["authorize"] == 1, "/_last counts",
          last.get("counts"))
    check(last["paths"].get("/token") == 1 and last["paths"].get("/authorize") == 1,
          "/_last counts the paths", last.get("paths"))
    st, body = c.json("GET", "/alt/jwks")
    st2, last = c.json("GET", "/_last")
    check(st == 200 and [k["kid"] for k in body["keys"]] == ["rsa1"] and last["paths"].get("/alt/jwks") == 1,
          "/alt/<endpoint> serves the same endpoint, counted under its own path", (st, last.get("paths")))
    st, body = c.json("POST", "/token", info["form"], info["headers"])
    check(st == 400 and body == {"error": "invalid_grant", "error_description": "bad code"},
          "a reused code: 400 invalid_grant", (st, body))
    st, ui = c.json("GET", "/userinfo", None, {"Authorization": "Bearer " + tok["access_token"]})
    check(st == 200 and ui["sub"] == "alice", "userinfo", (st, ui))
    st, ui = c.json("GET", "/userinfo", None, {"Authorization": "Bearer nope"})
    check(st == 401, "userinfo with an unknown token: 401", st)

    tok, info = c.code_flow(auth="post")
    check(tok is not None, "client_secret_post", info)
    st, last = c.json("GET", "/_last")
    check(last["token"]["authorization"] is None
          and last["token"]["form"].get("client_secret") == SECRET,
          "/_last: the posted secret, no Authorization header")

    # Client authentication and PKCE failures.
    q = {"response_type": "code", "client_id": CLIENT, "redirect_uri": REDIRECT, "state": "x",
         "code_challenge": b64u(hashlib.sha256(b"v" * 43).digest()),
         "code_challenge_method": "S256"}
    st, hd, _ = c.req("GET", "/authorize?" + urllib.parse.urlencode(q))
    code = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(hd["location"]).query))["code"]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
            "client_id": CLIENT, "client_secret": "wrong", "code_verifier": "v" * 43}
    st, body = c.json("POST", "/token", form)
    check(st == 401 and body["error"] == "invalid_client", "bad secret: 401 invalid_client")
    form.update(client_secret=SECRET, code_verifier="w" * 43)
    st, body = c.json("POST", "/token", form)
    check(st == 400 and body["error"] == "invalid_grant", "wrong verifier: 400 invalid_grant")

    # ID token mutations.
    def mutated(m):
        c.control({"id_token": {"mutation": m}})
        tok, info = c.code_flow()
        c.control({"id_token": {}})
        if tok is None:
            raise RuntimeError("mutation %s: flow failed: %r" % (m, info))
        return tok["id_token"], info

    jwt, _ = mutated("alg_none")
    check(parts(jwt)[0]["alg"] == "none" and jwt.endswith("."), "alg none: empty signature")
    jwt, _ = mutated("hs256")
    hh, pp, ss = jwt.split(".")
    import hmac
    check(b64u(hmac.new(SECRET.encode(), (hh + "." + pp).encode(), "sha256").digest()) == ss,
          "HS256 with the client secret")
    jwt, _ = mutated("expired")
    cl = parts(jwt)[1]
    check(cl["exp"] < time.time() and verify(jwt, keys["rsa1"], tmp), "expired, still signed")
    jwt, _ = mutated("nbf_future")
    check(parts(jwt)[1]["nbf"] > time.time() + 500, "nbf in the future")
    jwt, _ = mutated("iat_old")
    check(parts(jwt)[1]["iat"] < time.time() - 3500, "iat an hour old")
    jwt, info = mutated("wrong_nonce")
    check(parts(jwt)[1]["nonce"] != info["nonce"], "wrong nonce")
    for m, claim in (("no_sub", "sub"), ("no_iat", "iat")):
        jwt, _ = mutated(m)
        check(claim not in parts(jwt)[1], "%s removes %s" % (m, claim))
    jwt, _ = mutated("aud_array_no_azp")
    cl = parts(jwt)[1]
    check(cl["aud"] == [CLIENT, "other"] and "azp" not in cl, "aud array without azp", cl)
    jwt, _ = mutated("wrong_azp")
    check(parts(jwt)[1]["azp"] == "someone-else", "wrong azp")
    jwt, _ = mutated("wrong_iss")
    check(parts(jwt)[1]["iss"] != issuer, "wrong iss")
    jwt, _ = mutated("crit")
    check(parts(jwt)[0]["crit"] == ["exp"], "crit header")
    jwt, _ = mutated("duplicate_keys")
    payload = b64u_dec(jwt.split(".")[1]).decode()
    check(payload.count('"iss":') == 2, "duplicate iss in the payload")
    jwt, _ = mutated("padding")
    check(all(p.endswith("=") for p in jwt.split(".")), "base64 padding on every part")
    jwt, _ = mutated("bad_signature")
    check(not verify(jwt, keys["rsa1"], tmp), "bad signature does not verify")
    jwt, _ = mutated("short_signature")
    check(len(b64u_dec(jwt.split(".")[2])) == 16, "short signature: 16 bytes")
    jwt, _ = mutated("kid_unknown")
    check(parts(jwt)[0]["kid"] == "unknown-kid", "unknown kid")
    jwt, _ = mutated("ps256")
    check(parts(jwt)[0]["alg"] == "PS256" and verify(jwt, keys["rsa1"], tmp),
          "PS256 verifies (openssl)")

    c.control({"id_token": {"mutation": "es256"}})
    st, jw = c.json("GET", "/jwks")
    tok, _ = c.code_flow()
    c.control({"id_token": {}})
    eck = [k for k in jw["keys"] if k["kid"] == "ec1"]
    check(len(eck) == 1 and eck[0]["crv"] == "P-256" and tok
          and parts(tok["id_token"])[0]["alg"] == "ES256"
          and verify(tok["id_token"], eck[0], tmp), "ES256 with ec1 in the JWKS (openssl)")

    c.control({"id_token": {"mutation": "rotate"}})
    st, jw = c.json("GET", "/jwks")
    tok, _ = c.code_flow()
    c.control({"id_token": {}})
    nk = {k["kid"]: k for k in jw["keys"]}
    check(set(nk) == {"rsa1", "rsa2"} and parts(tok["id_token"])[0]["kid"] == "rsa2"
          and verify(tok["id_token"], nk["rsa2"], tmp), "rotation to rsa2")

    c.control({"jwks": {"keys": ["rsa1", "rsa1024"]}})
    st, jw = c.json("GET", "/jwks")
    c.control({"jwks": {"keys": ["rsa1"]}})
    check(sorted(key_bits(k) for k in jw["keys"]) == [1024, 2048], "a 1024-bit key in the JWKS")

    # Discovery and userinfo mismatches.
    c.control({"discovery": {"issuer": issuer + "/other"}})
    st, d = c.json("GET", "/.well-known/openid-configuration")
    c.control({"discovery": {}})
    check(d["issuer"] == issuer + "/other", "discovery issuer mismatch")
    c.control({"userinfo": {"sub": "mallory"}})
    tok, _ = c.code_flow()
    st, ui = c.json("GET", "/userinfo", None, {"Authorization": "Bearer " + tok["access_token"]})
    c.control({"userinfo": {}})
    check(st == 200 and ui["sub"] == "mallory" and parts(tok["id_token"])[1]["sub"] == "alice",
          "userinfo sub mismatch")

    # Faults.
    c.control({"faults": {"token": {"html": True, "status": 502}}})
    tok, info = c.code_flow()
    check(info["status"] == 502 and info["body"] is None, "token: 502 HTML page")
    c.control({"faults": {"jwks": {"garbage": True}}})
    st, h, body = c.req("GET", "/jwks")
    check(st == 200 and h["content-type"] == "application/json" and b"garbage" in body,
          "jwks: garbage body")
    c.control({"faults": {"discovery": {"huge": True}}})
    st, h, body = c.req("GET", "/.well-known/openid-configuration")
    check(st == 200 and len(body) == 10 * 1024 * 1024, "discovery: 10 MiB body", len(body))
    c.control({"faults": {"discovery": {"delay": 0.5, "times": 1}}})
    t0 = time.monotonic()
    st, _, _ = c.req("GET", "/.well-known/openid-configuration")
    dt = time.monotonic() - t0
    t0 = time.monotonic()
    st2, _, _ = c.req("GET", "/.well-known/openid-configuration")
    dt2 = time.monotonic() - t0
    check(st == 200 and dt >= 0.5 and st2 == 200 and dt2 < 0.5,
          "delay 0.5 s once (times=1), then normal", (dt, dt2))
    c.control({"faults": {"userinfo": {"hang": True}}})
    t0 = time.monotonic()
    try:
        c.req("GET", "/userinfo", timeout=1)
        hung = False
    except socket.timeout:
        hung = True
    check(hung and time.monotonic() - t0 < 5, "userinfo: never answers (client timeout)")
    c.control({"faults": {"token": {"reset": True}}})
    try:
        c.req("POST", "/token", {"grant_type": "x"})
        reset = False
    except (ConnectionResetError, http.client.RemoteDisconnected, BrokenPipeError):
        reset = True
    check(reset, "token: connection reset")
    c.control({"faults": {"token": {"status": 503, "body": "<h1>down</h1>",
                                    "content_type": "text/html", "times": 2}}})
    a = c.req("POST", "/token", {})[0]
    b = c.req("POST", "/token", {})[0]
    d = c.req("POST", "/token", {})[0]
    check((a, b, d) == (503, 503, 401), "status 503 twice, then the real endpoint", (a, b, d))
    c.control({"faults": {"jwks": None, "discovery": None, "userinfo": None, "token": None}})

    st, body = c.json("POST", "/_control", json.dumps({"nope": 1}))
    check(st == 400 and "unknown control key" in body["error"], "unknown control key: 400")
    st, body = c.json("POST", "/_control", json.dumps({"id_token": {"mutation": "zzz"}}))
    check(st == 400 and "unknown mutation" in body["error"], "unknown mutation: 400")
    c.control({"reset": True})
    st, last = c.json("GET", "/_last")
    check(last == {"counts": {e: 0 for e in ("discovery", "jwks", "authorize", "token",
                                             "userinfo", "end_session")}, "paths": {}},
          "reset clears /_last", last)
    st, h, _ = c.req("GET", "/end_session?post_logout_redirect_uri=" +
                     urllib.parse.quote("http://127.0.0.1:9/bye") + "&state=z")
    check(st == 302 and h["location"] == "http://127.0.0.1:9/bye?state=z", "end_session")


def main():
    if not shutil.which("openssl"):
        print("SKIP: openssl not installed")
        return 77
    tmp = tempfile.mkdtemp(prefix="mockop-selftest.")
    p = None
    try:
        p, port = start(tmp)
        run(Client(port), tmp)
    except Exception as e:
        import traceback
        traceback.print_exc()
        check(False, "selftest crashed: %s: %s" % (type(e).__name__, e))
    finally:
        if p is not None:
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            err = p.stderr.read().decode(errors="replace")
            if err.strip():
                print("# mockop stderr:\n# " + err.strip().replace("\n", "\n# "))
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
