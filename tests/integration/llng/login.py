#!/usr/bin/env python3
"""A scripted browser for LemonLDAP::NG logins (python3 standard library only).

    login.py [--user U] [--password P] [--idp URL] [--no-follow HOST:PORT]...
             [--jar FILE] [--timeout S] [--confirm] START_URL

Starting at START_URL (e.g. the bridge's /login?room=X, or an authorization
URL), it follows redirects with a cookie jar, fills the LemonLDAP::NG login
form (user, password, the one-time token, url, timezone, skin) and POSTs it to
the same URL, query string included, then keeps following redirects. It stops
at the first redirect whose Location is on neither the IdP (--idp, default
$LLNG_ISSUER or http://127.0.0.1:8801/) nor START_URL's host, or on a host
given with --no-follow, or at the first answer that is not a redirect and not
a login form it may fill. It prints one JSON object:

    {"status": 302, "location": "https://meet/...", "url": "<last request>",
     "history": [{"method", "url", "status", "location"}...],
     "body-snippet": "...", "error_code": "5" or null (the portal's trmsg),
     "form": "lform" or null (on the last page), "posted_login": bool, "ok": bool}

With --jar FILE the cookies (session cookies included) are loaded from and
saved to FILE (Mozilla format), so a second run can test prompt=none or
logout. --confirm answers a confirmation form (logout, consent) with
confirm=1. Exit status: 0 when it stopped at a redirect away from the
followed hosts, 1 otherwise (form again, error page, HTTP error), 2 on usage
or network errors.

The SSO cookie carries Domain=.127.0.0.1; http.cookiejar's default policy
accepts and returns it for 127.0.0.1 (checked by selftest.sh), and ignores the
port, as browsers do.

As a module: `import login; r = login.login(url, "dwho", "dwho", idp=...)`, or
`b = login.Browser(jar_file=None, timeout=10)` and `b.request(...)`.
"""
import argparse
import html.parser
import http.client
import http.cookiejar
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

