"""Dates in the jurisdiction's time zone (the pack's), the actor's one format, and a clock the desk can set."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from PIL import Image

from desktop.records import Actor
from desktop.rules import Pack, decide, parse_intake
from desktop.store import CaseQuery, backup_to, open_store, restore_from
from tests.conftest import downgrade_to_first_schema
from tests.unit.store.cases import OFFICER, intake_data, pack_in_zone, record

NEW_YEAR_UTC = "2027-01-01T03:30:00+00:00"  # 22:30 on 31 December in Northampton


@pytest.fixture
def eastern(tmp_path: Path) -> Pack:
    return pack_in_zone(tmp_path / "eastern", "America/New_York")


@pytest.fixture
def zoneless(tmp_path: Path) -> Pack:
    return pack_in_zone(tmp_path / "old", "")


def numbers(store, query: CaseQuery) -> list[str]:
    return [s.case_number for s in store.search(query)]


def test_the_date_filter_uses_the_packs_day(tmp_path: Path, eastern: Pack) -> None:
    with open_store(tmp_path / "data") as store:
        late = record(store, eastern, received_at=NEW_YEAR_UTC)
        assert numbers(store, CaseQuery(since=dt.date(2026, 12, 31), until=dt.date(2026, 12, 31))) == [late.case_number]
        assert numbers(store, CaseQuery(since=dt.date(2027, 1, 1))) == []
        assert store.verify().ok


def test_a_pack_naming_no_zone_keeps_the_day_as_typed(tmp_path: Path, zoneless: Pack) -> None:
    with open_store(tmp_path / "data") as store:
        typed = record(store, zoneless, received_at=NEW_YEAR_UTC)
        assert numbers(store, CaseQuery(since=dt.date(2027, 1, 1))) == [typed.case_number]
        assert store.verify().ok


def test_case_numbers_take_the_jurisdictions_year(tmp_path: Path, eastern: Pack) -> None:
    intake = parse_intake(intake_data())
    decision = decide(intake, eastern)
    with open_store(tmp_path / "data") as store:
        late = dt.datetime(2027, 1, 1, 2, 0, tzinfo=dt.UTC)  # 21:00 on 31 December in Northampton
        first = store.record(intake, decision, eastern, officer=OFFICER, now=late)
        assert first.case_number == "2026-000001" and first.recorded_at.startswith("2027-01-01T02:00:00")
        dawn = dt.datetime(2027, 1, 1, 5, 0, tzinfo=dt.UTC)  # midnight in Northampton: the new year
        assert store.record(intake, decision, eastern, officer=OFFICER, now=dawn).case_number == "2027-000001"
        assert store.verify().ok


def test_an_index_day_from_before_is_corrected_on_upgrade(tmp_path: Path, eastern: Pack) -> None:
    data = tmp_path / "data"
    with open_store(data) as store:
        late = record(store, eastern, received_at=NEW_YEAR_UTC)
        other = record(store, eastern, received_at="2026-06-01T12:00:00-04:00")
    # What the release before wrote: the day as typed, and no m006 yet.
    raw = sqlite3.connect(data / "cases.db")
    raw.execute("UPDATE case_index SET received_day = substr(received_at, 1, 10)")
    raw.execute("DELETE FROM _sqlite_migrations WHERE name = 'm006_received_day_in_pack_zone'")
    raw.commit()
    entries_before = [tuple(r) for r in raw.execute("SELECT * FROM audit_log ORDER BY seq")]
    raw.close()
    with open_store(data) as store:
        assert any("upgraded (m006_received_day_in_pack_zone)" in n for n in store.notices)
        day = {r[0]: r[1] for r in store._conn.execute("SELECT case_number, received_day FROM case_index")}
        assert day == {late.case_number: "2026-12-31", other.case_number: "2026-06-01"}
        entries = [tuple(r) for r in store._conn.execute("SELECT * FROM audit_log ORDER BY seq")]
        assert entries[: len(entries_before)] == entries_before  # the log itself is only added to
        assert [(e[2], e[5]) for e in entries[len(entries_before) :]] == [("migrated", "SYSTEM #-")]
        assert store.verify().ok


def test_verify_names_a_stale_index_day_and_rebuild_fixes_it(tmp_path: Path, eastern: Pack) -> None:
    data = tmp_path / "data"
    with open_store(data) as store:
        late = record(store, eastern, received_at=NEW_YEAR_UTC)
        store._conn.execute("UPDATE case_index SET received_day = substr(received_at, 1, 10)")
    with open_store(data) as store:  # a fresh store: the pack's zone is read from the copy in the log
        assert store.verify().problems == (
            f"the search index does not match case {late.case_number} (run `main.py verify --rebuild-index`)",
        )
        assert store.rebuild_index() == 1 and store.verify().ok


def test_an_old_log_is_upgraded_by_the_system_actor(tmp_path: Path, pack: Pack) -> None:
    data = tmp_path / "data"
    with open_store(data) as store:
        record(store, pack)
    downgrade_to_first_schema(data / "cases.db")
    at = dt.datetime(2027, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
    with open_store(data, now=at) as store:
        migrated = store._conn.execute("SELECT actor, at FROM audit_log WHERE kind = 'migrated'").fetchone()
        assert tuple(migrated) == (Actor.system().label, "2027-03-04T05:06:07.000000+00:00")
        assert store.verify().ok
    assert list((data / "backups").glob("cases-before-m002_search_index-20270304T050607Z.db"))


def test_every_action_takes_an_actor_and_a_clock(tmp_path: Path, pack: Pack) -> None:
    sergeant = Actor("K. JONES", "77")
    at = dt.datetime(2027, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
    stamp = "2027-02-03T04:05:06.000000+00:00"
    scan = tmp_path / "fax.pdf"
    Image.new("L", (64, 64), "white").save(scan)  # a real PDF: scans are parsed whole
    data = tmp_path / "data"
    with open_store(data) as store:
        intake = parse_intake(intake_data())
        saved = store.record(intake, decide(intake, pack), pack, officer=sergeant, now=at)
        amended = store.amend(
            saved.case_number,
            intake,
            decide(intake, pack),
            pack,
            officer=sergeant,
            reason="resolved by counsel",
            status="resolved",
            now=at,
        )
        attached = store.add_attachment(saved.case_number, scan, actor=sergeant, now=at)
        store.log_event(saved.case_number, "memo", sergeant, "memo printed", now=at)
        assert store.verify(actor=sergeant, now=at).ok
        backup_to(store, tmp_path / "copy.db", actor=sergeant, now=at)
        assert (saved.officer, amended.officer, attached.added_by, attached.added_at) == (
            "K. JONES #77",
            "K. JONES #77",
            "K. JONES #77",
            stamp,
        )
    result = restore_from(data, tmp_path / "copy.db", actor=sergeant, now=at)
    assert result.report.ok and result.kept is not None and result.kept.name == "cases-replaced-20270203T040506Z.db"
    with open_store(data) as store:
        entries = [tuple(r) for r in store._conn.execute("SELECT kind, actor, at FROM audit_log ORDER BY seq")]
    kinds = ["recorded", "amended", "attachment", "memo", "verify", "backup", "restore"]
    assert entries == [(kind, "K. JONES #77", stamp) for kind in kinds]
