"""Traces, adoption files and life events in SQL, personal values sealed through `StoreCrypto`.

`replace` is compare-and-set on the trace's version (`UPDATE ... WHERE id = :id AND version = :seen`),
so of two officers acting on one trace at once exactly one succeeds. Subjects and events are rows of
their own: subjects are what a consent change looks traces up by.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from adapters.store.crypto import StoreCrypto
from adapters.store.tables import utc_now
from adapters.store.tracing_tables import (
    ADOPTION_FILES,
    LIFE_EVENTS,
    TRACES,
    AdoptionFileRow,
    LifeEventRow,
    TraceEventRow,
    TraceRow,
    TraceSubjectRow,
)
from linkage.tracing.model import (
    AdopteeRequest,
    AdoptionFile,
    DisclosedField,
    LifeEvent,
    LinkStatus,
    Package,
    Subject,
    Trace,
    TraceEvent,
    TraceState,
    Withheld,
)

T_TRACES = cast(Table, TraceRow.__table__)
T_SUBJECTS = cast(Table, TraceSubjectRow.__table__)
T_EVENTS = cast(Table, TraceEventRow.__table__)
T_FILES = cast(Table, AdoptionFileRow.__table__)
T_LIFE = cast(Table, LifeEventRow.__table__)


def package_json(package: Package) -> str:
    return json.dumps({"fields": [[f.field, f.value, f.rule] for f in package.fields],
                       "withheld": [[w.category, w.rule, w.reason] for w in package.withheld],
                       "policy": package.policy_version, "on": package.evaluated_on.isoformat()},
                      ensure_ascii=False, separators=(",", ":"))


def package_from_json(text: str) -> Package:
    data = json.loads(text)
    return Package(tuple(DisclosedField(*f) for f in data["fields"]),
                   tuple(Withheld(*w) for w in data["withheld"]), data["policy"],
                   date.fromisoformat(data["on"]))


class SqlTraceRepository:
    def __init__(self, session: Session, crypto: StoreCrypto) -> None:
        self._session, self._crypto = session, crypto

    # --- writing --------------------------------------------------------------------------------------
    def _values(self, trace: Trace) -> dict[str, Any]:
        sealed, key_id = self._crypto.seal_fields(TRACES, trace.trace_id, {
            "request": json.dumps(asdict(trace.request), ensure_ascii=False),
            "package": package_json(trace.package) if trace.package is not None else None})
        return {"id": trace.trace_id, "state": trace.state.value,
                "adoption_file_ref": trace.request.adoption_file_ref,
                "via_adoptive_parents": trace.request.via_adoptive_parents, "opened_by": trace.opened_by,
                "opened_at": trace.opened_at, "prepared_by": trace.prepared_by,
                "approved_by": trace.approved_by, "released_by": trace.released_by, "version": trace.version,
                "updated_at": trace.updated_at, **sealed, "key_id": key_id}

    def add(self, trace: Trace) -> None:
        self._session.execute(insert(T_TRACES).values(**self._values(trace)))
        self._write_subjects(trace)
        for event in trace.events:
            self.add_event(trace.trace_id, event)

    def replace(self, trace: Trace, seen_version: int) -> bool:
        """Store `trace` only if its row is still at `seen_version`; subjects are rewritten with it."""
        result = self._session.execute(
            update(T_TRACES).where(T_TRACES.c.id == trace.trace_id, T_TRACES.c.version == seen_version)
            .values(**self._values(trace)))
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return False
        self._session.execute(delete(T_SUBJECTS).where(T_SUBJECTS.c.trace_id == trace.trace_id))
        self._write_subjects(trace)
        return True

    def _write_subjects(self, trace: Trace) -> None:
        for s in trace.subjects:
            self._session.execute(insert(T_SUBJECTS).values(
                trace_id=trace.trace_id, role=s.role, status=s.status.value, identity_id=s.identity_id,
                relationship=s.relationship))

    def add_event(self, trace_id: str, event: TraceEvent) -> None:
        self._session.execute(insert(T_EVENTS).values(trace_id=trace_id, at=event.at, actor=event.actor,
                                                      kind=event.kind, note=event.note))

    # --- reading --------------------------------------------------------------------------------------
    def get(self, trace_id: str) -> Trace | None:
        row = self._session.execute(select(T_TRACES).where(T_TRACES.c.id == trace_id)).mappings().first()
        if row is None:
            return None
        request = AdopteeRequest(**json.loads(
            self._crypto.open_field(TRACES, trace_id, "request", bytes(row["request"]))))
        package = None
        if row["package"] is not None:
            package = package_from_json(
                self._crypto.open_field(TRACES, trace_id, "package", bytes(row["package"])))
        subjects = tuple(
            Subject(r["role"], LinkStatus(r["status"]), r["identity_id"], r["relationship"])
            for r in self._session.execute(select(T_SUBJECTS).where(T_SUBJECTS.c.trace_id == trace_id)
                                           .order_by(T_SUBJECTS.c.id)).mappings())
        events = tuple(
            TraceEvent(r["at"], r["actor"], r["kind"], r["note"])
            for r in self._session.execute(select(T_EVENTS).where(T_EVENTS.c.trace_id == trace_id)
                                           .order_by(T_EVENTS.c.id)).mappings())
        return Trace(trace_id=trace_id, state=TraceState(row["state"]), request=request,
                     opened_by=row["opened_by"], opened_at=row["opened_at"], updated_at=row["updated_at"],
                     subjects=subjects, prepared_by=row["prepared_by"], approved_by=row["approved_by"],
                     released_by=row["released_by"], package=package, version=row["version"], events=events)

    def about(self, identity_id: str, roles: tuple[str, ...] = (),
              states: tuple[TraceState, ...] = ()) -> list[tuple[str, str]]:
        """(trace id, role) of the traces where this identity is a subject (optionally in these roles and
        trace states), oldest trace first."""
        query = (select(T_SUBJECTS.c.trace_id, T_SUBJECTS.c.role)
                 .join(T_TRACES, T_TRACES.c.id == T_SUBJECTS.c.trace_id)
                 .where(T_SUBJECTS.c.identity_id == identity_id)
                 .order_by(T_TRACES.c.opened_at, T_TRACES.c.id))
        if roles:
            query = query.where(T_SUBJECTS.c.role.in_(roles))
        if states:
            query = query.where(T_TRACES.c.state.in_([s.value for s in states]))
        return [(r[0], r[1]) for r in self._session.execute(query)]


class SqlAdoptionFileRepository:
    def __init__(self, session: Session, crypto: StoreCrypto) -> None:
        self._session, self._crypto = session, crypto

    def put(self, file: AdoptionFile) -> None:
        body = {k: v for k, v in asdict(file).items() if k != "file_ref"}
        details, key_id = self._crypto.seal_field(ADOPTION_FILES, file.file_ref, "details",
                                                  json.dumps(body, ensure_ascii=False))
        values = {"details": details, "key_id": key_id, "updated_at": utc_now()}
        exists = self._session.execute(
            select(T_FILES.c.file_ref).where(T_FILES.c.file_ref == file.file_ref)).first()
        if exists:
            self._session.execute(update(T_FILES).where(T_FILES.c.file_ref == file.file_ref).values(**values))
        else:
            self._session.execute(insert(T_FILES).values(file_ref=file.file_ref, **values))

    def get(self, file_ref: str) -> AdoptionFile | None:
        row = self._session.execute(select(T_FILES).where(T_FILES.c.file_ref == file_ref)).mappings().first()
        if row is None:
            return None
        body = json.loads(self._crypto.open_field(ADOPTION_FILES, file_ref, "details", bytes(row["details"])))
        return AdoptionFile(file_ref=file_ref, **body)

    def add_life_event(self, event: LifeEvent) -> None:
        result = self._session.execute(insert(T_LIFE).values(
            identity_id=event.identity_id, kind=event.kind, event_date=b"", recorded_by=event.recorded_by,
            recorded_at=event.recorded_at, key_id=0))
        row_id = str(result.inserted_primary_key[0])
        sealed, key_id = self._crypto.seal_field(LIFE_EVENTS, row_id, "event_date", event.event_date)
        self._session.execute(update(T_LIFE).where(T_LIFE.c.id == int(row_id))
                              .values(event_date=sealed, key_id=key_id))

    def life_events(self, identity_id: str) -> list[LifeEvent]:
        rows = self._session.execute(select(T_LIFE).where(T_LIFE.c.identity_id == identity_id)
                                     .order_by(T_LIFE.c.id)).mappings()
        return [LifeEvent(r["identity_id"], r["kind"], self._open_date(r), r["recorded_by"], r["recorded_at"])
                for r in rows]

    def _open_date(self, row: Any) -> str:
        return self._crypto.open_field(LIFE_EVENTS, str(row["id"]), "event_date", bytes(row["event_date"]))


