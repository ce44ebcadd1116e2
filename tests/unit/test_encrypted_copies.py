"""An encrypted copy whose header was damaged says so, and never that the passphrase is wrong: a wrong passphrase
and a flipped byte in the salt or the check value used to fail the same check value alike."""

from __future__ import annotations

from pathlib import Path

import pytest

import desktop.encrypted
from desktop.encrypted import EncryptedCopyError, WrongPassphrase, decrypt_file, encrypt_file

PASSPHRASE = "Sealed-Copy-2026!"


def test_every_flipped_header_byte_is_damage_never_a_wrong_passphrase(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(desktop.encrypted, "SCRYPT_N", 2**12)
    plain = tmp_path / "log.db"
    plain.write_bytes(b"the log " * 1000)
    sealed = tmp_path / "copy.enc"
    encrypt_file(plain, sealed, PASSPHRASE, kind="backup")
    body = sealed.read_bytes()
    with pytest.raises(WrongPassphrase, match="passphrase does not open copy.enc"):
        decrypt_file(sealed, tmp_path / "wrong", "Not-The-One-2026!")
    header_end = 12 + int.from_bytes(body[8:12], "big")
    for where in range(8, header_end):  # the length, and every byte of the header
        flipped = tmp_path / "flipped.enc"
        damaged = bytearray(body)
        damaged[where] ^= 0x01
        flipped.write_bytes(bytes(damaged))
        with pytest.raises(EncryptedCopyError) as refused:
            decrypt_file(flipped, tmp_path / "out", PASSPHRASE)
        message = str(refused.value)
        assert not isinstance(refused.value, WrongPassphrase) and "passphrase does not open" not in message, where
        assert "damaged" in message or "cannot read" in message, (where, message)
        assert not (tmp_path / "out").exists()
    assert decrypt_file(sealed, tmp_path / "out", PASSPHRASE)["kind"] == "backup"
    assert (tmp_path / "out").read_bytes() == plain.read_bytes()
