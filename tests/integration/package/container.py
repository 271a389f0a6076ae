#!/usr/bin/env python3
"""The container image (contrib/container/Containerfile): build it with
podman on a Debian 12 base image made here (debootstrap + podman import; no
registry needed), then run it as docker-jitsi-meet would: configured only
through JITSI_OIDC_BRIDGE_* variables and a secret file, read-only root,
no capabilities, a volume for the keys. Checks /healthz and the image's
HEALTHCHECK, one login against the mock OP (token verified as Prosody does),
that the keys are created on the first start and kept on the next.

Needs root, podman and a Debian mirror; skips (77) without them. The
container shares the host's network (the mock OP is on 127.0.0.1)."""
import json
import re
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import debroot  # noqa: E402
from debroot import bt  # noqa: E402

if debroot.sanitizer_build():
    debroot.skip("sanitizer build: the image is built with its own flags, tested in the plain build")
if os.geteuid() != 0:
    debroot.skip("needs root for debootstrap and podman")
for tool, pkg in (("podman", "podman"), ("debootstrap", "debootstrap"), ("unshare", "util-linux")):
    if not shutil.which(tool):
        debroot.skip("%s not found (apt-get install %s)" % (tool, pkg))

WORK = os.path.join(bt.BUILDDIR, "tests", "package-container")
os.makedirs(WORK, exist_ok=True)
LOG = os.path.join(WORK, "log")
open(LOG, "w").close()
IMAGE = "localhost/jitsi-oidc-bridge:test"
NAME = "jitsi-oidc-bridge-test-%d" % os.getpid()
VOLUME = NAME + "-keys"
R = bt.Report()


def podman(args, timeout=300, check=False):
    return debroot.podman(args, LOG, timeout=timeout, check=check)


BASE = debroot.base_image(LOG)
RUN_OPTS, why = debroot.podman_run_opts(LOG)
if RUN_OPTS is None:
    debroot.skip(why)
print("# podman run options: %s" % (" ".join(RUN_OPTS) or "(defaults)"), flush=True)

# --- build ------------------------------------------------------------------------
src = debroot.source_copy(os.path.join(WORK, "src"))
r = podman(["image", "inspect", "--format", "{{.Id}}", IMAGE])
old_image = r.stdout.strip() if r.returncode == 0 else None
t0 = time.monotonic()
r = podman(["build", "--format", "docker", "--network", "host"] + RUN_OPTS +
           ["--build-arg", "BASE=" + BASE, "-f", "contrib/container/Containerfile", "-t", IMAGE, src],
           timeout=1800)
if not R.check("podman build of contrib/container/Containerfile (%.0f s)" % (time.monotonic() - t0),
               r.returncode == 0, "see " + LOG):
    R.finish()
img = json.loads(podman(["image", "inspect", IMAGE], check=True).stdout)[0]
# Do not pile up images run after run: the previous run's image, and the
# build stage's layers from the sources on (the package layer stays cached).
if old_image and old_image != img["Id"]:
    podman(["rmi", old_image])
podman(["image", "prune", "-f", "--filter", "label=jitsi-oidc-bridge.stage=build"])
cfg = img["Config"]
R.check("the image runs as uid 10001", cfg.get("User") == "10001:10001", cfg.get("User"))
R.check("the image has a HEALTHCHECK", "jitsi-oidc-bridge-healthcheck" in " ".join(
    (img.get("Healthcheck") or cfg.get("Healthcheck") or {}).get("Test") or []), img.get("Healthcheck"))
R.check("the keys' directory is a volume", "/var/lib/jitsi-oidc-bridge" in (cfg.get("Volumes") or {}))
r = podman(["run", "--rm", "--network", "host", "--entrypoint", "sh"] + RUN_OPTS +
           [IMAGE, "-c", "command -v cc gcc make autoconf; dpkg-query -W -f '${Package}\\n' | grep -e '-dev$'; "
            "ldd /usr/sbin/jitsi-oidc-bridge | grep 'not found'; true"])
R.check("runtime image: no compiler, no -dev package, every library present",
        r.returncode == 0 and r.stdout.strip() == "", r.stdout + r.stderr)

