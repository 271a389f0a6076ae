"""debroot.py - helpers of the package and container tests: a Debian 12
minbase root file system, made once with debootstrap and cached as a tarball
in the build directory, a clean copy of the source tree, and commands run
chrooted in a private mount and PID namespace.

The root is what a new Debian 12 machine (or the debian:12-slim image) starts
from: debootstrap --variant=minbase, apt pointed at the host's Debian mirror.
"""
import fcntl
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import bridgetest as bt  # noqa: E402

SUITE = "bookworm"
CACHE = os.path.join(bt.BUILDDIR, "tests", "debian12")
TARBALL = os.path.join(CACHE, "minbase.tar.gz")
STD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def skip(why):
    print("1..0 # SKIP " + why, flush=True)
    sys.exit(77)


def sanitizer_build():
    """The package and the image are built from the sources with their own
    flags: nothing of an ASan build is in them, so its pass skips them."""
    try:
        with open(os.path.join(bt.BUILDDIR, "Makefile")) as f:
            return any(line.startswith("SAN_CFLAGS = -fsanitize") for line in f)
    except OSError:
        return False


def host_mirror():
    """The host's Debian mirror for SUITE (BR_DEBIAN_MIRROR overrides)."""
    if os.environ.get("BR_DEBIAN_MIRROR"):
        return os.environ["BR_DEBIAN_MIRROR"]
    uris, suites = [], []
    paths = ["/etc/apt/sources.list"]
    d = "/etc/apt/sources.list.d"
    if os.path.isdir(d):
        paths += [os.path.join(d, n) for n in sorted(os.listdir(d)) if n.endswith((".list", ".sources"))]
    for p in paths:
        try:
            text = open(p).read()
        except OSError:
            continue
        if p.endswith(".sources"):
            for stanza in text.split("\n\n"):
                kv = {}
                for line in stanza.splitlines():
                    if line.startswith("#") or ":" not in line:
                        continue
                    k, v = line.split(":", 1)
                    kv[k.strip().lower()] = v.split()
                if SUITE in kv.get("suites", []) and "deb" in kv.get("types", []) and \
                        kv.get("enabled", ["yes"])[0].lower() != "no":
                    return kv["uris"][0]
        else:
            for line in text.splitlines():
                w = line.split("#")[0].split()
                if len(w) >= 3 and w[0] == "deb":
                    i = 1
                    if w[1].startswith("["):
                        while i < len(w) and not w[i].endswith("]"):
                            i += 1
                        i += 1
                    if i + 1 < len(w) and w[i + 1] == SUITE:
                        return w[i]
    return "http://deb.debian.org/debian"


def apt_conf_snippets():
    """Host apt.conf snippets that say how to reach the archive (a proxy,
    Check-Valid-Until for a snapshot mirror): those with Acquire::."""
    out = []
    d = "/etc/apt/apt.conf.d"
    for n in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        p = os.path.join(d, n)
        try:
            text = open(p).read()
        except (OSError, UnicodeDecodeError):
            continue
        if "Acquire::" in text:
            out.append((n, text))
    return out


def base_tarball(log):
    """The cached minbase tarball, made on first use (a few minutes; one
    test at a time holds the lock, the other waits and reuses it)."""
    os.makedirs(CACHE, exist_ok=True)
    with open(os.path.join(CACHE, ".lock"), "w") as lk:
        fcntl.flock(lk, fcntl.LOCK_EX)
        if os.path.exists(TARBALL):
            return TARBALL
        root = os.path.join(CACHE, "rootfs.tmp")
        subprocess.run(["rm", "-rf", "--one-file-system", root], check=True)
        mirror = host_mirror()
        with open(log, "ab") as lf:
            # debootstrap mounts /proc in the target: a private mount namespace
            r = subprocess.run(["unshare", "--mount", "--propagation", "private", "debootstrap",
                                "--variant=minbase", "--components=main", SUITE, root, mirror],
                               stdout=lf, stderr=subprocess.STDOUT)
        if r.returncode != 0:
            subprocess.run(["rm", "-rf", "--one-file-system", root])
            skip("debootstrap %s from %s failed (no Debian mirror reachable?): see %s" % (SUITE, mirror, log))
        with open(os.path.join(root, "etc/apt/sources.list"), "w") as f:
            f.write("deb %s %s main\n" % (mirror, SUITE))
        for n, text in apt_conf_snippets():
            with open(os.path.join(root, "etc/apt/apt.conf.d", "60host-" + n), "w") as f:
                f.write(text)
        for p in ("var/cache/apt/archives", "var/lib/apt/lists"):
            full = os.path.join(root, p)
            for n in os.listdir(full):
                if n.endswith((".deb", "_Packages", "_Release", "_InRelease", "_Release.gpg")):
                    os.unlink(os.path.join(full, n))
        subprocess.run(["tar", "-C", root, "--numeric-owner", "-czf", TARBALL + ".tmp", "."], check=True)
        os.rename(TARBALL + ".tmp", TARBALL)
        subprocess.run(["rm", "-rf", "--one-file-system", root], check=True)
        return TARBALL


def unpack_root(dest, log):
    tarball = base_tarball(log)
    subprocess.run(["rm", "-rf", "--one-file-system", dest], check=True)
    os.makedirs(dest)
    subprocess.run(["tar", "-C", dest, "--numeric-owner", "-xzf", tarball], check=True)
    shutil.copy("/etc/resolv.conf", os.path.join(dest, "etc/resolv.conf"))
    return dest


