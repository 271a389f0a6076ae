#!/usr/bin/env python3
"""The Debian package, piuparts-style: build it from the source tree with
dpkg-buildpackage, check it with lintian, then in a fresh Debian 12 minbase
chroot install it (only its dependencies present), run --check, configure it
through debconf, remove it and purge it, and check that the purge leaves the
file system as it was before the installation.

Then, where podman can run systemd as PID 1 in a container of the same
Debian 12, what only systemd shows: the skipped start before the client
secret exists, the DynamicUser= start on the packaged keys, restart on
upgrade, stop on removal.

Needs root (debootstrap, chroot), dpkg-dev, debhelper, lintian, debootstrap
and a Debian mirror; skips (77) without them. Without a working podman the
systemd part is left out (and says so)."""
import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import debroot  # noqa: E402
from debroot import bt  # noqa: E402

PKG = "jitsi-oidc-bridge"

if debroot.sanitizer_build():
    debroot.skip("sanitizer build: the package is built with its own flags, tested in the plain build")
if os.geteuid() != 0:
    debroot.skip("needs root for debootstrap and chroot")
for tool, pkg in (("dpkg-buildpackage", "dpkg-dev"), ("dh", "debhelper"), ("lintian", "lintian"),
                  ("debootstrap", "debootstrap"), ("unshare", "util-linux")):
    if not shutil.which(tool):
        debroot.skip("%s not found (apt-get install %s)" % (tool, pkg))

WORK = os.path.join(bt.BUILDDIR, "tests", "package-deb")
os.makedirs(WORK, exist_ok=True)
LOG = os.path.join(WORK, "log")
open(LOG, "w").close()
R = bt.Report()


