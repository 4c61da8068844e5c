"""Keyset: encryption bound to row and field, rotation, re-encryption, wrapping, blind indexes."""

from __future__ import annotations

import base64
import pickle

import pytest

from adapters.keys import (
    EnvKeyProvider,
    FileKeyProvider,
    KeysetFile,
    default_key_provider,
    generate_master_key,
)
from linkage.security.errors import DecryptionError, KeyMaterialError
from linkage.security.keyset import Keyset, ReencryptStats, SealedValue, aad_for, reencrypt

NAME = "Nguyễn Thị Lan"
AAD = aad_for("identities", "id-1", "full_name")


@pytest.fixture()
def keyset() -> Keyset:
    return Keyset.generate()


def test_round_trip_and_fresh_nonces(keyset):
    first, second = keyset.encrypt(NAME, AAD), keyset.encrypt(NAME, AAD)
    assert first != second
    assert keyset.decrypt(first, AAD) == keyset.decrypt(second, AAD) == NAME
    assert NAME.encode() not in first
    assert keyset.decrypt(keyset.encrypt("", AAD), AAD) == ""


@pytest.mark.parametrize("other_aad", [
    aad_for("identities", "id-2", "full_name"),     # moved to another row
    aad_for("identities", "id-1", "mother_name"),   # moved to another field
    aad_for("source_records", "id-1", "full_name"),  # moved to another table
    b"",
])
def test_moved_ciphertext_does_not_decrypt(keyset, other_aad):
    with pytest.raises(DecryptionError):
        keyset.decrypt(keyset.encrypt(NAME, AAD), other_aad)


def test_aad_is_unambiguous():
    assert aad_for("t", "a|b", "c") != aad_for("t", "a", "b|c")
    assert aad_for("t", 7, "c") == aad_for("t", "7", "c")
    with pytest.raises(ValueError):
        aad_for("t", "a\x1fb", "c")


@pytest.mark.parametrize("position", [0, 3, 10, 20, -1])
def test_any_flipped_byte_fails_with_one_opaque_error(keyset, position):
    ciphertext = bytearray(keyset.encrypt(NAME, AAD))
    ciphertext[position] ^= 0x01
    with pytest.raises(DecryptionError) as caught:
        keyset.decrypt(bytes(ciphertext), AAD)
    assert str(caught.value) == "decryption failed"


def test_truncated_and_empty_ciphertexts_fail(keyset):
    ciphertext = keyset.encrypt(NAME, AAD)
    for broken in (b"", ciphertext[:10], ciphertext[:-1]):
        with pytest.raises(DecryptionError):
            keyset.decrypt(broken, AAD)


def test_wrong_types_are_type_errors(keyset):
    with pytest.raises(TypeError):
        keyset.encrypt(b"bytes", AAD)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        keyset.encrypt(NAME, "str aad")  # type: ignore[arg-type]


def test_rotation_old_keys_still_decrypt_new_primary_encrypts(keyset):
    old_ciphertext = keyset.encrypt(NAME, AAD)
    rotated = keyset.rotate()
    assert rotated.primary_id != keyset.primary_id and len(rotated.key_ids) == 2
    assert rotated.key_ids[-1] == rotated.primary_id
    assert rotated.decrypt(old_ciphertext, AAD) == NAME
    new_ciphertext = rotated.encrypt(NAME, AAD)
    assert rotated.key_id_of(new_ciphertext) == rotated.primary_id
    with pytest.raises(DecryptionError):
        keyset.decrypt(new_ciphertext, AAD)  # the old keyset does not know the new key


def test_reencrypt_is_resumable_and_retire_drops_the_old_key(keyset):
    rows = [SealedValue("identities", f"id-{i}", "full_name",
                        keyset.encrypt(f"person {i}", aad_for("identities", f"id-{i}", "full_name")))
            for i in range(10)]
    rotated = keyset.rotate()
    # A crash after four rows: those four are written back, the rest are not.
    done = {r.row_id: r for r in list(reencrypt(rows, rotated))[:4]}
    stored = [done.get(r.row_id, r) for r in rows]
    stats = ReencryptStats()
    rest = {r.row_id: r for r in reencrypt(stored, rotated, stats)}
    assert (stats.seen, stats.skipped, stats.rewritten) == (10, 4, 6)
    final = [rest.get(r.row_id, r) for r in stored]
    assert all(rotated.is_current(r.ciphertext) for r in final)
    retired = rotated.retire(keyset.primary_id)
    for i, row in enumerate(final):
        assert retired.decrypt(row.ciphertext, aad_for(row.table, row.row_id, row.field)) == f"person {i}"
    with pytest.raises(DecryptionError):
        retired.decrypt(rows[0].ciphertext, aad_for("identities", "id-0", "full_name"))
    with pytest.raises(KeyMaterialError):
        rotated.retire(rotated.primary_id)


