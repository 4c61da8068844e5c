"""Short-lived signed tokens for people: compact JWS, EdDSA (Ed25519) only.

Verification trusts nothing in the token before the signature checks out: the algorithm must be EdDSA
(so `alg: none` and HS256-with-the-public-key confusion are refused before any key is touched), the key
is chosen by `kid` among the verifier's own public keys, and issuer, audience, lifetime, role and
purpose are checked after. Time comes from an injected clock so tests can move it.
"""

from __future__ import annotations

import hashlib
import re
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from linkage.security.errors import AuthenticationError
from linkage.security.principal import Principal, Purpose, Role, parse_purpose, parse_role

ALGORITHM = "EdDSA"
DEFAULT_TTL_S = 15 * 60
MAX_TTL_S = 12 * 60 * 60
DEFAULT_ISSUER = "linkage-dev"
DEFAULT_AUDIENCE = "linkage"
MAX_TOKEN_CHARS = 4096
VERIFIED_CACHE_SIZE = 4096  # tokens whose signature, issuer and audience were checked, per verifier
_SUBJECT = re.compile(r"^[A-Za-z0-9._@:-]{1,128}$")
_REQUIRED = ["iss", "aud", "sub", "role", "purpose", "iat", "nbf", "exp", "jti"]

Clock = Callable[[], float]
PublicKeys = Ed25519PublicKey | list[Ed25519PublicKey] | Mapping[str, Ed25519PublicKey]


def key_id(public_key: Ed25519PublicKey) -> str:
    """A short stable id for a public key, carried as `kid` so verifiers can hold several keys."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


@dataclass
class TokenIssuer:
    """Issues tokens for people; the signing key lives in keys/ (dev) or a KMS (production)."""

    signing_key: Ed25519PrivateKey
    issuer: str = DEFAULT_ISSUER
    audience: str = DEFAULT_AUDIENCE
    clock: Clock = time.time

    def issue(self, subject: str, role: Role | str, purpose: Purpose | str,
              ttl_s: int = DEFAULT_TTL_S) -> str:
        if not _SUBJECT.match(subject):
            raise ValueError("subject must be an identifier (letters, digits, . _ @ : -), not a name")
        role, purpose = Role(role), Purpose(purpose)
        if role.is_institution:
            raise ValueError("institutions authenticate with client certificates, not tokens")
        if not 0 < ttl_s <= MAX_TTL_S:
            raise ValueError(f"ttl must be between 1 s and {MAX_TTL_S} s")
        now = int(self.clock())
        claims = {
            "iss": self.issuer, "aud": self.audience, "sub": subject,
            "role": role.value, "purpose": purpose.value,
            "iat": now, "nbf": now, "exp": now + ttl_s, "jti": uuid.uuid4().hex,
        }
        headers = {"kid": key_id(self.signing_key.public_key()), "typ": "JWT"}
        return jwt.encode(claims, self.signing_key, algorithm=ALGORITHM, headers=headers)


class TokenVerifier:
    """Verifies tokens and returns the person `Principal`; every failure is an `AuthenticationError`."""

    def __init__(self, public_keys: PublicKeys, issuer: str = DEFAULT_ISSUER,
                 audience: str = DEFAULT_AUDIENCE,
                 clock: Clock = time.time, leeway_s: int = 30) -> None:
        if isinstance(public_keys, Ed25519PublicKey):
            public_keys = [public_keys]
        if not isinstance(public_keys, Mapping):
            public_keys = {key_id(k): k for k in public_keys}
        if not public_keys:
            raise ValueError("a verifier needs at least one public key")
        self._keys = dict(public_keys)
        self.issuer, self.audience, self.clock, self.leeway_s = issuer, audience, clock, leeway_s
        # token text -> its claims, once the signature, issuer and audience checked out: a caller presents
        # one token on every call, and checking it again cost a tenth of a millisecond per call. Times and
        # the rest are checked on every use. The text is what was signed, so an entry cannot be forged.
        self._verified: dict[str, dict] = {}

    def verify(self, token: str) -> Principal:
        if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_CHARS:
            raise AuthenticationError("malformed token", "TOKEN_MALFORMED")
        claims = self._verified.get(token)
        if claims is None:
            claims = self._verify_signed(token)
            if len(self._verified) >= VERIFIED_CACHE_SIZE:
                self._verified.clear()
            self._verified[token] = claims
        self._check_times(claims)
        subject = claims["sub"]
        if not isinstance(subject, str) or not _SUBJECT.match(subject):
            raise AuthenticationError("token subject is not a valid identifier", "TOKEN_MALFORMED")
        role = parse_role(str(claims["role"]))
        if role.is_institution:
            raise AuthenticationError("institution roles are not granted by tokens", "TOKEN_ROLE")
        return Principal(kind="person", id=subject, role=role, purpose=parse_purpose(str(claims["purpose"])))

    def _verify_signed(self, token: str) -> dict:
        """The claims of a token whose algorithm, key, signature, issuer and audience are right."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError:
            raise AuthenticationError("malformed token", "TOKEN_MALFORMED") from None
        if header.get("alg") != ALGORITHM:
            raise AuthenticationError("token algorithm not allowed", "TOKEN_ALGORITHM")
        return self._decode(token, self._key_for(header.get("kid")))

    def _key_for(self, kid: object) -> Ed25519PublicKey:
        if kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        key = self._keys.get(kid) if isinstance(kid, str) else None
        if key is None:
            raise AuthenticationError("token signed by an unknown key", "TOKEN_UNKNOWN_KEY")
        return key

    def _decode(self, token: str, key: Ed25519PublicKey) -> dict:
        # Times are checked by `_check_times` against the injected clock, not PyJWT's wall clock.
        options = {"require": _REQUIRED, "verify_exp": False, "verify_nbf": False, "verify_iat": False}
        try:
            return jwt.decode(token, key, algorithms=[ALGORITHM], audience=self.audience, issuer=self.issuer,
                              options=options)
        except jwt.InvalidSignatureError:
            raise AuthenticationError("token signature invalid", "TOKEN_SIGNATURE") from None
        except jwt.InvalidAudienceError:
            raise AuthenticationError("token audience not accepted", "TOKEN_AUDIENCE") from None
        except jwt.InvalidIssuerError:
            raise AuthenticationError("token issuer not accepted", "TOKEN_ISSUER") from None
        except jwt.MissingRequiredClaimError:
            raise AuthenticationError("token lacks a required claim", "TOKEN_MALFORMED") from None
        except (jwt.InvalidTokenError, ValueError, TypeError):
            raise AuthenticationError("malformed token", "TOKEN_MALFORMED") from None

    def _check_times(self, claims: dict) -> None:
        try:
            iat, nbf, exp = (int(claims[name]) for name in ("iat", "nbf", "exp"))
        except (TypeError, ValueError):
            raise AuthenticationError("token times are not numbers", "TOKEN_MALFORMED") from None
        now = self.clock()
        if now >= exp + self.leeway_s:
            raise AuthenticationError("token expired", "TOKEN_EXPIRED")
        if nbf > now + self.leeway_s or iat > now + self.leeway_s:
            raise AuthenticationError("token not yet valid", "TOKEN_NOT_YET_VALID")
        if exp - iat > MAX_TTL_S or exp <= iat:
            raise AuthenticationError("token lifetime not allowed", "TOKEN_LIFETIME")