# the outer make's jobserver and flags are not the package build's; the
# unit tests, which dh_auto_test runs in a package build, are this suite's
# own (and timing-sensitive ones would race with the tests running beside)
BUILD_ENV = dict((k, v) for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"))
BUILD_ENV["DEB_BUILD_OPTIONS"] = " ".join(
    o for o in (os.environ.get("DEB_BUILD_OPTIONS", "") + " nocheck").split() if o)


def logged(args, **kw):
    with open(LOG, "ab") as lf:
        lf.write(("$ %s\n" % " ".join(args)).encode())
        lf.flush()
        return subprocess.run(args, stdout=lf, stderr=subprocess.STDOUT, **kw).returncode


def run(args, **kw):
    rc, out = debroot.in_root(ROOT, args, **kw)
    with open(LOG, "a") as lf:
        lf.write("# chroot $ %s (exit %d)\n%s\n" % (" ".join(args), rc, out))
    return rc, out


# --- build ------------------------------------------------------------------------
subprocess.run(["rm", "-rf", "--one-file-system", os.path.join(WORK, "src")], check=True)
src = debroot.source_copy(os.path.join(WORK, "src", PKG))
rc = logged(["dpkg-buildpackage", "-us", "-uc", "-b"], cwd=src, timeout=1800, env=BUILD_ENV)
if not R.check("dpkg-buildpackage -us -uc -b builds the package", rc == 0, "see " + LOG):
    R.finish()
debs = [n for n in os.listdir(os.path.dirname(src)) if n.startswith(PKG + "_") and n.endswith(".deb")]
changes = [n for n in os.listdir(os.path.dirname(src)) if n.endswith(".changes")]
R.check("one %s .deb and a .changes" % PKG, len(debs) == 1 and len(changes) == 1, "%r %r" % (debs, changes))
deb = os.path.join(os.path.dirname(src), debs[0])

lint = subprocess.run(["lintian", "--fail-on", "error,warning,info", "-I", "--pedantic",
                       os.path.join(os.path.dirname(src), changes[0])], capture_output=True, text=True)
tags = [line for line in (lint.stdout + lint.stderr).splitlines() if line[:2] in ("E:", "W:", "I:", "P:")]
R.check("lintian: no error, warning, info or pedantic tag (overrides explained)",
        lint.returncode == 0 and not tags, "\n".join(tags) or lint.stderr)

contents = subprocess.run(["dpkg-deb", "-c", deb], capture_output=True, text=True, check=True).stdout
for path in ("./usr/sbin/jitsi-oidc-bridge", "./lib/systemd/system/jitsi-oidc-bridge.service",
             "./usr/share/man/man8/jitsi-oidc-bridge.8.gz", "./usr/share/man/man5/bridge.conf.5.gz",
             "./usr/share/doc/jitsi-oidc-bridge/bridge.conf.example",
             "./usr/share/doc/jitsi-oidc-bridge/operator-guide.md.gz",
             "./usr/share/doc/jitsi-oidc-bridge/examples/jitsi-oidc-bridge.conf",
             "./usr/share/doc/jitsi-oidc-bridge/examples/jitsi-oidc-bridge-http.conf",
             "./usr/share/doc/jitsi-oidc-bridge/examples/jitsi-oidc-bridge.cfg.lua",
             "./usr/share/doc/jitsi-oidc-bridge/messages/en.ini",
             "./usr/share/doc/jitsi-oidc-bridge/messages/de.ini"):
    R.check("the package holds " + path[1:], (" " + path + "\n") in contents)
# debian/changelog must follow AC_INIT's version (a native package)
with open(os.path.join(bt.SRCDIR, "configure.ac")) as f:
    m = re.search(r"AC_INIT\(\[[^]]*\], \[([^]]*)\]", f.read())
version = subprocess.run(["dpkg-deb", "-f", deb, "Version"], capture_output=True, text=True).stdout.strip()
R.check("the package's version is configure.ac's (debian/changelog follows AC_INIT)",
        m and version == m.group(1), "package %s, configure.ac %s" % (version, m and m.group(1)))
depends = subprocess.run(["dpkg-deb", "-f", deb, "Depends"], capture_output=True, text=True,
                         check=True).stdout.strip()

# --- a fresh Debian 12 with the dependencies only --------------------------------
ROOT = debroot.unpack_root(os.path.join(WORK, "root"), LOG)
rc, out = run(["apt-get", "update", "-q"])
if rc != 0:
    debroot.skip("apt-get update in the chroot failed (no Debian mirror reachable?): see " + LOG)
rc, out = run(["apt-get", "satisfy", "-y", "-q", "--no-install-recommends", depends])
if not R.check("the dependencies install from Debian 12 (apt-get satisfy)", rc == 0, out[-2000:]):
    R.finish()
shutil.copy(deb, os.path.join(ROOT, "root", "pkg.deb"))

# piuparts' idea: everything of the file system but the package database,
# logs and caches, before the installation and after the purge.
IGNORE = ("proc", "sys", "dev", "run", "tmp", "root/pkg.deb", "var/lib/dpkg", "var/log", "var/cache/apt",
          "var/lib/apt", "var/cache/debconf", "var/cache/man", "var/cache/ldconfig", "var/lib/ucf")


def snapshot():
    seen = {}
    for dirpath, dirnames, filenames in os.walk(ROOT):
        rel = os.path.relpath(dirpath, ROOT)
        rel = "" if rel == "." else rel
        dirnames[:] = [d for d in dirnames if os.path.join(rel, d) not in IGNORE]
        for n in dirnames + filenames:
            p = os.path.join(rel, n)
            if p in IGNORE:
                continue
            st = os.lstat(os.path.join(ROOT, p))
            entry = (stat.filemode(st.st_mode), st.st_uid, st.st_gid)
            if stat.S_ISREG(st.st_mode):
                with open(os.path.join(ROOT, p), "rb") as f:
                    entry += (hashlib.sha256(f.read()).hexdigest(),)
            elif stat.S_ISLNK(st.st_mode):
                entry += (os.readlink(os.path.join(ROOT, p)),)
            seen[p] = entry
    return seen


before = snapshot()


def path(p):
    return os.path.join(ROOT, p.lstrip("/"))


def mode(p):
    return stat.S_IMODE(os.lstat(path(p)).st_mode)


def read(p, binary=False):
    with open(path(p), "rb" if binary else "r") as f:
        return f.read()


STATE = "/var/lib/private/jitsi-oidc-bridge"
CONF = "/etc/jitsi-oidc-bridge/bridge.conf"

# --- install, not configured ------------------------------------------------------
rc, out = run(["dpkg", "-i", "/root/pkg.deb"])
R.check("dpkg -i installs it without questions (debconf non-interactive)", rc == 0, out[-2000:])
R.check("the daemon is /usr/sbin/jitsi-oidc-bridge", os.access(path("/usr/sbin/jitsi-oidc-bridge"), os.X_OK))
unit = read("/lib/systemd/system/jitsi-oidc-bridge.service")
R.check("the unit starts /usr/sbin/jitsi-oidc-bridge",
        "ExecStart=/usr/sbin/jitsi-oidc-bridge -c /etc/jitsi-oidc-bridge/bridge.conf" in unit)
R.check("the unit keeps DynamicUser=yes and StateDirectory=jitsi-oidc-bridge",
        "DynamicUser=yes" in unit and "StateDirectory=jitsi-oidc-bridge" in unit)
R.check("the unit is enabled (multi-user.target.wants)",
        os.path.islink(path("/etc/systemd/system/multi-user.target.wants/jitsi-oidc-bridge.service")))
R.check("its start waits for /etc/jitsi-oidc-bridge/client_secret (packaged drop-in)",
        "ConditionPathExists=/etc/jitsi-oidc-bridge/client_secret" in
        read("/lib/systemd/system/jitsi-oidc-bridge.service.d/configured.conf"))
if shutil.which("systemd-analyze"):
    # systemd reads the packaged drop-in: the condition is in the unit, and
    # nothing in the drop-in is an unknown or invalid line
    r = subprocess.run(["systemd-analyze", "verify", "--root=" + ROOT, "/lib/systemd/system/jitsi-oidc-bridge.service"],
                       capture_output=True, text=True, env=dict(os.environ, SYSTEMD_LOG_LEVEL="debug"))
    out = r.stdout + r.stderr
    bad = [line for line in out.splitlines() if "configured.conf" in line and
           any(w in line for w in ("Unknown", "nvalid", "Failed", "ignoring"))]
    R.check("systemd reads the drop-in: ConditionPathExists in the unit, no warning about it",
            "ConditionPathExists: /etc/jitsi-oidc-bridge/client_secret" in out and not bad, "\n".join(bad) or out[-1500:])
else:
    print("# systemd-analyze not installed: the drop-in is not parsed by systemd")
R.check("/var/lib/jitsi-oidc-bridge -> private/jitsi-oidc-bridge, as systemd lays out DynamicUser state",
        os.path.islink(path("/var/lib/jitsi-oidc-bridge")) and
        os.readlink(path("/var/lib/jitsi-oidc-bridge")) == "private/jitsi-oidc-bridge")
R.check("/var/lib/private and the state directory are 0700",
        mode("/var/lib/private") == 0o700 and mode(STATE) == 0o700)
R.check("the signing key exists, mode 0600", os.path.isfile(path(STATE + "/signing.pem"))
        and mode(STATE + "/signing.pem") == 0o600 and b"PRIVATE KEY" in read(STATE + "/signing.pem", True))
R.check("the state key is 32 bytes, mode 0600",
        len(read(STATE + "/state_key", True)) == 32 and mode(STATE + "/state_key") == 0o600)
key1, skey1 = read(STATE + "/signing.pem", True), read(STATE + "/state_key", True)
conf = read(CONF)
R.check("bridge.conf (0644) names the keys, the issuer still commented out",
        mode(CONF) == 0o644 and "signing_key = /var/lib/jitsi-oidc-bridge/signing.pem" in conf
        and "state_key_file = /var/lib/jitsi-oidc-bridge/state_key" in conf and "\n;issuer = " in conf)
rc, out = run(["jitsi-oidc-bridge", "-c", CONF, "--check"])
R.check("--check on the unconfigured file: exit 1 naming the missing key",
        rc == 1 and "public_url: missing required key" in out, out)

# reinstalling (the upgrade path) keeps the keys
rc, out = run(["dpkg", "-i", "/root/pkg.deb"])
R.check("reinstalling keeps the signing key and the state key",
        rc == 0 and read(STATE + "/signing.pem", True) == key1 and read(STATE + "/state_key", True) == skey1,
        out[-1500:])

# --- configured through debconf, checked against the mock OP ----------------------
tmp = os.path.join(WORK, "op")
os.makedirs(tmp, exist_ok=True)
op = bt.MockOP(tmp)
try:
    sel = ("%s %s/public_url string https://Meet.Example.org/auth\n"
           "%s %s/issuer string %s\n"
           "%s %s/client_id string jitsi\n") % (PKG, PKG, PKG, PKG, op.issuer, PKG, PKG)
    rc, out = run(["debconf-set-selections"], input=sel)
    R.check("debconf-set-selections", rc == 0, out)
    rc, out = run(["dpkg-reconfigure", "-f", "noninteractive", PKG])
    conf = read(CONF)
    R.check("dpkg-reconfigure writes the answers into bridge.conf",
            rc == 0 and "\npublic_url = https://Meet.Example.org/auth\n" in conf
            and "\nissuer = %s\n" % op.issuer in conf and "\nurl = https://Meet.Example.org\n" in conf
            and "\ndomain = meet.example.org\n" in conf, out + conf)
    with open(path("/etc/jitsi-oidc-bridge/client_secret"), "w") as f:
        f.write("mock-secret")
    os.chmod(path("/etc/jitsi-oidc-bridge/client_secret"), 0o600)
    rc, out = run(["jitsi-oidc-bridge", "-c", CONF, "--check"])
    R.check("--check passes: configuration, keys, the mock OP's discovery and keys",
            rc == 0 and "asap_key_server" in out, out[-3000:])
finally:
    op.stop()

# an administrator's change survives a reconfiguration (ucf keeps it)
with open(path(CONF), "a") as f:
    f.write("; local change\n")
rc, out = run(["sh", "-c", "echo '%s %s/client_id string other' | debconf-set-selections && "
               "dpkg-reconfigure -f noninteractive %s" % (PKG, PKG, PKG)])
conf = read(CONF)
R.check("a changed bridge.conf is kept on reconfiguration (new one beside it)",
        rc == 0 and "; local change\n" in conf and "\nclient_id = jitsi\n" in conf
        and os.path.exists(path(CONF + ".ucf-dist")), out)

# --- remove keeps, purge removes ---------------------------------------------------
rc, out = run(["dpkg", "-r", PKG])
R.check("dpkg -r removes the daemon", rc == 0 and not os.path.exists(path("/usr/sbin/jitsi-oidc-bridge")), out)
R.check("... and keeps bridge.conf, the client secret and both keys",
        os.path.exists(path(CONF)) and os.path.exists(path("/etc/jitsi-oidc-bridge/client_secret"))
        and read(STATE + "/signing.pem", True) == key1 and read(STATE + "/state_key", True) == skey1)
rc, out = run(["dpkg", "-P", PKG])
R.check("dpkg -P purges it", rc == 0, out)
after = snapshot()
diff = ["- %s %r" % (p, before[p]) for p in sorted(set(before) - set(after))] + \
       ["+ %s %r" % (p, after[p]) for p in sorted(set(after) - set(before))] + \
       ["~ %s %r -> %r" % (p, before[p], after[p]) for p in sorted(set(before) & set(after))
        if before[p] != after[p]]
R.check("after the purge the file system is as before the installation", not diff, "\n".join(diff))
# debconf: no question or template of the package (ucf's own questions
# remember the last file they asked about: that is ucf's, not ours); ucf: no
# record of bridge.conf
leftover = []
for p in ("var/cache/debconf/config.dat", "var/cache/debconf/templates.dat"):
    for rec in read(p).split("\n\n"):
        if rec.startswith("Name: %s/" % PKG) or any(
                line.startswith("Owners:") and PKG in line for line in rec.splitlines()):
            leftover.append(rec)
for p in ("var/lib/ucf/registry", "var/lib/ucf/hashfile"):
    if os.path.exists(path(p)) and CONF in read(p):
        leftover.append(p + ": " + CONF)
R.check("no debconf question or ucf record of the package is left", not leftover, "\n".join(leftover))

# --- under systemd: the unit, the drop-in, DynamicUser= and the state layout ---------
# systemd as PID 1 in a podman container (host network, to reach the mock OP).
OPTS, why = debroot.podman_run_opts(LOG) if shutil.which("podman") else (None, "podman not installed")
if OPTS is None:
    print("# systemd part skipped: " + why)
else:
    def podman(args, **kw):
        return debroot.podman(args, LOG, **kw)

    sdir = os.path.join(WORK, "systemd")
    os.makedirs(sdir, exist_ok=True)
    with open(os.path.join(sdir, "Containerfile"), "w") as f:
        f.write("FROM %s\nRUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
                "--no-install-recommends systemd systemd-sysv dbus procps curl >/dev/null && "
                "rm -rf /var/lib/apt/lists/*\n" % debroot.base_image(LOG))
    SYSD_IMAGE = "localhost/jitsi-oidc-bridge-test/systemd:12"
    r = podman(["build", "--network", "host"] + OPTS + ["-t", SYSD_IMAGE, sdir], timeout=900)
    R.check("an image of Debian 12 with systemd", r.returncode == 0, r.stderr[-1500:])
    CT = "jitsi-oidc-bridge-deb-%d" % os.getpid()
    op = bt.MockOP(tmp)
    try:
        podman(["run", "-d", "--name", CT, "--network", "host", "--systemd=always"] + OPTS +
               [SYSD_IMAGE, "/lib/systemd/systemd"], check=True)

        def sh(cmd, **kw):
            r = podman(["exec"] + (["-i"] if kw.get("input") is not None else []) + [CT, "sh", "-c", cmd], **kw)
            return r.returncode, r.stdout + r.stderr

        def state():
            return sh("systemctl show -p ActiveState -p MainPID -p Result jitsi-oidc-bridge")[1]

        bt.wait_until(lambda: sh("systemctl is-system-running")[1].strip() in ("running", "degraded"), timeout=30)
        podman(["cp", deb, CT + ":/root/pkg.deb"], check=True)
        rc, out = sh("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q /root/pkg.deb",
                     timeout=600)
        st = state()
        R.check("systemd: installed, the unit is enabled and not started",
                rc == 0 and sh("systemctl is-enabled jitsi-oidc-bridge")[1].strip() == "enabled"
                and "ActiveState=inactive" in st, out[-1500:] + st)
        rc, out = sh("systemctl start jitsi-oidc-bridge; systemctl status --no-pager jitsi-oidc-bridge")
        st = state()
        R.check("systemd: a start without client_secret is skipped (condition), not failed",
                "ActiveState=inactive" in st and "Result=success" in st and
                "ConditionPathExists=/etc/jitsi-oidc-bridge/client_secret was not met" in out, out + st)
        key_sum = sh("sha256sum /var/lib/jitsi-oidc-bridge/signing.pem")[1].split()[0]

        port = bt.free_port()
        public = "http://127.0.0.1:%d/auth" % port
        sel = ("%s %s/public_url string %s\n%s %s/issuer string %s\n") % (PKG, PKG, public, PKG, PKG, op.issuer)
        rc, out = sh("debconf-set-selections && dpkg-reconfigure -f noninteractive %s && "
                     "sed -i 's/^listen = .*/listen = 127.0.0.1:%d/' %s && "
                     "(umask 077; printf mock-secret >/etc/jitsi-oidc-bridge/client_secret) && "
                     "systemctl start jitsi-oidc-bridge" % (PKG, port, CONF), input=sel)
        up = bt.wait_until(lambda: bt.Client(timeout=2).get(public + "/healthz")[0] == 200, timeout=20)
        st = state()
        R.check("systemd: configured, the bridge starts (DynamicUser=, the packaged keys) and is healthy",
                rc == 0 and up and "ActiveState=active" in st,
                out[-1500:] + st + sh("journalctl -u jitsi-oidc-bridge --no-pager | tail -20")[1])
        c, code, h, body = bt.login_flow(public)
        token = bt.token_from_location(h.get("location", "")) if code == 302 else None
        R.check("systemd: one login through the mock OP gets a token signed with the package's key",
                token and bt.verify_with_asap(token, public)[0], "%d %r" % (code, body[:300]))
        rc, out = sh("stat -c '%u %a' /var/lib/private/jitsi-oidc-bridge /var/lib/private/jitsi-oidc-bridge/signing.pem"
                     " /var/lib/private/jitsi-oidc-bridge/state_key; sha256sum /var/lib/jitsi-oidc-bridge/signing.pem")
        lines = out.splitlines()
        owners = set(line.split()[0] for line in lines[:3])
        R.check("systemd: the state directory is now the dynamic user's (not root), same key, modes kept",
                len(owners) == 1 and "0" not in owners and [line.split()[1] for line in lines[:3]] ==
                ["700", "600", "600"] and lines[3].split()[0] == key_sum, out)
        pid = state()
        rc, out = sh("dpkg -i /root/pkg.deb")
        bt.wait_until(lambda: "ActiveState=active" in state(), timeout=10)
        st = state()
        R.check("systemd: an upgrade restarts a running bridge",
                rc == 0 and "ActiveState=active" in st and
                st.split("MainPID=")[1].split()[0] != pid.split("MainPID=")[1].split()[0], out[-1000:] + st)
        rc, out = sh("systemctl stop jitsi-oidc-bridge && dpkg -i /root/pkg.deb")
        R.check("systemd: an upgrade leaves a stopped bridge stopped", rc == 0 and "ActiveState=inactive" in state(),
                out[-1000:])
        rc, out = sh("systemctl start jitsi-oidc-bridge && DEBIAN_FRONTEND=noninteractive apt-get remove -y -q %s"
                     % PKG)
        R.check("systemd: apt remove stops it", rc == 0 and "ActiveState=inactive" in state() and
                sh("ps -eo comm | grep -c jitsi-oidc-brid")[1].strip() == "0", out[-1000:] + state())
        rc, out = sh("DEBIAN_FRONTEND=noninteractive apt-get purge -y -q %s; "
                     "ls -d /var/lib/private/jitsi-oidc-bridge /var/lib/jitsi-oidc-bridge /etc/jitsi-oidc-bridge "
                     "/etc/systemd/system/multi-user.target.wants/jitsi-oidc-bridge.service 2>/dev/null; true" % PKG)
        R.check("systemd: apt purge deletes the dynamic user's state directory, the configuration, the enablement",
                "/var/lib" not in out and "/etc/" not in out.split("Removing")[-1], out[-1500:])
    finally:
        podman(["rm", "-f", "-t", "5", CT])
        op.stop()

if R.failed == 0 and not os.environ.get("BR_KEEP_TMP"):
    subprocess.run(["rm", "-rf", "--one-file-system", ROOT])
else:
    print("# the chroot is kept in " + ROOT)
R.finish()
