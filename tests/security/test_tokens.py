"""Token issue and verification with an injected clock: every way a token can be wrong is refused."""

from __future__ import annotations

import base64
import json

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from linkage.security.errors import AuthenticationError
from linkage.security.principal import Principal, Purpose, Role
from linkage.security.tokens import MAX_TTL_S, TokenIssuer, TokenVerifier, key_id

from .conftest import FakeClock


@pytest.fixture()
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def _pair(key: Ed25519PrivateKey, clock: FakeClock) -> tuple[TokenIssuer, TokenVerifier]:
    return TokenIssuer(key, clock=clock), TokenVerifier(key.public_key(), clock=clock, leeway_s=0)


def _reason(verifier: TokenVerifier, token: str) -> str:
    with pytest.raises(AuthenticationError) as caught:
        verifier.verify(token)
    assert "steward-7" not in str(caught.value)  # messages never echo token content
    return caught.value.reason


def test_round_trip_gives_the_person_principal(key, clock):
    issuer, verifier = _pair(key, clock)
    principal = verifier.verify(issuer.issue("caseworker-12", "caseworker", "origin_tracing"))
    assert principal == Principal("person", "caseworker-12", Role.CASEWORKER, Purpose.ORIGIN_TRACING)


def test_claims_are_complete_and_short_lived(key, clock):
    issuer, _ = _pair(key, clock)
    claims = jwt.decode(issuer.issue("steward-7", "steward", "data_quality_review"), key.public_key(),
                        algorithms=["EdDSA"], audience="linkage",
                        options={"verify_exp": False, "verify_iat": False, "verify_nbf": False})
    assert set(claims) == {"iss", "aud", "sub", "role", "purpose", "iat", "nbf", "exp", "jti"}
    assert claims["exp"] - claims["iat"] == 15 * 60
    assert jwt.get_unverified_header(issuer.issue("s-1", "steward", "data_quality_review"))["kid"] == key_id(
        key.public_key())


@pytest.mark.parametrize(("elapsed", "valid"), [(0, True), (899, True), (900, False), (10_000, False)])
def test_expiry_follows_the_injected_clock(key, clock, elapsed, valid):
    issuer, verifier = _pair(key, clock)
    token = issuer.issue("steward-7", "steward", "data_quality_review", ttl_s=900)
    clock.now += elapsed
    if valid:
        assert verifier.verify(token).id == "steward-7"
    else:
        assert _reason(verifier, token) == "TOKEN_EXPIRED"


def test_not_yet_valid(key, clock):
    issuer, verifier = _pair(key, clock)
    token = issuer.issue("steward-7", "steward", "data_quality_review")
    clock.now -= 120
    assert _reason(verifier, token) == "TOKEN_NOT_YET_VALID"


def test_issuer_refuses_long_lifetimes_and_institution_roles_and_names(key, clock):
    issuer, _ = _pair(key, clock)
    with pytest.raises(ValueError):
        issuer.issue("steward-7", "steward", "data_quality_review", ttl_s=MAX_TTL_S + 1)
    with pytest.raises(ValueError):
        issuer.issue("cp-db", "institution:child_protection", "child_protection")
    with pytest.raises(ValueError):
        issuer.issue("Nguyễn Thị Lan", "steward", "data_quality_review")
    with pytest.raises(ValueError):
        issuer.issue("steward-7", "wizard", "data_quality_review")


def _signed(key: Ed25519PrivateKey, claims: dict) -> str:
    return jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": key_id(key.public_key())})


def _claims(now: float, **changes: object) -> dict:
    claims = {"iss": "linkage-dev", "aud": "linkage", "sub": "steward-7", "role": "steward",
              "purpose": "data_quality_review", "iat": int(now), "nbf": int(now), "exp": int(now) + 600,
              "jti": "x"}
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


@pytest.mark.parametrize(("changes", "reason"), [
    ({"role": "wizard"}, "UNKNOWN_ROLE"),
    ({"role": "institution:child_protection"}, "TOKEN_ROLE"),
    ({"purpose": "curiosity"}, "UNKNOWN_PURPOSE"),
    ({"aud": "other"}, "TOKEN_AUDIENCE"),
    ({"iss": "other"}, "TOKEN_ISSUER"),
    ({"jti": None}, "TOKEN_MALFORMED"),
    ({"exp": None}, "TOKEN_MALFORMED"),
    ({"sub": "Nguyen Thi Lan"}, "TOKEN_MALFORMED"),
    ({"exp": 1_900_000_000 + MAX_TTL_S + 60}, "TOKEN_LIFETIME"),
])
def test_bad_claims_signed_with_the_right_key_are_refused(key, clock, changes, reason):
    _, verifier = _pair(key, clock)
    assert _reason(verifier, _signed(key, _claims(clock.now, **changes))) == reason


def test_a_token_already_verified_still_expires_and_its_tampered_copy_is_still_refused(key, clock):
    """A verifier remembers a checked token's claims, never its validity: times are checked each use."""
    issuer, verifier = _pair(key, clock)
    token = issuer.issue("steward-7", "steward", "data_quality_review", ttl_s=900)
    assert verifier.verify(token).id == "steward-7"
    header, payload, signature = token.split(".")
    assert _reason(verifier, f"{header}.{payload}.{signature[:-4]}AAAA") == "TOKEN_SIGNATURE"
    clock.now += 900
    assert _reason(verifier, token) == "TOKEN_EXPIRED"


def test_alg_none_and_tampering_refused(key, clock):
    issuer, verifier = _pair(key, clock)
    header, payload, signature = issuer.issue("steward-7", "steward", "data_quality_review").split(".")
    none_header = base64.urlsafe_b64encode(json.dumps({"alg": "none"}).encode()).rstrip(b"=").decode()
    assert _reason(verifier, f"{none_header}.{payload}.") == "TOKEN_ALGORITHM"
    assert _reason(verifier, f"{header}.{payload}.{signature[:-4]}AAAA") == "TOKEN_SIGNATURE"
    assert _reason(verifier, f"{header}.{payload}") == "TOKEN_MALFORMED"
    assert _reason(verifier, "x" * 5000) == "TOKEN_MALFORMED"


def test_verifier_accepts_any_of_its_keys_for_rotation(clock):
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    verifier = TokenVerifier([old.public_key(), new.public_key()], clock=clock)
    for signing in (old, new):
        token = TokenIssuer(signing, clock=clock).issue("op-1", "operator", "operations")
        assert verifier.verify(token).id == "op-1"
