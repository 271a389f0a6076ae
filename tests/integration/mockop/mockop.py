#!/usr/bin/env python3
"""A mock OpenID provider for fault and attack tests (python3 standard library;
signatures by shelling out to openssl). Listens on 127.0.0.1 only.

    mockop.py [--port N] [--issuer URL] [--client-id ID] [--client-secret S]
              [--keys DIR] [--tls-cert PEM --tls-key PEM] [-v]

Prints "PORT <n>" as its first stdout line once it accepts connections, then
"ISSUER <url>". The control API (POST /_control, GET /_last, POST /_reset) is
described in README.md next to this file.
"""
import argparse
import base64
import copy
import hashlib
import hmac
import http.server
import json
import os
import secrets
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

MAX_BODY = 1 << 20
HUGE = 10 * 1024 * 1024

# --- keys ---------------------------------------------------------------------
KEY_SPECS = {
    "rsa1": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
    "rsa2": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
    "rsa1024": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"],
    "ec1": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
    "ec384": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
}


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _openssl(args, data=None):
    r = subprocess.run(["openssl"] + args, input=data, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    if r.returncode != 0:
        raise RuntimeError("openssl %s: %s" % (" ".join(args[:2]), r.stderr.decode()[-300:]))
    return r.stdout


def _der_read(buf, pos):
    """One DER TLV at pos: (tag, value bytes, next pos)."""
    tag = buf[pos]
    ln = buf[pos + 1]
    pos += 2
    if ln & 0x80:
        n = ln & 0x7F
        ln = int.from_bytes(buf[pos:pos + n], "big")
        pos += n
    return tag, buf[pos:pos + ln], pos + ln


class Key:
    def __init__(self, name, path):
        self.name, self.path = name, path
        pub_der = _openssl(["pkey", "-in", path, "-pubout", "-outform", "DER"])
        self.pub_pem = _openssl(["pkey", "-in", path, "-pubout"]).decode()
        if name.startswith("rsa"):
            self.kty = "RSA"
            # SPKI: SEQ { SEQ alg, BIT STRING { SEQ { INT n, INT e } } }
            _, spki, _ = _der_read(pub_der, 0)
            _, _, p = _der_read(spki, 0)
            _, bits, _ = _der_read(spki, p)
            _, rsa, _ = _der_read(bits[1:], 0)
            _, n, p = _der_read(rsa, 0)
            _, e, _ = _der_read(rsa, p)
            self.n, self.e = n.lstrip(b"\0"), e.lstrip(b"\0")
            self.bits = len(self.n) * 8
        else:
            self.kty = "EC"
            self.size = 32 if name == "ec1" else 48
            self.crv = "P-256" if name == "ec1" else "P-384"
            point = pub_der[-(2 * self.size + 1):]
            assert point[0] == 4
            self.x, self.y = point[1:1 + self.size], point[1 + self.size:]

    def jwk(self, alg=None):
        if self.kty == "RSA":
            k = {"kty": "RSA", "use": "sig", "kid": self.name, "n": b64u(self.n),
                 "e": b64u(self.e)}
        else:
            k = {"kty": "EC", "use": "sig", "kid": self.name, "crv": self.crv,
                 "x": b64u(self.x), "y": b64u(self.y)}
        if alg:
            k["alg"] = alg
        return k

    def sign(self, alg, data):
        digest = {"256": "-sha256", "384": "-sha384", "512": "-sha512"}[alg[2:]]
        args = ["dgst", digest, "-sign", self.path]
        if alg.startswith("PS"):
            args += ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:digest"]
        sig = _openssl(args, data)
        if alg.startswith("ES"):
            # DER SEQ { INT r, INT s } -> fixed-size r || s (RFC 7518 3.4)
            _, seq, _ = _der_read(sig, 0)
            _, r, p = _der_read(seq, 0)
            _, s, _ = _der_read(seq, p)
            sz = self.size
            sig = r.lstrip(b"\0").rjust(sz, b"\0") + s.lstrip(b"\0").rjust(sz, b"\0")
        return sig


def load_keys(d):
    keys = {}
    for name, spec in KEY_SPECS.items():
        path = os.path.join(d, name + ".pem")
        if not os.path.exists(path):
            _openssl(["genpkey"] + spec + ["-out", path + ".tmp"])
            os.replace(path + ".tmp", path)
        keys[name] = Key(name, path)
    return keys


# --- behaviour ----------------------------------------------------------------
ENDPOINTS = ("discovery", "jwks", "authorize", "token", "userinfo", "end_session")

# Named ID token mutations: shorthands for the fields of "id_token".
PRESETS = {
    "alg_none": {"alg": "none"},
    "hs256": {"alg": "HS256"},
    "hs256_pubkey": {"alg": "HS256", "hmac_pubkey": True},
    "rs384_header": {"alg": "RS384"},
    "ps256": {"alg": "PS256"},
    "ps256_as_rs256": {"alg": "RS256", "sign_alg": "PS256"},
    "es256": {"alg": "ES256", "key": "ec1", "jwks_add": ["ec1"]},
    "wrong_iss": {"claims": {"iss": "http://127.0.0.1:1/evil"}},
    "wrong_aud": {"claims": {"aud": "someone-else"}},
    "aud_array_no_azp": {"claims": {"aud": ["CLIENT", "other"]}, "remove": ["azp"]},
    "aud_array_azp": {"claims": {"aud": ["CLIENT", "other"], "azp": "CLIENT"}},
    "wrong_azp": {"claims": {"azp": "someone-else"}},
    "no_sub": {"remove": ["sub"]},
    "no_iat": {"remove": ["iat"]},
    "no_exp": {"remove": ["exp"]},
    "no_nonce": {"remove": ["nonce"]},
    "wrong_nonce": {"claims": {"nonce": "not-the-nonce"}},
    "expired": {"exp_offset": -600, "iat_offset": -1200},
    "nbf_future": {"claims_offset": {"nbf": 600}},
    "iat_old": {"iat_offset": -3600},
    "iat_future": {"iat_offset": 3600},
    "crit": {"header": {"crit": ["exp"]}},
    "typ_wrong": {"header": {"typ": "at+jwt"}},
    "duplicate_keys": {"duplicate": {"iss": "http://127.0.0.1:1/evil"}},
    "duplicate_header_alg": {"duplicate_header": {"alg": "none"}},
    "padding": {"padding": True},
    "bad_signature": {"bad_signature": True},
    "short_signature": {"signature_bytes": 16},
    "empty_signature": {"signature_bytes": 0},
    "kid_unknown": {"kid": "unknown-kid"},
    "no_kid": {"no_kid": True},
    "rotate": {"key": "rsa2", "jwks_add": ["rsa2"]},
    "rotate_unpublished": {"key": "rsa2"},
    "rsa1024": {"key": "rsa1024", "jwks_add": ["rsa1024"]},
    "at_hash_wrong": {"claims": {"at_hash": "AAAAAAAAAAAAAAAAAAAAAA"}},
    "two_parts": {"raw_parts": 2},
    "four_parts": {"raw_parts": 4},
}


def default_state():
    return {
        "faults": {},
        "id_token": {},
        "token_response": {},
        "discovery": {},
        "jwks": {"keys": ["rsa1"], "alg": False, "extra": []},
        "authorize": {},
        "userinfo": {},
        "user": {"sub": "alice", "name": "Alice Example", "email": "alice@example.org",
                 "preferred_username": "alice", "groups": ["jitsi-meet"]},
        "client": {"basic_urldecode": True},
        # refresh tokens: issue one with the code; refuse the grant; rotate
        # (a new one each time, the old one dies); id_token in the answer
        "refresh": {"issue": False, "refuse": False, "rotate": False, "id_token": True},
    }


class Op:
    """All mutable state; one lock, handlers copy what they need."""

    def __init__(self, issuer, client_id, client_secret, keys):
        self.issuer, self.client_id, self.client_secret = issuer, client_id, client_secret
        self.keys = keys
        self.lock = threading.Lock()
        self.state = default_state()
        self.codes = {}
        self.access = {}
        self.refresh = {}
        self.last = {}
        self.counts = {e: 0 for e in ENDPOINTS}
        self.paths = {}
        self.shutdown = threading.Event()

    def reset(self):
        with self.lock:
            self.state = default_state()
            self.last = {}
            self.counts = {e: 0 for e in ENDPOINTS}
            self.paths = {}

    def control(self, ctl):
        if not isinstance(ctl, dict):
            raise ValueError("control body must be a JSON object")
        with self.lock:
            if ctl.get("reset"):
                self.state = default_state()
                self.last = {}
                self.counts = {e: 0 for e in ENDPOINTS}
                self.paths = {}
            for k, v in ctl.items():
                if k == "reset":
                    continue
                if k not in self.state:
                    raise ValueError("unknown control key %r" % k)
                if k == "faults":
                    for ep, f in v.items():
                        if ep not in ENDPOINTS:
                            raise ValueError("unknown endpoint %r" % ep)
                        if f is None:
                            self.state["faults"].pop(ep, None)
                        else:
                            self.state["faults"][ep] = dict(f)
                elif k == "id_token":
                    if isinstance(v, str):
                        v = {"mutation": v}
                    m = v.get("mutation")
                    if m is not None:
                        names = m if isinstance(m, list) else [m]
                        merged = {}
                        for n in names:
                            if n not in PRESETS:
                                raise ValueError("unknown mutation %r" % n)
                            merged.update(copy.deepcopy(PRESETS[n]))
                        merged.update({a: b for a, b in v.items() if a != "mutation"})
                        v = merged
                    self.state["id_token"] = v
                elif k == "jwks":
                    self.state["jwks"].update(v)
                    for name in self.state["jwks"]["keys"]:
                        if name not in self.keys:
                            raise ValueError("unknown key %r" % name)
                elif isinstance(v, dict) and k in ("user", "client", "refresh"):
                    self.state[k].update(v)
                else:
                    self.state[k] = v
            return copy.deepcopy(self.state)

    def take_fault(self, ep):
        """The fault for this request, counting down "times"."""
        with self.lock:
            self.counts[ep] += 1
            f = self.state["faults"].get(ep)
            if not f:
                return None
            f = dict(f)
            if "times" in f:
                left = self.state["faults"][ep]["times"] - 1
                if left <= 0:
                    del self.state["faults"][ep]
                else:
                    self.state["faults"][ep]["times"] = left
            return f

    # --- documents ---
    def discovery(self, base):
        with self.lock:
            d = copy.deepcopy(self.state["discovery"])
        doc = {
            "issuer": self.issuer,
            "authorization_endpoint": base + "/authorize",
            "token_endpoint": base + "/token",
            "userinfo_endpoint": base + "/userinfo",
            "jwks_uri": base + "/jwks",
            "end_session_endpoint": base + "/end_session",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256", "PS256", "ES256"],
            "scopes_supported": ["openid", "profile", "email"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic",
                                                      "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "iss", "name", "email", "groups"],
        }
        if "issuer" in d:
            doc["issuer"] = d["issuer"]
        doc.update(d.get("set", {}))
        for k in d.get("remove", []):
            doc.pop(k, None)
        return doc

    def jwks(self):
        with self.lock:
            j = copy.deepcopy(self.state["jwks"])
            extra_names = list(self.state["id_token"].get("jwks_add", []))
        names = list(j["keys"]) + [n for n in extra_names if n not in j["keys"]]
        keys = []
        for n in names:
            alg = None
            if j.get("alg"):
                alg = {"RSA": "RS256", "EC": "ES256" if n == "ec1" else "ES384"}[
                    self.keys[n].kty]
            keys.append(self.keys[n].jwk(alg))
        keys += j.get("extra", [])
        return {"keys": keys}

    def user_claims(self):
        with self.lock:
            return copy.deepcopy(self.state["user"])

    def id_token(self, code_info, access_token):
        with self.lock:
            m = copy.deepcopy(self.state["id_token"])
        if "raw" in m:
            return m["raw"]
        now = int(time.time())
        c = self.user_claims()
        c.update({"iss": self.issuer, "aud": self.client_id, "azp": self.client_id,
                  "iat": now + m.get("iat_offset", 0), "exp": now + 300 + m.get("exp_offset", 0),
                  "auth_time": now})
        if code_info.get("nonce") is not None:
            c["nonce"] = code_info["nonce"]
        alg = m.get("alg", "RS256")
        sign_alg = m.get("sign_alg", alg)
        if alg != "none" and access_token and sign_alg[2:] in ("256", "384", "512"):
            h = getattr(hashlib, "sha" + sign_alg[2:])(access_token.encode()).digest()
            c["at_hash"] = b64u(h[:len(h) // 2])
        for k, v in m.get("claims", {}).items():
            c[k] = json.loads(json.dumps(v).replace('"CLIENT"', json.dumps(self.client_id)))
        for k, off in m.get("claims_offset", {}).items():
            c[k] = now + off
        for k in m.get("remove", []):
            c.pop(k, None)
        key = self.keys[m.get("key", "rsa1" if not sign_alg.startswith("ES") else "ec1")]
        hdr = {"alg": alg, "typ": "JWT"}
        if not m.get("no_kid"):
            hdr["kid"] = m.get("kid", key.name)
        hdr.update(m.get("header", {}))
        hdr_txt = json.dumps(hdr, separators=(",", ":"))
        for k, v in m.get("duplicate_header", {}).items():
            hdr_txt = hdr_txt[:-1] + ",%s:%s}" % (json.dumps(k), json.dumps(v))
        pay_txt = json.dumps(c, separators=(",", ":"))
        for k, v in m.get("duplicate", {}).items():
            pay_txt = pay_txt[:-1] + ",%s:%s}" % (json.dumps(k), json.dumps(v))
        signing_input = (b64u(hdr_txt.encode()) + "." + b64u(pay_txt.encode())).encode()
        if sign_alg == "none":
            sig = b""
        elif sign_alg.startswith("HS"):
            dig = getattr(hashlib, "sha" + sign_alg[2:])
            hkey = m.get("hmac_key", self.client_secret)
            if m.get("hmac_pubkey"):  # the classic RS/HS confusion: the public PEM as secret
                hkey = self.keys[m.get("key", "rsa1")].pub_pem
            sig = hmac.new(hkey.encode(), signing_input, dig).digest()
        else:
            sig = key.sign(sign_alg, signing_input)
        if m.get("bad_signature") and sig:
            sig = bytes([sig[0] ^ 1]) + sig[1:]
        if "signature_bytes" in m:
            sig = sig[:m["signature_bytes"]]
        parts = signing_input.decode().split(".") + [b64u(sig)]
        if m.get("padding"):
            parts = [p + "=" * (-len(p) % 4 or 2) for p in parts]
        if "raw_parts" in m:
            n = m["raw_parts"]
            parts = parts[:n] if n <= 3 else parts + ["e30"] * (n - 3)
        return ".".join(parts)


# --- HTTP ---------------------------------------------------------------------
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes
    server_version = "mockop/1"
    op = None  # set on the class by main()
    verbose = False

    def log_message(self, fmt, *args):
        if self.verbose:
            sys.stderr.write("mockop: %s %s\n" % (self.address_string(), fmt % args))

    # -- plumbing --
    def _send(self, status, body, ctype="application/json", headers=None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _redirect(self, location):
        self._send(302, b"", "text/plain", {"Location": location})

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n < 0 or n > MAX_BODY:
            raise ValueError("body too large")
        return self.rfile.read(n) if n else b""

    def _fault(self, ep):
        """Applies a configured fault. True when the request has been dealt with."""
        f = self.op.take_fault(ep)
        if not f:
            return False
        if f.get("delay"):
            self.op.shutdown.wait(float(f["delay"]))
        if f.get("hang"):
            # Never answer: hold the connection until the client gives up or
            # the server stops (bounded at 10 minutes).
            self.close_connection = True
            self.op.shutdown.wait(600)
            return True
        if f.get("reset"):
            self.close_connection = True
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.connection.close()
            except OSError:
                pass
            return True
        status = int(f.get("status", 500 if f.get("html") else 200))
        if f.get("huge"):
            self.close_connection = True
            self.send_response(status)
            self.send_header("Content-Type", f.get("content_type", "application/json"))
            size = int(f.get("size", HUGE))
            self.send_header("Content-Length", str(size))
            self.end_headers()
            chunk = b'{"a":"' + b"x" * 65530
            sent = 0
            try:
                while sent < size:
                    piece = chunk[:min(len(chunk), size - sent)]
                    self.wfile.write(piece)
                    sent += len(piece)
                    chunk = b"x" * 65536
            except OSError:
                pass
            return True
        if f.get("html"):
            self._send(status, "<!DOCTYPE html><html><head><title>Error</title></head>"
                       "<body><h1>Service unavailable</h1></body></html>", "text/html")
            return True
        if f.get("garbage"):
            self._send(status, b"\x00\xff{garbage]\"\x01not json" + os.urandom(64),
                       f.get("content_type", "application/json"))
            return True
        if "body" in f:
            body = f["body"]
            if not isinstance(body, str):
                body = json.dumps(body)
            self._send(status, body, f.get("content_type", "application/json"),
                       f.get("headers"))
            return True
        if "status" in f:
            self._send(status, {"error": "server_error"}, "application/json")
            return True
        return False  # only a delay: answer normally

    def _base(self):
        scheme = "https" if self.server.tls else "http"
        return "%s://%s:%d" % ((scheme,) + self.server.server_address[:2])

    def _route(self):
        path = urllib.parse.urlsplit(self.path).path
        if not path.startswith("/_"):
            with self.op.lock:
                self.op.paths[path] = self.op.paths.get(path, 0) + 1
        if path.startswith("/alt/"):
            path = path[4:]  # the same endpoints, on other paths (overrides)
        ipath = urllib.parse.urlsplit(self.op.issuer).path.rstrip("/")
        if path in ("/.well-known/openid-configuration",
                    ipath + "/.well-known/openid-configuration"):
            return "discovery"
        return {"/jwks": "jwks", "/authorize": "authorize", "/token": "token",
                "/userinfo": "userinfo", "/end_session": "end_session",
                "/_control": "_control", "/_last": "_last", "/_reset": "_reset"}.get(path)

    def do_GET(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def do_HEAD(self):
        self._dispatch()

    def _dispatch(self):
        try:
            ep = self._route()
            if ep is None:
                self._send(404, {"error": "not_found"})
                return
            if ep.startswith("_"):
                getattr(self, "h" + ep)()
                return
            body = self._body() if self.command == "POST" else b""
            if self._fault(ep):
                return
            getattr(self, "h_" + ep)(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as e:  # a test harness bug: answer 500, keep serving
            sys.stderr.write("mockop: %s: %s\n" % (type(e).__name__, e))
            try:
                self._send(500, {"error": "mockop_internal", "detail": str(e)})
            except OSError:
                self.close_connection = True

    # -- control --
    def h_control(self):
        if self.command == "GET":
            with self.op.lock:
                self._send(200, self.op.state)
            return
        try:
            ctl = json.loads(self._body() or b"{}")
            state = self.op.control(ctl)
        except ValueError as e:
            self._send(400, {"error": str(e)})
            return
        self._send(200, state)

    def h_last(self):
        with self.op.lock:
            self._send(200, dict(self.op.last, counts=self.op.counts, paths=self.op.paths))

    def h_reset(self):
        self.op.reset()
        self._send(200, {"ok": True})

    # -- OIDC --
    def h_discovery(self, _body):
        self._send(200, self.op.discovery(self._base()))

    def h_jwks(self, _body):
        self._send(200, self.op.jwks(), "application/json")

    def h_authorize(self, _body):
        q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
        with self.op.lock:
            self.op.last["authorize"] = q
            a = copy.deepcopy(self.op.state["authorize"])
        ruri = q.get("redirect_uri")
        if not ruri or not ruri.startswith(("http://127.0.0.1:", "http://[::1]:",
                                            "http://localhost:")):
            self._send(400, "<html><body>bad redirect_uri</body></html>", "text/html")
            return
        if q.get("client_id") != self.op.client_id or q.get("response_type") != "code":
            self._send(400, "<html><body>bad client_id or response_type</body></html>",
                       "text/html")
            return
        out = {}
        if "error" in a:
            out["error"] = a["error"]
            if "error_description" in a:
                out["error_description"] = a["error_description"]
        elif a.get("prompt_none_error") and q.get("prompt") == "none":
            out["error"] = a["prompt_none_error"]
        else:
            code = secrets.token_urlsafe(24)
            with self.op.lock:
                self.op.codes[code] = {
                    "nonce": q.get("nonce"), "redirect_uri": ruri,
                    "challenge": q.get("code_challenge"),
                    "method": q.get("code_challenge_method", "plain"), "time": time.time()}
            out["code"] = code
        if not a.get("no_state") and "state" in q:
            out["state"] = a.get("state", q["state"])
        if "iss" in a:
            out["iss"] = a["iss"]
        sep = "&" if "?" in ruri else "?"
        self._redirect(ruri + sep + urllib.parse.urlencode(out))

    def _client_ok(self, form, authz):
        """(ok, how) for the client authentication of a token request."""
        with self.op.lock:
            cl = copy.deepcopy(self.op.state["client"])
        secret = cl.get("secret", self.op.client_secret)
        if authz and authz.lower().startswith("basic "):
            try:
                raw = base64.b64decode(authz[6:].strip(), validate=True).decode()
                cid, _, sec = raw.partition(":")
            except (ValueError, UnicodeDecodeError):
                return False, "basic"
            if cl.get("basic_urldecode", True):
                cid, sec = urllib.parse.unquote_plus(cid), urllib.parse.unquote_plus(sec)
            return cid == self.op.client_id and hmac.compare_digest(sec.encode(), secret.encode()), "basic"
        if "client_secret" in form:
            return (form.get("client_id") == self.op.client_id
                    and hmac.compare_digest(form["client_secret"].encode(), secret.encode())), "post"
        if cl.get("public"):
            return form.get("client_id") == self.op.client_id, "none"
        return False, "none"

    def h_token(self, body):
        authz = self.headers.get("Authorization")
        try:
            form = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True,
                                               strict_parsing=bool(body)))
        except (ValueError, UnicodeDecodeError):
            form = {}
        with self.op.lock:
            self.op.last["token"] = {
                "method": self.command, "authorization": authz,
                "content_type": self.headers.get("Content-Type"),
                "body": body.decode("utf-8", "replace"), "form": form}
            tr = copy.deepcopy(self.op.state["token_response"])
        if self.command != "POST":
            self._send(405, {"error": "invalid_request"}, headers={"Allow": "POST"})
            return
        ok, how = self._client_ok(form, authz)
        if not ok:
            self._send(401, {"error": "invalid_client"},
                       headers={"WWW-Authenticate": 'Basic realm="mockop"'})
            return
        if form.get("grant_type") == "refresh_token":
            self._refresh_grant(form, tr)
            return
        if form.get("grant_type") != "authorization_code":
            self._send(400, {"error": "unsupported_grant_type"})
            return
        with self.op.lock:
            info = self.op.codes.pop(form.get("code", ""), None)
        if info is None or time.time() - info["time"] > 600:
            self._send(400, {"error": "invalid_grant", "error_description": "bad code"})
            return
        if form.get("redirect_uri") != info["redirect_uri"]:
            self._send(400, {"error": "invalid_grant", "error_description": "redirect_uri"})
            return
        if info["challenge"] is not None:
            v = form.get("code_verifier", "")
            calc = v if info["method"] == "plain" else b64u(
                hashlib.sha256(v.encode()).digest())
            if not v or not hmac.compare_digest(calc.encode(), info["challenge"].encode()):
                self._send(400, {"error": "invalid_grant", "error_description": "PKCE"})
                return
        at = secrets.token_urlsafe(32)
        if tr.get("access_token_bytes"):
            n = int(tr["access_token_bytes"])
            at = (at * (n // len(at) + 1))[:n]
        with self.op.lock:
            self.op.access[at] = True
        resp = {"access_token": at, "token_type": "Bearer", "expires_in": 300,
                "id_token": self.op.id_token(info, at)}
        with self.op.lock:
            rf = copy.deepcopy(self.op.state["refresh"])
            if rf.get("issue"):
                rt = secrets.token_urlsafe(rf.get("length", 32))
                self.op.refresh[rt] = {"nonce": info["nonce"], "used": 0}
                resp["refresh_token"] = rt
        resp.update(tr.get("set", {}))
        for k in tr.get("remove", []):
            resp.pop(k, None)
        self._send(int(tr.get("status", 200)), resp)

    def _refresh_grant(self, form, tr):
        """grant_type=refresh_token (the client is already authenticated)."""
        rt = form.get("refresh_token", "")
        with self.op.lock:
            rf = copy.deepcopy(self.op.state["refresh"])
            info = self.op.refresh.get(rt)
            if info is not None:
                info["used"] += 1
        if rf.get("refuse") or info is None:
            self._send(400, {"error": "invalid_grant", "error_description": "refresh token"})
            return
        at = secrets.token_urlsafe(32)
        resp = {"access_token": at, "token_type": "Bearer", "expires_in": 300}
        with self.op.lock:
            self.op.access[at] = True
            if rf.get("rotate"):
                del self.op.refresh[rt]
                new = secrets.token_urlsafe(32)
                self.op.refresh[new] = {"nonce": info["nonce"], "used": 0}
                resp["refresh_token"] = new
        if rf.get("id_token", True):
            # OIDC Core 12.2: the nonce, if any, is the first login's
            resp["id_token"] = self.op.id_token({"nonce": info["nonce"]}, at)
        resp.update(tr.get("set", {}))
        for k in tr.get("remove", []):
            resp.pop(k, None)
        self._send(int(tr.get("status", 200)), resp)

    def h_userinfo(self, _body):
        authz = self.headers.get("Authorization") or ""
        with self.op.lock:
            ok = authz.startswith("Bearer ") and authz[7:] in self.op.access
            self.op.last["userinfo"] = {"authorization_scheme": authz.split(" ")[0],
                                        "authorization_length": len(authz),
                                        "token_known": ok}
            u = copy.deepcopy(self.op.state["userinfo"])
        if not ok:
            self._send(401, {"error": "invalid_token"},
                       headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
            return
        c = self.op.user_claims()
        c.update(u.get("claims", {}))
        if "sub" in u:
            c["sub"] = u["sub"]
        for k in u.get("remove", []):
            c.pop(k, None)
        if u.get("jwt"):
            tok = self.op.id_token({}, None)
            self._send(200, tok, "application/jwt")
            return
        self._send(200, c, u.get("content_type", "application/json"))

    def h_end_session(self, body):
        q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
        if body:
            q.update(urllib.parse.parse_qsl(body.decode("utf-8", "replace")))
        with self.op.lock:
            self.op.last["end_session"] = q
        uri = q.get("post_logout_redirect_uri")
        if uri:
            out = {"state": q["state"]} if "state" in q else {}
            sep = "&" if "?" in uri else "?"
            self._redirect(uri + (sep + urllib.parse.urlencode(out) if out else ""))
        else:
            self._send(200, "<html><body>You are logged out.</body></html>", "text/html")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    tls = None  # an ssl.SSLContext: every connection speaks TLS

    def get_request(self):
        sock, addr = super().get_request()
        if self.tls:
            # the handshake happens on the first read, in the request's thread
            sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request, client_address):
        if sys.exc_info()[0] in (ConnectionResetError, BrokenPipeError) or \
                (self.tls and isinstance(sys.exc_info()[1], OSError)):
            return
        super().handle_error(request, client_address)


def main(argv=None):
    ap = argparse.ArgumentParser(description="mock OpenID provider for tests")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--issuer", help="default http://127.0.0.1:PORT")
    ap.add_argument("--client-id", default="jitsi")
    ap.add_argument("--client-secret", default="mock-secret")
    ap.add_argument("--keys", help="directory to keep the generated keys in (reused)")
    ap.add_argument("--tls-cert", help="serve https with this certificate (PEM)")
    ap.add_argument("--tls-key", help="the certificate's private key (PEM)")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args(argv)

    tmp = None
    kdir = a.keys
    if not kdir:
        tmp = kdir = tempfile.mkdtemp(prefix="mockop-keys.")
    os.makedirs(kdir, exist_ok=True)
    try:
        keys = load_keys(kdir)
        srv = Server(("127.0.0.1", a.port), Handler)
        if a.tls_cert:
            import ssl
            srv.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            srv.tls.load_cert_chain(a.tls_cert, a.tls_key)
        port = srv.server_address[1]
        issuer = a.issuer or "%s://127.0.0.1:%d" % ("https" if a.tls_cert else "http", port)
        Handler.op = Op(issuer, a.client_id, a.client_secret, keys)
        Handler.verbose = a.verbose
        sys.stdout.write("PORT %d\nISSUER %s\n" % (port, issuer))
        sys.stdout.flush()
        import signal
        signal.signal(signal.SIGTERM, lambda *_: threading.Thread(
            target=srv.shutdown, daemon=True).start())
        try:
            srv.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        Handler.op.shutdown.set()
        srv.server_close()
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
