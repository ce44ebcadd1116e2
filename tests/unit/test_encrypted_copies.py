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


def test_what_a_killed_open_copy_left_is_cleared_by_the_next_one(tmp_path: Path, monkeypatch) -> None:
    import os
    import subprocess
    import sys
    import textwrap
    import time

    from desktop.desk.copies import Copies
    from tests.conftest import ROOT

    monkeypatch.setattr(desktop.encrypted, "SCRYPT_N", 2**12)
    plain = tmp_path / "log.db"
    plain.write_bytes(os.urandom(3 * 1024 * 1024))
    sealed = tmp_path / "copy.enc"
    encrypt_file(plain, sealed, PASSPHRASE, kind="backup")
    stick = tmp_path / "stick"
    stick.mkdir()
    script = textwrap.dedent(
        f"""
        import os, sys
        import desktop.encrypted as enc
        real = enc._plain_blocks
        def killed(*args):
            for block in real(*args):
                yield block
                os._exit(9)  # killed after the first megabyte was written
        enc._plain_blocks = killed
        from desktop.desk.copies import Copies
        Copies.open_copy(sys.argv[1], sys.argv[2], {PASSPHRASE!r})
        """
    )
    for name in ("first.db", "second.db"):
        run = subprocess.run([sys.executable, "-c", script, str(sealed), str(stick / name)], cwd=ROOT)
        assert run.returncode == 9
    left = sorted(stick.iterdir())
    assert len(left) == 2 and all(p.name.endswith(".partial") and p.stat().st_size > 0 for p in left), left
    old = time.time() - 3600
    os.utime(left[0], (old, old))  # killed an hour ago; the other may still be running
    assert Copies.open_copy(sealed, stick / "log.db", PASSPHRASE) == "backup"
    assert sorted(stick.iterdir()) == [left[1], stick / "log.db"]
