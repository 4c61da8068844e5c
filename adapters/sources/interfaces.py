"""One interface per kind of source. Each is a `linkage.ports.RecordSource`; the kind says which rules
of the import apply (population rows become identities, the others source records to be linked).

Files (`adapters.sources.files.FileSource`) implement all of them through a layout; the national
data-exchange platform client (`adapters.sources.exchange`) implements `PopulationSource`.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from linkage.ports import ChangeSource, RecordSource


@runtime_checkable
class PopulationSource(RecordSource, ChangeSource, Protocol):
    """Identities of the population database: a bulk export, then a stream of changes."""


@runtime_checkable
class ChildRegistrySource(RecordSource, Protocol):
    """Children of the child-protection database (its own ids, day-first dates, 'trai'/'gái')."""


@runtime_checkable
class AdoptionFileSource(RecordSource, Protocol):
    """Adoption files since 1990: often partial dates, birth parents' names, the file's date."""


@runtime_checkable
class AbandonedIntakeSource(RecordSource, Protocol):
    """Abandoned-child intake: a provisional name, an estimated age, the date the child was found."""


INTERFACES = {
    "population": PopulationSource,
    "child_registry": ChildRegistrySource,
    "adoption_file": AdoptionFileSource,
    "abandoned_intake": AbandonedIntakeSource,
}
