"""How damaged each source is: corruption rates per writing channel, and each source's mix of channels.

A channel is *who wrote the record and where*: a commune clerk (registry), a provincial adoption file,
a foreign agency or an adoptee abroad (abroad), a social protection centre (intake). Corruptions within
a channel are drawn independently at these rates; correlation between them (an abroad record is both
unaccented and in Western order) comes from the channel. Rates of name corruptions apply where the
corruption can change the name (a regional surname swap needs Hoàng/Huỳnh/Vũ/Võ).
"""

from __future__ import annotations

from linkage.domain import Source

_REGISTRY = {
    "drop_middle": 0.02, "regional_surname": 0.02, "tone_placement": 0.15, "i_y": 0.1, "sound_merger": 0.04,
    "typo": 0.03, "strip_diacritics": 0.03, "all_caps": 0.1, "eth_d": 0.02, "nfd": 0.05, "composite": 0.03,
    "mojibake": 0.01,
    "date_missing": 0.01, "date_year_only": 0.01, "date_month_only": 0.01, "date_off_days": 0.02,
    "date_off_year": 0.01, "date_day_month_swap": 0.02, "date_format_vn": 0.4,
    "place_missing": 0.05, "place_province_only": 0.1, "place_no_district": 0.3, "place_current_units": 0.1,
    "place_abbrev": 0.1,
    "parents_missing": 0.03, "mother_missing": 0.03, "father_missing": 0.08,
    "sex_missing": 0.02, "sex_wrong": 0.003, "pid_present": 0.6, "pid_typo": 0.02,
}
_DOMESTIC_FILE = {
    "drop_middle": 0.08, "regional_surname": 0.06, "tone_placement": 0.25, "i_y": 0.15, "sound_merger": 0.1,
    "typo": 0.07, "strip_diacritics": 0.2, "all_caps": 0.25, "eth_d": 0.06, "nfd": 0.1, "composite": 0.06,
    "mojibake": 0.05, "tcvn3": 0.04, "nickname": 0.03,
    "date_missing": 0.05, "date_year_only": 0.06, "date_month_only": 0.04, "date_off_days": 0.08,
    "date_off_year": 0.04, "date_day_month_swap": 0.06, "date_format_vn": 0.6,
    "place_missing": 0.12, "place_province_only": 0.3, "place_no_district": 0.3, "place_current_units": 0.05,
    "place_abbrev": 0.2,
    "parents_missing": 0.25, "mother_missing": 0.15, "father_missing": 0.3,
    "sex_missing": 0.05, "sex_wrong": 0.01, "pid_present": 0.05, "pid_typo": 0.1,
}
_ABROAD = {
    "drop_middle": 0.45, "regional_surname": 0.08, "western_order": 0.3, "surname_last_caps": 0.15,
    "surname_first_caps": 0.15, "surname_comma": 0.1, "family_field_last": 0.05,
    "adoptive_first_name": 0.35, "adoptive_surname": 0.06,
    "drop_prefix": 0.5,
    "tone_placement": 0.2, "i_y": 0.1, "sound_merger": 0.12, "typo": 0.1, "strip_diacritics": 0.85,
    "all_caps": 0.15, "eth_d": 0.03, "nfd": 0.12, "composite": 0.03, "mojibake": 0.08,
    "date_missing": 0.08, "date_year_only": 0.1, "date_month_only": 0.05, "date_off_days": 0.1,
    "date_off_year": 0.05, "date_day_month_swap": 0.1, "date_format_vn": 0.2, "date_format_us": 0.35,
    "date_format_en": 0.25,
    "place_missing": 0.2, "place_province_only": 0.35, "place_no_district": 0.3, "place_current_units": 0.15,
    "place_english": 0.45, "place_abbrev": 0.1,
    "parents_missing": 0.45, "mother_missing": 0.2, "father_missing": 0.35,
    "sex_missing": 0.05, "sex_wrong": 0.01, "pid_present": 0.02, "pid_typo": 0.2,
}
_INTAKE = {
    "placeholder_name": 0.1, "centre_name": 0.4, "nickname": 0.03,
    "drop_middle": 0.1, "regional_surname": 0.03, "tone_placement": 0.2, "i_y": 0.1, "sound_merger": 0.08,
    "typo": 0.06, "strip_diacritics": 0.08, "all_caps": 0.15, "eth_d": 0.03,
    "nfd": 0.08, "composite": 0.04, "mojibake": 0.03, "tcvn3": 0.03,
    "estimated_age": 0.6, "date_missing": 0.05, "date_year_only": 0.03, "date_month_only": 0.05,
    "date_off_days": 0.15, "date_day_month_swap": 0.04, "date_format_vn": 0.6,
    "place_missing": 0.1, "place_province_only": 0.25, "place_no_district": 0.4, "place_current_units": 0.1,
    "place_abbrev": 0.15, "place_found_elsewhere": 0.5,
    "parents_missing": 0.75, "mother_missing": 0.15, "father_missing": 0.6,
    "sex_missing": 0.02, "sex_wrong": 0.005, "pid_present": 0.01, "pid_typo": 0.1,
}
CHANNELS: dict[str, dict[str, float]] = {
    "registry": _REGISTRY, "domestic_file": _DOMESTIC_FILE, "abroad": _ABROAD, "intake": _INTAKE,
}

