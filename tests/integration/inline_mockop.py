#!/usr/bin/env python3
"""Jitsi's inline mode against the mock OP (issue 15): the popup page and its
CSP, renewal through the sealed handle (the IdP's refresh grant granted,
refused, rotating, without an ID token, the user removed from the group), a
handle that is expired, tampered, of another key or of the previous key (and
login states and logout hints of the previous key), a
second replica sharing the state key, renewal by prompt=none without an IdP
refresh token, the logout hint, and the silent logout frame."""
import base64
import hashlib
import html
import http.client
import json
import os
import re
import shutil
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bridgetest import (Client, MockOP, Report, decode_token, free_port, generate_key,  # noqa: E402
                        healthz_ok, start_bridge, verify_with_asap, wait_until, write_config)

T = Report()
tmp = tempfile.mkdtemp(prefix="br-inline.")
op = MockOP(tmp)
key = os.path.join(tmp, "signing.pem")
generate_key(key)
procs = []
NONCE = "ab" * 32  # Jitsi's 64 hex characters


def key_file(name, data=None):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(data or os.urandom(32))
    os.chmod(path, 0o600)
    return path


old_key = key_file("state.key")


def bridge(name, extra=None, state_key=old_key):
    """A bridge whose Jitsi url is its own origin (inline mode on)."""
    port = free_port()
    conf = os.path.join(tmp, name + ".conf")
    server = {"state_key_file": state_key}
    server.update((extra or {}).pop("server", {}))
    sections = {"server": server}
    sections.update(extra or {})
    write_config(conf, port, op.issuer, key, sections, jitsi="http://127.0.0.1:%d" % port)
    p = start_bridge(tmp, conf, name)
    procs.append(p)
    base = "http://127.0.0.1:%d/auth" % port
    T.check("%s becomes ready" % name, wait_until(lambda: healthz_ok(base), 20), p.log())
    return base, p


def get_raw(url, cookies=None, headers=None):
    """(status, [(header, value)], body) with every Set-Cookie kept."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=15)
    hdrs = dict(headers or {})
    if cookies:
        hdrs["Cookie"] = "; ".join("%s=%s" % kv for kv in cookies.items())
    conn.request("GET", u.path + ("?" + u.query if u.query else ""), headers=hdrs)
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r.status, r.getheaders(), body


def header(hdrs, name):
    return [v for k, v in hdrs if k.lower() == name.lower()]


def login_url(base, room="Team Room", handle=None, nonce=True, extra_state=None):
    state = {"room": room, "roomSafe": urllib.parse.quote(room.lower()), "tenant": ""}
    if handle is not None:
        state["refreshToken"] = handle
    state.update(extra_state or {})
    q = "room=%s&state=%s" % (urllib.parse.quote(room), urllib.parse.quote(json.dumps(state)))
    if nonce:
        q += "&nonce=" + NONCE
    return base + "/login?" + q


def page_data(body):
    """The data-* attributes of the page's <main id="r">."""
    text = body.decode()
    m = re.search(r'<main id="r"([^>]*)>', text)
    if not m:
        return {}
    return {k: html.unescape(v) for k, v in re.findall(r' data-([a-z-]+)="([^"]*)"', m.group(1))}


def csp_allows_script(hdrs, body):
    """The page's one script is allowed by the sha256 in its CSP, nothing else."""
    csp = (header(hdrs, "Content-Security-Policy") or [""])[0]
    scripts = re.findall(r"<script>(.*?)</script>", body.decode(), re.S)
    if len(scripts) != 1 or body.decode().count("<script") != 1:
        return False, "scripts: %d" % len(scripts)
    h = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    return ("script-src 'sha256-%s'" % h) in csp and "unsafe-inline'; script" not in csp \
        and "unsafe-eval" not in csp, csp


