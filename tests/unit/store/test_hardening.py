"""Hardening the log (issue 14): each test provokes a failure found by attacking it, on real SQLite files."""

from __future__ import annotations

from pathlib import Path

from desktop.store import open_store
from tests.unit.store.cases import record
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
