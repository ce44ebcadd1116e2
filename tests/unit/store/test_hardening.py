"""Hardening the log (issue 14): each test provokes a failure found by attacking it, on real SQLite files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.store import StoreError, backup_to, open_store
from tests.unit.store.cases import OFFICER, record
from tests.unit.store.test_store import writer


def test_verify_reads_one_snapshot_while_two_writers_record(tmp_path: Path, pack) -> None:
    data = tmp_path / "data"
    with open_store(data) as opened:
        for _ in range(80):  # a log long enough that one verify run spans several commits
            record(opened, pack)
        procs = [writer(data, 60, "A"), writer(data, 60, "B")]
        runs, false_alarms = 0, []
        try:
            while runs < 20 or any(p.poll() is None for p in procs):
                report = opened.verify()
                runs += 1
                false_alarms.extend(report.problems)
        finally:
            outputs = [p.communicate(timeout=120) for p in procs]
        assert all(p.returncode == 0 for p in procs), [o[1] for o in outputs]
        assert runs >= 20 and false_alarms == []
        assert opened.total_cases() == 200 and opened.verify().ok


def _backup_entries(data: Path) -> list[str]:
    conn = sqlite3.connect(data / "cases.db")
    try:
        return [detail for (detail,) in conn.execute("SELECT detail FROM audit_log WHERE kind = 'backup'")]
    finally:
        conn.close()


def test_a_backup_that_cannot_be_written_leaves_no_backup_entry(tmp_path: Path, pack) -> None:
    data = tmp_path / "data"
    # The file name fits the folder, but its `.partial` does not (names are limited to 255 bytes),
    # so the copy itself fails on a real file system.
    target = tmp_path / ("b" * 248 + ".db")
    with open_store(data) as opened:
        record(opened, pack)
        with pytest.raises(StoreError, match="could not be written"):
            backup_to(opened, target, actor=OFFICER)
        assert not target.exists()
        assert opened.verify().ok
    assert _backup_entries(data) == []


def test_a_stale_partial_is_cleared_by_the_next_backup_to_that_name(tmp_path: Path, pack) -> None:
    data = tmp_path / "data"
    target = tmp_path / "copy.db"
    stale = tmp_path / "copy.db.partial"
    stale.write_bytes(b"SQLite format 3\x00 half a copy, its writer killed")
    with open_store(data) as opened:
        record(opened, pack)
        result = backup_to(opened, target, actor=OFFICER)
        assert result.report.ok and result.report.records_checked == 1
    assert not stale.exists()
    assert list(tmp_path.glob("*.partial")) == []
    assert _backup_entries(data) == ["backup to copy.db"]
    copy = sqlite3.connect(target)
    try:  # the copy still carries the entry that names it, as the last link of its chain
        assert copy.execute("SELECT kind FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone() == ("backup",)
    finally:
        copy.close()


def test_a_same_named_trigger_that_does_nothing_is_reported(tmp_path: Path, pack) -> None:
    data = tmp_path / "data"
    with open_store(data) as opened:
        saved = record(opened, pack)
        assert opened.verify().ok
    raw = sqlite3.connect(data / "cases.db", isolation_level=None)
    try:
        raw.execute("DROP TRIGGER case_versions_no_update")
        raw.execute("CREATE TRIGGER case_versions_no_update BEFORE UPDATE ON case_versions BEGIN SELECT 1; END")
        raw.execute("UPDATE case_versions SET officer = officer WHERE case_number = ?", [saved.case_number])
    finally:
        raw.close()
    with open_store(data) as opened:
        problems = opened.verify().problems
    assert any("case_versions_no_update" in p and "altered" in p for p in problems), problems
