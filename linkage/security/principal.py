"""Who is calling: the principal, the closed sets of roles and purposes, and institutions' agreements.

A person is identified by a signed token (role and purpose are claims); an institution by the common
name of its client certificate, mapped to a role and its allowed purposes by an agreement table that is
data (`institutions.json`), not code, so adding a database is a reviewed data change.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Literal

from linkage.security.errors import AuthenticationError


class Role(StrEnum):
    STEWARD = "steward"
    SENIOR_STEWARD = "senior_steward"
    CASEWORKER = "caseworker"
    APPROVING_OFFICER = "approving_officer"
    AUDITOR = "auditor"
    OPERATOR = "operator"
    INSTITUTION_CHILD_PROTECTION = "institution:child_protection"
    INSTITUTION_ADOPTION_FILES = "institution:adoption_files"
    INSTITUTION_SOCIAL_PROTECTION = "institution:social_protection"

    @property
    def is_institution(self) -> bool:
        return self.value.startswith("institution:")


PERSON_ROLES = frozenset(r for r in Role if not r.is_institution)
INSTITUTION_ROLES = frozenset(r for r in Role if r.is_institution)


class Purpose(StrEnum):
    CHILD_PROTECTION = "child_protection"
    ADOPTION_MATCHING = "adoption_matching"
    ORIGIN_TRACING = "origin_tracing"
    ABANDONED_CHILD_REGISTRATION = "abandoned_child_registration"
    DATA_QUALITY_REVIEW = "data_quality_review"
    AUDIT = "audit"
    OPERATIONS = "operations"


PrincipalKind = Literal["person", "institution"]


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller. `id` is an identifier (user id or certificate CN), never a name."""

    kind: PrincipalKind
    id: str
    role: Role
    purpose: Purpose

    def __post_init__(self) -> None:
        if self.kind == "person" and self.role.is_institution:
            raise AuthenticationError("a person cannot hold an institution role", "ROLE_MISMATCH")
        if self.kind == "institution" and not self.role.is_institution:
            raise AuthenticationError("an institution cannot hold a person role", "ROLE_MISMATCH")


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise AuthenticationError("unknown role", "UNKNOWN_ROLE") from None


def parse_purpose(value: str) -> Purpose:
    try:
        return Purpose(value)
    except ValueError:
        raise AuthenticationError("unknown purpose", "UNKNOWN_PURPOSE") from None


@dataclass(frozen=True, slots=True)
class Agreement:
    """What a data-sharing agreement grants one institution: its role and the purposes it may declare.

    The first purpose is the default when a call declares none.
    """

    institution_id: str
    role: Role
    purposes: tuple[Purpose, ...]


class Institutions:
    """The agreement table: certificate common name -> `Agreement`. Unknown names get nothing."""

    def __init__(self, agreements: Mapping[str, Agreement]) -> None:
        self._agreements = dict(agreements)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Mapping[str, object]]) -> Institutions:
        agreements = {}
        for cn, entry in data.items():
            role = Role(str(entry["role"]))
            if not role.is_institution:
                raise ValueError(f"institution {cn!r}: role {role.value!r} is not an institution role")
            purposes = tuple(Purpose(str(p)) for p in entry["purposes"])  # type: ignore[union-attr]
            if not purposes:
                raise ValueError(f"institution {cn!r}: no purposes")
            agreements[cn] = Agreement(institution_id=cn, role=role, purposes=purposes)
        return cls(agreements)

    @classmethod
    def load(cls, path: str | Path | None = None) -> Institutions:
        """Load a JSON agreement table; without a path, the packaged development table."""
        if path is None:
            text = resources.files("linkage.security").joinpath("institutions.json").read_text("utf-8")
        else:
            text = Path(path).read_text("utf-8")
        data = json.loads(text)
        return cls.from_mapping(data["institutions"])

    def __contains__(self, common_name: str) -> bool:
        return common_name in self._agreements

    def ids(self) -> list[str]:
        return sorted(self._agreements)

    def principal_for(self, common_name: str, declared_purpose: str | None = None) -> Principal:
        """The principal for a verified certificate CN, with the purpose it declares (or its default)."""
        agreement = self._agreements.get(common_name)
        if agreement is None:
            raise AuthenticationError("client certificate is not registered to an institution",
                                      "UNKNOWN_INSTITUTION")
        if declared_purpose:
            purpose = parse_purpose(declared_purpose)
            if purpose not in agreement.purposes:
                raise AuthenticationError("purpose not covered by the institution's agreement",
                                          "PURPOSE_NOT_AGREED")
        else:
            purpose = agreement.purposes[0]
        return Principal(kind="institution", id=common_name, role=agreement.role, purpose=purpose)
