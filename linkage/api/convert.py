"""Translate between linkage.v1 messages and domain values, and name fields the way the API does.

Structural problems only a message can have (an enum number this server does not know, a day
without a month in a date message, a missing `record`) are found here; everything else is left to
`linkage.validation`, whose field names are translated to API paths such as `record.personal_number`.
All violations of one request are reported together.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from urllib.parse import quote, unquote

from linkage.domain import (
    Candidate,
    Decision,
    FieldContribution,
    MatchResult,
    PersonRecord,
    Sex,
    Source,
    StoredLink,
)
from linkage.errors import InvalidRecord
from linkage.v1 import linkage_service_pb2, match_pb2, person_pb2
from linkage.validation import MIN_BIRTH_YEAR, Violation, full_date_parts, validate_record

SOURCE_TO_PB = {source: person_pb2.Source.Value(f"SOURCE_{source.name}") for source in Source}
PB_TO_SOURCE = {number: source for source, number in SOURCE_TO_PB.items()}
SEX_TO_PB = {
    Sex.MALE: person_pb2.SEX_MALE, Sex.FEMALE: person_pb2.SEX_FEMALE, Sex.UNKNOWN: person_pb2.SEX_UNSPECIFIED
}
PB_TO_SEX = {number: sex for sex, number in SEX_TO_PB.items()}
DECISION_TO_PB = {decision: match_pb2.Decision.Value(f"DECISION_{decision.name}") for decision in Decision}
PB_TO_DECISION = {number: decision for decision, number in DECISION_TO_PB.items()}

# Domain field -> PersonRecord message field, where the API's name differs from the domain's.
_API_FIELD = {"pid": "personal_number"}
_IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_.:-]{1,128}")
_ISO_PARTS = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_LINK_NAME = re.compile(r"sources/([a-z_]+)/records/([^/]+)/link")

Request = linkage_service_pb2.MatchRecordRequest | linkage_service_pb2.LinkRecordsRequest


class InvalidResourceName(InvalidRecord):
    """A resource name that does not follow its documented format."""

    reason = "INVALID_RESOURCE_NAME"


# --- requests -> domain ----------------------------------------------------------------------------


def match_request(request: Request, today: date | None = None) -> tuple[PersonRecord, str]:
    """The record and idempotency key of a MatchRecord or LinkRecords request, or InvalidRecord."""
    violations: list[Violation] = []
    record: PersonRecord | None = None
    if not request.HasField("record"):
        violations.append(("record", "is required"))
    else:
        record, record_violations = _record_and_violations(request.record, today or date.today())
        violations += [(f"record.{path}", reason) for path, reason in record_violations]
    key = request.idempotency_key
    if key and not _IDEMPOTENCY_KEY.fullmatch(key):
        violations.append(("idempotency_key", "must be 1 to 128 letters, digits or -_.:"))
    if violations or record is None:
        raise InvalidRecord(violations)
    return record, key


def record_from_message(message: person_pb2.PersonRecord, today: date | None = None) -> PersonRecord:
    """The domain record a message describes; InvalidRecord with paths relative to the message."""
    record, violations = _record_and_violations(message, today or date.today())
    if violations:
        raise InvalidRecord(violations)
    return record


def _record_and_violations(
    message: person_pb2.PersonRecord, today: date
) -> tuple[PersonRecord, list[Violation]]:
    structural: list[Violation] = []
    source = PB_TO_SOURCE.get(message.source)
    if message.source == person_pb2.SOURCE_UNSPECIFIED:
        structural.append(("source", "is required"))
    elif source is None:
        structural.append(("source", "is not a known source"))
    sex = PB_TO_SEX.get(message.sex)
    if sex is None:
        structural.append(("sex", "is not a known value"))
    birth_date, date_violations = _birth_date_text(message, today)
    recorded_on, recorded_violations = _recorded_on_text(message)
    structural += date_violations + recorded_violations
    record = PersonRecord(
        source=source.value if source else "",
        record_id=message.record_id,
        full_name=message.full_name,
        sex=sex or Sex.UNKNOWN,
        birth_date=birth_date,
        birth_place=message.birth_place,
        mother_name=message.mother_name,
        father_name=message.father_name,
        pid=message.personal_number,
        recorded_on=recorded_on,
    )
    # A field already refused for its shape is not reported again by the domain rules.
    refused = {path.split(".")[0] for path, _ in structural}
    domain = [(api_field(name), reason) for name, reason in validate_record(record, today)]
    return record, structural + [(path, reason) for path, reason in domain if path not in refused]


def api_field(domain_field: str) -> str:
    """The PersonRecord message field that carries a domain record field."""
    return _API_FIELD.get(domain_field, domain_field)


def _birth_date_text(message: person_pb2.PersonRecord, today: date) -> tuple[str, list[Violation]]:
    """Canonical text for the domain ("2001-05-03", "2001-05", "2001", or the estimate as written)."""
    if not message.HasField("birth_date"):
        return "", []
    d = message.birth_date
    violations: list[Violation] = []
    if d.year and not MIN_BIRTH_YEAR <= d.year <= today.year:
        violations.append(("birth_date.year", f"must be between {MIN_BIRTH_YEAR} and {today.year}"))
    if not 0 <= d.month <= 12:
        violations.append(("birth_date.month", "must be between 1 and 12"))
    if not 0 <= d.day <= 31:
        violations.append(("birth_date.day", "must be between 1 and 31"))
    if d.day and not d.month:
        violations.append(("birth_date.day", "given without a month"))
    if (d.month or d.day) and not d.year:
        violations.append(("birth_date.year", "is required when a month or day is given"))
    if d.precision and d.precision not in _PRECISION_NEEDS:
        return "", [*violations, ("birth_date.precision", "is not a known value")]
    precision = d.precision or _inferred_precision(d)
    if precision is None:  # an empty DateOfBirth means "unknown"
        return "", violations
    needs = _PRECISION_NEEDS[precision]
    reported = {path for path, _ in violations}
    for part in ("year", "month", "day", "as_written"):
        path, present = f"birth_date.{part}", bool(getattr(d, part))
        if path in reported:
            continue
        if part in needs and not present:
            violations.append((path, "is required at this precision"))
        elif part not in needs and present:
            violations.append((path, "must be empty at this precision"))
    if violations:
        return "", violations
    if precision == person_pb2.DATE_PRECISION_ESTIMATED:
        return d.as_written, []
    return "-".join([f"{d.year:04d}", f"{d.month:02d}", f"{d.day:02d}"][: len(needs)]), []


_BY_PARTS_KNOWN = (
    person_pb2.DATE_PRECISION_YEAR, person_pb2.DATE_PRECISION_MONTH, person_pb2.DATE_PRECISION_DAY
)
_PRECISION_NEEDS = {
    person_pb2.DATE_PRECISION_DAY: ("year", "month", "day"),
    person_pb2.DATE_PRECISION_MONTH: ("year", "month"),
    person_pb2.DATE_PRECISION_YEAR: ("year",),
    person_pb2.DATE_PRECISION_ESTIMATED: ("as_written",),
}


def _inferred_precision(d: person_pb2.DateOfBirth) -> int | None:
    if d.year or d.month or d.day:
        known = 3 if d.day else 2 if d.month else 1
        return _BY_PARTS_KNOWN[known - 1]
    if d.as_written:
        return person_pb2.DATE_PRECISION_ESTIMATED
    return None


def _recorded_on_text(message: person_pb2.PersonRecord) -> tuple[str, list[Violation]]:
    if not message.HasField("recorded_on"):
        return "", []
    d = message.recorded_on
    if not (1 <= d.year <= 9999 and 1 <= d.month <= 12 and 1 <= d.day <= 31):
        return "", [("recorded_on", "must be a full date")]
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}", []


def parse_link_name(name: str) -> tuple[str, str]:
    """(source, record_id) from `sources/{source}/records/{record}/link`, or InvalidResourceName."""
    found = _LINK_NAME.fullmatch(name)
    if not name:
        raise InvalidResourceName([("name", "is required")])
    if not found or found.group(1) not in {s.value for s in Source}:
        raise InvalidResourceName([("name", "must be sources/{source}/records/{record}/link")])
    return found.group(1), unquote(found.group(2))


# --- domain -> messages ----------------------------------------------------------------------------


def link_name(source: str, record_id: str) -> str:
    return f"sources/{source}/records/{quote(record_id, safe='')}/link"


def identity_name(identity_id: str) -> str:
    return f"identities/{quote(identity_id, safe='')}"


def record_to_message(record: PersonRecord) -> person_pb2.PersonRecord:
    """The message for a domain record; a birth date that is not ISO text travels as an estimate."""
    message = person_pb2.PersonRecord(
        source=SOURCE_TO_PB.get(_as_source(record.source), person_pb2.SOURCE_UNSPECIFIED),
        record_id=record.record_id,
        full_name=record.full_name,
        sex=SEX_TO_PB.get(Sex(record.sex), person_pb2.SEX_UNSPECIFIED),
        birth_place=record.birth_place,
        mother_name=record.mother_name,
        father_name=record.father_name,
        personal_number=record.pid,
    )
    if record.birth_date:
        message.birth_date.CopyFrom(_birth_date_message(record.birth_date))
    # a full date as files write it (day first too); a partial one as it is, for the server to refuse
    if full := full_date_parts(record.recorded_on):
        message.recorded_on.CopyFrom(person_pb2.Date(year=full[0], month=full[1], day=full[2]))
    elif parts := _ISO_PARTS.fullmatch(record.recorded_on):
        year, month, day = (int(p or 0) for p in parts.groups())
        message.recorded_on.CopyFrom(person_pb2.Date(year=year, month=month, day=day))
    return message


def _as_source(value: str) -> Source | None:
    try:
        return Source(value)
    except ValueError:
        return None


def _birth_date_message(text: str) -> person_pb2.DateOfBirth:
    parts = _ISO_PARTS.fullmatch(text)
    if not parts:
        return person_pb2.DateOfBirth(precision=person_pb2.DATE_PRECISION_ESTIMATED, as_written=text)
    year, month, day = (int(p or 0) for p in parts.groups())
    known = sum(1 for p in parts.groups() if p)
    return person_pb2.DateOfBirth(year=year, month=month, day=day, precision=_BY_PARTS_KNOWN[known - 1])


def result_to_message(result: MatchResult) -> match_pb2.MatchResult:
    return match_pb2.MatchResult(
        link=link_name(result.source, result.record_id),
        source=SOURCE_TO_PB.get(_as_source(result.source), person_pb2.SOURCE_UNSPECIFIED),
        record_id=result.record_id,
        decision=DECISION_TO_PB[Decision(result.decision)],
        candidates=[_candidate_to_message(c) for c in result.candidates],
        conflicts=list(result.conflicts),
        model_version=result.model_version,
    )


def _candidate_to_message(candidate: Candidate) -> match_pb2.MatchCandidate:
    message = match_pb2.MatchCandidate(
        identity=identity_name(candidate.identity_id),
        personal_number=candidate.pid,
        match_probability=candidate.probability,
        match_weight=candidate.weight,
    )
    add = message.contributions.add  # built in place: half the time of a list of messages copied in
    for c in candidate.contributions:
        add(field=c.field, level=c.level, weight=c.weight, tf_adjustment=c.tf_adjustment, record_value=c.left,
            candidate_value=c.right)
    return message


def link_to_message(link: StoredLink) -> match_pb2.Link:
    message = match_pb2.Link(
        name=link_name(link.source, link.record_id),
        source=SOURCE_TO_PB.get(_as_source(link.source), person_pb2.SOURCE_UNSPECIFIED),
        record_id=link.record_id,
        decision=DECISION_TO_PB[Decision(link.decision)],
        identity=identity_name(link.identity_id) if link.identity_id else "",
        personal_number=link.pid,
        match_probability=link.probability,
        match_weight=link.weight,
        model_version=link.model_version,
        conflicts=list(link.conflicts),
    )
    if link.created_at:
        created = datetime.fromisoformat(link.created_at)
        message.create_time.FromDatetime(created if created.tzinfo else created.replace(tzinfo=UTC))
    return message


def violations_to_messages(violations: Iterable[Violation]) -> list[match_pb2.FieldViolation]:
    return [match_pb2.FieldViolation(field=path, description=reason) for path, reason in violations]


# --- messages -> domain (client side) ----------------------------------------------------------------


def link_from_message(message: match_pb2.Link) -> StoredLink:
    created = ""
    if message.HasField("create_time"):
        created = message.create_time.ToDatetime(tzinfo=UTC).isoformat()
    return StoredLink(
        source=PB_TO_SOURCE[message.source].value if message.source in PB_TO_SOURCE else "",
        record_id=message.record_id,
        decision=PB_TO_DECISION[message.decision],
        identity_id=unquote(message.identity.removeprefix("identities/")),
        pid=message.personal_number,
        probability=message.match_probability,
        weight=message.match_weight,
        model_version=message.model_version,
        conflicts=tuple(message.conflicts),
        created_at=created,
    )


def result_from_message(message: match_pb2.MatchResult) -> MatchResult:
    return MatchResult(
        source=PB_TO_SOURCE[message.source].value if message.source in PB_TO_SOURCE else "",
        record_id=message.record_id,
        decision=PB_TO_DECISION[message.decision],
        candidates=tuple(
            Candidate(
                identity_id=unquote(c.identity.removeprefix("identities/")),
                pid=c.personal_number,
                probability=c.match_probability,
                weight=c.match_weight,
                contributions=tuple(
                    FieldContribution(
                        f.field, f.level, f.weight, f.tf_adjustment, f.record_value, f.candidate_value
                    )
                    for f in c.contributions
                ),
            )
            for c in message.candidates
        ),
        model_version=message.model_version,
        conflicts=tuple(message.conflicts),
    )


# --- data minimisation: what the policy lets a caller see ---------------------------------------------

# Policy field name (linkage.security.policy) -> the message fields that carry it, per message type.
# The one table that ties the policy's vocabulary to the API: a field missing here is never sent.
POLICY_TO_PROTO: dict[str, dict[str, tuple[str, ...]]] = {
    "MatchResult": {"decision": ("decision",), "model_version": ("model_version",),
                    "conflicts": ("conflicts",)},
    "MatchCandidate": {"identity_id": ("identity",), "pid": ("personal_number",),
                       "probability": ("match_probability",), "weight": ("match_weight",),
                       "contributions": ("contributions",)},
    "Link": {"decision": ("decision",), "identity_id": ("identity",), "pid": ("personal_number",),
             "probability": ("match_probability",), "weight": ("match_weight",),
             "model_version": ("model_version",), "conflicts": ("conflicts",)},
}
# Fields that only identify the call's own resource, and so are always returned.
ALWAYS_SENT = {"MatchResult": {"link", "source", "record_id", "candidates"},
               "MatchCandidate": set(), "Link": {"name", "source", "record_id", "create_time"}}
_MESSAGES = {"MatchResult": match_pb2.MatchResult, "MatchCandidate": match_pb2.MatchCandidate,
             "Link": match_pb2.Link}
_PARENT_CONTRIBUTIONS = ("mother", "father", "parent")
_RECORD_IDENTITY = frozenset({"full_name", "sex", "birth_date", "birth_place"})
_RECORD_PARENTS = frozenset({"mother_name", "father_name"})


def redact(message: match_pb2.MatchResult | match_pb2.Link, allowed: frozenset[str]) -> set[str]:
    """Clear, in place, every field the caller may not see; returns the policy fields left in it.

    A contribution compares one field of both records, so its two values are kept only when the caller
    may see that kind of field (identity fields, or parents' names); otherwise the level and weight stay.
    """
    allowed = frozenset(allowed)  # a key of the memoised rules below (a no-op for a frozenset)
    kept = _redact_one(message, allowed)
    if isinstance(message, match_pb2.MatchResult):
        for candidate in message.candidates:
            kept |= _redact_one(candidate, allowed)
            for contribution in candidate.contributions:
                shown = _values_shown(contribution.field, allowed)
                if shown is None:
                    contribution.record_value = contribution.candidate_value = ""
                elif contribution.record_value or contribution.candidate_value:
                    kept |= shown
    return kept


def _redact_one(message: object, allowed: frozenset[str]) -> set[str]:
    never, cleared, kept = _redaction(type(message).DESCRIPTOR.name, allowed)  # type: ignore[attr-defined]
    for name in never:  # unknown to the table: never sent
        message.ClearField(name)  # type: ignore[attr-defined]
    for proto in cleared:
        message.ClearField(proto)  # type: ignore[attr-defined]
    return set(kept)


@functools.cache
def _redaction(kind: str, allowed: frozenset[str]) -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]:
    """Per message type and allowed policy fields: the fields no table names (cleared always), the
    fields the policy withholds (cleared) and the policy fields kept. Derived once per pair: a caller's
    allowed fields come from a handful of policy decisions."""
    table, always = POLICY_TO_PROTO[kind], ALWAYS_SENT[kind]
    carried = {proto for protos in table.values() for proto in protos}
    descriptor = _MESSAGES[kind].DESCRIPTOR
    never = tuple(f.name for f in descriptor.fields if f.name not in carried and f.name not in always)
    cleared = tuple(proto for policy_field, protos in table.items() if policy_field not in allowed
                    for proto in protos)
    return never, cleared, frozenset(policy_field for policy_field in table if policy_field in allowed)


@functools.cache
def _values_shown(field_name: str, allowed: frozenset[str]) -> frozenset[str] | None:
    """The policy fields a contribution's two values show, or None when the caller may not see them."""
    needed = _RECORD_PARENTS if _is_parent(field_name) else _RECORD_IDENTITY
    return needed if _may_see_values(field_name, allowed) else None


def _is_parent(field_name: str) -> bool:
    return any(word in field_name for word in _PARENT_CONTRIBUTIONS)


def _may_see_values(field_name: str, allowed: frozenset[str]) -> bool:
    return (_RECORD_PARENTS if _is_parent(field_name) else _RECORD_IDENTITY) <= allowed


# --- audit identifiers -----------------------------------------------------------------------------

_AUDIT_SAFE_CHARS = "._-:@+"


def audit_resource(kind: str, *parts: str) -> str:
    """An audit-log identifier for a resource: `kind/part/...`, each part percent-encoded with `=`
    instead of `%` (the audit log accepts only identifier characters), so it reads back unambiguously."""
    return "/".join([kind, *(quote(part, safe=_AUDIT_SAFE_CHARS).replace("%", "=") for part in parts)])


def record_audit_id(source: str, record_id: str) -> str:
    return audit_resource("sources", source, "records", record_id)


def identity_audit_id(identity_id: str) -> str:
    return audit_resource("identities", identity_id)
