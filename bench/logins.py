#!/usr/bin/env python3
"""Drives full logins against the bridge for the benchmarks: GET /login,
then GET /callback with the sealed cookie and a code that bench/fastop
accepts ("n." + the nonce the bridge sent to the OP), so the OP's /authorize
is skipped. Bounded in count and time; C concurrent keep-alive connections,
each a separate browser.

    logins.py [--split PID] BASE COUNT SECONDS [CONCURRENCY [LOGIN CALLBACK EXPECT]]

LOGIN and CALLBACK are paths below BASE's path (default the bridge's
"/login?room=Bench%20Room" and "/callback"); a login is good when the
callback answers 302 with EXPECT in its Location (default "#jwt=%22").
The same driver runs Apache mod_auth_openidc for comparison.

Prints one line: "logins N ok N failed N seconds S". Never prints tokens,
codes or cookies.

With --split PID, all the /login requests run first and then all the
/callback requests, and the line adds the CPU time process PID (the
bridge) spent in each phase: "login_ticks A callback_ticks B" (clock
ticks, utime + stime from /proc). That isolates the cost of /callback, which
is what DESIGN.md's target is about.
"""
import asyncio
import sys
import time
import urllib.parse


class Conn:
    def __init__(self, host, port):
        self.host, self.port = host, port
        self.r = self.w = None

    async def get(self, target, cookie=None):
        for attempt in (0, 1):
            if self.w is None:
                self.r, self.w = await asyncio.open_connection(self.host, self.port)
            # Accept: mod_auth_openidc answers 401 instead of a redirect
            # to clients that do not look like browsers.
            req = "GET %s HTTP/1.1\r\nHost: %s:%d\r\nAccept: text/html\r\n" % (
                target, self.host, self.port)
            if cookie:
                req += "Cookie: %s\r\n" % cookie
            req += "\r\n"
            try:
                self.w.write(req.encode())
                head = await self.r.readuntil(b"\r\n\r\n")
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt:
                    raise
                continue
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split()[1])
            hdrs = {}
            cookies = []
            for ln in lines[1:]:
                if ":" in ln:
                    k, v = ln.split(":", 1)
                    k = k.strip().lower()
                    v = v.strip()
                    if k == "set-cookie":
                        cookies.append(v)
                    hdrs[k] = v
            n = int(hdrs.get("content-length", "0"))
            if n:
                await self.r.readexactly(n)
            if hdrs.get("connection", "").lower() == "close":
                self.close()
            return status, hdrs, cookies
        raise ConnectionError("unreachable")

    def close(self):
        if self.w is not None:
            self.w.close()
        self.r = self.w = None


LOGIN, CALLBACK, EXPECT = "/login?room=Bench%20Room", "/callback", "#jwt=%22"


async def start_login(c, prefix):
    """/login: (cookie, state, nonce), or None."""
    st, h, cookies = await c.get(prefix + LOGIN)
    if st != 302 or not cookies:
        return None
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(h["location"]).query)
    return "; ".join(v.split(";", 1)[0] for v in cookies), q["state"][0], q["nonce"][0]


async def finish_login(c, prefix, started):
    cookie, state, nonce = started
    st, h, _ = await c.get("%s%s?code=n.%s&state=%s" % (prefix, CALLBACK, urllib.parse.quote(nonce),
                                                       urllib.parse.quote(state)), cookie)
    return st == 302 and EXPECT in h.get("location", "")


async def one_login(c, prefix):
    started = await start_login(c, prefix)
    return started is not None and await finish_login(c, prefix, started)


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


async def main():
    global LOGIN, CALLBACK, EXPECT
    args = sys.argv[1:]
    split = None
    if args[:1] == ["--split"]:
        split, args = int(args[1]), args[2:]
    base, count, seconds = args[0], int(args[1]), float(args[2])
    conc = int(args[3]) if len(args) > 3 else 16
    if len(args) > 6:
        LOGIN, CALLBACK, EXPECT = args[4:7]
    u = urllib.parse.urlsplit(base)
    start = time.monotonic()
    deadline = start + seconds
    left = [count]
    res = {"ok": 0, "failed": 0}

    async def worker():
        c = Conn(u.hostname, u.port)
        while left[0] > 0 and time.monotonic() < deadline:
            left[0] -= 1
            try:
                good = await one_login(c, u.path)
            except (OSError, asyncio.IncompleteReadError, KeyError, ValueError, IndexError):
                good = False
                c.close()
            res["ok" if good else "failed"] += 1
        c.close()

    if split is None:
        await asyncio.gather(*(worker() for _ in range(conc)))
        el = time.monotonic() - start
        print("logins %d ok %d failed %d seconds %.2f" % (res["ok"] + res["failed"], res["ok"],
                                                          res["failed"], el))
        return

    # Split: every /login first (each connection keeps its own logins'
    # cookies), then every /callback.
    conns = [Conn(u.hostname, u.port) for _ in range(conc)]
    pending = [[] for _ in range(conc)]

    async def logins(i):
        while left[0] > 0 and time.monotonic() < deadline:
            left[0] -= 1
            try:
                started = await start_login(conns[i], u.path)
            except (OSError, asyncio.IncompleteReadError, KeyError, ValueError, IndexError):
                started = None
                conns[i].close()
            if started is None:
                res["failed"] += 1
            else:
                pending[i].append(started)

    async def callbacks(i):
        for started in pending[i]:
            if time.monotonic() >= deadline:
                res["failed"] += 1
                continue
            try:
                good = await finish_login(conns[i], u.path, started)
            except (OSError, asyncio.IncompleteReadError, KeyError, ValueError, IndexError):
                good = False
                conns[i].close()
            res["ok" if good else "failed"] += 1
        conns[i].close()

    t0 = cpu_ticks(split)
    await asyncio.gather(*(logins(i) for i in range(conc)))
    t1 = cpu_ticks(split)
    await asyncio.gather(*(callbacks(i) for i in range(conc)))
    t2 = cpu_ticks(split)
    el = time.monotonic() - start
    print("logins %d ok %d failed %d seconds %.2f login_ticks %d callback_ticks %d" % (
        res["ok"] + res["failed"], res["ok"], res["failed"], el, t1 - t0, t2 - t1))


asyncio.run(main())
