#!/usr/bin/env python3
"""Jitsi's native SSO against the mock OP (issue 21): the bridge as the token
service of jitsi-meet's static/sso.html.  This plays what Jitsi's web app and
sso.html do over HTTP (getTokenAuthUrl with {state} and {code_challenge},
loginWithPopup's &nonce=, sso.html's double decoding of state and its form
POSTs to <tokenService>/token) without copying them: the code flow, wrong
verifier, wrong redirect_uri, wrong client_id, tampered and expired codes,
the refresh grant, renewal at /authorize, denials, strict requests, CORS,
and the endpoints' absence when sso_client_id is unset."""
import base64
import hashlib
import http.client
import json
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bridgetest import (Client, MockOP, Report, b64url_decode, decode_token, free_port,  # noqa: E402
                        generate_key, healthz_ok, start_bridge, verify_with_asap, wait_until, write_config)

T = Report()
tmp = tempfile.mkdtemp(prefix="br-sso.")
op = MockOP(tmp)
key = os.path.join(tmp, "signing.pem")
generate_key(key)
procs = []

JITSI = "https://meet.example.org"
SSO_HTML = JITSI + "/static/sso.html"
CLIENT = "jitsi-meet"


def bridge(name, jitsi_extra):
    port = free_port()
    conf = os.path.join(tmp, name + ".conf")
    write_config(conf, port, op.issuer, key, {"jitsi": jitsi_extra}, jitsi=JITSI)
    p = start_bridge(tmp, conf, name)
    procs.append(p)
    base = "http://127.0.0.1:%d/auth" % port
    T.check("%s becomes ready" % name, wait_until(lambda: healthz_ok(base), 20), p.log())
    return base, p


def request(method, url, body=None, headers=None):
    """(status, {lower-case header: value}, body bytes); never follows."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=15)
    conn.request(method, u.path + ("?" + u.query if u.query else ""), body=body,
                 headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data


def post_token(base, fields, origin=JITSI, ctype="application/x-www-form-urlencoded", raw=None):
    """sso.html's fetch: a form POST, a CORS simple request with its Origin."""
    body = raw if raw is not None else urllib.parse.urlencode(fields)
    hdrs = {"Content-Type": ctype}
    if origin:
        hdrs["Origin"] = origin
    st, h, data = request("POST", base + "/token", body.encode(), hdrs)
    try:
        doc = json.loads(data)
    except ValueError:
        doc = {}
    return st, h, doc


def pkce_pair():
    """Like Jitsi's web app: 64 characters of [A-Za-z0-9], then S256."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    verifier = "".join(secrets.choice(alphabet) for _ in range(64))
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    return verifier, challenge


def jitsi_state(room="Team Room", **extra):
    s = {"room": room, "roomSafe": urllib.parse.quote(room.lower()), "tenant": "",
         "config.startWithAudioMuted": True}
    s.update(extra)
    return s


def authorize_url(base, state, challenge, nonce=None, client_id=CLIENT, redirect_uri=SSO_HTML,
                  extra=""):
    """The tokenAuthUrl --check prints, with Jitsi's substitutions
    ({state} = encodeURIComponent(JSON), {code_challenge}) and &nonce=."""
    url = (base + "/authorize?response_type=code&client_id=%s&redirect_uri=%s&state=%s"
           "&code_challenge=%s&code_challenge_method=S256" %
           (urllib.parse.quote(client_id, safe=""), urllib.parse.quote(redirect_uri, safe=""),
            urllib.parse.quote(json.dumps(state), safe="~()*!.'"), challenge))
    if nonce:
        url += "&nonce=" + nonce
    return url + extra


def sso_html_params(location):
    """What sso.html reads: URLSearchParams, then decodeURIComponent of state."""
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query, keep_blank_values=True))
    if "state" in q:
        q["state_json"] = json.loads(urllib.parse.unquote(q["state"]))
    return q


def sign_in(base, state, challenge, nonce=None, client=None):
    """/authorize → mock OP → /callback; returns (client, status, headers) of
    the bridge's last answer (the redirect to sso.html)."""
    c = client or Client()
    st, h, body = c.get(authorize_url(base, state, challenge, nonce))
    if st != 302 or not h["location"].startswith(op.base):
        return c, st, h
    st, h, body = c.get(h["location"])
    if st != 302 or not h["location"].startswith(base + "/callback"):
        return c, st, h
    st, h, body = c.get(h["location"])
    return c, st, h


