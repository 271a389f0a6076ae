"""bridgetest.py - shared helpers of the bridge's Python integration tests
(standard library only): starting the bridge and the mock OP, a minimal
cookie-keeping HTTP client that never follows redirects, token decoding and
Prosody-style verification, and TAP-like reporting."""
import base64
import hashlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

SRCDIR = os.environ.get("BR_SRCDIR") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILDDIR = os.environ.get("BR_BUILDDIR") or SRCDIR
BIN = os.environ.get("BR_BIN") or os.path.join(BUILDDIR, "jitsi-oidc-bridge")
MOCKOP = os.path.join(SRCDIR, "tests", "integration", "mockop", "mockop.py")


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, cond, detail=""):
        if cond:
            self.passed += 1
            print("ok %d - %s" % (self.passed + self.failed, name), flush=True)
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.passed + self.failed, name), flush=True)
            if detail:
                for line in str(detail).splitlines()[:20]:
                    print("#   " + line)
        return cond

    def no_sanitizer_report(self, logs, what="the bridges' logs"):
        """ASan/UBSan builds report into the bridge's log."""
        return self.check("no sanitizer report in " + what,
                          "Sanitizer" not in logs and "runtime error:" not in logs, logs[-1500:])

    def finish(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        sys.exit(0 if self.failed == 0 else 1)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def healthz_ok(base):
    """Whether the bridge at base (its public URL) answers /healthz with 200."""
    return Client(timeout=2).get(base + "/healthz")[0] == 200


def wait_until(fn, timeout=10.0, step=0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if fn():
                return True
        except OSError:
            pass
        time.sleep(step)
    return False


def b64url_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def decode_token(token):
    h, p, _ = token.split(".")
    return json.loads(b64url_decode(h)), json.loads(b64url_decode(p))


def verify_with_asap(token, public_url):
    """Verifies an RS* token exactly as Prosody does: fetch
    <asap_key_server>/<sha256hex(kid)>.pem and check the signature."""
    header, _ = decode_token(token)
    kid = header["kid"]
    url = "%s/asap/%s.pem" % (public_url, hashlib.sha256(kid.encode()).hexdigest())
    st, _, pem = Client().get(url)
    if st != 200 or b"-----BEGIN PUBLIC KEY-----" not in pem:
        return False, "asap %s answered %s" % (url, st)
    digest = {"RS256": "-sha256", "RS384": "-sha384", "RS512": "-sha512"}[header["alg"]]
    h, p, s = token.split(".")
    with tempfile.TemporaryDirectory() as d:
        open(d + "/k.pem", "wb").write(pem)
        open(d + "/sig", "wb").write(b64url_decode(s))
        open(d + "/data", "wb").write((h + "." + p).encode())
        r = subprocess.run(["openssl", "dgst", digest, "-verify", d + "/k.pem", "-signature",
                            d + "/sig", d + "/data"], capture_output=True)
    return r.returncode == 0, r.stdout.decode() + r.stderr.decode()


class Client:
    """HTTP/1.1 client with a cookie jar for one host set; never follows."""

    def __init__(self, timeout=15):
        self.cookies = {}
        self.timeout = timeout

    def get(self, url, headers=None):
        u = urllib.parse.urlsplit(url)
        conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=self.timeout)
        path = u.path or "/"
        if u.query:
            path += "?" + u.query
        hdrs = dict(headers or {})
        if self.cookies:
            hdrs["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        try:
            conn.request("GET", path, headers=hdrs)
            r = conn.getresponse()
            body = r.read()
        finally:
            conn.close()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";")[0]
                if "Max-Age=0" in v:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), body


class Proc:
    def __init__(self, args, log, env=None):
        self.log_path = log
        self.logf = open(log, "ab")
        self.p = subprocess.Popen(args, stdout=subprocess.PIPE if env and env.get("_pipe") else self.logf,
                                  stderr=self.logf, env=env)

    def log(self):
        self.logf.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self, timeout=10):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(timeout)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        self.logf.close()
        return self.p.returncode


