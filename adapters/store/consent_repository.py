"""The consent registry in SQL: records are inserted, never edited, except for the withdrawal stamp.

The evidence reference is sealed (it may name a person's letter); ids, scope, choice and times stay
in clear so what is in force can be decided in the service.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from adapters.store.crypto import StoreCrypto
from adapters.store.tracing_tables import CONSENTS, ConsentRow
from linkage.consent.model import ConsentChoice, ConsentRecord, ConsentScope, SubjectKind

T_CONSENTS = cast(Table, ConsentRow.__table__)


class SqlConsentRepository:
    def __init__(self, session: Session, crypto: StoreCrypto) -> None:
        self._session, self._crypto = session, crypto

    def add(self, record: ConsentRecord) -> None:
        evidence, key_id = self._crypto.seal_field(CONSENTS, record.consent_id, "evidence_ref",
                                                   record.evidence_ref)
        self._session.execute(insert(T_CONSENTS).values(
            id=record.consent_id, subject_identity_id=record.subject_identity_id,
            subject_kind=record.subject_kind.value, scope=record.scope.value, choice=record.choice.value,
            evidence_ref=evidence, recorded_by=record.recorded_by, recorded_at=record.recorded_at,
            expires_at=record.expires_at, withdrawn_at=record.withdrawn_at, withdrawn_by=record.withdrawn_by,
            key_id=key_id))

    def get(self, consent_id: str) -> ConsentRecord | None:
        query = select(T_CONSENTS).where(T_CONSENTS.c.id == consent_id)
        row = self._session.execute(query).mappings().first()
        return self._record(row) if row is not None else None

    def for_subjects(self, identity_ids: Iterable[str]) -> list[ConsentRecord]:
        ids = sorted(set(identity_ids))
        if not ids:
            return []
        rows = self._session.execute(select(T_CONSENTS).where(T_CONSENTS.c.subject_identity_id.in_(ids))
                                     .order_by(T_CONSENTS.c.recorded_at, T_CONSENTS.c.id)).mappings()
        return [self._record(r) for r in rows]

    def mark_withdrawn(self, consent_id: str, at: datetime, by: str) -> bool:
        """Stamp the withdrawal once; False when it was already withdrawn (or does not exist)."""
        result = self._session.execute(
            update(T_CONSENTS).where(T_CONSENTS.c.id == consent_id, T_CONSENTS.c.withdrawn_at.is_(None))
            .values(withdrawn_at=at, withdrawn_by=by))
        return result.rowcount == 1  # type: ignore[attr-defined]

    def _record(self, row: Any) -> ConsentRecord:
        return ConsentRecord(
            consent_id=row["id"], subject_identity_id=row["subject_identity_id"],
            subject_kind=SubjectKind(row["subject_kind"]), scope=ConsentScope(row["scope"]),
            choice=ConsentChoice(row["choice"]),
            evidence_ref=self._crypto.open_field(CONSENTS, row["id"], "evidence_ref",
                                                 bytes(row["evidence_ref"])),
            recorded_by=row["recorded_by"], recorded_at=row["recorded_at"], expires_at=row["expires_at"],
            withdrawn_at=row["withdrawn_at"], withdrawn_by=row["withdrawn_by"])
