"""Security errors. Messages name what failed, never a value: no token text, names or numbers.

`reason` is a stable machine code (it becomes the `ErrorInfo.reason` of a gRPC error).
"""

from __future__ import annotations


class SecurityError(Exception):
    """Base of the security errors."""

    reason = "SECURITY_ERROR"

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        if reason:
            self.reason = reason


class AuthenticationError(SecurityError):
    """The caller could not be identified: missing, malformed, expired or forged credentials."""

    reason = "UNAUTHENTICATED"


class DecryptionError(SecurityError):
    """A ciphertext did not decrypt: wrong key, wrong row or field, tampered, or unknown key id.

    Deliberately one opaque error, like Fernet's `InvalidToken`: telling the causes apart would help an
    attacker more than an operator.
    """

    reason = "DECRYPTION_FAILED"

    def __init__(self, message: str = "decryption failed") -> None:
        super().__init__(message)


class KeyMaterialError(SecurityError):
    """Key material is missing, malformed, or the master key cannot unwrap the keyset."""

    reason = "KEY_MATERIAL"
