#!/usr/bin/env python3
# gen_seeds.py - writes the seed corpora of fuzz_jose and fuzz_state.
# Run from the top of the source tree; the outputs are committed.
import base64, json, os, struct
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, utils
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

D = "tests/data/jose/"


def b64(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def key(name):
    with open(D + name + ".pem", "rb") as f:
        return serialization.load_pem_private_key(f.read(), None)


def token(header, claims, alg, k):
    si = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
    h = {"256": hashes.SHA256(), "384": hashes.SHA384(), "512": hashes.SHA512()}[alg[2:]]
    if alg.startswith("RS"):
        sig = k.sign(si.encode(), padding.PKCS1v15(), h)
    elif alg.startswith("PS"):
        sig = k.sign(si.encode(), padding.PSS(padding.MGF1(h), h.digest_size), h)
    else:
        r, s = utils.decode_dss_signature(k.sign(si.encode(), ec.ECDSA(h)))
        n = (k.curve.key_size + 7) // 8
        sig = r.to_bytes(n, "big") + s.to_bytes(n, "big")
    return si + "." + b64(sig)


# Signed by the fuzzer's keys but with nonce "seed", so they get through
# every check but the nonce and never verify in the fuzzer.
claims = {"iss": "https://idp.example/realms/r", "aud": ["bridge", "x"], "azp": "bridge",
          "exp": 1700000300, "iat": 1699999990, "nbf": 1699999990, "nonce": "seed",
          "sub": "alice", "at_hash": "AAAAAAAAAAAAAAAAAAAAAA"}
os.makedirs("tests/fuzz/corpus/jose", exist_ok=True)
for i, (alg, kid, kname) in enumerate([("RS256", "rsa1", "rsa1"), ("PS384", "rsa1", "rsa1"),
                                       ("ES256", "ec256", "ec256"), ("ES512", "ec521", "ec521"),
                                       ("RS256", None, "rsa2")]):
    hdr = {"alg": alg, "typ": "JWT"}
    if kid:
        hdr["kid"] = kid
    with open("tests/fuzz/corpus/jose/seed%d" % i, "w") as f:
        f.write(token(hdr, claims, alg, key(kname)))
with open("tests/fuzz/corpus/jose/none", "w") as f:
    f.write(b64(b'{"alg":"none"}') + "." + b64(json.dumps(claims).encode()) + ".")

# Login state cookies in the format of bridge/state.c, under the fuzzer's key.
KEY = b"0123456789abcdef0123456789abcdef"


def seal(state, room, tenant, created, flags):
    plain = bytes([1]) + struct.pack(">q", created) + bytes([flags])
    plain += state.encode() + b"N" * 22 + b"V" * 43
    plain += struct.pack(">H", len(room)) + room + struct.pack(">H", len(tenant)) + tenant
    name = "jitsi_oidc_" + state[:8]
    iv = os.urandom(12)
    return name, b64(iv + AESGCM(KEY).encrypt(iv, plain, name.encode()))


os.makedirs("tests/fuzz/corpus/state", exist_ok=True)
n1, v1 = seal("A" * 22, b"room", b"", 1700000000 - 5, 2)
n2, v2 = seal("B" * 22, b"", b"", 1699999000, 0)
n3, v3 = seal("AAAAAAAAAAAAAAAAAAAAAB", "zoë".encode(), b"t", 1700000000, 7)
with open("tests/fuzz/corpus/state/value", "w") as f:
    f.write(v1)
with open("tests/fuzz/corpus/state/header", "w") as f:
    f.write("a=b; %s=%s; %s=\"%s\"; %s=%s" % (n1, v1, n2, v2, n3, v3))
