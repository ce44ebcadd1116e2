"""Hostile files and numbers at the command line: every file read is a regular file read to a limit, every file
written replaces only a regular file, and no number is too large to get a clear one-line error."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tests.unit.cli_run import S01, invoke
from tests.unit.conftest import as_user


@pytest.fixture
def case(env: dict[str, str], intake_file: Path) -> str:
    recorded = invoke(env, "record", str(intake_file))
    assert recorded.returncode == 0, recorded.stderr
    return recorded.stdout.strip()


@pytest.fixture
def hostile(tmp_path: Path) -> dict[str, Path]:
    """Things that are not files, each under a name a person could type."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # reading it would wait for a writer for ever
    folder = tmp_path / "folder.json"
    folder.mkdir()
    return {"a device": Path("/dev/zero"), "a pipe (FIFO)": fifo, "a folder": folder}


def _one_line_refusal(result, kind: str) -> None:  # type: ignore[no-untyped-def]
    assert result.returncode == 2, result
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"is {kind}, not a file" in result.stderr, result.stderr


@pytest.mark.posix_only(reason="a device, a FIFO and /dev/zero as POSIX has them; Windows has no mkfifo")
def test_only_regular_files_are_read(env: dict[str, str], intake_file: Path, case: str, hostile) -> None:  # type: ignore[no-untyped-def]
    admin = as_user(env, "admin")
    for kind, path in hostile.items():
        for who, command in (
            (env, ("record", str(path))),
            (env, ("decide", str(path))),
            (env, ("amend", case, str(path), "--reason", "corrected")),
            *([] if kind == "a folder" else [(env, ("--policy", str(path), "decide", str(intake_file)))]),  # a pack's
            (admin, ("verify", "--receipt", str(path))),
            (env, ("verify-memo", str(path))),
            (admin, ("verify", "--memo", str(path))),
            (admin, ("verify", "--cosignature", str(path))),
            (admin, ("witness", str(path))),
        ):
            _one_line_refusal(invoke(who, *command), kind)
    assert stat.S_ISFIFO(os.stat(hostile["a pipe (FIFO)"]).st_mode)


def test_an_intake_past_its_limit_is_refused_with_the_limit(env: dict[str, str], tmp_path: Path) -> None:
    padded = json.dumps(S01).encode() + b" " * (1024 * 1024)
    big = tmp_path / "big.json"
    big.write_bytes(padded)
    from_file = invoke(env, "record", str(big))
    assert from_file.returncode == 2 and "an intake may be at most 1 MB" in from_file.stderr, from_file
    piped = invoke(env, "record", "-", stdin=padded)
    assert piped.returncode == 2 and "standard input holds more than 1 MB" in piped.stderr, piped
    assert "0 of 0" in invoke(env, "log").stdout


@pytest.mark.posix_only(reason="a device, a FIFO and /dev/zero as POSIX has them; Windows has no mkfifo")
def test_writing_never_replaces_anything_but_a_regular_file(env: dict[str, str], case: str, hostile, tmp_path) -> None:  # type: ignore[no-untyped-def]
    targets = {kind: path for kind, path in hostile.items() if kind != "a device"}
    if os.geteuid() == 0:  # as root a rename would replace a device node: one of our own, like /dev/full
        device = tmp_path / "full"
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
        targets["a device"] = device
    admin = as_user(env, "admin")
    for kind, path in targets.items():
        before = os.stat(path).st_mode
        for who, command in (
            (env, ("memo", case, "-o", str(path), "--no-encrypt")),
            (env, ("receipt", "-o", str(path))),
            (admin, ("audit", "--csv", str(path), "--no-encrypt")),
        ):
            result = invoke(who, *command)
            assert result.returncode == 2 and result.stderr.count("\n") == 1, (command, result)
            assert f"it is {kind}, not a file; the desk writes only files" in result.stderr, result.stderr
            assert os.stat(path).st_mode == before, command
    empty = invoke(env, "memo", case, "-o", "", "--no-encrypt")
    assert empty.returncode == 2 and "names no file; give a file name" in empty.stderr, empty
    sealed = invoke({**env, "SAFEDESK_BACKUP_PASSPHRASE": "a passphrase long enough 42"}, "memo", case, "-o", "")
    assert sealed.returncode == 2 and "names no file; give a file name" in sealed.stderr, sealed
    assert not list(tmp_path.glob(".*partial"))


def test_huge_numbers_get_an_answer_or_one_line(env: dict[str, str], intake_file: Path, case: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    huge = "9" * 30
    listed = invoke(env, "log", "--limit", huge)
    assert listed.returncode == 0 and case in listed.stdout, listed
    skipped = invoke(env, "log", "--offset", huge)
    assert skipped.returncode == 0 and case not in skipped.stdout, skipped
    assert invoke(as_user(env, "admin"), "audit", "--limit", huge).returncode == 0
    digits = tmp_path / "digits.json"
    digits.write_text(json.dumps(S01).replace('"fax"', "9" * 5000), encoding="utf-8")
    refused = invoke(env, "record", str(digits))
    assert refused.returncode == 2 and "a number of 5000 digits" in refused.stderr, refused
    assert "set_int_max_str_digits" not in refused.stderr
    for when in ("0001-01-01T00:00:00+00:00", "9999-12-31T23:59:00+00:00"):
        dated = tmp_path / "dated.json"
        dated.write_text(json.dumps({**S01, "received_at": when}), encoding="utf-8")
        for command in ("decide", "record"):
            result = invoke(env, command, str(dated))
            assert result.returncode == 2 and "is out of range" in result.stderr, (when, command, result)
