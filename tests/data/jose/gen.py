#!/usr/bin/env python3
# gen.py - regenerates the jose/jwks test fixtures (keys and JWK sets).
# Run once by hand from this directory; the outputs are committed.
import base64, json
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa, ec


def b64(n, length=None):
    length = length or (n.bit_length() + 7) // 8
    return base64.urlsafe_b64encode(n.to_bytes(length, "big")).rstrip(b"=").decode()


def save(name, key):
    with open(name + ".pem", "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM,
                                  serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    with open(name + ".pub.pem", "wb") as f:
        f.write(key.public_key().public_bytes(serialization.Encoding.PEM,
                                              serialization.PublicFormat.SubjectPublicKeyInfo))


def rsa_jwk(key, kid, **extra):
    pub = key.public_key().public_numbers()
    d = {"kty": "RSA", "kid": kid, "n": b64(pub.n), "e": b64(pub.e)}
    d.update(extra)
    return d


def ec_jwk(key, kid, crv, size, **extra):
    pub = key.public_key().public_numbers()
    d = {"kty": "EC", "kid": kid, "crv": crv, "x": b64(pub.x, size), "y": b64(pub.y, size)}
    d.update(extra)
    return d


rsa1 = rsa.generate_private_key(65537, 2048)
rsa2 = rsa.generate_private_key(65537, 2048)
rsa_small = rsa.generate_private_key(65537, 1024)
ec256 = ec.generate_private_key(ec.SECP256R1())
ec384 = ec.generate_private_key(ec.SECP384R1())
ec521 = ec.generate_private_key(ec.SECP521R1())
for n, k in [("rsa1", rsa1), ("rsa2", rsa2), ("rsa1024", rsa_small), ("ec256", ec256),
             ("ec384", ec384), ("ec521", ec521)]:
    save(n, k)

sets = {
    # every supported kind, each with a kid
    "jwks_all.json": [rsa_jwk(rsa1, "rsa1", use="sig"), rsa_jwk(rsa2, "rsa2", alg="RS256"),
                      ec_jwk(ec256, "ec256", "P-256", 32), ec_jwk(ec384, "ec384", "P-384", 48),
                      ec_jwk(ec521, "ec521", "P-521", 66)],
    "jwks_rsa1.json": [rsa_jwk(rsa1, "rsa1")],
    "jwks_rsa1_nokid.json": [{k: v for k, v in rsa_jwk(rsa1, "x").items() if k != "kid"}],
    "jwks_rsa1024.json": [rsa_jwk(rsa_small, "small")],
    "jwks_two_rsa.json": [rsa_jwk(rsa1, "rsa1"), rsa_jwk(rsa2, "rsa2")],
    # the P-256 key published as if it were P-384 is not importable; instead the
    # wrong-curve case uses a P-384 key for an ES256 token
    "jwks_ec.json": [ec_jwk(ec256, "ec256", "P-256", 32), ec_jwk(ec384, "ec384", "P-384", 48)],
    "jwks_skips.json": [
        rsa_jwk(rsa_small, "small"),
        rsa_jwk(rsa2, "enc", use="enc"),
        rsa_jwk(rsa2, "hs", alg="HS256"),
        {"kty": "oct", "kid": "oct", "k": "c2VjcmV0"},
        rsa_jwk(rsa2, "ops", key_ops=["encrypt"]),
        {"kty": "EC", "kid": "k1", "crv": "secp256k1", "x": "AA", "y": "AA"},
        {"kty": "RSA", "kid": "broken", "n": "!!", "e": "AQAB"},
        "not an object",
        rsa_jwk(rsa1, "rsa1", key_ops=["verify"]),
    ],
}
for name, keys in sets.items():
    with open(name, "w") as f:
        json.dump({"keys": keys}, f, indent=1)
        f.write("\n")
