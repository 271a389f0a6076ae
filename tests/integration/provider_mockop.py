#!/usr/bin/env python3
"""The provider's transport and life cycle against the mock OP: every
configured endpoint overrides the discovered one; an https issuer whose
discovery names a plain http endpoint is refused (/healthz 503, a log line
naming the key, --check FAIL) unless the endpoint is a loopback IP literal; a
host name starting with "127." is not this host; a reload that changes
[provider] keeps the old provider serving until the new one has metadata and
keys."""
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bridgetest import (BIN, Client, MockOP, Report, free_port, generate_key, login_flow,  # noqa: E402
                        start_bridge, wait_until, write_config)

T = Report()
tmp = tempfile.mkdtemp(prefix="br-provider.")
op = MockOP(tmp)
key = os.path.join(tmp, "signing.pem")
generate_key(key)
crt, crt_key = os.path.join(tmp, "idp.crt"), os.path.join(tmp, "idp.key")
subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test IdP",
                "-addext", "subjectAltName=IP:127.0.0.1", "-addext", "basicConstraints=critical,CA:TRUE",
                "-keyout", crt_key, "-out", crt], check=True, capture_output=True)
op_tls = MockOP(tmp, tls=(crt, crt_key))  # same keys as op
procs = []


def start(name, issuer, extra=None):
    port = free_port()
    conf = os.path.join(tmp, name + ".conf")
    write_config(conf, port, issuer, key, extra)
    p = start_bridge(tmp, conf, name)
    procs.append(p)
    return p, "http://127.0.0.1:%d/auth" % port, conf


def healthz(base):
    st, _, body = Client(timeout=3).get(base + "/healthz")
    return st, body.decode(errors="replace")


def logtext(p):
    with open(p.log_path, "rb") as f:
        return f.read().decode(errors="replace")


def stop(p, name):
    rc = p.stop()
    T.check("%s exits cleanly" % name, rc == 0, logtext(p)[-800:])


def jitsi_redirect(st, h):
    return st == 302 and h.get("location", "").startswith("https://meet.example.org/")


def paths():
    return op.last()["paths"]


