#!/usr/bin/env python3
"""Write lemonldap-ng.ini and lmConf-1.json for a loopback LemonLDAP::NG OIDC
provider (see llng-up). Inputs come from the environment so that no value
needs shell quoting: LLNG_DIR, LLNG_PORT, LLNG_CLIENT_ID, LLNG_CLIENT_SECRET,
LLNG_RP_REDIRECT, LLNG_RP_POST_LOGOUT (space-separated lists), LLNG_KID,
LLNG_SESSION_KEY, LLNG_RP_OPTIONS (optional, space-separated NAME=INTEGER:
more oidcRPMetaDataOptions<NAME> of the RP). Keys are read from LLNG_DIR/oidc-key.pem and oidc-pub.pem."""
import json
import os
import time

d = os.environ["LLNG_DIR"]
port = int(os.environ["LLNG_PORT"])
client_id = os.environ["LLNG_CLIENT_ID"]
portal = "http://127.0.0.1:%d/" % port
rp = "jitsi"

with open(os.path.join(d, "oidc-key.pem")) as f:
    priv = f.read()
with open(os.path.join(d, "oidc-pub.pem")) as f:
    pub = f.read()

sess = os.path.join(d, "sessions")
psess = os.path.join(d, "psessions")
cache = os.path.join(d, "cache")
for p in (sess, os.path.join(sess, "lock"), psess, os.path.join(psess, "lock"), cache):
    os.makedirs(p, exist_ok=True)

conf = {
    "cfgNum": 1,
    "cfgVersion": "2.16.1",
    "cfgAuthor": "llng-up",
    "cfgDate": str(int(time.time())),
    "portal": portal,
    # Mandatory (init fails without it); the SSO cookie gets Domain=.127.0.0.1.
    "domain": "127.0.0.1",
    "cookieName": "lemonldap",
    "securedCookie": 0,
    "key": os.environ["LLNG_SESSION_KEY"],
    "timeout": 72000,
    "authentication": "Demo",
    "userDB": "Same",
    "passwordDB": "Demo",
    "demoExportedVars": {"uid": "uid", "cn": "cn", "mail": "mail"},
    "exportedVars": {},
    "whatToTrace": "uid",
    "macros": {},
    "groups": {
        "jitsi-meet": '$uid eq "dwho" or $uid eq "rtyler"',
        "jitsi-moderators": '$uid eq "dwho"',
    },
    # The default image captcha needs ImageMagick at init even when unused.
    "captcha": "::Main::Plugin",
    "captcha_login_enabled": 0,
    "loginHistoryEnabled": 0,
    "notification": 0,
    "portalSkin": "bootstrap",
    "globalStorage": "Apache::Session::File",
    "globalStorageOptions": {
        "Directory": sess,
        "LockDirectory": os.path.join(sess, "lock"),
        "generateModule": "Lemonldap::NG::Common::Apache::Session::Generate::SHA256",
    },
    "persistentStorage": "Apache::Session::File",
    "persistentStorageOptions": {
        "Directory": psess,
        "LockDirectory": os.path.join(psess, "lock"),
    },
    "localSessionStorage": "Cache::FileCache",
    "localSessionStorageOptions": {
        "cache_depth": 3,
        "cache_root": cache,
        "default_expires_in": 600,
        "directory_umask": "007",
        "namespace": "lemonldap-ng-sessions",
    },
    "locationRules": {"127.0.0.1": {"default": "accept"}},
    "exportedHeaders": {},
    "applicationList": {},
    "reloadUrls": {},
    # --- OIDC provider ---
    "issuerDBOpenIDConnectActivation": 1,
    # The iss is exactly this string, trailing slash included.
    "oidcServiceMetaDataIssuer": portal,
    "oidcServicePrivateKeySig": priv,
    "oidcServicePublicKeySig": pub,
    "oidcServiceKeyIdSig": os.environ["LLNG_KID"],
    # Debian's demo config has 1, which releases every claim whatever the scope.
    "oidcServiceIgnoreScopeForClaims": 0,
    "oidcRPMetaDataOptions": {
        rp: {
            "oidcRPMetaDataOptionsClientID": client_id,
            "oidcRPMetaDataOptionsClientSecret": os.environ["LLNG_CLIENT_SECRET"],
            "oidcRPMetaDataOptionsRedirectUris": os.environ["LLNG_RP_REDIRECT"],
            "oidcRPMetaDataOptionsPostLogoutRedirectUris": os.environ["LLNG_RP_POST_LOGOUT"],
            "oidcRPMetaDataOptionsRequirePKCE": 1,
            # The portal applies no per-RP defaults: these must be explicit.
            "oidcRPMetaDataOptionsIDTokenSignAlg": "RS256",
            "oidcRPMetaDataOptionsIDTokenForceClaims": 1,
            "oidcRPMetaDataOptionsBypassConsent": 1,
            "oidcRPMetaDataOptionsUserIDAttr": "uid",
            "oidcRPMetaDataOptionsPublic": 0,
            "oidcRPMetaDataOptionsIDTokenExpiration": 3600,
            "oidcRPMetaDataOptionsAccessTokenExpiration": 3600,
            "oidcRPMetaDataOptionsDisplayName": "Jitsi Meet",
        }
    },
    "oidcRPMetaDataExportedVars": {
        rp: {
            "name": "cn",
            "email": "mail",
            "preferred_username": "uid",
            "groups": "jitsi_groups;string;always",
        }
    },
    "oidcRPMetaDataMacros": {
        rp: {"jitsi_groups": "[ grep { /^jitsi-/ } split(/; /, $groups) ]"}
    },
    # A custom scope "groups" releases the groups claim.
    "oidcRPMetaDataOptionsExtraClaims": {rp: {"groups": "groups"}},
}

for opt in os.environ.get("LLNG_RP_OPTIONS", "").split():
    name, _, value = opt.partition("=")
    conf["oidcRPMetaDataOptions"][rp]["oidcRPMetaDataOptions" + name] = int(value)

ini = """[all]
logLevel = warn
checkTime = 1

[configuration]
type = File
dirName = %s

[portal]
staticPrefix = /static
templateDir = /usr/share/lemonldap-ng/portal/templates
languages = en
""" % d

tmp = os.path.join(d, "lmConf-1.json.tmp")
with open(tmp, "w") as f:
    json.dump(conf, f, indent=1, sort_keys=True)
os.chmod(tmp, 0o600)
os.replace(tmp, os.path.join(d, "lmConf-1.json"))
with open(os.path.join(d, "lemonldap-ng.ini"), "w") as f:
    f.write(ini)