# --- the nginx location for docker-jitsi-meet's web container -------------------
nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
if nginx:
    ng = os.path.join(WORK, "nginx")
    os.makedirs(ng, exist_ok=True)
    with open(os.path.join(ng, "nginx.conf"), "w") as f:
        f.write("pid %s/nginx.pid;\nerror_log stderr;\nevents {}\nhttp {\n"
                "  access_log off;\n  server {\n    listen 127.0.0.1:%d;\n    include %s;\n  }\n}\n"
                % (ng, bt.free_port(), os.path.join(bt.SRCDIR, "contrib/docker-jitsi-meet/custom-meet.conf")))
    r = subprocess.run([nginx, "-t", "-p", ng, "-c", os.path.join(ng, "nginx.conf")], capture_output=True,
                       text=True)
    R.check("custom-meet.conf is a valid nginx server-block include (nginx -t)", r.returncode == 0, r.stderr)
else:
    print("# nginx not installed: custom-meet.conf not checked")

# --- run it against the mock OP ---------------------------------------------------
tmp = os.path.join(WORK, "run")
subprocess.run(["rm", "-rf", tmp])
os.makedirs(tmp)
op = bt.MockOP(tmp)
port = bt.free_port()
public = "http://127.0.0.1:%d/auth" % port
secret = os.path.join(tmp, "client_secret")
with open(secret, "w") as f:
    f.write("mock-secret")
os.chown(secret, 10001, 10001)
os.chmod(secret, 0o400)


# The environment docker compose gives the service: docker-compose.override.yml's
# "environment" entries, interpolated from env.example as the .env (with the
# test's addresses for PUBLIC_URL and OIDC_ISSUER).
def dotenv(path, overrides):
    out = {}
    for line in open(path):
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        k, v = line.split("=", 1)
        v = v.strip()
        if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
            v = v[1:-1]
        else:
            v = re.sub(r"\s+#.*$", "", v)
        out[k.strip()] = v
    out.update(overrides)
    return out


def interpolate(value, dot):
    def one(m):
        name, op, arg = m.group(1), m.group(2), m.group(3)
        v = dot.get(name, "")
        if op == ":-" and not v:
            return arg
        if op == ":?" and not v:
            raise RuntimeError("compose would stop: " + arg)
        return v
    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:[-?])([^}]*))?\}", one, value)


DJM = os.path.join(bt.SRCDIR, "contrib", "docker-jitsi-meet")
dot = dotenv(os.path.join(DJM, "env.example"), {"PUBLIC_URL": "http://127.0.0.1:%d" % port,
                                                "OIDC_ISSUER": op.issuer, "CONFIG": tmp})
env = {}
in_env = False
for line in open(os.path.join(DJM, "docker-compose.override.yml")):
    if re.match(r"^    environment:", line):
        in_env = True
        continue
    if in_env and re.match(r"^      - ", line):
        k, v = line.strip()[2:].split("=", 1)
        env[k] = interpolate(v, dot)
    elif in_env and not re.match(r"^\s*(#.*)?$", line) and not line.startswith("      "):
        in_env = False
R.check("the compose file's environment names the OP, the rules and the secret",
        env.get("JITSI_OIDC_BRIDGE_PROVIDER_ISSUER") == op.issuer and
        env.get("JITSI_OIDC_BRIDGE_RULES_ALLOW") == 'inGroup("jitsi-meet")' and
        env.get("JITSI_OIDC_BRIDGE_PROVIDER_CLIENT_SECRET_FILE") == "client_secret", env)
# docker-jitsi-meet's network: the image's 0.0.0.0:8800. The test shares the
# host's network (to reach the mock OP on 127.0.0.1): a free port instead.
compose_env = dict(env)
env["JITSI_OIDC_BRIDGE_SERVER_LISTEN"] = "0.0.0.0:%d" % port


def container_args(env, network):
    """podman run as the compose service runs: read-only, no capabilities,
    the secret in /run/secrets, the keys' volume."""
    args = ["run", "-d", "--name", NAME] + network + ["--read-only", "--tmpfs", "/tmp",
                                                     "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
                                                     "-v", "%s:/run/secrets/client_secret:ro" % secret,
                                                     "-v", "%s:/var/lib/jitsi-oidc-bridge" % VOLUME] + RUN_OPTS
    for k, v in env.items():
        args += ["-e", "%s=%s" % (k, v)]
    return args + [IMAGE]


run_args = container_args(env, ["--network", "host"])


def healthy():
    try:
        st, _, _ = bt.Client(timeout=2).get(public + "/healthz")
        return st == 200
    except OSError:
        return False


def jwks_kids():
    st, _, body = bt.Client().get(public + "/jwks.json")
    return [k["kid"] for k in json.loads(body)["keys"]] if st == 200 else None


