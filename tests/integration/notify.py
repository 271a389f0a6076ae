#!/usr/bin/env python3
"""The systemd notification protocol end to end: the bridge started the way
systemd starts a Type=notify service with WatchdogSec= (NOTIFY_SOCKET,
WATCHDOG_USEC, WATCHDOG_PID) tells READY=1 once it listens, pings
WATCHDOG=1 while its loops run, says RELOADING=1 then READY=1 around a
SIGHUP reload and STOPPING=1 on SIGTERM; a watchdog meant for another
process is left alone.  The listener is an abstract AF_UNIX datagram socket,
as systemd's own is not."""
import os
import shutil
import signal
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bridgetest import BIN, Proc, Report, free_port, generate_key, write_config  # noqa: E402

T = Report()


def collect(sock, until, timeout):
    """Datagrams received until one equals UNTIL or TIMEOUT seconds pass."""
    got = []
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        sock.settimeout(max(0.01, end - time.monotonic()))
        try:
            msg = sock.recv(4096).decode()
        except socket.timeout:
            break
        got.append(msg)
        if msg == until:
            break
    return got


def start(tmp, name, env_extra):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    addr = "\0br-notify-%d-%s" % (os.getpid(), name)
    sock.bind(addr)
    port = free_port()
    conf = os.path.join(tmp, name + ".conf")
    # the IdP is down: the bridge is ready (it listens) all the same
    write_config(conf, port, "http://127.0.0.1:%d/" % free_port(), os.path.join(tmp, "key.pem"))
    env = dict(os.environ)
    env.update({"NOTIFY_SOCKET": "@" + addr[1:]})
    env.update(env_extra)
    p = Proc([BIN, "-c", conf], os.path.join(tmp, name + ".log"), env=env)
    return p, sock


def main():
    tmp = tempfile.mkdtemp(prefix="br-notify.")
    generate_key(os.path.join(tmp, "key.pem"))

    # WATCHDOG_PID is the bridge's own pid under systemd; exec keeps it.
    p, sock = start(tmp, "a", {"WATCHDOG_USEC": "1000000"})
    try:
        got = collect(sock, "READY=1", 10)
        T.check("READY=1 once listening", got and got[-1] == "READY=1", got)
        got = collect(sock, "WATCHDOG=1", 3)
        T.check("WATCHDOG=1 within the interval (1 s)", "WATCHDOG=1" in got, got)
        p.p.send_signal(signal.SIGHUP)
        got = [m for m in collect(sock, "READY=1", 5) if m != "WATCHDOG=1"]
        T.check("SIGHUP: RELOADING=1 then READY=1", got == ["RELOADING=1", "READY=1"], got)
        p.p.send_signal(signal.SIGTERM)
        got = collect(sock, "STOPPING=1", 5)
        T.check("SIGTERM: STOPPING=1", "STOPPING=1" in got, got)
        rc = p.p.wait(10)
        T.check("exits 0 after STOPPING=1", rc == 0, p.log()[-2000:])
    finally:
        p.stop()
        sock.close()

    # a watchdog set for another process (WATCHDOG_PID not ours): no pings
    p, sock = start(tmp, "b", {"WATCHDOG_USEC": "500000", "WATCHDOG_PID": "1"})
    try:
        got = collect(sock, "READY=1", 10)
        T.check("READY=1 with a foreign WATCHDOG_PID", got and got[-1] == "READY=1", got)
        got = collect(sock, "never", 2)
        T.check("no WATCHDOG=1 when WATCHDOG_PID is another process", "WATCHDOG=1" not in got, got)
    finally:
        rc = p.stop()
        sock.close()
    with open(p.log_path, errors="replace") as f:
        T.check("second bridge exits 0", rc == 0, f.read()[-2000:])
    if T.failed == 0:
        shutil.rmtree(tmp, ignore_errors=True)
    T.finish()


if __name__ == "__main__":
    main()