try:
    # --- every configured endpoint overrides discovery ----------------------------
    # The mock OP serves each endpoint under /alt/ too, and counts the paths.
    alt = {"authorization_endpoint": "/alt/authorize", "token_endpoint": "/alt/token",
           "userinfo_endpoint": "/alt/userinfo", "jwks_uri": "/alt/jwks",
           "end_session_endpoint": "/alt/end_session"}
    op.reset()
    prov = {k: op.base + v for k, v in alt.items()}
    prov["userinfo"] = "always"
    B, base, _ = start("overrides", op.issuer, {"provider": prov})
    T.check("bridge with every endpoint overridden becomes ready",
            wait_until(lambda: healthz(base)[0] == 200, 15), B.log()[-800:])
    c = Client()
    st, h, _ = c.get(base + "/login?room=over")
    T.check("authorization_endpoint override: /login redirects to it",
            st == 302 and h.get("location", "").startswith(op.base + "/alt/authorize?"), (st, h.get("location")))
    c, st, h, body = login_flow(base, "over")
    T.check("a login works with every endpoint overridden", jitsi_redirect(st, h), "%s %s" % (st, body[:300]))
    seen = paths()
    for k, v in alt.items():
        if k == "end_session_endpoint":
            continue
        plain = v[4:]
        T.check("%s override: %s used (%d), %s never (%d)" % (k, v, seen.get(v, 0), plain, seen.get(plain, 0)),
                seen.get(v, 0) >= 1 and seen.get(plain, 0) == 0, seen)
    st, h, _ = Client().get(base + "/logout")
    T.check("end_session_endpoint override: /logout redirects to it",
            st == 302 and h.get("location", "").startswith(op.base + "/alt/end_session?"), (st, h.get("location")))
    stop(B, "bridge with overrides")

    # --- an https issuer must not name plain http endpoints -----------------------
    op_tls.reset()
    B, base, conf = start("tls-good", op_tls.issuer, {"provider": {"ca_file": crt}})
    T.check("https mock OP: the bridge becomes ready over TLS (discovery and JWKS)",
            wait_until(lambda: healthz(base)[0] == 200, 15), B.log()[-800:])
    stop(B, "bridge against the https mock OP")
    for k in alt:
        url = "http://sso.example.org/" + k
        op_tls.control({"reset": True, "discovery": {"set": {k: url}}})
        B, base, conf = start("tls-" + k, op_tls.issuer, {"provider": {"ca_file": crt}})
        pat = 'msg="provider discovery failed" error="the provider\'s \\"%s\\" is plain http (%s) while the issuer ' \
              'is https: refusing it' % (k, url)
        logged = wait_until(lambda: pat in B.log(), 10)
        got = healthz(base)
        T.check("https issuer, plain http %s in discovery: refused, the log names the key" % k, logged, B.log()[-800:])
        T.check("... /healthz 503 'provider metadata not loaded'", got == (503, "provider metadata not loaded\n"), got)
        stop(B, "bridge (http %s)" % k)
        r = subprocess.run([BIN, "-c", conf, "--check"], capture_output=True, timeout=30)
        out = r.stdout.decode()
        T.check("... --check FAILs naming %s" % k,
                r.returncode != 0 and re.search(r"^FAIL  discovery .*\"%s\" is plain http" % k, out, re.M), out)
    # a loopback IP literal may be plain http: the JWKS from the plain mock OP
    op_tls.control({"reset": True, "discovery": {"set": {"jwks_uri": op.base + "/jwks"}}})
    B, base, conf = start("tls-loopback", op_tls.issuer, {"provider": {"ca_file": crt}})
    T.check("https issuer, plain http jwks_uri on 127.0.0.1: accepted",
            wait_until(lambda: healthz(base)[0] == 200, 15), B.log()[-800:])
    stop(B, "bridge (loopback http jwks_uri)")
    r = subprocess.run([BIN, "-c", conf, "--check"], capture_output=True, timeout=30)
    T.check("... and --check passes", r.returncode == 0, r.stdout.decode())
    # configured endpoints follow the same rule, as a configuration error
    op_tls.reset()
    _, _, conf = start("tls-conf", op_tls.issuer, {"provider": {"ca_file": crt,
                                                               "token_endpoint": "http://sso.example.org/t"}})
    p = procs.pop()
    try:
        p.p.wait(10)
    except subprocess.TimeoutExpired:
        p.stop()  # it started: the check below fails
    p.logf.close()
    T.check("https issuer, plain http token_endpoint in the config: start-up fails naming FILE:LINE: key",
            p.p.returncode != 0 and re.search(r"tls-conf\.conf:\d+: \[provider\] token_endpoint: plain http while "
                                              r"the issuer is https", logtext(p)), logtext(p)[-500:])

    # --- "127." is not this host unless it is an address --------------------------
    B, base, _ = start("dns127", "http://127.sso.example.org")
    wait_until(lambda: "configuration warnings" in B.log(), 5)
    T.check("issuer http://127.sso.example.org gets the plain-http warning",
            "[provider] issuer: plain http outside this host" in B.log(), B.log()[-800:])
    stop(B, "bridge with a 127.* host name")
    B, base, _ = start("ip127", "http://127.0.0.1:%d" % op.port)
    wait_until(lambda: "listening" in B.log(), 5)
    T.check("issuer http://127.0.0.1:PORT gets no warning", "plain http" not in B.log(), B.log()[-800:])
    stop(B, "bridge with a loopback issuer")

    # --- a reload keeps the old provider serving until the new one is ready ------
    op.reset()
    R, base, conf = start("reload", op.issuer, {"provider": {"timeout": "3s"}})
    T.check("bridge for the reload test ready", wait_until(lambda: healthz(base)[0] == 200, 15), R.log()[-800:])
    c, st, h, body = login_flow(base, "before")
    T.check("login before the reload", jitsi_redirect(st, h), "%s %s" % (st, body[:300]))
    DELAY = 5
    op.control({"reset": True, "faults": {"discovery": {"delay": DELAY, "times": 1}}})
    # [provider] changes: timeout, and the token endpoint (to tell the two apart)
    port = int(re.search(r"listen = 127\.0\.0\.1:(\d+)", open(conf).read()).group(1))
    write_config(conf, port, op.issuer, key, {"provider": {"timeout": "%ds" % (DELAY + 4),
                                                           "token_endpoint": op.base + "/alt/token"}})
    t0 = time.monotonic()
    R.p.send_signal(signal.SIGHUP)
    wait_until(lambda: "configuration reloaded" in R.log(), 3)
    during = []
    while time.monotonic() - t0 < DELAY - 2.5:
        during.append(healthz(base))
        time.sleep(0.2)
    c, st, h, body = login_flow(base, "during")
    in_gap = time.monotonic() - t0 < DELAY
    seen = paths()
    T.check("during the new provider's discovery /healthz stays 200 (%d probes)" % len(during),
            len(during) > 3 and all(g == (200, "ok\n") for g in during), during[:5])
    T.check("a login works during the gap, served by the old provider (/token, not /alt/token)",
            in_gap and jitsi_redirect(st, h) and seen.get("/token", 0) == 1 and seen.get("/alt/token", 0) == 0,
            "%s %s %s" % (st, body[:200], seen))
    T.check("the new provider takes over once it has metadata and keys",
            wait_until(lambda: "the reloaded provider configuration took over" in R.log(), DELAY + 6), R.log()[-800:])
    c, st, h, body = login_flow(base, "after")
    seen = paths()
    T.check("a login after the take-over uses the new provider (/alt/token)",
            jitsi_redirect(st, h) and seen.get("/alt/token", 0) == 1, "%s %s %s" % (st, body[:200], seen))
    # A new provider that fails takes over with its failure: sign-in does not
    # silently stay on a provider the configuration no longer names.
    op.control({"reset": True, "faults": {"discovery": {"status": 500}}})
    write_config(conf, port, op.issuer, key, {"provider": {"timeout": "3s"}})
    R.p.send_signal(signal.SIGHUP)
    T.check("a reloaded provider whose discovery fails takes over anyway (logged)",
            wait_until(lambda: "the reloaded provider configuration failed" in R.log(), 8), R.log()[-800:])
    T.check("... and /healthz says 503 'provider metadata not loaded'",
            healthz(base) == (503, "provider metadata not loaded\n"), healthz(base))
    op.reset()
    T.check("... until its discovery succeeds on a retry",
            wait_until(lambda: healthz(base)[0] == 200, 10), R.log()[-800:])
    stop(R, "bridge after reloads")
finally:
    for p in procs:
        if not p.logf.closed:
            p.stop()
    op.stop()
    op_tls.stop()
T.finish()