try:
    r = podman(run_args, check=True)
    up = bt.wait_until(healthy, timeout=30)
    logs = podman(["logs", NAME]).stderr + podman(["logs", NAME]).stdout
    R.check("the container answers 200 on /auth/healthz", up, logs[-3000:])
    R.check("the entrypoint created the signing key and the state key in the volume",
            "created the signing key /var/lib/jitsi-oidc-bridge/signing.pem" in logs
            and "created the login state key /var/lib/jitsi-oidc-bridge/state_key" in logs, logs[-2000:])
    r = podman(["healthcheck", "run", NAME])
    R.check("podman healthcheck run: healthy", r.returncode == 0, r.stdout + r.stderr)
    r = podman(["exec", NAME, "sh", "-c", "id -u; stat -c '%u %a' /var/lib/jitsi-oidc-bridge/signing.pem"])
    R.check("the bridge runs as uid 10001; the key is its own, mode 600",
            r.stdout.split("\n")[:2] == ["10001", "10001 600"], r.stdout + r.stderr)

    c, st, h, body = bt.login_flow(public)
    loc = h.get("location", "")
    token = bt.token_from_location(loc) if st == 302 else None
    R.check("a login through the mock OP ends in a redirect to Jitsi (PUBLIC_URL) with a token",
            st == 302 and loc.startswith("http://127.0.0.1:%d/" % port) and token, "%d %s %r" % (st, loc, body[:300]))
    if token:
        ok, why = bt.verify_with_asap(token, public)
        _, claims = bt.decode_token(token)
        R.check("the token verifies with the key the container publishes at /asap (as Prosody does)", ok, why)
        R.check("the token's sub is the XMPP domain from the environment", claims.get("sub") == "meet.jitsi",
                claims)
    kids = jwks_kids()
    logs = podman(["logs", NAME]).stderr + podman(["logs", NAME]).stdout
    R.check("no secret in the container's log", "mock-secret" not in logs)

    # a new container on the same volume keeps the keys
    podman(["rm", "-f", "-t", "10", NAME], check=True)
    podman(run_args, check=True)
    up = bt.wait_until(healthy, timeout=30)
    logs = podman(["logs", NAME]).stderr
    R.check("restarted on the same volume: healthy, the same signing key, none created",
            up and kids and jwks_kids() == kids and "created the" not in logs, "%r %s" % (kids, logs[-1500:]))
    r = podman(["run", "--rm", "--network", "host", "-v", "%s:/var/lib/jitsi-oidc-bridge" % VOLUME,
                "-v", "%s:/run/secrets/client_secret:ro" % secret] + RUN_OPTS +
               sum((["-e", "%s=%s" % kv] for kv in env.items()), []) + [IMAGE, "--check"])
    R.check("docker run IMAGE --check: the options go to the bridge, which passes",
            r.returncode == 0 and "asap_key_server" in r.stdout, (r.stdout + r.stderr)[-2000:])

    # the image's own listen address, 0.0.0.0:8800, in the container's own
    # network namespace behind a published port (the IdP is out of reach
    # from there: /healthz answers 503, which is enough to show the socket)
    podman(["rm", "-f", "-t", "10", NAME], check=True)
    pport = bt.free_port()
    r = podman(container_args(compose_env, ["-p", "127.0.0.1:%d:8800" % pport]))
    if r.returncode != 0:
        print("# skipped: podman's default network does not work here: " + r.stderr.strip()[-300:])
    else:
        def answers_on_published():
            try:
                return bt.Client(timeout=2).get("http://127.0.0.1:%d/auth/healthz" % pport)[0] == 503
            except OSError:
                return False
        R.check("in its own network namespace the image listens on 0.0.0.0:8800 (published port answers)",
                bt.wait_until(answers_on_published, timeout=20), podman(["logs", NAME]).stderr[-1500:])

    # the health check fails while the IdP cannot be reached
    podman(["rm", "-f", "-t", "10", NAME], check=True)
    dead = bt.free_port()
    bad = [a.replace(op.issuer, "http://127.0.0.1:%d" % dead) for a in run_args]
    podman(bad, check=True)

    def answers_503():
        try:
            return bt.Client(timeout=2).get(public + "/healthz")[0] == 503
        except OSError:
            return False
    up = bt.wait_until(answers_503, timeout=30)
    r = podman(["healthcheck", "run", NAME])
    R.check("with the IdP unreachable: /healthz 503 and the health check fails",
            up and r.returncode != 0, "%s %d %s" % (up, r.returncode, r.stdout + r.stderr))
finally:
    podman(["rm", "-f", "-t", "5", NAME])
    podman(["volume", "rm", "-f", VOLUME])
    op.stop()
R.finish()
