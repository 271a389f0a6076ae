#!/usr/bin/env python3
"""The pages' language and branding with the real bridge: the language
follows Accept-Language (else [pages] default_language), with
Content-Language and Vary, also on the inline-mode logout page; the logo and the extra style sheet are served at
P/static/ with their types and the CSP allows exactly them; an operator's
message override is used, and one that breaks on reload is refused with
FILE:LINE while the running one keeps serving; the caps and checks of the
logo and style sheet stop --check with the exact error."""
import os
import signal
import struct
import subprocess
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bridgetest import (BIN, Client, MockOP, Report, free_port, generate_key,  # noqa: E402
                        start_bridge, wait_until, write_config)

T = Report()
tmp = tempfile.mkdtemp(prefix="br-pages.")
op = MockOP(tmp)
key = os.path.join(tmp, "signing.pem")
generate_key(key)


def png(w, h):
    rows = b"".join(b"\x00" + b"\x0b\x6e\x4f" * w for _ in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def lineof(path, key):
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if line.startswith(key + " ="):
                return n
    raise KeyError(key)


logo = png(120, 32)
css = b"main { border-top: 6px solid #0b6e4f }\n"
with open(os.path.join(tmp, "logo.png"), "wb") as f:
    f.write(logo)
with open(os.path.join(tmp, "pages.css"), "wb") as f:
    f.write(css)
msgs = os.path.join(tmp, "messages")
os.mkdir(msgs)
with open(os.path.join(msgs, "de.ini"), "w") as f:
    f.write("# Beispiel\nlanding.title = Willkommen bei der Videokonferenz\n")

port = free_port()
conf = os.path.join(tmp, "bridge.conf")
base = "http://127.0.0.1:%d/auth" % port
pages = {"organisation": "Exemple & Cie", "logo": "logo.png", "accent_colour": "#0b6e4f",
         "stylesheet": "pages.css", "support": "support@exemple.fr", "messages_dir": "messages",
         "default_language": "fr"}
# Jitsi on the bridge's origin: inline mode is on, for the silent logout page.
write_config(conf, port, op.issuer, key, {"pages": pages, "rules": {"allow": "false"}},
             jitsi="http://127.0.0.1:%d" % port)
bridge = start_bridge(tmp, conf)
c = Client(timeout=5)
try:
    up = wait_until(lambda: c.get(base + "/healthz")[0] == 200)
    T.check("bridge starts with [pages] set", up, bridge.log()[-1500:])

    st, h, body = c.get(base + "/static/logo")
    T.check("P/static/logo: 200 image/png, the file's bytes, nosniff",
            st == 200 and h.get("content-type") == "image/png" and body == logo and
            h.get("x-content-type-options") == "nosniff" and h.get("cache-control") == "public, max-age=300",
            (st, h))
    st, h, body = c.get(base + "/static/custom.css")
    T.check("P/static/custom.css: 200 text/css, the file's bytes",
            st == 200 and h.get("content-type") == "text/css; charset=utf-8" and body == css, (st, h))
    st, h, _ = c.get(base + "/static/other")
    T.check("nothing else under P/static/", st == 404, st)

    st, h, body = c.get(base + "/")
    text = body.decode()
    T.check("no Accept-Language: default_language (fr), Content-Language and Vary",
            st == 200 and h.get("content-language") == "fr" and h.get("vary") == "Accept-Language" and
            '<html lang="fr">' in text and "<title>Rejoindre une réunion · Exemple &amp; Cie</title>" in text,
            (h, text[:600]))
    T.check("the CSP allows the logo and the style sheet from 'self', nothing else",
            h.get("content-security-policy") ==
            "default-src 'none'; img-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
            h.get("content-security-policy"))
    T.check("the page links the logo, the style sheet, the accent and the support line",
            '<img class="logo" src="/auth/static/logo" alt="Exemple &amp; Cie">' in text and
            '<link rel="stylesheet" href="/auth/static/custom.css">' in text and
            "a{color:#0b6e4f}" in text and "support@exemple.fr" in text, text)

    st, h, body = c.get(base + "/", {"Accept-Language": "de-AT, de;q=0.9, en;q=0.5"})
    text = body.decode()
    T.check("Accept-Language de-AT: German, with the operator's override",
            h.get("content-language") == "de" and "<h1>Willkommen bei der Videokonferenz</h1>" in text and
            "Anmelden und beitreten" in text, (h, text[:800]))

    # a denial in Dutch, through a whole login
    hdr = {"Accept-Language": "nl-BE,nl;q=0.9"}
    st, h, _ = c.get(base + "/login?room=Bestuur", hdr)
    ok = st == 302
    if ok:
        st, h, _ = c.get(h["location"])
        ok = st == 302 and h["location"].startswith(base)
    if ok:
        st, h, body = c.get(h["location"], hdr)
    text = body.decode(errors="replace") if ok else ""
    T.check("a denied login answers 403 in Dutch", ok and st == 403 and h.get("content-language") == "nl" and
            "<h1>Geen toegang</h1>" in text and "<strong><bdi>Bestuur</bdi></strong>" in text,
            (st, h, text[:800]))

    # Jitsi's hidden logout frame (inline mode), in Spanish
    st, h, body = c.get(base + "/logout", {"Sec-Fetch-Dest": "iframe", "Accept-Language": "es-MX,es;q=0.9"})
    text = body.decode(errors="replace")
    T.check("the silent logout page speaks Spanish", st == 200 and h.get("content-language") == "es" and
            '<html lang="es">' in text and "<title>Sesión cerrada</title>" in text and
            "<p>Ha cerrado la sesión.</p>" in text and "logout-success" in text, (st, h, text[:600]))

    # a broken override on reload: refused with FILE:LINE, the old one serves
    with open(os.path.join(msgs, "de.ini"), "w") as f:
        f.write("landing.title = Willkommen\ndenied.room = Kein Zugang\n")
    bridge.p.send_signal(signal.SIGHUP)
    want = "%s:%d: [pages] messages_dir: %s/de.ini:2: denied.room: missing placeholder {room} (it takes {room})" % (
        conf, lineof(conf, "messages_dir"), msgs)
    refused = wait_until(lambda: "reload failed" in bridge.log(), timeout=10)
    T.check("reload with a broken override is refused with FILE:LINE", refused and want in bridge.log(),
            bridge.log()[-1500:])
    st, h, body = c.get(base + "/", {"Accept-Language": "de"})
    T.check("... and the running override keeps serving",
            "<h1>Willkommen bei der Videokonferenz</h1>" in body.decode(), body[:600])
    with open(os.path.join(msgs, "de.ini"), "w") as f:
        f.write("landing.title = Neu geladen\n")
    bridge.p.send_signal(signal.SIGHUP)
    reloaded = wait_until(lambda: "<h1>Neu geladen</h1>" in c.get(base + "/", {"Accept-Language": "de"})[2].decode(),
                          timeout=10)
    T.check("a fixed override is taken on the next reload", reloaded, bridge.log()[-800:])
finally:
    rc = bridge.stop()
    with open(bridge.log_path, "rb") as f:
        T.check("bridge exits cleanly", rc == 0, "rc=%s %s" % (rc, f.read().decode(errors="replace")[-800:]))

# The caps and checks stop --check (and start-up) with the exact error.
big = png(1, 1) + b"\0" * (256 * 1024)
with open(os.path.join(tmp, "big.png"), "wb") as f:
    f.write(big)
with open(os.path.join(tmp, "logo.svg"), "w") as f:
    f.write('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n')
with open(os.path.join(tmp, "remote.css"), "w") as f:
    f.write("body {\n  background: url(https://cdn.example.net/bg.png)\n}\n")
with open(os.path.join(tmp, "big.css"), "w") as f:
    f.write("/*" + "x" * (64 * 1024) + "*/\n")
cases = [
    ("logo", "big.png", "[pages] logo: %s/big.png is too large (more than 262144 bytes)" % tmp),
    ("logo", "logo.svg", "[pages] logo: not a PNG, JPEG or WebP image (by its first bytes; SVG is not "
     "accepted: it can carry script)"),
    ("stylesheet", "remote.css", "[pages] stylesheet: %s/remote.css:2: url(), image() and image-set() are "
     "not allowed: the style sheet may not load anything (the logo has its own key)" % tmp),
    ("stylesheet", "big.css", "[pages] stylesheet: %s/big.css is too large (more than 65536 bytes)" % tmp),
]
for k, v, want in cases:
    bad = os.path.join(tmp, "bad.conf")
    write_config(bad, free_port(), op.issuer, key, {"pages": {k: v}})
    r = subprocess.run([BIN, "-c", bad, "--check"], capture_output=True, text=True, timeout=30)
    line = "FAIL  %s:%d: %s" % (bad, lineof(bad, k), want)
    T.check("--check: %s = %s is refused with FILE:LINE" % (k, v),
            r.returncode == 1 and line in r.stdout.splitlines(), r.stdout[-800:])

op.stop()
T.finish()
