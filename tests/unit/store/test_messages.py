"""Messages that used to mislead (issue 14, item 8), provoked on real files, real mounts and a really full disk.

The mounts need root (as the CI machine and the desk's test machine run); elsewhere those tests skip
and say why.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.records import EventKind
from desktop.store import CaseQuery, LogDamaged, StoreError, open_store
from tests.unit.store.cases import OFFICER, record


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here ({done.stderr.strip() or done.returncode}): needs root")


def _umount(point: Path) -> None:
    subprocess.run(["umount", "-l", str(point)], capture_output=True)


@pytest.fixture
def read_only_copy(tmp_path: Path, pack) -> Iterator[tuple[Path, str]]:
    """A log with one case, seen through a read-only bind mount (as on a read-only share or a DVD)."""
    data = tmp_path / "data"
    with open_store(data) as opened:
        number = record(opened, pack, subject={"custody": "in_city_custody", "name": "ROE, RICHARD"}).case_number
    view = tmp_path / "read-only"
    view.mkdir()
    _mount("--bind", str(data), str(view))
    try:
        _mount("-o", "remount,ro,bind", str(view))
        yield view, number
    finally:
        _umount(view)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    point = tmp_path / "disk"
    point.mkdir()
    _mount("-t", "tmpfs", "-o", "size=3m", "tmpfs", str(point))
    try:
        yield point
    finally:
        _umount(point)


def _fill(disk: Path) -> None:
    try:
        with open(disk / "filler", "wb") as out:
            while True:
                out.write(b"\0" * 65536)
    except OSError:
        pass


def test_another_programs_database_is_left_exactly_as_it_was(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    other = data / "cases.db"
    raw = sqlite3.connect(other)
    raw.execute("CREATE TABLE recipes (name TEXT)")
    raw.commit()
    raw.close()
    before = other.read_bytes()
    with pytest.raises(LogDamaged, match="not a Safe Communities Desk case log; it was left untouched"):
        open_store(data)
    assert other.read_bytes() == before  # the header still says rollback journal, not WAL
    assert before[18:20] == b"\x01\x01" and not (data / "cases.db-wal").exists()


@pytest.mark.posix_only(reason="a read-only bind mount needs Linux's mount (as root)")
def test_a_read_only_mount_can_be_read_and_verified_but_records_nothing(read_only_copy, pack) -> None:
    view, number = read_only_copy
    with open_store(view) as opened:
        assert opened.read_only and any("read-only here" in n for n in opened.notices)
        assert opened.count(CaseQuery(text="Richard")) == 1 and opened.get(number).case_number == number
        assert opened.log_event(number, EventKind.VIEW, OFFICER, "case viewed") == opened.chain_head()
        assert opened.verify(actor=OFFICER).ok
        with pytest.raises(StoreError, match="read-only here, so nothing can be recorded"):
            record(opened, pack)
        with pytest.raises(StoreError, match="read-only here"):
            opened.log_event(number, EventKind.MEMO, OFFICER, "memo printed")


@pytest.mark.posix_only(reason="a read-only bind mount needs Linux's mount (as root)")
def test_the_command_line_reads_a_read_only_log_with_accounts(tmp_path: Path, monkeypatch, intake_file) -> None:
    import desktop.signing
    from tests.unit.cli_run import run
    from tests.unit.desk.people import PASSWORDS, staffed_desk

    monkeypatch.setattr(desktop.signing, "SCRYPT_N", 2**12)
    data = tmp_path / "data"
    staffed_desk(data).desk.close()
    officer = {"SAFEDESK_DATA_DIR": str(data), "SAFEDESK_USER": "ofc.smith"}
    officer["SAFEDESK_PASSWORD"] = PASSWORDS["ofc.smith"]
    number = run(officer, "record", str(intake_file)).stdout.strip()
    view = tmp_path / "read-only"
    view.mkdir()
    _mount("--bind", str(data), str(view))
    try:
        _mount("-o", "remount,ro,bind", str(view))
        env = {**officer, "SAFEDESK_DATA_DIR": str(view)}
        for args in (("--json", "log"), ("show", number), ("verify",)):
            done = run(env, *args)
            assert done.returncode == 0, done.stderr
            assert "read-only here" in done.stderr  # said once, on standard error
        refused = run(env, "record", str(intake_file))
        assert refused.returncode == 2 and refused.stderr.count("\n") == 2, refused.stderr
        assert "read-only here, so nothing can be recorded" in refused.stderr.splitlines()[-1]
    finally:
        _umount(view)


@pytest.mark.posix_only(reason="a small full disk is a Linux tmpfs mount (as root)")
def test_a_full_disk_says_so_when_the_log_is_opened_and_when_a_case_is_recorded(small_disk: Path, pack) -> None:
    data = small_disk / "data"
    with open_store(data) as opened:
        for _ in range(3):
            record(opened, pack)
    _fill(small_disk)
    with pytest.raises(StoreError, match="is full; nothing was saved") as opening:
        open_store(data).close()
    assert "I/O" not in str(opening.value)
    (small_disk / "filler").unlink()
    opened = open_store(data)
    try:
        _fill(small_disk)
        with pytest.raises(StoreError, match="is full; nothing was saved"):
            for _ in range(50):
                record(opened, pack, notes="a long note " * 200)
        (small_disk / "filler").unlink()
        assert opened.verify().ok  # nothing half-written
    finally:
        opened.close()
    assert shutil.disk_usage(small_disk).free > 0


@pytest.mark.posix_only(reason="a read-only bind mount needs Linux's mount (as root)")
def test_a_wrong_password_on_a_read_only_log_says_the_password_is_wrong(tmp_path: Path, monkeypatch) -> None:
    import desktop.signing
    from tests.unit.cli_run import invoke
    from tests.unit.desk.people import staffed_desk

    monkeypatch.setattr(desktop.signing, "SCRYPT_N", 2**12)
    data = tmp_path / "data"
    staffed_desk(data).desk.close()
    view = tmp_path / "read-only"
    view.mkdir()
    _mount("--bind", str(data), str(view))
    try:
        _mount("-o", "remount,ro,bind", str(view))
        for user in ("ofc.smith", "nobody"):
            env = {"SAFEDESK_DATA_DIR": str(view), "SAFEDESK_USER": user, "SAFEDESK_PASSWORD": "not-the-password-1"}
            refused = invoke(env, "log")
            last = refused.stderr.splitlines()[-1]
            assert refused.returncode == 2 and "user name or password is wrong" in last, refused.stderr
            assert "could not be recorded" in last and "not signed in" not in last
    finally:
        _umount(view)
