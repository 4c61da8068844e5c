"""Vietnamese knowledge for record linkage: names, dates, places, personal numbers.

Pure functions over sourced tables (data/, see data/SOURCES.md); no I/O beyond loading those tables
lazily, once. Modules: text (normalise, fold), names (parse), phonetic, variants, compare,
frequencies, dates, places, pid.
"""

from linkage.vn.compare import NameComparison, NameLevel, compare_names, compare_part
from linkage.vn.dates import DateLevel, PartialDate, Precision, compare_dates, parse_date
from linkage.vn.frequencies import given_frequency, middle_frequency, surname_frequency
from linkage.vn.names import ParsedName, parse_name
from linkage.vn.phonetic import phonetic_key
from linkage.vn.pid import PidInfo, parse_pid, pid_disagreements
from linkage.vn.places import Place, PlaceLevel, compare_places, resolve_place
from linkage.vn.text import fold, normalize
from linkage.vn.variants import are_variants, surname_group

__all__ = [
    "normalize", "fold", "ParsedName", "parse_name", "phonetic_key", "surname_group", "are_variants",
    "NameLevel", "compare_part", "NameComparison", "compare_names", "surname_frequency",
    "given_frequency", "middle_frequency", "Precision", "PartialDate", "parse_date", "DateLevel",
    "compare_dates", "Place", "resolve_place", "PlaceLevel", "compare_places", "PidInfo", "parse_pid",
    "pid_disagreements",
]
