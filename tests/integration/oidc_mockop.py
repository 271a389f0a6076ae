#!/usr/bin/env python3
"""The OIDC relying party against the mock OP: the happy paths (RS256, PS256,
ES256, key rotation), every attack the mock OP can mount (each must end
without a Jitsi token and with the specific error in the log), the login
state checks, IdP faults, client secret encodings, replicas sharing the
state key, prompt=none, logout."""
import json
import os
import re
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bridgetest import (Client, MockOP, Report, decode_token, free_port, generate_key,  # noqa: E402
                        login_flow, start_bridge, token_from_location, verify_with_asap, wait_until,
                        healthz_ok, write_config)

T = Report()
tmp = tempfile.mkdtemp(prefix="br-oidc.")
op = MockOP(tmp)
key = os.path.join(tmp, "signing.pem")
kid = generate_key(key)
port = free_port()
conf = os.path.join(tmp, "bridge.conf")
state_key = os.path.join(tmp, "state.key")
with open(state_key, "wb") as f:
    f.write(os.urandom(32))
write_config(conf, port, op.issuer, key, {"server": {"state_key_file": state_key}})
bridge = start_bridge(tmp, conf)
base = "http://127.0.0.1:%d/auth" % port
procs = [bridge]


def ready(b=base):
    return healthz_ok(b)


def jitsi_redirect(st, h):
    return st == 302 and h.get("location", "").startswith("https://meet.example.org/")


