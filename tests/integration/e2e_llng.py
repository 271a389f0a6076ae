#!/usr/bin/env python3
"""End to end against a real identity provider: LemonLDAP::NG from Debian's
packages, its real login form, the bridge, and the token checked the way
Jitsi's Prosody checks it (PEM from /asap/<sha256(kid)>.pem).

For each demo user: allowed or denied as the rules say; the redirect goes to
the Jitsi URL with the token in the fragment form Jitsi's web app reads; the
token's claims hold what the rules decided (also [rules] lobby_bypass).
Also: a login from the Android app with Jitsi's choices in its state ends on
the app page ([jitsi] apps = android) with the package-pinned intent,
prompt=none with a live IdP session, logout through the end-session
endpoint, and the IdP stopped in the middle of a login (a clear page, then
recovery).  Jitsi's inline mode on a second bridge whose Jitsi url is its
own origin: the popup page, renewal with LemonLDAP::NG's refresh token (RP
option RefreshToken) and no login form, and logout with id_token_hint that
needs no confirmation (RP option LogoutBypassConfirm)."""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
sys.path.insert(0, os.path.join(here, "llng"))
import login as llng  # noqa: E402
from bridgetest import (Client, Report, decode_token, free_port, generate_key,  # noqa: E402
                        start_bridge, token_from_location, verify_with_asap, wait_until,
                        healthz_ok, write_config)

# Without LemonLDAP::NG (or what llng-up needs) there is nothing to test
# against: skip (77) and say why, as llng/selftest.sh does.
for tool in ("plackup", "openssl", "curl", "perl"):
    if shutil.which(tool) is None:
        print("SKIP: %s not found (contrib/install-deps)" % tool)
        sys.exit(77)
