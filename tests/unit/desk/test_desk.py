"""Tests for desktop.desk: the one flow both doors call, on a real SQLite log and real PDF files."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from desktop.desk import Change, Desk, EventKind, Status
from desktop.store import InvalidInput
from tests.conftest import Clock
from tests.unit.cli_run import S01, run
from tests.unit.desk.people import PASSWORDS, SAME_BOOKING, Staff, staffed_desk


def _real_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (16, 16), 255).save(buffer, "PNG")
    return buffer.getvalue()


PNG = _real_png()  # a real picture: a scan is decoded whole before it is kept


def fixed_clock(moment: dt.datetime):
    return lambda: moment


@pytest.fixture
def staff(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Staff:
    import desktop.signing

    monkeypatch.setattr(desktop.signing, "SCRYPT_N", 2**12)  # accounts for tests: a cheaper scrypt
    staffed = staffed_desk(tmp_path / "data")
    yield staffed
    staffed.desk.close()


@pytest.fixture
def desk(staff: Staff) -> Desk:
    return staff.desk


def raw_counts(path: Path) -> tuple[int, int, int]:
    raw = sqlite3.connect(path)
    try:
        return tuple(
            raw.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("cases", "audit_log", "attachments")
        )  # type: ignore[return-value]
    finally:
        raw.close()


def test_a_scan_that_fails_leaves_no_case_no_entry_and_no_number(staff, desk: Desk, tmp_path: Path) -> None:
    first = desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    good = tmp_path / "fax.png"
    good.write_bytes(PNG)
    missing = tmp_path / "gone.pdf"  # chosen in the wizard, then deleted before recording
    before = raw_counts(desk.log_file)
    with pytest.raises(InvalidInput, match="gone.pdf"):
        desk.cases.record(staff.officer, desk.decide(S01), scans=[good, missing], confirmed=SAME_BOOKING)
    assert raw_counts(desk.log_file) == before
    # The number the failed attempt would have taken is the next one handed out.
    again = desk.cases.record(staff.officer, desk.decide(S01), scans=[good], confirmed=SAME_BOOKING)
    assert int(again.case_number.split("-")[1]) == int(first.case_number.split("-")[1]) + 1
    record = desk.cases.open(staff.officer, again.case_number, audit=False)
    assert [a.filename for a in record.attachments] == ["fax.png"]
    assert [e.kind for e in record.events] == [EventKind.RECORDED, EventKind.ATTACHMENT]
    assert desk.log.verify(staff.officer).ok


def test_an_amendment_whose_scan_fails_leaves_the_case_as_it_was(staff, desk: Desk, tmp_path: Path) -> None:
    saved = desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    not_a_scan = tmp_path / "notes.txt"
    not_a_scan.write_text("not a scan")
    before = raw_counts(desk.log_file)
    with pytest.raises(InvalidInput, match="notes.txt"):
        desk.cases.amend(staff.officer, saved.case_number, desk.decide(S01), reason="typo", scans=[not_a_scan])
    assert raw_counts(desk.log_file) == before
    assert len(desk.cases.open(staff.officer, saved.case_number, audit=False).versions) == 1


def test_case_numbers_follow_the_desk_clock_in_the_pack_time_zone(staff, tmp_path: Path) -> None:
    # 02:00 UTC on 1 January 2031 is still 31 December 2030 in Northampton.
    new_year = staffed_desk(tmp_path / "a", Clock(dt.datetime(2031, 1, 1, 2, 0, tzinfo=dt.UTC)))
    later = staffed_desk(tmp_path / "b", Clock(dt.datetime(2031, 1, 1, 6, 0, tzinfo=dt.UTC)))
    try:
        assert new_year.desk.cases.record(new_year.officer, new_year.desk.decide(S01)).case_number == "2030-000001"
        assert later.desk.cases.record(later.officer, later.desk.decide(S01)).case_number == "2031-000001"
    finally:
        new_year.desk.close()
        later.desk.close()


def test_resolve_decides_again_and_needs_an_outcome(staff, desk: Desk) -> None:
    referred = {**S01, "documents": [{"kind": "state_court_order", "signer": "state_judge", "verified": True}]}
    saved = desk.cases.record(staff.officer, desk.decide(referred), confirmed=SAME_BOOKING)
    assert saved.status == Status.REFERRED
    with pytest.raises(InvalidInput, match="outcome"):
        desk.cases.resolve(staff.supervisor, saved.case_number, outcome="   ")
    resolved = desk.cases.resolve(staff.supervisor, saved.case_number, outcome="Solicitor: declined")
    assert resolved.status == Status.RESOLVED and resolved.amendment_reason == "Resolved: Solicitor: declined"
    assert resolved.officer == "SGT. K. JONES #77"


def test_listeners_hear_typed_changes_and_a_broken_listener_stops_no_one(staff, desk: Desk) -> None:
    heard: list[Change] = []

    def broken(_change: Change) -> None:
        raise RuntimeError("a view that fails")

    desk.changes.subscribe(broken)
    unsubscribe = desk.changes.subscribe(heard.append)
    saved = desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    desk.paper.print_memo(staff.officer, saved.case_number)
    assert heard == [Change(EventKind.RECORDED, saved.case_number), Change(EventKind.MEMO, saved.case_number)]
    unsubscribe()
    desk.log.verify(staff.officer)
    assert len(heard) == 2


def test_print_memo_is_a_safe_save_then_an_audit_event(staff, desk: Desk, tmp_path: Path) -> None:
    from pypdf import PdfReader

    saved = desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    path = desk.paper.print_memo(staff.officer, saved.case_number)
    assert path == desk.data_dir / "memos" / f"{saved.case_number}-v1.pdf"
    assert saved.case_number in PdfReader(path).pages[0].extract_text()
    assert not list(path.parent.glob("*.partial"))
    events = desk.cases.open(staff.officer, saved.case_number, audit=False).events
    assert events[-1].kind == EventKind.MEMO and events[-1].detail == f"memo of version 1 saved as {path.name}"
    # A memo that cannot be written leaves no file, no partial file and no audit entry.
    blocked = tmp_path / "no-such-folder" / "memo.pdf"
    with pytest.raises(Exception, match="no-such-folder"):
        desk.paper.print_memo(staff.officer, saved.case_number, target=blocked, no_encrypt=True)
    assert len(desk.cases.open(staff.officer, saved.case_number, audit=False).events) == len(events)


def test_export_writes_each_memo_and_stops_when_asked(staff, desk: Desk, tmp_path: Path) -> None:
    numbers = [desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING).case_number for _ in range(3)]
    out = tmp_path / "out"
    out.mkdir()
    seen: list[tuple[int, int]] = []
    result = desk.paper.export_memos(staff.supervisor, out, progress=lambda d, t: seen.append((d, t)), no_encrypt=True)
    assert sorted(p.name for p in result.files) == sorted(f"{n}-v1.pdf" for n in numbers)
    assert seen[-1] == (3, 3)
    stopped = desk.paper.export_memos(staff.supervisor, out, cancelled=lambda: True, no_encrypt=True)
    assert stopped.cancelled and stopped.files == ()


def test_verify_log_means_chain_records_and_integrity_check(staff, desk: Desk) -> None:
    desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    assert desk.log.verify(staff.officer).ok
    path = desk.log_file
    desk.close()
    raw = sqlite3.connect(path)
    raw.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    raw.execute("UPDATE audit_log SET actor = 'SOMEONE ELSE #1' WHERE seq = 1")
    raw.commit()
    raw.close()
    check = desk.log.verify(staff.officer)
    assert not check.ok and any("audit entry 1" in p for p in check.problems)


def test_a_background_thread_gets_its_own_connection(staff, desk: Desk) -> None:
    import threading

    desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    results: list[object] = []

    def job() -> None:
        try:
            results.append(desk.log.verify(staff.officer).ok)
            results.append(desk._store is not main_store)
        finally:
            desk.close_thread()

    main_store = desk._store
    worker = threading.Thread(target=job)
    worker.start()
    worker.join()
    assert results == [True, True]
    assert desk._store is main_store


def run_in(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SAFEDESK_DATA_DIR": str(data), "SAFEDESK_USER": "ofc.smith"}
    return run({**env, "SAFEDESK_PASSWORD": PASSWORDS["ofc.smith"]}, *args)


def audit_trail(path: Path) -> list[tuple[str, str]]:
    raw = sqlite3.connect(path)
    try:
        return [(str(k), str(a)) for k, a in raw.execute("SELECT kind, actor FROM audit_log ORDER BY seq")]
    finally:
        raw.close()


def test_the_command_line_and_the_window_desk_write_the_same_audit_trail(tmp_path: Path, monkeypatch) -> None:
    import desktop.signing

    monkeypatch.setattr(desktop.signing, "SCRYPT_N", 2**12)
    intake = tmp_path / "s01.json"
    intake.write_text(json.dumps(S01), encoding="utf-8")
    scan = tmp_path / "fax.png"
    scan.write_bytes(PNG)

    cli = tmp_path / "cli"
    staffed_desk(cli).desk.close()
    case = run_in(cli, "record", str(intake), "--scan", str(scan)).stdout.strip()
    assert case
    assert run_in(cli, "amend", case, str(intake), "--reason", "typo").returncode == 0
    assert run_in(cli, "memo", case, "-o", str(tmp_path / "cli.pdf"), "--no-encrypt").returncode == 0
    assert run_in(cli, "verify").returncode == 0

    staff = staffed_desk(tmp_path / "window")  # what the main window and its background jobs call
    window, officer = staff.desk, staff.officer
    try:
        saved = window.cases.record(officer, window.decide(S01), scans=[scan], confirmed=SAME_BOOKING)
        window.cases.amend(officer, saved.case_number, window.decide(S01), reason="typo")
        window.paper.print_memo(officer, saved.case_number, target=tmp_path / "window.pdf", no_encrypt=True)
        assert window.log.verify(officer).ok
    finally:
        window.close()

    # The command line signs in once per command, the window once per shift: compare what was done.
    done = {"recorded", "attachment", "amended", "memo", "verify"}
    from_cli = [(k, a) for k, a in audit_trail(cli / "cases.db") if k in done]
    from_window = [(k, a) for k, a in audit_trail(tmp_path / "window" / "cases.db") if k in done]
    assert from_cli == from_window
    assert [k for k, _ in from_cli] == ["recorded", "attachment", "amended", "memo", "verify"]
    assert {a for _, a in from_cli} == {"J. SMITH #1234"}
    sign_ins = [a for k, a in audit_trail(cli / "cases.db") if k == "sign_in"]
    assert sign_ins[-4:] == ["J. SMITH #1234"] * 4  # each command signed in as its officer