try:
    T.check("bridge becomes ready against the mock OP", wait_until(ready, 20), bridge.log())

    # --- happy paths ---------------------------------------------------------
    now = time.time()
    c, st, h, body = login_flow(base, "Team Room")
    ok = T.check("RS256 login ends in a redirect to Jitsi", jitsi_redirect(st, h), "%s %s %s" % (st, h, body[:300]))
    if ok:
        loc = h["location"]
        T.check("redirect goes to <url>/<encodeURIComponent(room)>#jwt=%22...%22",
                re.match(r"^https://meet\.example\.org/Team%20Room#jwt=%22[A-Za-z0-9_.-]+%22$", loc), loc)
        tok = token_from_location(loc)
        hdr, cl = decode_token(tok)
        T.check("token header is alg RS256, typ JWT, kid of the signing key",
                hdr == {"alg": "RS256", "typ": "JWT", "kid": kid}, hdr)
        T.check("token iss/aud/sub/room", (cl["iss"], cl["aud"], cl["sub"], cl["room"]) ==
                ("jitsi", "jitsi", "meet.example.org", "team%20room"), cl)
        T.check("token nbf <= now < exp, iat now", cl["nbf"] <= now + 1 and cl["exp"] > now + 3000 and abs(cl["iat"] - now) < 30, cl)
        u = cl["context"]["user"]
        T.check("context.user from the claims, member", u["id"] == "alice" and u["affiliation"] == "member"
                and u["moderator"] is False and "email" in u and "name" in u, u)
        good, why = verify_with_asap(tok, base)
        T.check("token verifies with the PEM from /asap/<sha256(kid)>.pem", good, why)
        T.check("login cookie is expired after the callback", not any(k.startswith("jitsi_oidc_") for k in c.cookies), c.cookies)
        last = op.last()
        q = last["authorize"]
        T.check("authorization request has PKCE S256, state, nonce, scope",
                q.get("code_challenge_method") == "S256" and len(q.get("code_challenge", "")) == 43
                and len(q.get("state", "")) == 22 and len(q.get("nonce", "")) == 22 and q.get("scope") == "openid profile email"
                and q.get("redirect_uri") == base + "/callback", q)
        T.check("token request sends the PKCE verifier", len(last["token"]["form"].get("code_verifier", [""])[0]) == 43
                if isinstance(last["token"]["form"].get("code_verifier"), list) else len(last["token"]["form"].get("code_verifier", "")) == 43, last["token"])

    for mut, alg in (("ps256", "PS256"), ("es256", "ES256")):
        op.control({"reset": True, "id_token": {"mutation": mut}})
        c, st, h, body = login_flow(base, "x")
        T.check("%s ID token accepted" % alg, jitsi_redirect(st, h), "%s %s" % (st, body[:300]))

    # The ES256 login above spent this process's forced JWKS refetch: a
    # second unknown kid within 60 s must not trigger another one.
    op.control({"reset": True, "id_token": {"mutation": "rotate"}})
    c, st, h, body = login_flow(base, "x")
    T.check("a second unknown kid within 60 s is not refetched (rate limit)", st == 502, st)

    op.control({"reset": True, "user": {"groups": ["jitsi-meet", "jitsi-moderators"]}})
    c, st, h, body = login_flow(base, "Zoë")
    if T.check("moderator login", jitsi_redirect(st, h), body[:300]):
        _, cl = decode_token(token_from_location(h["location"]))
        T.check("moderator: owner affiliation, moderator true, room zo%C3%AB",
                cl["context"]["user"]["affiliation"] == "owner" and cl["context"]["user"]["moderator"] is True
                and cl["room"].lower() == "zo%c3%ab", cl)
        T.check("non-ASCII room redirect", h["location"].startswith("https://meet.example.org/Zo%C3%AB#jwt="), h["location"])

    op.control({"reset": True, "user": {"groups": []}})
    c, st, h, body = login_flow(base, "x")
    T.check("user outside the allowed group: 403 denied page, no token",
            st == 403 and b"jwt" not in body and "location" not in h, "%s %s" % (st, body[:300]))

    # --- attacks: no token, a specific error ---------------------------------
    attacks = [
        ("alg_none", "alg"), ("hs256", "alg"), ("hs256_pubkey", "alg"), ("rs384_header", ""),
        ("ps256_as_rs256", "signature"), ("wrong_iss", "iss"), ("wrong_aud", "aud"),
        ("aud_array_no_azp", "azp"), ("wrong_azp", "azp"), ("no_sub", "sub"), ("no_iat", "iat"),
        ("no_exp", "exp"), ("no_nonce", "nonce"), ("wrong_nonce", "nonce"), ("expired", "expired"),
        ("nbf_future", "nbf"), ("iat_old", "iat"), ("iat_future", "iat"), ("crit", "crit"),
        ("typ_wrong", "typ"), ("duplicate_keys", "duplicate"), ("duplicate_header_alg", "duplicate"),
        ("padding", ""), ("bad_signature", "signature"), ("short_signature", "signature"),
        ("empty_signature", "signature"), ("kid_unknown", "key"), ("rotate_unpublished", "key"),
        ("rsa1024", ""), ("at_hash_wrong", "at_hash"), ("two_parts", ""), ("four_parts", ""),
    ]
    for mut, word in attacks:
        op.control({"reset": True, "id_token": {"mutation": mut}})
        before = len(bridge.log())
        c, st, h, body = login_flow(base, "x")
        newlog = bridge.log()[before:]
        m = re.search(r'msg="login failed" reason=\S+ error=("(?:[^"\\]|\\.)*"|\S+)', newlog)
        err = m.group(1) if m else ""
        T.check("attack %s: 502, no token, error logged (%s)" % (mut, err.strip('"')[:70]),
                st == 502 and "location" not in h and b"jwt=" not in body and m is not None
                and word.lower() in err.lower(), "%s %s\n%s" % (st, body[:200], newlog[-600:]))

    # userinfo sub mismatch (userinfo = always in a second bridge config)
    # --- login state ----------------------------------------------------------
    op.reset()
    c = Client()
    st, h, _ = c.get(base + "/login?room=abc")
    st, h, _ = c.get(h["location"])
    cb = h["location"]
    cookies = dict(c.cookies)
    st, h, body = c.get(cb)
    T.check("first callback succeeds", jitsi_redirect(st, h), body[:200])
    c.cookies = dict(cookies)
    st, h, body = c.get(cb)
    T.check("replayed callback (same cookie, same code) is refused", st in (400, 502) and not jitsi_redirect(st, h), st)
    st, h, body = Client().get(cb)
    T.check("callback without the login cookie: 400", st == 400 and b"jwt" not in body, st)

    c1, c2 = Client(), Client()
    st, h1, _ = c1.get(base + "/login?room=one")
    st, h2, _ = c2.get(base + "/login?room=two")
    st, h, _ = c1.get(h1["location"])
    cb1 = h["location"]
    st, h, body = c2.get(cb1)
    T.check("callback with another login's cookie: 400", st == 400, st)

    c = Client()
    st, h, _ = c.get(base + "/login?room=abc")
    st, h, _ = c.get(h["location"])
    cb = h["location"]
    name = [k for k in c.cookies if k.startswith("jitsi_oidc_")][0]
    v = c.cookies[name]
    c.cookies[name] = v[:-3] + ("A" if v[-3] != "A" else "B") + v[-2:]
    st, h, body = c.get(cb)
    T.check("tampered login cookie: 400", st == 400 and not jitsi_redirect(st, h), st)

    c = Client()
    st, h, _ = c.get(base + "/login?room=abc")
    st, h, _ = c.get(h["location"])
    cb = h["location"]
    bad = re.sub(r"state=([^&]+)", lambda m: "state=" + m.group(1)[:-1] + ("x" if m.group(1)[-1] != "x" else "y"), cb)
    st, h, body = c.get(bad)
    T.check("state mismatch: 400", st == 400, st)

    c = Client()
    for i in range(12):
        c.get(base + "/login?room=r%d" % i)
    n = len([k for k in c.cookies if k.startswith("jitsi_oidc_")])
    T.check("at most 8 login cookies per browser", n <= 8, n)

    # --- IdP answers ----------------------------------------------------------
    op.control({"reset": True, "authorize": {"error": "access_denied"}})
    c, st, h, body = login_flow(base, "x")
    T.check("IdP access_denied: 403 page", st == 403 and not jitsi_redirect(st, h), st)
    op.control({"reset": True, "authorize": {"error": "temporarily_unavailable", "error_description": "SECRET-DESC"}})
    c, st, h, body = login_flow(base, "x")
    T.check("IdP error: 502 page showing its code, not its description",
            st == 502 and b"temporarily_unavailable" in body and b"SECRET-DESC" not in body, body[:300])
    op.control({"reset": True, "authorize": {"iss": "http://127.0.0.1:1/evil"}})
    c, st, h, body = login_flow(base, "x")
    T.check("RFC 9207 iss of another issuer: refused", st == 502 and not jitsi_redirect(st, h), st)
    op.control({"reset": True, "authorize": {"prompt_none_error": "login_required"}})
    c = Client()
    st, h, _ = c.get(base + "/login?room=abc&prompt=none")
    T.check("prompt=none is passed to the IdP", "prompt=none" in h.get("location", ""), h)
    st, h, _ = c.get(h["location"])
    st, h, body = c.get(h["location"])
    T.check("prompt=none + login_required restarts the login without prompt",
            st == 302 and h["location"].startswith(op.base) and "prompt=" not in h["location"], h)

    # --- faults -----------------------------------------------------------------
    for name, fault in (("500", {"status": 500}), ("HTML", {"html": True}), ("garbage", {"garbage": True}),
                        ("10 MiB body", {"huge": True})):
        op.control({"reset": True, "faults": {"token": fault}})
        c, st, h, body = login_flow(base, "x")
        T.check("token endpoint %s: clear 502 page" % name, st == 502 and b"<html" in body.lower(), "%s %s" % (st, body[:200]))

    op.control({"reset": True, "faults": {"token": {"hang": True}}})
    results = []

    def hammer():
        cc = Client(timeout=10)
        for _ in range(10):
            try:
                results.append(cc.get(base + "/healthz")[0])
            except OSError as e:
                results.append(str(e))

    t0 = time.monotonic()
    threads = [threading.Thread(target=hammer) for _ in range(10)]
    res = {}

    def hung_login():
        res["r"] = login_flow(base, "x")

    lt = threading.Thread(target=hung_login)
    lt.start()
    time.sleep(0.2)
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lt.join()
    el = time.monotonic() - t0
    st = res["r"][1]
    T.check("token endpoint that never answers: 504 within timeout + 1 s", st == 504 and el < 4.5, "%s after %.1fs" % (st, el))
    T.check("100 other requests answered meanwhile", results.count(200) == 100, results)

    # --- client secrets ---------------------------------------------------------
    finally_stop = []
    secret = "s:e%c+r t&é"
    conf2 = os.path.join(tmp, "bridge2.conf")
    secret_file = os.path.join(tmp, "secret")
    with open(secret_file, "w") as f:
        f.write(secret + "\n")
    for auth in ("client_secret_basic", "client_secret_post"):
        p2 = free_port()
        write_config(conf2, p2, op.issuer, key, {"provider": {"client_secret": None, "client_secret_file": secret_file,
                                                              "token_endpoint_auth": auth}})
        b2 = start_bridge(tmp, conf2, "bridge-" + auth)
        base2 = "http://127.0.0.1:%d/auth" % p2
        wait_until(lambda: ready(base2), 15)
        op.control({"reset": True, "client": {"secret": secret}})
        c, st, h, body = login_flow(base2, "x")
        T.check("secret with : %% + space & non-ASCII reaches the OP intact (%s)" % auth, jitsi_redirect(st, h),
                "%s %s %s" % (st, body[:200], json.dumps(op.last().get("token"))[:400]))
        b2.stop()

    # --- replicas ---------------------------------------------------------------
    op.reset()
    p3 = free_port()
    conf3 = os.path.join(tmp, "bridge3.conf")
    write_config(conf3, p3, op.issuer, key, {"server": {"state_key_file": state_key, "public_url": base}})
    b3 = start_bridge(tmp, conf3, "bridge-replica")
    procs.append(b3)
    base3 = "http://127.0.0.1:%d/auth" % p3
    wait_until(lambda: ready(base3), 15)
    c = Client()
    st, h, _ = c.get(base + "/login?room=replica")
    st, h, _ = c.get(h["location"])
    cb = h["location"].replace(base, base3)
    st, h, body = c.get(cb)
    T.check("a login begun on one process ends on another sharing state_key_file", jitsi_redirect(st, h), "%s %s" % (st, body[:300]))

    # --- userinfo ----------------------------------------------------------------
    p4 = free_port()
    conf4 = os.path.join(tmp, "bridge4.conf")
    write_config(conf4, p4, op.issuer, key, {"provider": {"userinfo": "always"}})
    b4 = start_bridge(tmp, conf4, "bridge-userinfo")
    procs.append(b4)
    base4 = "http://127.0.0.1:%d/auth" % p4
    wait_until(lambda: ready(base4), 15)
    op.control({"reset": True, "id_token": {"mutation": "rotate"}})
    c, st, h, body = login_flow(base4, "x")
    T.check("key rotation at the IdP succeeds through one JWKS refetch", jitsi_redirect(st, h), "%s %s" % (st, body[:300]))
    op.control({"reset": True, "userinfo": {"sub": "mallory"}})
    c, st, h, body = login_flow(base4, "x")
    T.check("userinfo for another sub: refused", st == 502 and not jitsi_redirect(st, h), st)
    op.control({"reset": True, "userinfo": {"jwt": True}})
    c, st, h, body = login_flow(base4, "x")
    T.check("signed JWT userinfo: refused with a clear error", st == 502 and "signed JWT" in b4.log(), st)
    op.control({"reset": True, "userinfo": {"claims": {"groups": ["jitsi-meet", "jitsi-moderators"]}}})
    c, st, h, body = login_flow(base4, "x")
    T.check("userinfo claims complete the ID token's", jitsi_redirect(st, h), st)

    # --- values the rules see = values the token carries; nothing cut --------------
    p5 = free_port()
    conf5 = os.path.join(tmp, "bridge5.conf")
    write_config(conf5, p5, op.issuer, key, {
        "provider": {"userinfo": "always"},
        "claims": {"groups": "roles groups"},
        "rules": {"allow": '(tenant != "sales" or inGroup("sales")) and not inGroup("suspended")'}})
    b5 = start_bridge(tmp, conf5, "bridge-rules")
    procs.append(b5)
    base5 = "http://127.0.0.1:%d/auth" % p5
    wait_until(lambda: ready(base5), 15)
    for typed in ("SALES", "Sales", "sales"):
        op.reset()
        c, st, h, body = login_flow(base5, "x", "&tenant=" + typed)
        T.check("tenant=%s by a non-member of sales: 403 denied, no token" % typed,
                st == 403 and not jitsi_redirect(st, h) and b"jwt" not in body, "%s %s" % (st, body[:200]))
    T.check("the audit log shows the tenant lower-cased",
            'tenant=sales decision=deny' in b5.log() and "tenant=SALES" not in b5.log(), b5.log()[-800:])
    op.control({"reset": True, "user": {"groups": ["sales"]}})
    c, st, h, body = login_flow(base5, "x", "&tenant=SALES")
    if T.check("tenant=SALES by a member of sales: token", jitsi_redirect(st, h), "%s %s" % (st, body[:200])):
        _, cl = decode_token(token_from_location(h["location"]))
        T.check("token sub and redirect carry the tenant the rules saw (sales)",
                cl["sub"] == "sales" and h["location"].startswith("https://meet.example.org/sales/x#jwt="),
                "%s %s" % (cl["sub"], h["location"][:60]))

    op.control({"reset": True, "token_response": {"access_token_bytes": 6000}})
    c, st, h, body = login_flow(base5, "x")
    ui = op.last().get("userinfo", {})
    T.check("a 6 KB access token: login works, userinfo got the whole Authorization header",
            jitsi_redirect(st, h) and ui.get("authorization_length") == 6007 and ui.get("token_known") is True,
            "%s %s %s" % (st, ui, body[:200]))

    groups = ["g%d" % i for i in range(1000)] + ["suspended"]
    op.control({"reset": True, "userinfo": {"claims": {"roles": groups}}})
    c, st, h, body = login_flow(base5, "x")
    T.check("1001 groups, the last one suspended, rule not inGroup(\"suspended\"): not allowed",
            st == 403 and not jitsi_redirect(st, h) and b"jwt" not in body, "%s %s" % (st, body[:200]))
    for what, roles, msg in (
            ("4097 groups", ["g%d" % i for i in range(4096)] + ["suspended"],
             "the identity provider sent more than 4096 groups"),
            ("a group name of 1025 bytes", ["jitsi-meet", "s" * 1025],
             "the identity provider sent a group name of 1025 bytes (at most 1024 are accepted)")):
        op.control({"reset": True, "userinfo": {"claims": {"roles": roles}}})
        before = len(b5.log())
        c, st, h, body = login_flow(base5, "x")
        newlog = b5.log()[before:]
        T.check("%s: the login fails (502 page naming the limit, log line), no token" % what,
                st == 502 and not jitsi_redirect(st, h) and b"jwt" not in body and msg.encode() in body
                and 'reason=claims error="%s"' % msg in newlog, "%s %s\n%s" % (st, body[:300], newlog[-400:]))

    # --- logout -------------------------------------------------------------------
    op.reset()
    st, h, _ = Client().get(base + "/logout")
    loc = h.get("location", "")
    T.check("logout goes to the end_session_endpoint with client_id and post_logout_redirect_uri",
            st == 302 and loc.startswith(op.base + "/end_session?") and "client_id=jitsi" in loc
            and "post_logout_redirect_uri=https%3A%2F%2Fmeet.example.org" in loc, loc)

    # --- the log holds no secrets -------------------------------------------------
    logs = "".join(p.log() for p in procs)
    T.check("no client secret, cookie value or token in the logs",
            "mock-secret" not in logs and "eyJ" not in logs and "jitsi_oidc_" not in logs, "")
finally:
    for p in procs:
        p.stop()
    op.stop()
T.finish()