def popup_login(base, room="Team Room", nonce=True, client=None):
    """/login → the mock OP → /callback, as Jitsi's popup.  Returns
    (client, status, headers list, body) of the last answer."""
    c = client or Client()
    st, h, body = c.get(login_url(base, room, nonce=nonce))
    if st != 302:
        return c, st, list(h.items()), body
    st, h, body = c.get(h["location"])
    if st != 302 or not h["location"].startswith(base):
        return c, st, list(h.items()), body
    st, hdrs, body = get_raw(h["location"], c.cookies)
    for v in header(hdrs, "Set-Cookie"):
        name, _, rest = v.partition("=")
        if "Max-Age=0" in v:
            c.cookies.pop(name, None)
        else:
            c.cookies[name] = rest.split(";")[0]
    return c, st, hdrs, body


def renew(base, handle, room="Team Room", cookies=None):
    return get_raw(login_url(base, room, handle=handle), cookies)


def is_silent_relogin(st, hdrs):
    loc = (header(hdrs, "Location") or [""])[0]
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(loc).query))
    return st == 302 and loc.startswith(op.base + "/authorize") and q.get("prompt") == "none"


def hint_sub(q):
    """The sub of the id_token_hint of an end-session query, or None."""
    try:
        return decode_token(q["id_token_hint"])[1].get("sub")
    except (KeyError, ValueError):
        return None


def token_ok(tok, base, sub_user="alice"):
    hdr, cl = decode_token(tok)
    good, why = verify_with_asap(tok, base)
    return good and cl["context"]["user"]["id"] == sub_user, (why, cl)