def code_flow(base, room="Team Room"):
    verifier, challenge = pkce_pair()
    nonce = secrets.token_hex(32)
    state = jitsi_state(room)
    c, st, h = sign_in(base, state, challenge, nonce)
    q = sso_html_params(h.get("location", "")) if st == 302 else {}
    code_flow.client = c
    return verifier, nonce, state, st, h, q


def jwks_verifies(token, base):
    """The ID token's kid is in /jwks.json, and its key verifies it."""
    hdr, _ = decode_token(token)
    st, _, body = Client().get(base + "/jwks.json")
    keys = json.loads(body).get("keys", []) if st == 200 else []
    if not any(k.get("kid") == hdr.get("kid") for k in keys):
        return False, "kid %s not in /jwks.json" % hdr.get("kid")
    return verify_with_asap(token, base)  # the same key, as SPKI PEM


try:
    # --- not configured: the endpoints do not exist ---------------------------------
    b0, p0 = bridge("plain", {})
    verifier, challenge = pkce_pair()
    st, _, _ = request("GET", authorize_url(b0, jitsi_state(), challenge))
    T.check("sso_client_id unset: GET /authorize is 404", st == 404, st)
    st, _, _ = request("POST", b0 + "/token", b"grant_type=authorization_code",
                       {"Content-Type": "application/x-www-form-urlencoded"})
    T.check("sso_client_id unset: POST /token is 404", st == 404, st)
    st, _, _ = request("GET", b0 + "/token")
    T.check("sso_client_id unset: GET /token is 404 too (not 405)", st == 404, st)

    b1, p1 = bridge("sso", {"sso_client_id": CLIENT})
    op.control({"reset": True, "refresh": {"issue": True}})

    # --- the code flow -----------------------------------------------------------
    verifier, nonce, state, st, h, q = code_flow(b1)
    loc = h.get("location", "")
    ok = T.check("/callback sends the browser to <sso_redirect_uri>?code=…&state=…",
                 st == 302 and loc.startswith(SSO_HTML + "?code=") and "&state=" in loc
                 and "error" not in q, "%s %s" % (st, h))
    T.check("sso.html's double decoding gives back Jitsi's state, roomSafe's %20 intact",
            q.get("state_json") == state, q.get("state_json"))
    T.check("the code is URL-safe and holds nothing in clear",
            re.fullmatch(r"[A-Za-z0-9_-]{60,}", q.get("code", "")) is not None
            and b"alice" not in b64url_decode(q.get("code", "AAAA")), q.get("code"))
    code1 = q.get("code", "")
    code1_time = time.time()
    T.check("/callback expires the login and native SSO request cookies",
            not any(k.startswith(("jitsi_sso_", "jitsi_oidc_")) for k in code_flow.client.cookies),
            code_flow.client.cookies)

    # sso.html: POST https://<tokenService>/token
    st, h, doc = post_token(b1, {"grant_type": "authorization_code", "code": code1,
                                 "redirect_uri": SSO_HTML, "client_id": CLIENT,
                                 "code_verifier": verifier})
    ok = T.check("POST /token (authorization_code): 200 JSON", st == 200 and "access_token" in doc,
                 "%s %s" % (st, doc))
    if ok:
        T.check("Cache-Control: no-store, application/json",
                h.get("cache-control") == "no-store" and h.get("content-type") == "application/json", h)
        T.check("CORS: Access-Control-Allow-Origin is the Jitsi origin (a simple request)",
                h.get("access-control-allow-origin") == JITSI and "origin" in h.get("vary", "").lower(), h)
        good, why = verify_with_asap(doc["access_token"], b1)
        _, cl = decode_token(doc["access_token"])
        T.check("access_token is the Jitsi token for alice and the room, verified via /asap",
                good and cl["context"]["user"]["id"] == "alice" and cl["room"] == "team%20room",
                (why, cl))
        T.check("token_type Bearer, expires_in what is left of the token's lifetime",
                doc.get("token_type") == "Bearer" and 3598 <= doc.get("expires_in", 0) <= 3600
                and abs(doc["expires_in"] - (cl["exp"] - time.time())) <= 1.5, (doc.get("expires_in"), cl["exp"]))
        ihdr, icl = decode_token(doc["id_token"])
        T.check("id_token: iss = public_url, aud = sso_client_id, sub, nonce = Jitsi's, short-lived",
                icl.get("iss") == b1 and icl.get("aud") == CLIENT and icl.get("sub") == "alice"
                and icl.get("nonce") == nonce and 0 < icl["exp"] - icl["iat"] <= 300, icl)
        good, why = jwks_verifies(doc["id_token"], b1)
        T.check("id_token is signed by the bridge, its kid published in /jwks.json", good, why)
        T.check("the id_token has no room claim (Prosody does not take it as a Jitsi token)",
                "room" not in icl and "context" not in icl, icl)
        handle1 = doc.get("refresh_token", "")
        T.check("refresh_token: an opaque URL-safe renewal handle",
                re.fullmatch(r"[A-Za-z0-9_-]{40,}", handle1) is not None, handle1)
    else:
        handle1 = ""

    st, h, doc = post_token(b1, {"grant_type": "authorization_code", "code": code1,
                                 "redirect_uri": SSO_HTML, "client_id": CLIENT,
                                 "code_verifier": verifier}, origin="https://evil.example")
    T.check("another Origin gets no Access-Control-Allow-Origin",
            "access-control-allow-origin" not in h, h)

    # --- what /token refuses --------------------------------------------------------
    verifier2, nonce2, state2, st, h, q2 = code_flow(b1)
    code2 = q2.get("code", "")
    good = {"grant_type": "authorization_code", "code": code2, "redirect_uri": SSO_HTML,
            "client_id": CLIENT, "code_verifier": verifier2}

    def refused(name, fields, status, error, **kw):
        st, h, doc = post_token(b1, fields, **kw)
        T.check(name, st == status and doc.get("error") == error
                and h.get("cache-control") == "no-store" and "access_token" not in doc,
                "%s %s" % (st, doc))

    refused("wrong code_verifier: 400 invalid_grant", dict(good, code_verifier=pkce_pair()[0]),
            400, "invalid_grant")
    refused("the verifier of another login: 400 invalid_grant", dict(good, code_verifier=verifier),
            400, "invalid_grant")
    refused("the challenge itself as verifier (plain): 400 invalid_grant",
            dict(good, code_verifier=pkce_pair()[1]), 400, "invalid_grant")
    refused("wrong redirect_uri: 400 invalid_grant",
            dict(good, redirect_uri=JITSI + "/static/other.html"), 400, "invalid_grant")
    refused("wrong client_id: 401 invalid_client", dict(good, client_id="other"), 401,
            "invalid_client")
    tampered = code2[:30] + ("A" if code2[30] != "A" else "B") + code2[31:]
    refused("tampered code: 400 invalid_grant", dict(good, code=tampered), 400, "invalid_grant")
    refused("a renewal handle as code: 400 invalid_grant", dict(good, code=handle1 or "x"), 400,
            "invalid_grant")
    refused("no code_verifier: 400 invalid_request",
            {k: v for k, v in good.items() if k != "code_verifier"}, 400, "invalid_request")
    refused("no grant_type: 400 invalid_request",
            {k: v for k, v in good.items() if k != "grant_type"}, 400, "invalid_request")
    refused("grant_type=password: 400 unsupported_grant_type", dict(good, grant_type="password"),
            400, "unsupported_grant_type")
    refused("a parameter twice: 400 invalid_request", None, 400, "invalid_request",
            raw=urllib.parse.urlencode(good) + "&code=" + code2)
    refused("not a form (JSON): 400 invalid_request", None, 400, "invalid_request",
            raw=json.dumps(good), ctype="application/json")
    refused("a malformed escape: 400 invalid_request", None, 400, "invalid_request",
            raw=urllib.parse.urlencode(good) + "&x=%zz")
    st, _, _ = request("POST", b1 + "/token", ("grant_type=authorization_code&code=" + "A" * 9000).encode(),
                       {"Content-Type": "application/x-www-form-urlencoded"})
    T.check("a body over 8 KiB is refused (413)", st == 413, st)
    st, h, _ = request("GET", b1 + "/token")
    T.check("GET /token: 405, Allow: POST", st == 405 and h.get("allow") == "POST", (st, h))
    st, h, doc = post_token(b1, good)
    T.check("the untouched code still works after all that", st == 200 and doc.get("access_token"),
            "%s %s" % (st, doc))

    # --- what /authorize refuses (a 400 page, never a redirect) ------------------------
    v, ch = pkce_pair()

    def bad_authorize(name, url):
        st, h, body = request("GET", url)
        T.check(name, st == 400 and "location" not in h and b"<html" in body.lower(),
                "%s %s %s" % (st, h.get("location"), body[:200]))

    bad_authorize("/authorize: unknown client_id → 400 page",
                  authorize_url(b1, jitsi_state(), ch, client_id="evil"))
    bad_authorize("/authorize: another redirect_uri → 400 page, not sent there",
                  authorize_url(b1, jitsi_state(), ch, redirect_uri="https://evil.example/sso.html"))
    bad_authorize("/authorize: redirect_uri with a query → 400 page",
                  authorize_url(b1, jitsi_state(), ch, redirect_uri=SSO_HTML + "?x=1"))
    bad_authorize("/authorize: no PKCE → 400 page",
                  authorize_url(b1, jitsi_state(), "").replace("&code_challenge=&code_challenge_method=S256", ""))
    bad_authorize("/authorize: code_challenge_method=plain → 400 page",
                  authorize_url(b1, jitsi_state(), ch).replace("method=S256", "method=plain"))
    bad_authorize("/authorize: response_type=token → 400 page",
                  authorize_url(b1, jitsi_state(), ch).replace("response_type=code", "response_type=token"))
    bad_authorize("/authorize: client_id twice → 400 page",
                  authorize_url(b1, jitsi_state(), ch, extra="&client_id=" + CLIENT))
    bad_authorize("/authorize: no state → 400 page",
                  re.sub(r"&state=[^&]*", "", authorize_url(b1, jitsi_state(), ch)))
    bad_authorize("/authorize: a state that is not JSON → 400 page",
                  re.sub(r"&state=[^&]*", "&state=notjson", authorize_url(b1, jitsi_state(), ch)))
    st, h, _ = request("HEAD", authorize_url(b1, jitsi_state(), ch))
    T.check("HEAD /authorize: 405 (a link scanner starts no login)", st == 405, st)

    # --- denials -------------------------------------------------------------------
    op.control({"user": {"groups": []}})
    _, _, state, st, h, q = code_flow(b1)
    T.check("rules deny: 302 to sso.html?error=access_denied&state=… (no code)",
            st == 302 and h["location"].startswith(SSO_HTML + "?error=access_denied&state=")
            and "code" not in q and q.get("state_json") == state, "%s %s" % (st, h))
    op.control({"user": {"groups": ["jitsi-meet"]}})
    op.control({"authorize": {"error": "access_denied"}})
    _, _, state, st, h, q = code_flow(b1)
    T.check("the IdP denies: 302 to sso.html?error=access_denied&state=…",
            st == 302 and h["location"].startswith(SSO_HTML + "?error=access_denied&state=")
            and q.get("state_json") == state, "%s %s" % (st, h))
    op.control({"authorize": {}})

    # --- the refresh grant (sso.html when its state carries refreshToken) -------------
    st, h, doc = post_token(b1, {"grant_type": "refresh_token", "refresh_token": handle1,
                                 "client_id": CLIENT})
    ok = T.check("refresh_token grant: 200 with a new Jitsi token and a new handle",
                 st == 200 and doc.get("access_token") and doc.get("id_token")
                 and doc.get("refresh_token") not in (None, handle1), "%s %s" % (st, doc))
    if ok:
        T.check("... through the IdP's refresh grant",
                op.last().get("token", {}).get("form", {}).get("grant_type") == "refresh_token",
                op.last().get("token"))
        T.check("... for the handle's room, and CORS for Jitsi",
                decode_token(doc["access_token"])[1]["room"] == "team%20room"
                and h.get("access-control-allow-origin") == JITSI, h)
        handle2 = doc["refresh_token"]
    else:
        handle2 = handle1
    st, h, doc = post_token(b1, {"grant_type": "refresh_token", "refresh_token": handle2[:-3] + "AAA",
                                 "client_id": CLIENT})
    T.check("a tampered handle: 400 invalid_grant", st == 400 and doc.get("error") == "invalid_grant",
            "%s %s" % (st, doc))
    st, h, doc = post_token(b1, {"grant_type": "refresh_token", "refresh_token": code2,
                                 "client_id": CLIENT})
    T.check("a code as refresh_token: 400 invalid_grant", st == 400 and doc.get("error") == "invalid_grant",
            "%s %s" % (st, doc))
    op.control({"refresh": {"refuse": True}})
    st, h, doc = post_token(b1, {"grant_type": "refresh_token", "refresh_token": handle2,
                                 "client_id": CLIENT})
    T.check("the IdP refuses the refresh: 400 invalid_grant (no login to fall back to)",
            st == 400 and doc.get("error") == "invalid_grant", "%s %s" % (st, doc))
    op.control({"refresh": {"refuse": False}})
    op.control({"user": {"groups": []}})
    st, h, doc = post_token(b1, {"grant_type": "refresh_token", "refresh_token": handle2,
                                 "client_id": CLIENT})
    T.check("user removed from the group: 400 invalid_grant at the next refresh",
            st == 400 and doc.get("error") == "invalid_grant" and "access_token" not in doc,
            "%s %s" % (st, doc))
    op.control({"user": {"groups": ["jitsi-meet"]}})

    # --- a handle in Jitsi's state: renewed at /authorize, dropped from the state -------
    before = op.last().get("counts", {}).get("authorize")
    v3, ch3 = pkce_pair()
    n3 = secrets.token_hex(32)
    st3 = jitsi_state("Other Room", refreshToken=handle2)
    st, h, _ = request("GET", authorize_url(b1, st3, ch3, n3))
    q = sso_html_params(h.get("location", ""))
    expect = dict(st3)
    del expect["refreshToken"]
    ok = T.check("state.refreshToken that opens: renewed at /authorize, straight to sso.html with a code",
                 st == 302 and h["location"].startswith(SSO_HTML + "?code=")
                 and op.last().get("counts", {}).get("authorize") == before, "%s %s" % (st, h))
    T.check("... and the state comes back without refreshToken (so sso.html runs the code flow)",
            q.get("state_json") == expect, q.get("state_json"))
    st, h, doc = post_token(b1, {"grant_type": "authorization_code", "code": q.get("code", ""),
                                 "redirect_uri": SSO_HTML, "client_id": CLIENT, "code_verifier": v3})
    T.check("... its code gives a token for the state's room, the ID token Jitsi's new nonce",
            st == 200 and decode_token(doc["access_token"])[1]["room"] == "other%20room"
            and decode_token(doc["id_token"])[1].get("nonce") == n3, "%s %s" % (st, doc))
    st, h, _ = request("GET", authorize_url(b1, jitsi_state(refreshToken="garbage"), ch3, n3))
    loc = h.get("location", "")
    aq = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(loc).query))
    T.check("a handle that does not open: the normal login (prompt=none first), not a dead end",
            st == 302 and loc.startswith(op.base + "/authorize") and aq.get("prompt") == "none", h)

    # --- expires_in counts from /callback, where the token was made ------------------
    v4, _, _, st, h, q = code_flow(b1)
    time.sleep(3)
    st, h, doc = post_token(b1, {"grant_type": "authorization_code", "code": q.get("code", ""),
                                 "redirect_uri": SSO_HTML, "client_id": CLIENT, "code_verifier": v4})
    left = decode_token(doc["access_token"])[1]["exp"] - time.time() if st == 200 else None
    T.check("a code exchanged 3 s after /callback: expires_in is the token's remaining lifetime, not 3600",
            left is not None and doc.get("expires_in", 0) <= 3597 and abs(doc["expires_in"] - left) <= 1.5,
            "%s %s %s" % (st, doc.get("expires_in"), left))

    # --- the code expires after 60 s ------------------------------------------------
    wait = code1_time + 61 - time.time()
    if wait > 0:
        time.sleep(wait)
    st, h, doc = post_token(b1, {"grant_type": "authorization_code", "code": code1,
                                 "redirect_uri": SSO_HTML, "client_id": CLIENT,
                                 "code_verifier": verifier})
    T.check("a code older than 60 s: 400 invalid_grant", st == 400 and doc.get("error") == "invalid_grant",
            "%s %s" % (st, doc))

    # --- abandoned logins (popup closed, retried): the request cookies stay bounded -----
    # /login keeps at most 8 login cookies; each /authorize login also has a
    # request cookie, which must go with its login cookie, and all of them
    # must stay within half of the 8 KiB request header the bridge accepts,
    # or a browser that retries cannot reach /callback any more.
    def abandon(c, times, **extra):
        answers = []
        for i in range(times):
            st, h, _ = c.get(authorize_url(b1, jitsi_state("Retry Room", **extra), pkce_pair()[1],
                                           secrets.token_hex(32)))
            answers.append(st)
        oidc = sorted(k[len("jitsi_oidc_"):] for k in c.cookies if k.startswith("jitsi_oidc_"))
        sso = sorted(k[len("jitsi_sso_"):] for k in c.cookies if k.startswith("jitsi_sso_"))
        size = len("; ".join("%s=%s" % kv for kv in c.cookies.items()))
        return answers, oidc, sso, size

    c = Client()
    answers, oidc, sso, size = abandon(c, 12)
    T.check("12 abandoned /authorize: at most 8 logins kept, a request cookie only beside each, "
            "within 4 KiB", answers == [302] * 12 and 5 <= len(oidc) <= 8 and sso == oidc and size <= 4096,
            "%s: %d login, %d request cookies, %d bytes" % (answers, len(oidc), len(sso), size))
    answers, oidc, sso, size = abandon(c, 12, **{"config.subject": "x" * 600})
    T.check("12 more with a large state: every one answered, pairs only, within 4 KiB",
            answers == [302] * 12 and 1 <= len(oidc) < 8 and sso == oidc and size <= 4096,
            "%s: %d login, %d request cookies, %d bytes" % (answers, len(oidc), len(sso), size))

    # --- secrets stay out of the logs ------------------------------------------------
    logs = "".join(p.log() for p in procs)
    T.check("no code, verifier, handle or token in the logs",
            code1 not in logs and verifier not in logs and (handle1 or "@@") not in logs
            and "refresh_token=" not in logs, "")
    T.no_sanitizer_report(logs)
finally:
    for p in procs:
        p.stop()
    op.stop()
    if T.failed == 0:
        shutil.rmtree(tmp, ignore_errors=True)

T.finish()
