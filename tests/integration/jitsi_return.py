#!/usr/bin/env python3
"""Back to Jitsi, through the mock OP: Jitsi's {state} overrides come back in
the fragment after the token (also through the prompt=none retry and with
query delivery); a login that started in the iOS, Android or desktop app
ends on the app page with the right URL when [jitsi] apps enables that app,
and in the browser when it does not; a malformed state is a clear 400;
[rules] lobby_bypass / security_bypass set context.user's claims for the
right users only."""
import html
import json
import os
import re
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bridgetest import (Client, MockOP, Report, decode_token, free_port, generate_key, healthz_ok,  # noqa: E402
                        login_flow, start_bridge, token_from_location, wait_until, write_config)

T = Report()
tmp = tempfile.mkdtemp(prefix="br-jitsi.")
op = MockOP(tmp)
key = os.path.join(tmp, "signing.pem")
generate_key(key)
procs = []

RULES = {"lobby_bypass": 'inGroup("staff")', "security_bypass": 'inGroup("jitsi-moderators")'}


def bridge(name, extra):
    port = free_port()
    conf = os.path.join(tmp, name + ".conf")
    write_config(conf, port, op.issuer, key, extra)
    p = start_bridge(tmp, conf, name)
    procs.append(p)
    base = "http://127.0.0.1:%d/auth" % port
    T.check("%s becomes ready" % name, wait_until(lambda: healthz_ok(base), 20), p.log())
    return p, base


def state(**members):
    return "&state=" + urllib.parse.quote(json.dumps(members), safe="")


def login(base, st, room=""):
    """A login whose room (and the rest) comes from Jitsi's state."""
    return login_flow(base, room, st)


def fragment_params(loc):
    """The fragment's parameters as Jitsi's parseURLParams() reads them:
    the key as is, the value percent-decoded and JSON-parsed."""
    frag = urllib.parse.urlsplit(loc).fragment
    out = []
    for part in frag.split("&"):
        k, _, v = part.partition("=")
        out.append((k, json.loads(urllib.parse.unquote(v))))
    return out


def links(body):
    """The app page's links, by id, unescaped."""
    page = body.decode()
    return {m.group(1): html.unescape(m.group(2))
            for m in re.finditer(r'<a (?:class="button" )?id="([a-z-]+)" href="([^"]*)"', page)}


JITSI_STATE = {
    "room": "Team Room", "roomSafe": "team%20room", "tenant": "acme",
    "config.startWithAudioMuted": True, "config.startWithVideoMuted": True,
    "config.prejoinConfig.enabled": False, "config.subject": "Q&A #1 / \"x\"",
    "interfaceConfig.SHOW_CHROME_EXTENSION_BANNER": False,
    "iceServers.replace": [{"urls": "turn:evil.example"}],
    "config.__proto__": {"x": 1}, "config.constructor": 1, "config.a b": True,
    "nonce": "ignored", "unknown": {"deep": [1, 2]},
}
KEPT = [("config.startWithAudioMuted", True), ("config.startWithVideoMuted", True),
        ("config.prejoinConfig.enabled", False), ("config.subject", "Q&A #1 / \"x\""),
        ("interfaceConfig.SHOW_CHROME_EXTENSION_BANNER", False)]