try:
    b1, p1 = bridge("b1")
    origin1 = b1[:-len("/auth")]
    op.control({"reset": True, "refresh": {"issue": True}})

    # --- the popup login ------------------------------------------------------
    c, st, hdrs, body = popup_login(b1)
    d = page_data(body)
    ok = T.check("inline login: /callback answers the popup page (200, oauth-success)",
                 st == 200 and d.get("type") == "oauth-success", "%s %s %s" % (st, hdrs, body[:400]))
    if ok:
        T.check("the page posts to the Jitsi origin, never '*'",
                d.get("origin") == origin1 and "'*'" not in body.decode(), d)
        good, why = csp_allows_script(hdrs, body)
        T.check("one script, allowed by its CSP sha256; frame-ancestors 'none'",
                good and "frame-ancestors 'none'" in why, why)
        T.check("no Cross-Origin-Opener-Policy (it would cut window.opener)",
                not header(hdrs, "Cross-Origin-Opener-Policy"), hdrs)
        T.check("Cache-Control: no-store", header(hdrs, "Cache-Control") == ["no-store"], hdrs)
        good, why = token_ok(d.get("access-token", ""), b1)
        T.check("accessToken is a Jitsi token for alice that verifies", good, why)
        handle1 = d.get("refresh-token", "")
        T.check("refreshToken: a URL-safe opaque handle holding nothing in clear",
                re.fullmatch(r"[A-Za-z0-9_-]{40,}", handle1) is not None, handle1)
        T.check("idToken: URL-safe (Jitsi appends it raw to tokenLogoutUrl), not the IdP's JWT",
                re.fullmatch(r"[A-Za-z0-9_-]+", d.get("id-token", "")) is not None
                and d.get("id-token", "").count(".") == 0, d.get("id-token"))
        T.check("without an opener the page goes on to the normal redirect",
                d.get("next", "").startswith(origin1 + "/Team%20Room#jwt=%22"), d.get("next"))
        cookies = header(hdrs, "Set-Cookie")
        hint = [v for v in cookies if v.startswith("jitsi_logout_hint=")]
        T.check("the logout hint: a sealed HttpOnly cookie scoped to P/logout",
                len(hint) == 1 and "Path=/auth/logout;" in hint[0] and "HttpOnly" in hint[0]
                and "SameSite=Lax" in hint[0], cookies)

    # the same popup without Jitsi's nonce (sessionStorage blocked): still the page
    _, st, hdrs, body = popup_login(b1, nonce=False)
    T.check("no &nonce (Jitsi without sessionStorage): still the popup page",
            st == 200 and page_data(body).get("type") == "oauth-success", body[:300])

    # a login that started in an app ends in the app (or the browser), never
    # on the popup page: only Jitsi's web app has inline mode
    c5 = Client()
    st, h, body = c5.get(login_url(b1, extra_state={"electron": True}))
    if st == 302:
        st, h, body = c5.get(h["location"])
    st, hdrs, body = get_raw(h.get("location", b1), c5.cookies) if st == 302 else (st, [], body)
    T.check("a login from the desktop app (state electron) is not a popup login",
            st == 302 and page_data(body) == {}, "%s %s" % (st, body[:200]))

    # --- renewal ----------------------------------------------------------------
    before = op.last().get("counts", {}).get("authorize")
    st, hdrs, body = renew(b1, handle1)
    d2 = page_data(body)
    ok = T.check("renewal: a new token at once, no IdP page (200 oauth-success)",
                 st == 200 and d2.get("type") == "oauth-success", "%s %s" % (st, body[:400]))
    last = op.last()
    T.check("renewal used the IdP's refresh grant with the client's authentication",
            last.get("token", {}).get("form", {}).get("grant_type") == "refresh_token"
            and (last["token"].get("authorization") or "").startswith("Basic ")
            and last.get("counts", {}).get("authorize") == before, last.get("token"))
    if ok:
        good, why = token_ok(d2["access-token"], b1)
        T.check("the renewed token verifies, same user", good, why)
        T.check("a new handle each time (Jitsi overwrites its copy)",
                d2.get("refresh-token") and d2["refresh-token"] != handle1, d2)
    st, hdrs, body = renew(b1, handle1, room="Other Room")
    d3 = page_data(body)
    if T.check("renewal for another room (the state's room wins)", d3.get("type") == "oauth-success", body[:300]):
        T.check("its token names the state's room",
                decode_token(d3["access-token"])[1]["room"] == "other%20room", d3)

    # someone removed from the group loses access at the next renewal
    op.control({"user": {"groups": []}})
    st, hdrs, body = renew(b1, handle1)
    d = page_data(body)
    T.check("user removed from the group: renewal denied (403, oauth-error access_denied)",
            st == 403 and d.get("type") == "oauth-error" and d.get("error") == "access_denied"
            and "data-access-token" not in body.decode(), "%s %s" % (st, body[:300]))
    op.control({"user": {"groups": ["jitsi-meet"]}})

    # refused by the IdP → the normal login, silent first
    op.control({"refresh": {"refuse": True}})
    st, hdrs, body = renew(b1, handle1)
    T.check("refresh grant refused: falls back to the login with prompt=none",
            is_silent_relogin(st, hdrs), hdrs)
    op.control({"refresh": {"refuse": False}})

    # an answer without an ID token: who it is comes from userinfo
    op.control({"refresh": {"id_token": False}})
    st, hdrs, body = renew(b1, handle1)
    T.check("refresh answer without an ID token: userinfo, then a new token",
            st == 200 and page_data(body).get("type") == "oauth-success", body[:300])
    op.control({"userinfo": {"sub": "mallory"}})
    st, hdrs, body = renew(b1, handle1)
    T.check("... userinfo for another sub: no token, falls back to the login",
            is_silent_relogin(st, hdrs), "%s %s" % (st, body[:300]))
    op.control({"userinfo": {}, "refresh": {"id_token": True}})

    # a refreshed ID token for another user is refused
    op.control({"user": {"sub": "mallory"}})
    st, hdrs, body = renew(b1, handle1)
    T.check("refreshed ID token for another sub: no token, falls back to the login",
            is_silent_relogin(st, hdrs), "%s %s" % (st, body[:300]))
    op.control({"user": {"sub": "alice"}})

    # rotating refresh tokens: the new handle carries the new one
    op.control({"refresh": {"rotate": True}})
    st, hdrs, body = renew(b1, handle1)
    h_rot = page_data(body).get("refresh-token")
    st2, hdrs2, body2 = renew(b1, h_rot)
    T.check("rotating IdP: the new handle renews again",
            st == 200 and st2 == 200 and page_data(body2).get("type") == "oauth-success",
            "%s %s" % (st2, body2[:300]))
    st, hdrs, body = renew(b1, h_rot)
    T.check("rotating IdP: a used-up handle falls back to the login", is_silent_relogin(st, hdrs), hdrs)
    op.control({"refresh": {"rotate": False}})

    # tampered, garbage
    bad = handle1[:20] + ("A" if handle1[20] != "A" else "B") + handle1[21:]
    st, hdrs, body = renew(b1, bad)
    T.check("tampered handle: falls back to the login, silent first", is_silent_relogin(st, hdrs), hdrs)
    # a login cookie value (another purpose) is not a handle
    c2 = Client()
    c2.get(login_url(b1))
    lc = [v for k, v in c2.cookies.items() if k.startswith("jitsi_oidc_")]
    st, hdrs, body = renew(b1, lc[0] if lc else "x")
    T.check("a login state is not a renewal handle", is_silent_relogin(st, hdrs), hdrs)

    # without an IdP refresh token: renewal by prompt=none, and the popup page after it
    op.control({"refresh": {"issue": False}})
    c3, st, hdrs, body = popup_login(b1)
    h_nort = page_data(body).get("refresh-token")
    T.check("without an IdP refresh token Jitsi still gets a handle", bool(h_nort), body[:300])
    c4 = Client()
    st, h, body = c4.get(login_url(b1, handle=h_nort))
    T.check("... renewal goes by prompt=none", is_silent_relogin(st, list(h.items())), h)
    if st == 302:
        st, h, body = c4.get(h["location"])
        st, h, body = c4.get(h["location"])
        T.check("... and ends on the popup page with a new token",
                st == 200 and page_data(body).get("type") == "oauth-success", body[:300])
    op.control({"refresh": {"issue": True}})

    # a long IdP refresh token (Keycloak's are JWTs): the handle still fits
    # Jitsi's state and the 4 KiB query; a too long one is left out
    op.control({"refresh": {"length": 1200}})
    _, st, hdrs, body = popup_login(b1)
    h_long = page_data(body).get("refresh-token", "")
    st, hdrs, body = renew(b1, h_long)
    T.check("IdP refresh token of 1600 characters: the handle (%d) renews" % len(h_long),
            st == 200 and page_data(body).get("type") == "oauth-success"
            and op.last().get("token", {}).get("form", {}).get("grant_type") == "refresh_token",
            "%s %s" % (st, body[:300]))
    op.control({"refresh": {"length": 1700}})
    _, st, hdrs, body = popup_login(b1)
    st, hdrs, body = renew(b1, page_data(body).get("refresh-token", ""))
    T.check("IdP refresh token over 2048 bytes: not kept, renewal by prompt=none",
            is_silent_relogin(st, hdrs), hdrs)
    op.control({"refresh": {"length": 32}})

    # --- replicas, key roll, expiry ---------------------------------------------
    # (the rotation above used up handle1's IdP refresh token: a fresh login)
    _, st, hdrs, body = popup_login(b1)
    handle1 = page_data(body).get("refresh-token", "")
    b2, p2 = bridge("b2-replica")
    st, hdrs, body = renew(b2, handle1)
    T.check("a second replica with the same state key renews the handle",
            st == 200 and page_data(body).get("type") == "oauth-success", body[:300])
    new_key = key_file("state.key.new")
    b3, p3 = bridge("b3-rolled", {"server": {"previous_state_key_file": old_key}}, state_key=new_key)
    st, hdrs, body = renew(b3, handle1)
    d = page_data(body)
    T.check("after the key roll, previous_state_key_file opens the old handle",
            st == 200 and d.get("type") == "oauth-success", body[:300])
    st, hdrs, body = renew(b1, d.get("refresh-token", ""))
    T.check("... and the handle it seals is under the new key only (old replica refuses it)",
            is_silent_relogin(st, hdrs), hdrs)
    b4, p4 = bridge("b4-new-key-only", state_key=new_key)
    st, hdrs, body = renew(b4, handle1)
    T.check("another key without previous_state_key_file: refused, login again",
            is_silent_relogin(st, hdrs), hdrs)

    # previous_state_key_file keeps login states and logout hints of the old
    # key valid too: a login begun on b1 before the roll ends on a rolled
    # replica (same public_url and Jitsi url as b1, as behind one balancer),
    # and b1's hint cookie still gives the end-session request its hint.
    def replica(name, state_key, previous=None):
        port = free_port()
        conf = os.path.join(tmp, name + ".conf")
        server = {"state_key_file": state_key, "public_url": b1}
        if previous:
            server["previous_state_key_file"] = previous
        write_config(conf, port, op.issuer, key, {"server": server}, jitsi=origin1)
        p = start_bridge(tmp, conf, name)
        procs.append(p)
        base = "http://127.0.0.1:%d/auth" % port
        T.check("%s becomes ready" % name,
                wait_until(lambda: Client(timeout=2).get(base + "/healthz")[0] == 200, 20), p.log())
        return base

    r_rolled = replica("r-rolled", new_key, old_key)
    r_new = replica("r-new-key-only", new_key)
    # round 1 of the roll (operator guide): the old key still seals, the new
    # one already opens
    r_round1 = replica("r-round1", old_key, new_key)

    def begin(start):
        """/login on start, through the IdP: (client, the callback's path and
        query) or (client, None)."""
        c = Client()
        st, h, _ = c.get(login_url(start))
        st, h, _ = c.get(h["location"]) if st == 302 else (st, h, b"")
        cb = h.get("location", "") if st == 302 else ""
        return c, (cb[len(b1):] if cb.startswith(b1 + "/callback?") else None)

    def ends_with_token(st, body):
        d = page_data(body)
        good, why = token_ok(d["access-token"], b1) if d.get("access-token") else (False, st)
        return st == 200 and d.get("type") == "oauth-success" and good, "%s %s %s" % (st, why, body[:300])

    c, cb = begin(b1)
    if T.check("a login begun on b1 (old key) reaches the IdP's redirect", cb is not None, cb):
        st, hdrs, body = get_raw(r_new + cb, c.cookies)
        T.check("... its callback on a replica with the new key only: 400, the login state does not open",
                st == 400 and "oauth-success" not in body.decode(), "%s %s" % (st, body[:300]))
        st, hdrs, body = get_raw(r_rolled + cb, c.cookies)
        T.check("... and on the rolled replica (previous_state_key_file): the login ends with a token",
                *ends_with_token(st, body))
    c, cb = begin(r_new)
    if T.check("a login begun on a replica with the new key reaches the IdP's redirect", cb is not None, cb):
        st, hdrs, body = get_raw(r_round1 + cb, c.cookies)
        T.check("... and ends on a replica in round 1 of the roll (old key, new one as previous)",
                *ends_with_token(st, body))
    c, st, hdrs, body = popup_login(b1)
    top = {"Sec-Fetch-Dest": "document"}
    T.check("b1 (old key) set a logout hint cookie", "jitsi_logout_hint" in c.cookies, hdrs)
    st, hdrs, _ = get_raw(r_rolled + "/logout", c.cookies, top)
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit((header(hdrs, "Location") or [""])[0]).query))
    T.check("the rolled replica opens b1's logout hint: end-session with id_token_hint",
            st == 302 and hint_sub(q) == "alice", q)
    st, hdrs, _ = get_raw(r_new + "/logout", c.cookies, top)
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit((header(hdrs, "Location") or [""])[0]).query))
    T.check("... a replica with the new key only does not (no id_token_hint)",
            st == 302 and "id_token_hint" not in q, q)

    b5, p5 = bridge("b5-short", {"server": {"session_lifetime": "2s"}})
    op.control({"refresh": {"issue": True}})
    _, st, hdrs, body = popup_login(b5)
    h_short = page_data(body).get("refresh-token", "")
    st, hdrs, body = renew(b5, h_short)
    T.check("session_lifetime 2s: renews at once", st == 200, body[:300])
    time.sleep(2.5)
    st, hdrs, body = renew(b5, h_short)
    T.check("... past session_lifetime the handle is expired: login again",
            is_silent_relogin(st, hdrs), hdrs)
    st, hdrs, body = renew(b5, page_data(renew(b5, h_short)[2]).get("refresh-token", "x"))
    T.check("... renewing never moves the absolute end", is_silent_relogin(st, hdrs), hdrs)

    # --- logout -------------------------------------------------------------------
    op.control({"reset": True, "refresh": {"issue": True}})
    c, st, hdrs, body = popup_login(b1)
    hint_posted = page_data(body).get("id-token")
    st, hdrs, body = get_raw(b1 + "/logout", c.cookies)
    loc = (header(hdrs, "Location") or [""])[0]
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(loc).query))
    ok = T.check("top-level /logout: end-session with id_token_hint from the cookie",
                 st == 302 and loc.startswith(op.base + "/end_session") and "id_token_hint" in q, hdrs)
    if ok:
        _, cl = decode_token(q["id_token_hint"])
        T.check("... the hint is the IdP's ID token for alice",
                cl.get("sub") == "alice" and cl.get("iss") == op.issuer, cl)
        T.check("... post_logout_redirect_uri is the Jitsi url",
                q.get("post_logout_redirect_uri") == origin1, q)
        T.check("... and the hint cookie is expired",
                any(v.startswith("jitsi_logout_hint=;") and "Max-Age=0" in v
                    and "Path=/auth/logout" in v for v in header(hdrs, "Set-Cookie")), hdrs)
    # Jitsi's own hint: the idToken it was posted, appended raw
    top = {"Sec-Fetch-Dest": "document"}
    st, hdrs, body = get_raw(b1 + "/logout?id_token_hint=" + (hint_posted or ""), headers=top)
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit((header(hdrs, "Location") or [""])[0]).query))
    T.check("/logout?id_token_hint=<Jitsi's idToken> (no cookie) also sends the IdP's hint",
            hint_sub(q) == "alice", q)
    st, hdrs, body = get_raw(b1 + "/logout?id_token_hint=" + (hint_posted or ""))
    T.check("no Sec-Fetch-Dest (Safari < 16.4) but Jitsi's id_token_hint: the silent page",
            st == 200 and "{ type: 'logout-success' }" in body.decode(), "%s %s" % (st, hdrs))
    st, hdrs, body = get_raw(b1 + "/logout?id_token_hint=eyJhbGciOi.forged.x", headers=top)
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit((header(hdrs, "Location") or [""])[0]).query))
    T.check("a hint that does not open is not passed on", st == 302 and "id_token_hint" not in q, q)

    st, hdrs, body = get_raw(b1 + "/logout", c.cookies, {"Sec-Fetch-Dest": "iframe"})
    csp = (header(hdrs, "Content-Security-Policy") or [""])[0]
    ok = T.check("Jitsi's hidden frame: 200 page that posts logout-success at once",
                 st == 200 and "{ type: 'logout-success' }" in body.decode()
                 and page_data(body).get("origin") == origin1, "%s %s" % (st, body[:300]))
    good, why = csp_allows_script(hdrs, body)
    T.check("... framable only by the Jitsi origin, its one script by hash",
            good and ("frame-ancestors " + origin1) in csp, why)
    T.check("... never a redirect to the IdP in the frame", not header(hdrs, "Location"), hdrs)

    # --- metrics ---------------------------------------------------------------------
    st, _, body = Client(timeout=3).get(b1 + "/metrics")
    m = dict(re.findall(r'^jitsi_oidc_bridge_renewals_total\{result="(\w+)"\} (\d+)$', body.decode(), re.M))
    T.check("/metrics counts renewals by result",
            st == 200 and all(int(m.get(k, 0)) > 0 for k in ("refreshed", "prompt_none", "refused", "denied")),
            m)

    # --- secrets stay out of the logs ---------------------------------------------
    logs = "".join(p.log() for p in procs)
    T.check("no handle, hint or token in the logs",
            handle1 not in logs and (hint_posted or "@@") not in logs and "refresh_token=" not in logs)
    T.no_sanitizer_report(logs)
finally:
    for p in procs:
        p.stop()
    op.stop()
    if T.failed == 0:
        shutil.rmtree(tmp, ignore_errors=True)

T.finish()
