"""The search index rebuilt at open in short transactions: other desks save between them, what they save is
indexed once, a rebuild stopped half-way is done again at the next open, and the result verifies."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.rules import Pack, decide, parse_intake
from desktop.store import CaseQuery, open_store
from desktop.store import index as index_module
from tests.unit.store.cases import OFFICER, intake_data, record


def _log(data: Path, pack: Pack, count: int) -> None:
    with open_store(data) as store:
        items = []
        for n in range(count):
            intake = parse_intake(intake_data(subject={"custody": "in_city_custody", "booking_number": f"RB-{n:04d}"}))
            items.append((intake, decide(intake, pack), OFFICER, None))
        store.record_many(items, pack)
        for n in range(0, count, 7):  # some cases have a second version: the index shows the newest
            version = store.get(f"{store.search(limit=1)[0].case_number[:5]}{n + 1:06d}").current
            store.amend(version.case_number, version.intake, version.decision, pack, officer=OFFICER, reason="Fixed")


def _lose_status_facets(data: Path) -> None:
    raw = sqlite3.connect(data / "cases.db")
    raw.execute("DELETE FROM case_facets WHERE facet >= 'status:' AND facet < 'status;'")
    raw.commit()
    raw.close()


def test_other_desks_save_between_the_batches_and_their_cases_are_indexed_once(
    tmp_path: Path, pack: Pack, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    _log(data, pack, 120)
    other = open_store(data)  # another desk, open before the index was damaged
    other._conn.execute("PRAGMA busy_timeout = 0")  # and not willing to wait at all
    _lose_status_facets(data)
    monkeypatch.setattr(index_module, "HOLD_SECONDS", 0.0)  # one chunk a transaction
    monkeypatch.setattr(index_module, "_CHUNK", 10)
    monkeypatch.setattr(index_module, "_FACET_RANGE", 30)  # the facets of 30 cases a transaction
    saved: list[str] = []

    def another_desk_saves(_seconds: float) -> None:
        # Between two batches the lock is free: the other desk records a case.
        booking = f"OTHER-{len(saved)}"
        saved.append(record(other, pack, subject={"custody": "in_city_custody", "booking_number": booking}).case_number)

    monkeypatch.setattr(index_module.time, "sleep", another_desk_saves)
    with open_store(data) as store:
        assert any("Search index rebuilt from the log" in n for n in store.notices)
        assert len(saved) >= 3 + 11  # between the four transactions clearing facets, and the twelve indexing
        total = store.total_cases()
        assert total == 120 + len(saved)
        assert store.count() == total and store.count(CaseQuery(status="decided")) == total
        for number in saved:
            assert store.count(CaseQuery(text=number)) == 1
        indexed = store._conn.execute("SELECT COUNT(*), COUNT(DISTINCT case_number) FROM case_index").fetchone()
        assert tuple(indexed) == (total, total)
        assert index_module.index_disagrees(store._conn) is None
        report = store.verify()
        assert report.ok, report.problems[:3]
    other.close()


def test_a_rebuild_stopped_half_way_is_done_again_at_the_next_open(
    tmp_path: Path, pack: Pack, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    _log(data, pack, 60)
    _lose_status_facets(data)
    monkeypatch.setattr(index_module, "HOLD_SECONDS", 0.0)
    monkeypatch.setattr(index_module, "_CHUNK", 10)

    def stopped(_seconds: float) -> None:
        raise KeyboardInterrupt  # as a kill between two batches leaves it

    monkeypatch.setattr(index_module.time, "sleep", stopped)
    with pytest.raises(KeyboardInterrupt):
        open_store(data)
    raw = sqlite3.connect(data / "cases.db")
    assert raw.execute("SELECT COUNT(*) FROM case_index").fetchone()[0] == 10  # the first batch only
    raw.close()
    monkeypatch.undo()
    with open_store(data) as store:
        assert any(
            "Search index rebuilt from the log (60 cases): 10 of 60 cases are indexed" in n for n in store.notices
        )
        assert store.count() == 60 and store.count(CaseQuery(text="RB-0059")) == 1
        assert store.verify().ok
