"""Encodings: each legacy table round-trips, detection picks the right one, and doubt is refused."""

from __future__ import annotations

import unicodedata

import pytest

from adapters.encodings import (
    CP1258,
    MOJIBAKE,
    TCVN3,
    TCVN3_TABLE,
    UTF8,
    VNI,
    EncodingRefused,
    decoder,
    detect,
    encode_legacy,
    repair_mojibake,
)

NAMES = ("Nguyễn Thị Lan,Trần Văn Đức,Hoàng Ngọc Ánh,Phạm Quỳnh Hương,Lê Thuỵ Vy,Đặng Hữu Nghĩa,"
         "Bùi Thị Ngọc Trâm,Võ Minh Khôi,Lợi Ưng Ớt,Huỳnh Thị Thuý Kiều\n") * 4


def _mojibake(text: str) -> str:
    return "".join(chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252")
                   for b in text.encode())


@pytest.mark.parametrize("encoding", [CP1258, VNI, TCVN3])
def test_legacy_files_are_detected_and_converted(encoding: str) -> None:
    raw = encode_legacy(NAMES, encoding)
    detection = detect(raw)
    assert detection.encoding == encoding
    expected = NAMES.lower() if encoding == TCVN3 else NAMES  # TCVN3 has no upper-case toned letters
    converted = decoder(encoding)(raw)
    assert unicodedata.is_normalized("NFC", converted)
    assert (converted.lower() if encoding == TCVN3 else converted) == expected


def test_vni_sample_from_the_chart() -> None:
    vni = "Nguyeãn Thò Ñöùc, Khoâi, Lôïi, Thuî".encode("cp1252")
    assert decoder(VNI)(vni) == "Nguyễn Thị Đức, Khôi, Lợi, Thuỵ"


def test_every_tcvn3_byte_decodes_to_its_letter() -> None:
    decode = decoder(TCVN3)
    for byte, letter in TCVN3_TABLE.items():
        assert decode(bytes([byte])) == letter
        assert encode_legacy(letter, TCVN3) == bytes([byte])


def test_utf8_nfc_and_nfd_both_come_out_nfc() -> None:
    nfd = unicodedata.normalize("NFD", NAMES).encode()
    detection = detect(nfd)
    assert detection.encoding == UTF8 and "NFD" in detection.note
    assert decoder(UTF8)(nfd) == NAMES


def test_mojibake_is_detected_and_repaired() -> None:
    raw = _mojibake(NAMES).encode()
    assert detect(raw).encoding == MOJIBAKE
    assert decoder(MOJIBAKE)(raw) == NAMES
    assert repair_mojibake("Nguyá»…n") == "Nguyễn"


def test_a_few_broken_bytes_leave_the_file_utf8() -> None:
    raw = NAMES.encode() + b"Tr\xe1\xbb n\n"
    detection = detect(raw)
    assert detection.encoding == UTF8 and "broken" in detection.note
    with pytest.raises(UnicodeError):
        decoder(UTF8)(b"Tr\xe1\xbb n")


@pytest.mark.parametrize("raw", [
    "Müller, Straße, Ærøskøbing, ñandú\n".encode("latin-1") * 5,   # Latin-1, not Vietnamese
    bytes(range(0x80, 0x100)) * 4,                                 # noise
])
def test_unknown_encodings_are_refused_with_a_reason(raw: bytes) -> None:
    with pytest.raises(EncodingRefused, match="not UTF-8"):
        detect(raw)


def test_unknown_encoding_name_is_refused() -> None:
    with pytest.raises(EncodingRefused, match="unknown encoding"):
        decoder("ebcdic")