class MockOP:
    def __init__(self, tmp, client_secret="mock-secret", tls=None):
        """tls: (certificate, key) PEM files to serve https with."""
        self.log_path = os.path.join(tmp, "mockop.log")
        self.logf = open(self.log_path, "ab")
        args = [sys.executable, MOCKOP, "--port", "0", "--keys", os.path.join(tmp, "mockop-keys"),
                "--client-secret", client_secret]
        if tls:
            args += ["--tls-cert", tls[0], "--tls-key", tls[1]]
        self.p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.logf)
        line = self.p.stdout.readline().decode().split()
        assert line and line[0] == "PORT", "mockop did not start: %r" % line
        self.port = int(line[1])
        self.issuer = self.p.stdout.readline().decode().split()[1]
        self.base = "%s://127.0.0.1:%d" % ("https" if tls else "http", self.port)
        self.tls = tls

    def _conn(self):
        if self.tls:
            import ssl
            ctx = ssl.create_default_context(cafile=self.tls[0])
            return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=10, context=ctx)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)

    def control(self, body):
        data = json.dumps(body).encode()
        conn = self._conn()
        conn.request("POST", "/_control", body=data, headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        out = r.read()
        conn.close()
        assert r.status == 200, out
        return json.loads(out)

    def reset(self):
        conn = self._conn()
        conn.request("POST", "/_reset", body=b"")
        conn.getresponse().read()
        conn.close()

    def last(self):
        conn = self._conn()
        conn.request("GET", "/_last")
        out = json.loads(conn.getresponse().read())
        conn.close()
        return out

    def stop(self):
        self.p.terminate()
        try:
            self.p.wait(10)
        except subprocess.TimeoutExpired:
            self.p.kill()
        self.logf.close()


def write_config(path, port, issuer, key, extra=None, secret="mock-secret", jitsi="https://meet.example.org",
                 prefix="/auth"):
    sections = {
        "server": {"listen": "127.0.0.1:%d" % port, "public_url": "http://127.0.0.1:%d%s" % (port, prefix),
                   "workers": "1", "log_level": "debug"},
        "provider": {"issuer": issuer, "client_id": "jitsi", "client_secret": secret, "timeout": "3s"},
        "jitsi": {"url": jitsi, "app_id": "jitsi", "audience": "jitsi", "domain": "meet.example.org",
                  "signing_key": key},
        "rules": {"allow": 'inGroup("jitsi-meet")', "moderator": 'inGroup("jitsi-moderators")'},
    }
    for sec, kv in (extra or {}).items():
        sections.setdefault(sec, {})
        for k, v in kv.items():
            if v is None:
                sections[sec].pop(k, None)
            else:
                sections[sec][k] = v
    with open(path, "w") as f:
        for sec, kv in sections.items():
            f.write("[%s]\n" % sec)
            for k, v in kv.items():
                f.write("%s = %s\n" % (k, v))
            f.write("\n")


def start_bridge(tmp, conf, name="bridge"):
    log = os.path.join(tmp, name + ".log")
    p = Proc([BIN, "-c", conf], log)
    return p


def generate_key(path):
    return subprocess.run([BIN, "--generate-key", path], check=True, capture_output=True).stdout.decode().strip()


def login_flow(bridge_base, room="Team Room", extra_query="", client=None):
    """Runs /login → mock OP /authorize (auto-approve) → /callback.
    Returns (client, status, headers, body) of the /callback answer, or of
    the first answer that was not the expected redirect."""
    c = client or Client()
    q = "room=" + urllib.parse.quote(room) + extra_query
    st, h, body = c.get("%s/login?%s" % (bridge_base, q))
    if st != 302:
        return c, st, h, body
    st, h, body = c.get(h["location"])  # the authorization endpoint
    if st != 302:
        return c, st, h, body
    cb = h["location"]
    if not cb.startswith(bridge_base):
        return c, st, h, body
    st, h, body = c.get(cb)
    return c, st, h, body


def token_from_location(loc):
    """The token of a fragment (#jwt=%22...%22[&overrides]) or query
    (?jwt=...) delivery."""
    u = urllib.parse.urlsplit(loc)
    if u.fragment.startswith("jwt="):
        v = urllib.parse.unquote(u.fragment[4:].split("&")[0])
        return json.loads(v)
    qs = urllib.parse.parse_qs(u.query)
    if "jwt" in qs:
        return qs["jwt"][0]
    return None