if subprocess.run(["perl", "-MLemonldap::NG::Portal::Main", "-MString::Random", "-MIO::String",
                   "-MPlack::Middleware::Static", "-e", "1"],
                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0:
    print("SKIP: LemonLDAP::NG portal not installed (contrib/install-deps)")
    sys.exit(77)

T = Report()
tmp = tempfile.mkdtemp(prefix="br-e2e.")
bport, iport, b2port = free_port(), free_port(), free_port()
issuer = "http://127.0.0.1:%d/" % iport
base = "http://127.0.0.1:%d/auth" % bport
origin2 = "http://127.0.0.1:%d" % b2port
base2 = origin2 + "/auth"
llng_dir = os.path.join(tmp, "llng")
up = [os.path.join(here, "llng", "llng-up"), "--port", str(iport), "--dir", llng_dir,
      "--rp-redirect", base + "/callback", "--rp-post-logout", "https://meet.example.org",
      "--rp-redirect", base2 + "/callback", "--rp-post-logout", origin2,
      "--rp-option", "RefreshToken=1", "--rp-option", "LogoutBypassConfirm=1"]
down = [os.path.join(here, "llng", "llng-down"), "--dir", llng_dir]


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        print("# %s failed:\n%s%s" % (cmd[0], r.stdout[-2000:], r.stderr[-2000:]))
    return r.returncode == 0


if not run(up):
    T.check("LemonLDAP::NG starts", False)
    T.finish()

key = os.path.join(tmp, "signing.pem")
kid = generate_key(key)
conf = os.path.join(tmp, "bridge.conf")
write_config(conf, bport, issuer, key, {
    "provider": {"client_secret": None, "client_secret_file": os.path.join(llng_dir, "client_secret"),
                 "scopes": "openid profile email groups"},
    "features": {"recording": 'inGroup("jitsi-moderators")', "livestreaming": "false"},
    "jitsi": {"apps": "android"},
    "rules": {"lobby_bypass": 'inGroup("jitsi-moderators")'},
})
bridge = start_bridge(tmp, conf)
conf2 = os.path.join(tmp, "bridge2.conf")
write_config(conf2, b2port, issuer, key, {
    "provider": {"client_secret": None, "client_secret_file": os.path.join(llng_dir, "client_secret"),
                 "scopes": "openid profile email groups"},
}, jitsi=origin2)
bridge2 = start_bridge(tmp, conf2, "bridge2")


def page_data(text):
    m = re.search(r'<main id="r"([^>]*)>', text)
    return {k: html.unescape(v) for k, v in re.findall(r' data-([a-z-]+)="([^"]*)"', m.group(1))} if m else {}


def inline_login_url(handle=None):
    state = {"room": "Inline Room", "roomSafe": "inline%20room", "tenant": ""}
    if handle:
        state["refreshToken"] = handle
    return base2 + "/login?room=Inline%20Room&state=" + urllib.parse.quote(json.dumps(state)) + \
        "&nonce=" + "0f" * 32


def ready():
    return healthz_ok(base)


ROOM = "Café Zoë Board"
ROOM_URL = "Caf%C3%A9%20Zo%C3%AB%20Board"
ROOM_CLAIM = "caf%c3%a9%20zo%c3%ab%20board"
try:
    T.check("the bridge discovers LemonLDAP::NG and loads its keys", wait_until(ready, 30), bridge.log()[-2000:])
    start = base + "/login?room=" + urllib.parse.quote(ROOM)
    expect = {
        "dwho": ("owner", True, "Doctor Who"),
        "rtyler": ("member", False, "Rose Tyler"),
    }
    for user, (aff, mod, name) in expect.items():
        now = time.time()
        r = llng.login(start, user, user, idp=issuer, timeout=15)
        loc = r.get("location") or ""
        if not T.check("%s: signs in at LemonLDAP::NG and is sent to Jitsi" % user,
                       r["posted_login"] and loc.startswith("https://meet.example.org/" + ROOM_URL + "#jwt=%22"), r):
            continue
        tok = token_from_location(loc)
        hdr, cl = decode_token(tok)
        good, why = verify_with_asap(tok, base)
        T.check("%s: token verifies with the PEM Prosody would fetch" % user, good, why)
        T.check("%s: header typ JWT, RS256, kid" % user, hdr == {"alg": "RS256", "typ": "JWT", "kid": kid}, hdr)
        T.check("%s: iss, aud, sub, room (backend form)" % user,
                cl["iss"] == "jitsi" and cl["aud"] == "jitsi" and cl["sub"] == "meet.example.org"
                and cl["room"].lower() == ROOM_CLAIM, cl)
        T.check("%s: nbf <= now < exp" % user, cl["nbf"] <= now + 1 and cl["exp"] > now + 60, cl)
        u = cl["context"]["user"]
        T.check("%s: context.user id, name, email, affiliation %s" % (user, aff),
                u.get("id") == user and u.get("name") == name and u.get("email") == user + "@badwolf.org"
                and u.get("affiliation") == aff and u.get("moderator") is mod, u)
        T.check("%s: features as the rules decided" % user,
                cl["context"].get("features") == {"recording": mod, "livestreaming": False}, cl["context"])
        T.check("%s: lobby_bypass %s (rule inGroup(\"jitsi-moderators\"))" % (user, mod),
                u.get("lobby_bypass") is (True if mod else None), u)

    # From the Android app: the app page with the intent (package-pinned),
    # the choices after the token in both links.
    ba = llng.Browser(timeout=15)
    state = json.dumps({"room": ROOM, "android": True, "config.prejoinConfig.enabled": False,
                        "config.startWithVideoMuted": True})
    r = llng.login(base + "/login?state=" + urllib.parse.quote(state, safe=""), "rtyler", "rtyler",
                   idp=issuer, no_follow=["127.0.0.1:%d" % bport], browser=ba)
    st, h, text = ba.request(r.get("location") or base)
    hrefs = dict((m.group(1), html.unescape(m.group(2)))
                 for m in re.finditer(r'id="([a-z-]+)" href="([^"]*)"', text))
    choices = "&config.prejoinConfig.enabled=false&config.startWithVideoMuted=true"
    T.check("rtyler from the Android app: the app page (200, no Location)",
            st == 200 and h.get("Location") is None and "Open the Jitsi app" in text, "%s %s" % (st, text[:300]))
    T.check("... 'Open in the Jitsi app' is the package-pinned intent with the token and the choices",
            re.match(r"^intent://meet\.example\.org/" + re.escape(ROOM_URL) + r"#jwt=%22[A-Za-z0-9_.-]+%22"
                     + re.escape(choices) + r"#Intent;scheme=org\.jitsi\.meet;package=org\.jitsi\.meet;end$",
                     hrefs.get("open-app", "")), re.sub(r"jwt=%22[^%]*%22", "jwt=<token>", hrefs.get("open-app", "")))
    web = hrefs.get("continue", "")
    T.check("... 'Continue in this browser' is the Jitsi URL with the same token",
            web.startswith("https://meet.example.org/" + ROOM_URL + "#jwt=%22") and web.endswith(choices)
            and token_from_location(web) in hrefs.get("open-app", "x"), "")
    T.check("... the page opens the intent by itself (meta refresh)", 'http-equiv="refresh"' in text, "")
    good, why = verify_with_asap(token_from_location(web), base) if web else (False, "no link")
    T.check("... and its token verifies, member, no lobby_bypass", good and "lobby_bypass" not in
            decode_token(token_from_location(web))[1]["context"]["user"], why)

    # From the iOS app, which this bridge does not return to ([jitsi] apps =
    # android): the browser redirect, the choices after the token.
    state = json.dumps({"room": ROOM, "ios": True, "config.prejoinConfig.enabled": False,
                        "config.startWithAudioMuted": True})
    r = llng.login(base + "/login?state=" + urllib.parse.quote(state, safe=""), "rtyler", "rtyler",
                   idp=issuer, timeout=15)
    loc = r.get("location") or ""
    T.check("rtyler from the iOS app (not in apps): the browser redirect with the choices in the fragment",
            re.match(r"^https://meet\.example\.org/" + re.escape(ROOM_URL) + r"#jwt=%22[A-Za-z0-9_.-]+%22"
                     + re.escape("&config.prejoinConfig.enabled=false&config.startWithAudioMuted=true") + "$", loc),
            re.sub(r"jwt=%22[^%]*%22", "jwt=<token>", loc))

    bm = llng.Browser(timeout=15)
    r = llng.login(start, "msmith", "msmith", idp=issuer, no_follow=["127.0.0.1:%d" % bport], browser=bm)
    st, h, text = bm.request(r.get("location") or base)
    T.check("msmith (no Jitsi group): 403 denied page naming the account and room, no token",
            st == 403 and h.get("Location") is None and "Mickey Smith" in text and ROOM in text
            and 'href="/auth/logout"' in text and "jwt" not in text, "%s %s" % (st, text[:1500]))

    # prompt=none with a live session: a fresh token, no login form
    b = llng.Browser(timeout=15)
    r = llng.login(start, "dwho", "dwho", idp=issuer, browser=b)
    T.check("dwho signs in (session for prompt=none)", (r.get("location") or "").startswith("https://meet.example.org/"), r)
    r = llng.login(base + "/login?room=Second&prompt=none", idp=issuer, browser=b)
    loc = r.get("location") or ""
    T.check("prompt=none with a live IdP session returns a fresh token without a form",
            loc.startswith("https://meet.example.org/Second#jwt=%22") and not r["posted_login"] and r["form"] is None, r)

    # logout goes to the IdP's end-session endpoint
    st, h, _ = b.request(base + "/logout")
    loc = h.get("Location", "")
    T.check("logout redirects to LemonLDAP::NG's end_session_endpoint",
            st == 302 and loc.startswith(issuer) and "post_logout_redirect_uri=https%3A%2F%2Fmeet.example.org" in loc,
            "%s %s" % (st, loc))

    # the IdP stops in the middle of a login: a clear page, then recovery
    b3 = llng.Browser(timeout=15)
    r = llng.login(start, "rtyler", "rtyler", idp=issuer, no_follow=["127.0.0.1:%d" % bport], browser=b3)
    cb = r.get("location") or ""
    T.check("login reaches the callback", cb.startswith(base + "/callback?"), r)
    run(down)
    t0 = time.monotonic()
    st, h, body = b3.request(cb)
    el = time.monotonic() - t0
    text = body.decode(errors="replace") if isinstance(body, bytes) else str(body)
    T.check("IdP down at the callback: 503 'temporarily unavailable' page within the timeout",
            st == 503 and "unavailable" in text.lower() and el < 4, "%s %.1fs %s" % (st, el, text[:300]))
    run(up)
    ok = wait_until(ready, 40)
    r = llng.login(start, "rtyler", "rtyler", idp=issuer, timeout=15)
    T.check("after the IdP is back, logins work again", ok and (r.get("location") or "").startswith("https://meet.example.org/"), r)

    # --- inline mode (bridge2: its Jitsi url is its own origin) -------------------
    T.check("bridge2 (inline) is ready",
            wait_until(lambda: healthz_ok(base2), 30), bridge2.log()[-2000:])
    bi = llng.Browser(timeout=15)
    r = llng.login(inline_login_url(), "rtyler", "rtyler", idp=issuer,
                   no_follow=["127.0.0.1:%d" % b2port], browser=bi)
    cb = r.get("location") or ""
    st, h, text = bi.request(cb) if cb.startswith(base2 + "/callback?") else (None, {}, "")
    d = page_data(text)
    ok = T.check("inline: after LemonLDAP::NG's form the callback is the popup page with a token",
                 st == 200 and d.get("type") == "oauth-success" and d.get("origin") == origin2,
                 "%s %s" % (r, text[:500]))
    if ok:
        good, why = verify_with_asap(d["access-token"], base2)
        T.check("inline: the token verifies, for rtyler", good and
                decode_token(d["access-token"])[1]["context"]["user"]["id"] == "rtyler", why)
        st, h, text = bi.request(inline_login_url(d["refresh-token"]))
        d2 = page_data(text)
        T.check("inline renewal: a new token from LemonLDAP::NG's refresh token, no login form",
                st == 200 and d2.get("type") == "oauth-success" and d2.get("refresh-token") != d["refresh-token"]
                and "renewed (popup)" in bridge2.log() and "renewal by prompt=none" not in bridge2.log(),
                "%s %s" % (st, text[:500]))
        st, h, _ = bi.request(base2 + "/logout")
        loc = h.get("Location", "")
        T.check("inline: /logout sends id_token_hint to LemonLDAP::NG",
                st == 302 and loc.startswith(issuer) and "id_token_hint=" in loc, "%s %s" % (st, loc))
        st, h, text = bi.request(loc)
        T.check("logout with the hint and LogoutBypassConfirm: no confirmation page, straight back to Jitsi",
                st in (302, 303) and h.get("Location", "").rstrip("/") == origin2, "%s %s %s" % (st, h, text[:500]))
        r = llng.login(base2 + "/login?room=After&prompt=none", idp=issuer,
                       no_follow=["127.0.0.1:%d" % b2port], browser=bi)
        T.check("... and the LemonLDAP::NG session is gone (prompt=none meets the login form)",
                r.get("form") == "lform", r)

    log = bridge.log()
    T.check("audit lines name user, room and decision",
            re.search(r'msg="login decision" user=dwho room="café zoë board".*decision=allow moderator=true', log) is not None
            and re.search(r'msg="login decision" user=msmith .*decision=deny', log) is not None, log[-1500:])
    secret = open(os.path.join(llng_dir, "client_secret")).read().strip()
    T.check("neither secret, code, cookie nor token in the log",
            secret not in log and "code=" not in log and "eyJ" not in log and "jitsi_oidc_" not in log, "")
finally:
    bridge.stop()
    bridge2.stop()
    run(down)
T.finish()
