"""Scans are written in the same transaction as the case or version they arrive with: all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.records import Actor
from desktop.rules import decide, parse_intake
from desktop.store import InvalidInput, StoreError, open_store
from tests.unit.store.cases import OFFICER, count_rows, intake_data, record

TABLES = ("cases", "case_versions", "audit_log", "attachments", "case_index")


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path / "data") as opened:
        yield opened


def pdf(folder: Path, name: str = "fax.pdf", size: int = 0) -> Path:
    path = folder / name
    path.write_bytes(b"%PDF-1.4\n% a scanned fax\n" + b"0" * size)
    return path


def rows(store) -> dict[str, int]:
    return {table: count_rows(store, table) for table in TABLES}


def test_a_case_and_its_scans_are_recorded_together(store, pack, tmp_path: Path) -> None:
    intake = parse_intake(intake_data())
    png = tmp_path / "id.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"scan" * 10)
    saved = store.record(
        intake, decide(intake, pack), pack, officer=Actor("J. SMITH", "1234"), scans=[pdf(tmp_path), png]
    )
    case = store.get(saved.case_number)
    assert case.current == saved
    assert [e.kind for e in case.events] == ["recorded", "attachment", "attachment"]
    assert {e.actor for e in case.events} == {OFFICER}
    assert [(a.filename, a.added_by, a.added_at) for a in case.attachments] == [
        ("fax.pdf", OFFICER, saved.recorded_at),
        ("id.png", OFFICER, saved.recorded_at),
    ]
    assert store.verify().ok


@pytest.mark.parametrize("problem", ["missing", "not a scan", "too big", "a folder"])
def test_a_scan_that_fails_leaves_no_case_no_entry_and_no_number_used(store, pack, tmp_path: Path, problem) -> None:
    bad = tmp_path / "bad.pdf"
    if problem == "not a scan":
        bad.write_text("MZ a program, not a scan")
    elif problem == "too big":
        with open(bad, "wb") as handle:
            handle.write(b"%PDF-")
            handle.truncate(26 * 1024 * 1024)
    elif problem == "a folder":
        bad.mkdir()
    intake = parse_intake(intake_data())
    with pytest.raises(InvalidInput, match="bad.pdf"):
        store.record(intake, decide(intake, pack), pack, officer=OFFICER, scans=[pdf(tmp_path), bad])
    assert rows(store) == dict.fromkeys(TABLES, 0)
    assert count_rows(store, "policy_packs") == 0
    assert record(store, pack).case_number.endswith("-000001")  # the number was not used
    assert store.verify().ok


def test_an_amendment_with_a_failing_scan_writes_no_version(store, pack, tmp_path: Path) -> None:
    saved = record(store, pack)
    intake = parse_intake(intake_data(notes="corrected"))
    before = rows(store)
    with pytest.raises(InvalidInput, match="gone.pdf"):
        store.amend(
            saved.case_number,
            intake,
            decide(intake, pack),
            pack,
            officer=OFFICER,
            reason="scan of the detainer",
            scans=[tmp_path / "gone.pdf"],
        )
    assert rows(store) == before and len(store.get(saved.case_number).versions) == 1
    amended = store.amend(
        saved.case_number,
        intake,
        decide(intake, pack),
        pack,
        officer=OFFICER,
        reason="scan of the detainer",
        scans=[pdf(tmp_path)],
    )
    case = store.get(saved.case_number)
    assert case.current == amended and [e.kind for e in case.events] == ["recorded", "amended", "attachment"]
    assert store.verify().ok


def test_a_disk_filling_up_mid_transaction_leaves_nothing_half_written(store, pack, tmp_path: Path) -> None:
    record(store, pack)
    before = rows(store)
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    # Room for the case's own rows but not for its 1 MB scan: the disk fills after the case is written.
    store._conn.execute(f"PRAGMA max_page_count = {pages + 40}")
    intake = parse_intake(intake_data())
    with pytest.raises(StoreError, match="full"):
        store.record(intake, decide(intake, pack), pack, officer=OFFICER, scans=[pdf(tmp_path, size=1_000_000)])
    assert rows(store) == before
    assert store.verify().ok
    # The same case without the scan fits in the room left, and takes the next number: none was used.
    assert record(store, pack).case_number.endswith("-000002")
    store._conn.execute("PRAGMA max_page_count = 1073741823")
    assert store.verify().ok