try:
    apps, base = bridge("bridge-apps", {"jitsi": {"apps": "ios android electron"}, "rules": RULES})
    plain, base2 = bridge("bridge-plain", {"jitsi": {"delivery": "query"}})

    # --- the overrides come back ------------------------------------------------
    op.reset()
    c, st, h, body = login(base, state(**JITSI_STATE))
    loc = h.get("location", "")
    T.check("a browser login with overrides ends in a redirect to the tenant's room",
            st == 302 and loc.startswith("https://meet.example.org/acme/Team%20Room#jwt=%22"), "%s %s" % (st, body[:300]))
    params = fragment_params(loc) if st == 302 else []
    T.check("the fragment is the token, then the kept overrides in Jitsi's order",
            [k for k, _ in params] == ["jwt"] + [k for k, _ in KEPT] and params[1:] == KEPT, params[1:])
    T.check("nothing after the room holds a '/' (the desktop app splits at the last one)",
            "/" not in loc.split("/acme/Team%20Room", 1)[-1], "")
    tok = token_from_location(loc) if st == 302 else None
    T.check("the token is still the fragment's JSON string", tok and decode_token(tok)[1]["room"] == "team%20room", "")
    T.check("dropped overrides are logged at debug, without values",
            "Jitsi state override dropped" in apps.log() and "turn:evil" not in apps.log(), "")

    # the prompt=none retry keeps them
    op.control({"reset": True, "authorize": {"prompt_none_error": "login_required"}})
    c, st, h, body = login(base, state(room="Again", **{"config.prejoinConfig.enabled": False}) + "&prompt=none")
    T.check("prompt=none answered login_required: the retry begins with the same overrides", st == 302
            and "prompt" not in urllib.parse.parse_qs(urllib.parse.urlsplit(h.get("location", "")).query), st)
    if st == 302:
        st, h, body = c.get(h["location"])  # the OP, now without prompt
        st, h, body = c.get(h["location"])  # /callback
    loc = h.get("location", "")
    T.check("... and the retry's redirect carries them", st == 302
            and loc.endswith("%22&config.prejoinConfig.enabled=false"), "%s" % st)

    # query delivery: the token in the query, the overrides in the fragment
    op.reset()
    c, st, h, body = login(base2, state(room="Q", **{"config.startAudioOnly": True}))
    loc = h.get("location", "")
    T.check("delivery = query: ?jwt=<token>#<overrides>",
            st == 302 and re.match(r"^https://meet\.example\.org/Q\?jwt=[A-Za-z0-9_.-]+#config\.startAudioOnly=true$", loc),
            "%s %s" % (st, re.sub(r"jwt=[^#&]*", "jwt=<token>", loc)))

    # --- the apps -----------------------------------------------------------------
    want = {
        "ios": r"^org\.jitsi\.meet://meet\.example\.org/acme/Team%20Room#jwt=%22[A-Za-z0-9_.-]+%22"
               r"&config\.prejoinConfig\.enabled=false$",
        "android": r"^intent://meet\.example\.org/acme/Team%20Room#jwt=%22[A-Za-z0-9_.-]+%22"
                   r"&config\.prejoinConfig\.enabled=false#Intent;scheme=org\.jitsi\.meet;package=org\.jitsi\.meet;end$",
        "electron": r"^jitsi-meet://meet\.example\.org/acme/Team%20Room#jwt=%22[A-Za-z0-9_.-]+%22"
                    r"&config\.prejoinConfig\.enabled=false$",
    }
    for app in ("ios", "android", "electron"):
        s = state(room="Team Room", tenant="acme", **{app: True, "config.prejoinConfig.enabled": False})
        c, st, h, body = login(base, s)
        a = links(body)
        T.check("%s, enabled: the app page (200, no Location)" % app,
                st == 200 and "location" not in h and b"<title>Open the Jitsi app</title>" in body, "%s %s" % (st, body[:200]))
        T.check("%s: no-store, the pages' CSP, no script" % app,
                h.get("cache-control") == "no-store" and h.get("content-security-policy", "").startswith("default-src 'none'")
                and b"<script" not in body, h)
        T.check("%s: 'Open in the Jitsi app' has the app's URL" % app, re.match(want[app], a.get("open-app", "")),
                re.sub(r"jwt=%22[^%]*%22", "jwt=<token>", a.get("open-app", "(none)")))
        T.check("%s: 'Continue in this browser' has the web URL with the same token" % app,
                re.match(r"^https://meet\.example\.org/acme/Team%20Room#jwt=%22[A-Za-z0-9_.-]+%22&config\.prejoinConfig\.enabled=false$",
                         a.get("continue", "")) and token_from_location(a.get("continue", "")) in a.get("open-app", "x"), "")
        T.check("%s: opens by itself only when the package pins the app" % app,
                (b'http-equiv="refresh"' in body) == (app == "android"), "")
        T.check("%s: the login cookie is spent" % app, not any(k.startswith("jitsi_oidc_") for k in c.cookies), c.cookies)
        c, st, h, body = login(base2, state(room="Team Room", **{app: True}))
        T.check("%s, not enabled: the browser redirect, no app page" % app,
                st == 302 and h.get("location", "").startswith("https://meet.example.org/Team%20Room?jwt="), "%s" % st)

    # --- malformed state: a clear 400 -----------------------------------------------
    for bad, why in ((state(room=5), "the state parameter&#39;s room is not a string"),
                     (state(room="a", ios=True, android=True), "the state parameter names more than one app"),
                     (state(room="a", electron="yes"), "the state parameter&#39;s electron is not true or false"),
                     ("&state=" + urllib.parse.quote("{\"room\":"), "the state parameter is not a JSON object")):
        st, h, body = Client().get(base + "/login?" + bad.lstrip("&"))
        T.check("malformed state -> 400: %s" % html.unescape(why), st == 400 and why.encode() in body, "%s %s" % (st, body[:300]))

    # --- abandoned logins with large overrides: the Cookie header stays bounded -------
    # Each login cookie can hold 1 KiB of overrides; eight of them would pass
    # the 8 KiB request header limit, and the browser could not reach
    # /callback any more.
    op.reset()
    c = Client()
    big = dict({"room": "Big"}, **{"config.k%d" % i: "v" * 20 for i in range(30)})
    answers = [c.get(base + "/login?" + state(**big).lstrip("&"))[0] for _ in range(10)]
    size = len("; ".join("%s=%s" % kv for kv in c.cookies.items()))
    T.check("10 abandoned logins with 1 KiB of overrides each: all answered, cookies within 4 KiB",
            answers == [302] * 10 and size <= 4096, "%s, %d bytes in %d cookies" % (answers, size, len(c.cookies)))
    st, h, _ = c.get(base + "/login?" + state(**big).lstrip("&"))
    if st == 302:
        st, h, _ = c.get(h["location"])  # the OP
    if st == 302:
        st, h, _ = c.get(h["location"])  # /callback
    T.check("... and the next login still ends in Jitsi with its overrides",
            st == 302 and h.get("location", "").startswith("https://meet.example.org/Big#jwt=%22")
            and "&config.k0=%22" in h.get("location", ""), "%s %s" % (st, h.get("location", "")[:80]))

    # --- lobby and security bypass by rule --------------------------------------------
    for groups, lobby, security in ((["jitsi-meet"], False, False), (["jitsi-meet", "staff"], True, False),
                                    (["jitsi-meet", "jitsi-moderators"], False, True)):
        op.control({"reset": True, "user": {"groups": groups}})
        c, st, h, body = login_flow(base, "Bypass")
        u = decode_token(token_from_location(h.get("location", "")))[1]["context"]["user"] if st == 302 else {}
        T.check("groups %s: lobby_bypass %s, security_bypass %s" % (groups, lobby, security),
                u.get("lobby_bypass", False) is lobby and u.get("security_bypass", False) is security
                and ("lobby_bypass" in u) == lobby and ("security_bypass" in u) == security, u)
    op.control({"reset": True, "user": {"groups": ["jitsi-meet", "staff"]}})
    c, st, h, body = login_flow(base2, "Bypass")
    u = decode_token(token_from_location(h.get("location", "")))[1]["context"]["user"] if st == 302 else {}
    T.check("without the rules (default false) no bypass claim", st == 302 and "lobby_bypass" not in u, u)

    logs = "".join(p.log() for p in procs)
    T.check("no token, cookie value or override value in the logs",
            "eyJ" not in logs and "jitsi_oidc_" not in logs and "Q&A" not in logs, "")
finally:
    for p in procs:
        p.stop()
    op.stop()
T.finish()