# source -> (share of records, channel mix, share with no true match, birth years of its children)
SOURCES: dict[str, dict] = {
    Source.CHILD_REGISTRY.value: {
        "share": 0.40, "channels": {"registry": 1.0}, "no_match": 0.15, "years": (2000, 2026)},
    Source.ADOPTION_FILE.value: {
        "share": 0.25, "channels": {"domestic_file": 0.45, "abroad": 0.55}, "no_match": 0.20,
        "years": (1988, 2024)},
    Source.ABANDONED_INTAKE.value: {
        "share": 0.10, "channels": {"intake": 1.0}, "no_match": 0.25, "years": (2005, 2026)},
    Source.TRACE_REQUEST.value: {
        "share": 0.25, "channels": {"abroad": 0.85, "domestic_file": 0.15}, "no_match": 0.22,
        "years": (1988, 2010)},
}
RECORD_ID_PREFIX = {Source.CHILD_REGISTRY.value: "CR", Source.ADOPTION_FILE.value: "AF",
                    Source.ABANDONED_INTAKE.value: "AI", Source.TRACE_REQUEST.value: "TR"}

# Mix of situations among records with no true match. An absent twin (the record's person is a twin
# whose co-twin is registered while they are not) is rare in life: twins are ~1.6 % of children (0.8 % of
# births, linkage.synth.population.TWIN_BIRTH_RATE), and twins are registered together far more often
# than apart, so well under 1.6 % of unregistered people have a registered co-twin. 5 % keeps the case
# oversampled about threefold over that ceiling, so the twin doubt stays measurable (bench/quality prints
# how every absent twin was decided), without letting it, at 20 %, set the precision of every record
# written without diacritics. The 15 points go to strangers: most people missing from the register have
# no registered twin, sibling or namesake. Siblings and namesakes keep their shares.
NEAR_MISS_KINDS = {"twin_absent": 0.05, "sibling_absent": 0.25, "namesake": 0.3, "same_name_other_year": 0.05,
                   "no_match": 0.35}
TWIN_OVERSAMPLE = 0.04   # share of true matches drawn from twins, so twin confusion is measurable

# Share of a source's true matches that are a second record of a person the source already holds, written
# again by its own hand: a birth registered again where the first book was lost ("đăng ký lại khai sinh"),
# a child's domestic adoption file beside the one sent abroad, a trace request filed again years later or
# by another agency, a child moved from one centre to another. The service sends such a record to review
# (`already_linked`), so the benchmark must hold some.
WRITTEN_AGAIN = {
    Source.CHILD_REGISTRY.value: 0.02, Source.ADOPTION_FILE.value: 0.04, Source.ABANDONED_INTAKE.value: 0.02,
    Source.TRACE_REQUEST.value: 0.05,
}


def effective_rates(source: str) -> dict[str, float]:
    """Rate of each corruption for a source: its channels' rates weighted by the channel mix."""
    out: dict[str, float] = {}
    for channel, weight in SOURCES[source]["channels"].items():
        for key, rate in CHANNELS[channel].items():
            out[key] = round(out.get(key, 0.0) + weight * rate, 4)
    return dict(sorted(out.items()))