def test_keyset_cannot_be_pickled_or_printed_with_keys(keyset):
    with pytest.raises(TypeError):
        pickle.dumps(keyset)
    assert "material" not in repr(keyset) and str(keyset.primary_id) in repr(keyset)


# --- blind indexes -----------------------------------------------------------------------------------

def test_blind_index_equal_after_normalisation_distinct_otherwise(keyset):
    index = keyset.blind_index("pid")
    assert index.compute("001203004567") == index.compute(" 001203004567 ")
    assert index.compute("NGUYỄN  Thị Lan") == index.compute("nguyễn thị lan")
    assert index.compute("001203004567") != index.compute("001203004568")
    assert index.compute("   ") is None
    assert len(index.compute("x")) == 32


def test_blind_index_is_keyed_per_domain_and_survives_rotation(keyset):
    assert keyset.blind_index("pid").compute("x") != keyset.blind_index("full_name").compute("x")
    assert keyset.rotate().blind_index("pid").compute("x") == keyset.blind_index("pid").compute("x")
    assert Keyset.generate().blind_index("pid").compute("x") != keyset.blind_index("pid").compute("x")


def test_blind_index_takes_a_name_aware_normaliser(keyset):
    index = keyset.blind_index("surname", normalise=lambda v: v.casefold().replace("đ", "d"))
    assert index.compute("Đỗ") == index.compute("dỗ")


# --- wrapping under the master key ---------------------------------------------------------------------

def test_keyset_file_round_trip_under_env_master_key(tmp_path, keyset):
    provider = EnvKeyProvider({"LINKAGE_MASTER_KEY": generate_master_key()})
    file = KeysetFile(tmp_path / "keyset.json", provider)
    file.save(keyset)
    assert (tmp_path / "keyset.json").stat().st_mode & 0o777 == 0o600
    loaded = file.load()
    assert loaded.decrypt(keyset.encrypt(NAME, AAD), AAD) == NAME
    assert b"material" not in (tmp_path / "keyset.json").read_bytes()


def test_wrong_master_key_cannot_unwrap(tmp_path, keyset):
    mine = EnvKeyProvider({"LINKAGE_MASTER_KEY": generate_master_key()})
    KeysetFile(tmp_path / "keyset.json", mine).save(keyset)
    other = EnvKeyProvider({"LINKAGE_MASTER_KEY": generate_master_key()})
    with pytest.raises(KeyMaterialError):
        KeysetFile(tmp_path / "keyset.json", other).load()


def test_tampered_keyset_file_cannot_unwrap(tmp_path, keyset):
    provider = EnvKeyProvider({"LINKAGE_MASTER_KEY": generate_master_key()})
    path = tmp_path / "keyset.json"
    KeysetFile(path, provider).save(keyset)
    text = path.read_text()
    wrapped = text.split('"wrapped": "')[1].split('"')[0]
    raw = bytearray(base64.b64decode(wrapped))
    raw[20] ^= 1
    path.write_text(text.replace(wrapped, base64.b64encode(bytes(raw)).decode()))
    with pytest.raises(KeyMaterialError):
        KeysetFile(path, provider).load()


def test_rotate_through_the_file(tmp_path):
    provider = EnvKeyProvider({"LINKAGE_MASTER_KEY": generate_master_key()})
    file = KeysetFile(tmp_path / "keyset.json", provider)
    keyset, created = file.create_if_missing()
    assert created and file.create_if_missing()[1] is False
    rotated = file.rotate()
    assert file.load().primary_id == rotated.primary_id != keyset.primary_id


@pytest.mark.parametrize("value", ["", "not base64!!", base64.b64encode(b"short").decode()])
def test_bad_master_keys_are_refused(value):
    with pytest.raises(KeyMaterialError):
        EnvKeyProvider({"LINKAGE_MASTER_KEY": value})


def test_file_provider_needs_a_private_file_and_env_wins(tmp_path):
    path = tmp_path / "master.key"
    assert FileKeyProvider.create(path) and not FileKeyProvider.create(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert FileKeyProvider(path).key_id == default_key_provider(tmp_path, environ={}).key_id
    env_key = generate_master_key()
    assert default_key_provider(tmp_path, {"LINKAGE_MASTER_KEY": env_key}).key_id == EnvKeyProvider(
        {"LINKAGE_MASTER_KEY": env_key}).key_id
    path.chmod(0o644)
    with pytest.raises(KeyMaterialError):
        FileKeyProvider(path)
    with pytest.raises(KeyMaterialError):
        FileKeyProvider(tmp_path / "missing.key")