MAX_STEPS = 25
MAX_BODY = 4 * 1024 * 1024
SNIPPET = 600


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand every 3xx back to the caller, which decides whether to follow."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class _FormParser(html.parser.HTMLParser):
    """Collects every <form> with its inputs, and the trmsg error codes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.trmsg = []
        self._cur = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._cur = {"id": a.get("id"), "action": a.get("action"),
                         "method": a.get("method", "get").lower(), "fields": [],
                         "names": set()}
            self.forms.append(self._cur)
        elif tag in ("input", "button", "select", "textarea") and self._cur is not None:
            name = a.get("name")
            if name:
                self._cur["names"].add(name)
                typ = a.get("type", "text").lower()
                # Like a browser: unchecked boxes and buttons are not sent.
                if tag == "input" and typ in ("checkbox", "radio") and "checked" not in a:
                    return
                if tag == "button" or typ in ("submit", "button", "image", "reset"):
                    return
                self._cur["fields"].append((name, a.get("value", "")))
        if "trmsg" in a and a["trmsg"]:
            self.trmsg.append(a["trmsg"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._cur = None


def parse_page(body):
    p = _FormParser()
    try:
        p.feed(body)
        p.close()
    except Exception:  # a hostile page must not crash the harness
        pass
    return p


def _netloc(url):
    u = urllib.parse.urlsplit(url)
    host = (u.hostname or "").lower()
    port = u.port or (443 if u.scheme == "https" else 80)
    if ":" in host:
        host = "[%s]" % host
    return "%s:%d" % (host, port)


class Browser:
    """An opener with a cookie jar, no proxies and no automatic redirects."""

    def __init__(self, jar_file=None, timeout=10.0):
        self.timeout = timeout
        self.jar_file = jar_file
        self.jar = http.cookiejar.MozillaCookieJar(jar_file) if jar_file else \
            http.cookiejar.CookieJar()
        if jar_file and os.path.exists(jar_file) and os.path.getsize(jar_file) > 0:
            self.jar.load(ignore_discard=True, ignore_expires=True)
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),  # never an http_proxy from the environment
            urllib.request.HTTPCookieProcessor(self.jar),
            _NoRedirect())

    def save(self):
        if self.jar_file:
            self.jar.save(ignore_discard=True, ignore_expires=True)

    def request(self, url, data=None, headers=None):
        """Returns (status, headers, body text). 3xx/4xx/5xx are answers, not errors."""
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode("ascii")
        req = urllib.request.Request(url, data=body, headers=headers or {})
        req.add_header("User-Agent", "llng-login.py/1")
        req.add_header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
        if body is not None:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            resp = self.opener.open(req, timeout=self.timeout)
        except urllib.error.HTTPError as e:
            resp = e
        try:
            raw = resp.read(MAX_BODY + 1) or b""
        finally:
            resp.close()
        charset = resp.headers.get_content_charset() or "utf-8"
        return resp.status if hasattr(resp, "status") else resp.code, resp.headers, \
            raw[:MAX_BODY].decode(charset, errors="replace")

    def cookies(self):
        return [{"name": c.name, "domain": c.domain, "path": c.path} for c in self.jar]


def login(start_url, user=None, password=None, idp=None, no_follow=(), jar_file=None,
          timeout=10.0, confirm=False, browser=None):
    """Runs the login; returns the result dict described in the module doc."""
    idp = idp or os.environ.get("LLNG_ISSUER") or "http://127.0.0.1:8801/"
    follow = {_netloc(start_url), _netloc(idp)}
    stop = {n.lower() for n in no_follow}
    b = browser or Browser(jar_file=jar_file, timeout=timeout)
    history = []
    result = {"status": None, "location": None, "url": start_url, "history": history,
              "body-snippet": "", "error_code": None, "form": None}
    url, data = start_url, None
    posted_login = posted_confirm = False
    try:
        for _ in range(MAX_STEPS):
            status, headers, body = b.request(url, data)
            loc = headers.get("Location")
            if loc is not None:
                loc = urllib.parse.urljoin(url, loc)
            history.append({"method": "POST" if data is not None else "GET", "url": url,
                            "status": status, "location": loc})
            result.update(status=status, location=loc, url=url, error_code=None, form=None,
                          posted_login=posted_login, **{"body-snippet": body[:SNIPPET]})
            data = None
            if status in (301, 302, 303, 307, 308) and loc:
                nl = _netloc(loc)
                if nl in stop or nl not in follow or not loc.startswith(("http:", "https:")):
                    return _done(b, result, True)
                url = loc
                continue
            page = parse_page(body)
            result["error_code"] = page.trmsg[0] if page.trmsg else None
            form = next((f for f in page.forms if f["id"] == "lform"), None)
            if form is not None:
                result["form"] = "lform"
                names = form["names"]
                if "user" in names and "password" in names and user is not None \
                        and not posted_login:
                    fields = [(k, v) for k, v in form["fields"]
                              if k not in ("user", "password")]
                    fields += [("user", user), ("password", password or "")]
                    fields = [(k, "0" if k == "timezone" and not v else v) for k, v in fields]
                    # POST to the same URL, query string included (the portal
                    # keeps the OIDC request there, not in the form action).
                    data, posted_login = fields, True
                    continue
            cform = next((f for f in page.forms if "confirm" in f["names"]), None)
            if cform is not None:
                result["form"] = result["form"] or cform["id"] or "confirm"
                if confirm and not posted_confirm:
                    # Logout/consent confirmation: the portal takes confirm=1.
                    fields = [(k, v) for k, v in cform["fields"] if k != "confirm"]
                    data, posted_confirm = fields + [("confirm", "1")], True
                    continue
            return _done(b, result, False)
        result["error"] = "too many steps"
        return _done(b, result, False)
    except (OSError, urllib.error.URLError, http.client.HTTPException) as e:
        result["error"] = "%s: %s" % (type(e).__name__, e)
        result["status"] = None
        return _done(b, result, False)


def _done(b, result, ok):
    result["ok"] = ok
    b.save()
    return result


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("start_url")
    ap.add_argument("--user")
    ap.add_argument("--password", help="default: the user name (LemonLDAP::NG demo users)")
    ap.add_argument("--idp", help="IdP base URL (default $LLNG_ISSUER or http://127.0.0.1:8801/)")
    ap.add_argument("--no-follow", action="append", default=[], metavar="HOST:PORT",
                    help="stop at a redirect to this host:port (repeatable)")
    ap.add_argument("--jar", help="cookie jar file to load and save (Mozilla format)")
    ap.add_argument("--timeout", type=float, default=10.0, help="per request, seconds")
    ap.add_argument("--confirm", action="store_true",
                    help="answer a confirmation form (logout) with confirm=1")
    a = ap.parse_args(argv)
    for n in a.no_follow:
        if not re.fullmatch(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):[0-9]{1,5}", n):
            ap.error("--no-follow wants HOST:PORT, got %r" % n)
    password = a.password if a.password is not None else a.user
    r = login(a.start_url, a.user, password, idp=a.idp, no_follow=a.no_follow,
              jar_file=a.jar, timeout=a.timeout, confirm=a.confirm)
    json.dump(r, sys.stdout, indent=1)
    sys.stdout.write("\n")
    if r.get("error"):
        return 2
    return 0 if r["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
