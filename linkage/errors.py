"""Domain errors: what went wrong, in terms a caller can act on, never with personal data inside.

The API layer maps each to a gRPC status (see `linkage.api.errors`); the CLI prints them.
"""

from __future__ import annotations


class LinkageError(Exception):
    """Base of every error the core raises on purpose."""


class NotFound(LinkageError):
    """The named resource does not exist (or the caller may not know it does)."""


class AlreadyExists(LinkageError):
    """A create collided with an existing resource."""


class FailedPrecondition(LinkageError):
    """The system is not in the state the operation needs (a lease held by another, a stale case)."""


class InvalidRecord(LinkageError):
    """A record failed validation; `violations` lists (field path, reason) pairs."""

    def __init__(self, violations: list[tuple[str, str]]) -> None:
        self.violations = list(violations)
        super().__init__("; ".join(f"{field}: {reason}" for field, reason in self.violations))
