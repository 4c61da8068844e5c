"""Consent records: a person's consent or veto to one kind of disclosure, with evidence and expiry.

A record is never edited: a new record supersedes older ones for the same person and scope, and a
withdrawal stamps the record (the history stays for the auditor). What is in force at a moment is
`consent_state`: the newest record that was recorded by then, is not withdrawn, and has not expired.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from linkage.errors import FailedPrecondition, InvalidRecord, NotFound


class ConsentScope(StrEnum):
    """What a person may allow or veto. Each scope is decided separately (a veto on contact says
    nothing about medical history)."""

    IDENTITY = "identity"                # their name, birth date and place disclosed to the requester
    CONTACT = "contact"                  # being contacted through the Central Authority
    MEDICAL_HISTORY = "medical_history"  # their medical history in the adoption file (sensitive data)
    CIRCUMSTANCES = "circumstances"      # the circumstances of the adoption as the file tells them


class ConsentChoice(StrEnum):
    GRANT = "grant"
    VETO = "veto"


class SubjectKind(StrEnum):
    """The person's relation to the adoptions the authority handles (for the registry's readers)."""

    BIRTH_PARENT = "birth_parent"
    ADOPTEE = "adoptee"
    RELATIVE = "relative"


class ConsentState(StrEnum):
    """What is in force for one person and scope at one moment."""

    GRANTED = "granted"
    VETOED = "vetoed"
    NONE = "none"  # nothing recorded, withdrawn, or expired: nobody may presume either way


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    consent_id: str
    subject_identity_id: str  # the population identity the consent belongs to
    subject_kind: SubjectKind
    scope: ConsentScope
    choice: ConsentChoice
    evidence_ref: str  # where the signed statement is filed (sealed at rest)
    recorded_by: str
    recorded_at: datetime
    expires_at: datetime | None = None
    withdrawn_at: datetime | None = None
    withdrawn_by: str = ""

    def in_force(self, at: datetime) -> bool:
        return (self.recorded_at <= at and (self.withdrawn_at is None or self.withdrawn_at > at)
                and (self.expires_at is None or self.expires_at > at))


def consent_state(records: Iterable[ConsentRecord], subject_identity_id: str, scope: ConsentScope,
                  at: datetime) -> ConsentState:
    """The newest record in force for this person and scope decides; none in force means NONE."""
    current = [r for r in records
               if r.subject_identity_id == subject_identity_id and r.scope is scope and r.in_force(at)]
    if not current:
        return ConsentState.NONE
    newest = max(current, key=lambda r: (r.recorded_at, r.consent_id))
    return ConsentState.GRANTED if newest.choice is ConsentChoice.GRANT else ConsentState.VETOED


# --- errors -----------------------------------------------------------------------------------------
class ConsentNotFound(NotFound):
    reason = "CONSENT_NOT_FOUND"


class InvalidConsent(InvalidRecord):
    reason = "INVALID_ARGUMENT"


class ConsentAlreadyWithdrawn(FailedPrecondition):
    reason = "CONSENT_ALREADY_WITHDRAWN"
