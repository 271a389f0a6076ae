#!/usr/bin/env python3
"""What `jitsi-oidc-bridge --check` prints for the Jitsi side, taken at its
word: with a reachable IdP it exits 0 and prints settings to paste, and
each piece is fed to what would read it.  The Prosody part is run by Lua
(lua5.4) under a stand-in for Prosody's config API and its values compared
with bridge.conf; asap_key_server is used as Prosody uses it (joined with
"/" to sha256(kid) + ".pem") against the running bridge; the config.js
lines are run by Node.js; the .env lines are read as KEY=VALUE; the nginx
part goes into a server block that real nginx loads and proxies through to
the bridge; the Jicofo lines are checked key by key.  The traps Jitsi as it
is sets (docs/design-decisions.md, issue 16) are asserted: domain
verification on, Jicofo's own authentication and auto-owner off, the
moderator module loaded, no enableFeaturesBasedOnToken (gone from Jitsi
since 2022), tokenAuthInline = true exactly when the bridge is on the
Jitsi url's origin (Jitsi takes the popup's answer only from its own).  With the IdP unreachable, --check still prints every part, then
reports the IdP and exits 4.  An HS256 config prints the app_secret
variants.  The shipped snippets (contrib/prosody, contrib/docker-jitsi-meet)
are held to the same settings.  Without one of the readers (lua5.4, node,
nginx: contrib/install-deps installs them) the whole test skips (77): a
part nothing read must not pass."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bridgetest import (BIN, MockOP, Report, free_port, generate_key, start_bridge,  # noqa: E402
                        wait_until, write_config)

T = Report()

LUA_PROSODY = r"""
-- A stand-in for Prosody's config API: VirtualHost "h" and Component "c" "m"
-- open a section; plain assignments set options in the open section.
local sections, cur = {}, nil
local function open(kind, name)
  cur = {kind = kind, name = name, opts = {}}
  sections[#sections + 1] = cur
end
local env = setmetatable({}, {
  __index = function(_, k)
    if k == "VirtualHost" then return function(name) open("host", name) end end
    if k == "Component" then
      return function(name)
        open("component", name)
        return function(module) cur.module = module end
      end
    end
    error("unknown global in the Prosody settings: " .. tostring(k))
  end,
  __newindex = function(_, k, v)
    if cur == nil then error("option " .. k .. " outside any VirtualHost or Component") end
    cur.opts[k] = v
  end,
})
local chunk = assert(load(io.read("a"), "prosody settings", "t", env))
chunk()
for _, s in ipairs(sections) do
  print(s.kind .. "\t" .. s.name .. "\tmodule\t" .. tostring(s.module))
  for k, v in pairs(s.opts) do
    if type(v) == "table" then v = table.concat(v, ",") end
    print(s.kind .. "\t" .. s.name .. "\t" .. k .. "\t" .. tostring(v))
  end
end
"""


def sections(text):
    """The printed blocks by their '# --- name ---' headers."""
    out, name = {}, None
    for line in text.splitlines():
        if line.startswith("# --- "):
            name = line[6:].split(" ---")[0].split(" (")[0]
            out[name] = []
        elif name is not None:
            out[name].append(line)
    return {k: "\n".join(v).strip() + "\n" for k, v in out.items()}


PARTS = ("Prosody", "Jicofo", "Jitsi Meet config.js", "docker-jitsi-meet .env", "nginx")
SRCDIR = os.environ.get("BR_SRCDIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def env_lines(text):
    """KEY=VALUE lines as docker compose reads an .env file (comments skipped)."""
    return dict(line.split("=", 1) for line in text.splitlines()
                if "=" in line and not line.lstrip().startswith("#"))


def jicofo_settings(text):
    """The Jicofo part: HOCON path = value lines, nothing else but comments."""
    out, bad = {}, []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or line.startswith("//"):
            continue
        k, sep, v = line.partition(" = ")
        if not sep or not all(c.isalnum() or c in ".-" for c in k):
            bad.append(line)
        else:
            out[k] = v
    return out, bad


# What Jitsi as it is needs besides the bridge's own values (issue 16).
ENV_TRAPS = {"JWT_ENABLE_DOMAIN_VERIFICATION": "1", "JICOFO_ENABLE_AUTH": "0", "ENABLE_AUTO_OWNER": "0",
             "JWT_ALLOW_EMPTY": "0"}
JICOFO_WANT = {"jicofo.authentication.enabled": "false", "jicofo.conference.enable-auto-owner": "false"}


def run_check(conf):
    p = subprocess.run([BIN, "-c", conf, "--check"], capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def prosody_options(lua, text):
    p = subprocess.run([lua, "-e", LUA_PROSODY], input=text.encode(), capture_output=True, timeout=30)
    if p.returncode != 0:
        return None, p.stderr.decode()
    opts = {}
    for line in p.stdout.decode().splitlines():
        kind, name, key, value = line.split("\t")
        opts[(name, key)] = value
    return opts, ""


def main():
    lua = shutil.which("lua5.4") or shutil.which("lua")
    node = shutil.which("node")
    nginx = shutil.which("nginx")
    missing = [n for n, p in (("lua5.4", lua), ("node", node), ("nginx", nginx)) if p is None]
    if missing:
        print("SKIP: %s not found (contrib/install-deps): the parts they read cannot be checked"
              % ", ".join(missing))
        sys.exit(77)
    tmp = tempfile.mkdtemp(prefix="br-check.")
    op = MockOP(tmp)
    key = os.path.join(tmp, "signing.pem")
    kid = generate_key(key)
    port = free_port()
    public = "http://127.0.0.1:%d/auth" % port
    conf = os.path.join(tmp, "bridge.conf")
    write_config(conf, port, op.issuer, key,
                 {"jitsi": {"app_id": "meet-app", "audience": "meet-aud", "domain": "meet.example.org"},
                  "features": {"recording": 'inGroup("jitsi-moderators")'}})
    bridge = start_bridge(tmp, conf)
    try:
        rc, out, err = run_check(conf)
        T.check("--check with a reachable IdP exits 0", rc == 0, out + err)
        T.check("--check says discovery and the JWKS are fine",
                "ok    discovery" in out and "JWKS" in out, out)
        parts = sections(out)
        T.check("--check prints the Prosody, Jicofo, config.js, .env and nginx parts",
                all(k in parts for k in PARTS), sorted(parts))
        T.check("no enableFeaturesBasedOnToken (removed from Jitsi in 2022) even with [features] set",
                "enableFeaturesBasedOnToken" not in out, out)
        if not T.check("the bridge is up", wait_until(lambda: urllib.request.urlopen(
                public + "/healthz", timeout=2).status in (200, 503), 10), bridge.log()[-2000:]):
            return

        # Prosody
        if lua is None:
            print("# lua5.4 not found: Prosody part not run")
        else:
            opts, why = prosody_options(lua, parts.get("Prosody", ""))
            T.check("the Prosody part runs as Prosody's Lua config", opts is not None, why)
            opts = opts or {}
            host = "meet.example.org"
            want = {(host, "authentication"): "token", (host, "app_id"): "meet-app",
                    (host, "asap_key_server"): public + "/asap", (host, "allow_empty_token"): "false",
                    (host, "asap_accepted_issuers"): "meet-app",
                    (host, "asap_accepted_audiences"): "meet-aud",
                    (host, "enable_domain_verification"): "true",
                    ("conference." + host, "module"): "muc"}
            wrong = {k: (opts.get(k), v) for k, v in want.items() if opts.get(k) != v}
            T.check("its values match bridge.conf", not wrong, wrong)
            mods = opts.get(("conference." + host, "modules_enabled"), "").split(",")
            T.check("the MUC enables token_verification and token_affiliation",
                    "token_verification" in mods and "token_affiliation" in mods, mods)
            # Prosody: asap_key_server .. "/" .. sha256hex(kid) .. ".pem"
            url = opts.get((host, "asap_key_server"), "") + "/" + hashlib.sha256(kid.encode()).hexdigest() + ".pem"
            try:
                body = urllib.request.urlopen(url, timeout=5).read().decode()
            except OSError as e:
                body = str(e)
            T.check("Prosody's key URL built from asap_key_server serves the public key",
                    body.startswith("-----BEGIN PUBLIC KEY-----"), url + ": " + body[:200])

            # the shipped snippet (contrib/prosody) runs the same way
            snippet = os.path.join(SRCDIR, "contrib", "prosody", "jitsi-oidc-bridge.cfg.lua")
            with open(snippet) as f:
                opts, why = prosody_options(lua, f.read())
            T.check("contrib/prosody/jitsi-oidc-bridge.cfg.lua runs as Prosody's Lua config", opts is not None, why)
            opts = opts or {}
            T.check("the snippet's asap_key_server has no trailing slash and its lists match app_id",
                    opts.get((host, "asap_key_server"), "").endswith("/auth/asap") and
                    opts.get((host, "asap_accepted_issuers")) == opts.get((host, "app_id")) == "jitsi",
                    opts)
            T.check("the snippet turns domain verification on and loads token_affiliation",
                    opts.get((host, "enable_domain_verification")) == "true" and
                    "token_affiliation" in opts.get(("conference." + host, "modules_enabled"), "").split(","),
                    opts)

        # config.js
        if node is None:
            print("# node not found: config.js part not run")
        else:
            js = "var config = {};\n" + parts.get("Jitsi Meet config.js", "") + \
                 "process.stdout.write(JSON.stringify(config));\n"
            p = subprocess.run([node, "-e", js], capture_output=True, timeout=30)
            T.check("the config.js part runs as JavaScript", p.returncode == 0, p.stderr.decode())
            if p.returncode == 0:
                cfg = json.loads(p.stdout)
                T.check("tokenAuthUrl and tokenLogoutUrl point at the bridge",
                        cfg.get("tokenAuthUrl") == public + "/login?room={room}&state={state}" and
                        cfg.get("tokenLogoutUrl") == public + "/logout", cfg)
                T.check("config.js: no enableFeaturesBasedOnToken; no tokenAuthInline (another origin)",
                        "enableFeaturesBasedOnToken" not in cfg and "tokenAuthInline" not in cfg, cfg)
                T.check("... and says why inline cannot work",
                        "Jitsi takes the popup's answer only from its" in parts.get("Jitsi Meet config.js", ""),
                        parts.get("Jitsi Meet config.js"))
                # the bridge on the Jitsi url's origin: inline mode works
                same = os.path.join(tmp, "same-origin.conf")
                write_config(same, port, op.issuer, key, jitsi="http://127.0.0.1:%d" % port)
                rc2, out2, _ = run_check(same)
                js2 = "var config = {};\n" + sections(out2).get("Jitsi Meet config.js", "") + \
                      "process.stdout.write(JSON.stringify(config));\n"
                p2 = subprocess.run([node, "-e", js2], capture_output=True, timeout=30)
                cfg2 = json.loads(p2.stdout) if p2.returncode == 0 else {}
                T.check("bridge on Jitsi's origin: config.js sets tokenAuthInline = true",
                        rc2 == 0 and cfg2.get("tokenAuthInline") is True, out2)
                off = os.path.join(tmp, "inline-off.conf")
                write_config(off, port, op.issuer, key, {"jitsi": {"inline": "off"}},
                             jitsi="http://127.0.0.1:%d" % port)
                rc3, out3, _ = run_check(off)
                T.check("[jitsi] inline = off: no tokenAuthInline",
                        "config.tokenAuthInline" not in out3 and "inline = off" in out3, out3)
                # Jitsi's native SSO: config.sso and the /authorize tokenAuthUrl, run
                # by node with Jitsi's substitutions, then used against a bridge
                sso_port = free_port()
                sso_public = "http://127.0.0.1:%d/auth" % sso_port
                sso_conf = os.path.join(tmp, "sso.conf")
                write_config(sso_conf, sso_port, op.issuer, key, {"jitsi": {"sso_client_id": "jitsi-meet"}})
                sso_bridge = start_bridge(tmp, sso_conf, "sso-bridge")
                try:
                    rc4, out4, _ = run_check(sso_conf)
                    js4 = ("var config = {};\n" + sections(out4).get("Jitsi Meet config.js", "") +
                           # getTokenAuthUrl: {state} = encodeURIComponent(JSON), {code_challenge}
                           "var u = config.tokenAuthUrl.replace('{state}', encodeURIComponent("
                           "JSON.stringify({room: 'Team Room', roomSafe: 'team%20room'})))"
                           ".replace('{code_challenge}', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')"
                           " + '&nonce=' + 'ab'.repeat(32);\n"
                           # sso.html: `https://${sso.tokenService}/token`
                           "process.stdout.write(JSON.stringify({config: config, url: u, "
                           "token: `https://${config.sso.tokenService}/token`}));\n")
                    p4 = subprocess.run([node, "-e", js4], capture_output=True, timeout=30)
                    r4 = json.loads(p4.stdout) if p4.returncode == 0 else {}
                    c4 = r4.get("config", {})
                    T.check("sso_client_id set: config.sso = {tokenService, clientId}, tokenAuthInline, "
                            "tokenLogoutUrl Jitsi's logout.html (the bridge is on another origin)",
                            rc4 == 0 and c4.get("sso", {}).get("clientId") == "jitsi-meet"
                            and c4.get("tokenAuthInline") is True
                            and c4.get("tokenLogoutUrl") == "https://meet.example.org/static/logout.html", out4)
                    T.check("... sso.html's token endpoint is the bridge's /token (over https)",
                            r4.get("token") == "https://127.0.0.1:%d/auth/token" % sso_port, r4)
                    T.check("... and no TOKEN_AUTH_URL=…/login in the .env part (custom-config.js instead)",
                            "TOKEN_AUTH_URL" not in env_lines(sections(out4).get("docker-jitsi-meet .env", ""))
                            and "custom-config.js" in out4, out4)
                    T.check("... and --check warns that public_url is http",
                            "warn: sso.html always posts to https://" in out4, out4)

                    def sso_ready():
                        try:
                            return urllib.request.urlopen(sso_public + "/healthz", timeout=2).status == 200
                        except (urllib.error.URLError, OSError):
                            return False
                    wait_until(sso_ready, 20)

                    class NoFollow(urllib.request.HTTPRedirectHandler):
                        def redirect_request(self, *a, **k):
                            return None
                    try:
                        resp = urllib.request.build_opener(NoFollow).open(r4.get("url", sso_public), timeout=10)
                        st4, loc4 = resp.status, resp.headers.get("Location", "")
                    except urllib.error.HTTPError as e:
                        st4, loc4 = e.code, e.headers.get("Location", "")
                    T.check("... the tokenAuthUrl, as Jitsi fills it in, starts a login at the bridge",
                            st4 == 302 and loc4.startswith(op.base + "/authorize"),
                            "%s %s %s" % (st4, loc4, r4.get("url")))
                finally:
                    sso_bridge.stop()
            # the shipped custom-config.js runs the same way
            with open(os.path.join(SRCDIR, "contrib", "docker-jitsi-meet", "custom-config.js")) as f:
                js = "var config = {};\n" + f.read() + "process.stdout.write(JSON.stringify(config));\n"
            p = subprocess.run([node, "-e", js], capture_output=True, timeout=30)
            cfg = json.loads(p.stdout) if p.returncode == 0 else {}
            T.check("contrib custom-config.js runs, sets tokenLogoutUrl, tokenAuthInline (the bridge "
                    "under the Jitsi host) and no removed option",
                    p.returncode == 0 and cfg.get("tokenLogoutUrl", "").endswith("/auth/logout") and
                    "enableFeaturesBasedOnToken" not in cfg and cfg.get("tokenAuthInline") is True,
                    p.stderr.decode() + json.dumps(cfg))

        # .env
        env = env_lines(parts.get("docker-jitsi-meet .env", ""))
        want = {"ENABLE_AUTH": "1", "AUTH_TYPE": "jwt", "JWT_APP_ID": "meet-app",
                "JWT_ASAP_KEYSERVER": public + "/asap", "JWT_ACCEPTED_ISSUERS": "meet-app",
                "JWT_ACCEPTED_AUDIENCES": "meet-aud",
                "TOKEN_AUTH_URL": public + "/login?room={room}&state={state}"}
        wrong = {k: (env.get(k), v) for k, v in want.items() if env.get(k) != v}
        T.check("the .env part holds docker-jitsi-meet's JWT settings", not wrong, wrong)
        wrong = {k: (env.get(k), v) for k, v in ENV_TRAPS.items() if env.get(k) != v}
        T.check("the .env part turns domain verification on, Jicofo's auth and auto-owner off",
                not wrong, wrong)
        T.check("the .env part loads token_affiliation on the MUC (XMPP_MUC_MODULES)",
                "token_affiliation" in env.get("XMPP_MUC_MODULES", "").split(","), env)
        # the shipped env.example holds the same traps
        with open(os.path.join(SRCDIR, "contrib", "docker-jitsi-meet", "env.example")) as f:
            shipped = env_lines(f.read())
        wrong = {k: (shipped.get(k), v) for k, v in ENV_TRAPS.items() if shipped.get(k) != v}
        T.check("contrib env.example has the same Jicofo, auto-owner and domain-verification settings",
                not wrong and "token_affiliation" in shipped.get("XMPP_MUC_MODULES", "").split(","),
                wrong or shipped)

        # Jicofo
        jic, bad = jicofo_settings(parts.get("Jicofo", ""))
        T.check("the Jicofo part turns Jicofo's authentication and auto-owner off (HOCON paths)",
                not bad and all(jic.get(k) == v for k, v in JICOFO_WANT.items()), (jic, bad))
        T.check("the Jicofo part says the legacy org.jitsi.jicofo.auth.URL must go",
                "org.jitsi.jicofo.auth.URL" in parts.get("Jicofo", ""), parts.get("Jicofo"))

        # nginx: the printed locations in a server block, proxying to the bridge
        if nginx is None:
            print("# nginx not found: nginx part not run")
        else:
            ngx_port = free_port()
            ngx_conf = os.path.join(tmp, "nginx.conf")
            with open(ngx_conf, "w") as f:
                f.write("pid %s/nginx.pid;\nerror_log %s/nginx-error.log;\ndaemon off;\n"
                        "events {}\nhttp {\n access_log off;\n client_body_temp_path %s;\n"
                        " proxy_temp_path %s;\n server {\n  listen 127.0.0.1:%d;\n%s\n }\n}\n"
                        % (tmp, tmp, tmp, tmp, ngx_port, parts.get("nginx", "")))
            p = subprocess.run([nginx, "-t", "-p", tmp, "-c", ngx_conf], capture_output=True, timeout=30)
            T.check("nginx accepts the nginx part", p.returncode == 0, p.stderr.decode())
            if p.returncode == 0:
                ng = subprocess.Popen([nginx, "-p", tmp, "-c", ngx_conf], stderr=subprocess.DEVNULL)
                try:
                    def through():
                        return urllib.request.urlopen("http://127.0.0.1:%d/auth/asap/%s.pem" % (
                            ngx_port, hashlib.sha256(kid.encode()).hexdigest()), timeout=2).status == 200
                    T.check("through nginx, /auth/ reaches the bridge", wait_until(through, 10))
                    try:
                        st = urllib.request.urlopen("http://127.0.0.1:%d/auth/metrics" % ngx_port,
                                                    timeout=5).status
                    except urllib.error.HTTPError as e:
                        st = e.code
                    T.check("through nginx, /auth/metrics is not served (404)", st == 404, st)
                finally:
                    ng.terminate()
                    ng.wait(10)

        # The IdP cannot be reached (a closed loopback port): the Jitsi side
        # does not depend on it, so every part is still printed, then the
        # IdP failure is reported and the exit status is 4.
        down = os.path.join(tmp, "down.conf")
        write_config(down, free_port(), "http://127.0.0.1:%d/realms/x" % free_port(), key,
                     {"jitsi": {"app_id": "meet-app", "audience": "meet-aud"}})
        rc, out, err = run_check(down)
        parts = sections(out)
        T.check("IdP unreachable: --check exits 4", rc == 4, "rc=%d\n%s%s" % (rc, out, err))
        T.check("IdP unreachable: every part is still printed",
                all(k in parts for k in PARTS), sorted(parts))
        fail_at, last_part = out.find("FAIL  discovery"), max(out.find("# --- " + k) for k in PARTS)
        T.check("IdP unreachable: the discovery failure is reported after the Jitsi side",
                fail_at > last_part > 0, out)
        env = env_lines(parts.get("docker-jitsi-meet .env", ""))
        T.check("IdP unreachable: the printed parts carry the config's values",
                env.get("JWT_APP_ID") == "meet-app" and env.get("JICOFO_ENABLE_AUTH") == "0", env)
        if lua is not None:
            opts, why = prosody_options(lua, parts.get("Prosody", ""))
            T.check("IdP unreachable: the Prosody part runs as Lua and verifies the domain",
                    opts is not None and opts.get(("meet.example.org", "enable_domain_verification")) == "true",
                    why or opts)

        # [rules] lobby_bypass / security_bypass: their Prosody modules join
        # the MUC's list (and persistent_lobby the VirtualHost's); without
        # them (above) none is printed.
        T.check("no bypass module without the bypass rules", "bypass" not in run_check(conf)[1]
                and "security_ondemand" not in run_check(conf)[1], "")
        byp = os.path.join(tmp, "bypass.conf")
        write_config(byp, free_port(), op.issuer, key,
                     {"rules": {"lobby_bypass": 'inGroup("staff")', "security_bypass": 'inGroup("jitsi-moderators")'}})
        rc, out, err = run_check(byp)
        parts = sections(out)
        env = env_lines(parts.get("docker-jitsi-meet .env", ""))
        T.check("bypass rules: XMPP_MUC_MODULES adds token_lobby_bypass and token_security_ondemand, "
                "XMPP_MODULES persistent_lobby",
                env.get("XMPP_MUC_MODULES", "").split(",") == ["token_affiliation", "token_lobby_bypass",
                                                               "token_security_ondemand"]
                and env.get("XMPP_MODULES") == "persistent_lobby", env)
        if lua is not None:
            opts, why = prosody_options(lua, parts.get("Prosody", ""))
            mods = (opts or {}).get(("conference.meet.example.org", "modules_enabled"), "").split(",")
            T.check("bypass rules: the Prosody part runs and its MUC loads both bypass modules",
                    opts is not None and "token_lobby_bypass" in mods and "token_security_ondemand" in mods,
                    why or mods)
            T.check("bypass rules: the Prosody part says token_security_ondemand needs persistent_lobby",
                    "persistent_lobby" in parts.get("Prosody", ""), parts.get("Prosody"))
        write_config(byp, free_port(), op.issuer, key, {"rules": {"lobby_bypass": "true"}})
        env = env_lines(sections(run_check(byp)[1]).get("docker-jitsi-meet .env", ""))
        T.check("lobby_bypass only: token_lobby_bypass, no persistent_lobby",
                env.get("XMPP_MUC_MODULES") == "token_affiliation,token_lobby_bypass" and "XMPP_MODULES" not in env, env)

        # What operators paste from must not set the removed switch either.
        pasted = [os.path.join("docs", "operator-guide.md"), os.path.join("docs", "bridge.conf.5"),
                  os.path.join("etc", "bridge.conf.example"), "README.md",
                  os.path.join("contrib", "prosody", "jitsi-oidc-bridge.cfg.lua")]
        pasted += [os.path.join("contrib", "docker-jitsi-meet", n)
                   for n in sorted(os.listdir(os.path.join(SRCDIR, "contrib", "docker-jitsi-meet")))]
        hits = []
        for rel in pasted:
            with open(os.path.join(SRCDIR, rel), errors="replace") as f:
                if "enableFeaturesBasedOnToken" in f.read():
                    hits.append(rel)
        T.check("no enableFeaturesBasedOnToken in the guide, the man page, the example or contrib", not hits, hits)

        # HS256: the secret's placeholders instead of asap_key_server
        hs = os.path.join(tmp, "hs.conf")
        write_config(hs, free_port(), op.issuer, key,
                     {"jitsi": {"algorithm": "HS256", "signing_key": None,
                                "app_secret": "0123456789abcdef0123456789abcdef-hs"}})
        rc, out, err = run_check(hs)
        parts = sections(out)
        T.check("HS256: --check exits 0", rc == 0, out + err)
        T.check("HS256: Prosody gets app_secret, no asap_key_server",
                "app_secret" in parts.get("Prosody", "") and "asap_key_server" not in parts.get("Prosody", ""),
                parts.get("Prosody"))
        T.check("HS256: the .env gets JWT_APP_SECRET, no JWT_ASAP_KEYSERVER",
                "JWT_APP_SECRET=" in out and "JWT_ASAP_KEYSERVER" not in out, parts.get("docker-jitsi-meet .env"))
        T.check("HS256: the secret itself is not printed", "0123456789abcdef0123456789abcdef-hs" not in out + err)
        if lua is not None:
            opts, why = prosody_options(lua, parts.get("Prosody", ""))
            T.check("HS256: the Prosody part runs as Lua", opts is not None, why)
    finally:
        bridge.stop()
        op.stop()
    if T.failed == 0:
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print("# logs kept in " + tmp)
    T.finish()


if __name__ == "__main__":
    main()