# Runs "$@" chrooted in $R, with /proc, /sys, /dev, an empty /run and /tmp,
# in its own mount and PID namespaces: nothing of it outlives the command.
# The network is the host's, so the chroot reaches the mock OP on 127.0.0.1.
_IN_ROOT = r'''
set -eu
R=$1; shift
mount -t proc proc "$R/proc"
mount -t sysfs -o ro sysfs "$R/sys"
mount --rbind /dev "$R/dev"
mount -t tmpfs -o mode=755 tmpfs "$R/run"
mount -t tmpfs -o mode=1777 tmpfs "$R/tmp"
exec chroot "$R" /usr/bin/env -i HOME=/root LANG=C.UTF-8 PATH="$STD_PATH" \
	DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true "$@"
'''


def in_root(root, args, timeout=600, input=None):
    """Runs ARGS in ROOT; returns (exit status, stdout+stderr as text)."""
    env = dict(os.environ, STD_PATH=STD_PATH)
    r = subprocess.run(["unshare", "--mount", "--pid", "--fork", "--kill-child", "--propagation", "private",
                        "sh", "-c", _IN_ROOT, "sh", root] + list(args),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, timeout=timeout,
                       input=input.encode() if input is not None else None)
    return r.returncode, r.stdout.decode(errors="replace")


def source_copy(dest):
    """The source tree as committed plus uncommitted changes (what git
    tracks or would track), without build directories or generated files."""
    src = bt.SRCDIR
    if subprocess.run(["git", "-C", src, "rev-parse", "--is-inside-work-tree"],
                      capture_output=True).returncode != 0:
        skip("%s is not a git checkout: the package is built from the tracked files" % src)
    files = subprocess.run(["git", "-C", src, "ls-files", "-z", "-co", "--exclude-standard"],
                           check=True, capture_output=True).stdout
    subprocess.run(["rm", "-rf", "--one-file-system", dest], check=True)
    os.makedirs(dest)
    existing = b"\0".join(f for f in files.split(b"\0") if f and os.path.lexists(os.path.join(src.encode(), f)))
    p1 = subprocess.Popen(["tar", "-C", src, "--null", "-T", "-", "-cf", "-"], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE)
    p2 = subprocess.Popen(["tar", "-C", dest, "-xf", "-"], stdin=p1.stdout)
    p1.stdout.close()
    p1.stdin.write(existing)
    p1.stdin.close()
    if p1.wait() != 0 or p2.wait() != 0:
        raise RuntimeError("copying the source tree failed")
    return dest


# --- podman ---------------------------------------------------------------------
BASE_IMAGE = "localhost/jitsi-oidc-bridge-test/debian:12"


def podman(args, log, timeout=300, check=False, input=None):
    with open(log, "a") as lf:
        lf.write("$ podman %s\n" % " ".join(args))
    r = subprocess.run(["podman"] + args, capture_output=True, text=True, timeout=timeout, input=input)
    with open(log, "a") as lf:
        lf.write(r.stdout + r.stderr + "(exit %d)\n" % r.returncode)
    if check and r.returncode != 0:
        raise RuntimeError("podman %s: %s" % (" ".join(args), r.stderr[-2000:]))
    return r


BASE_LABEL = "jitsi-oidc-bridge.test-base"


def base_image(log):
    """The cached minbase tarball as a podman image, imported once. Its label
    (the tarball's identity) is inherited by every image built on it: when a
    new tarball replaces the base (a new build directory), the images built
    on the old one are removed, so that test runs do not pile them up."""
    tarball = base_tarball(log)
    st = os.stat(tarball)
    ident = "%d-%d" % (st.st_mtime, st.st_size)
    with open(os.path.join(CACHE, ".lock"), "w") as lk:
        fcntl.flock(lk, fcntl.LOCK_EX)
        r = podman(["image", "inspect", "--format", "{{index .Labels \"%s\"}}" % BASE_LABEL, BASE_IMAGE], log)
        if r.returncode != 0 or r.stdout.strip() != ident:
            podman(["import", "--change", "LABEL %s=%s" % (BASE_LABEL, ident), tarball, BASE_IMAGE], log,
                   check=True)
            remove_images_of_other_bases(ident, log)
    return BASE_IMAGE


def remove_images_of_other_bases(ident, log):
    """Removes the images built on an older test base (children first; an
    image still in use by a container stays)."""
    for _ in range(20):
        r = podman(["images", "-a", "--format", "json"], log)
        try:
            images = json.loads(r.stdout or "[]")
        except ValueError:
            return
        old = [i for i in images if (i.get("Labels") or {}).get(BASE_LABEL) not in (None, ident)]
        if not old:
            return
        parents = set(i.get("ParentId") for i in images)
        leaves = [i["Id"] for i in old if i["Id"] not in parents] or [i["Id"] for i in old]
        removed = sum(podman(["rmi", i], log).returncode == 0 for i in leaves)
        if removed == 0:
            return


def podman_run_opts(log):
    """How this machine runs containers: (options, None) or (None, why not).
    The defaults first; then runc (crun refuses hybrid cgroup v1/v2 hosts)
    with rlimits no higher than the host's (podman raises nofile by default,
    which a host without CAP_SYS_RESOURCE in its user namespace refuses)."""
    if not shutil.which("podman"):
        return None, "podman not found (apt-get install podman runc)"
    candidates = [[], ["--runtime", "runc"],
                  ["--runtime", "runc", "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096"]]
    tried = []
    base = base_image(log)
    for opts in candidates:
        if opts and not shutil.which("runc"):
            continue
        r = podman(["run", "--rm", "--network", "host"] + opts + [base, "true"], log, timeout=120)
        if r.returncode == 0:
            return opts, None
        tried.append("%s: %s" % (" ".join(opts) or "defaults", " ".join(r.stderr.strip().splitlines()[-1:])))
    return None, "podman cannot run a container here: " + "; ".join(tried)
