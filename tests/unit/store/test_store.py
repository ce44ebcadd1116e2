"""Tests for desktop.store on real SQLite files: recording, amending, search, concurrency, tampering, backup."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from desktop.records import Override
from desktop.rules import decide, parse_intake
from desktop.store import (
    CaseNotFound,
    CaseQuery,
    InvalidInput,
    LogDamaged,
    LogLocked,
    NewerLog,
    StoreError,
    backup_to,
    open_store,
    restore_from,
)
from desktop.store.schema import known_migrations, migrations
from tests.conftest import ROOT, downgrade_to_first_schema
from tests.unit.store.cases import OFFICER, intake_data, record


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path / "data") as opened:
        yield opened


def test_record_numbers_hashes_and_chains(store, pack) -> None:
    first = record(store, pack)
    second = record(store, pack, subject={"custody": "released", "name": "ROE, RICHARD"})
    year = dt.datetime.now().astimezone().year
    assert (first.case_number, second.case_number) == (f"{year}-000001", f"{year}-000002")
    assert first.status == "decided" and first.version == 1
    assert len(first.record_hash) == 64 and first.record_hash != second.record_hash
    saved = store.get(first.case_number)
    assert saved.current.decision.responses[0].code == "NO_HOLD"
    assert saved.current.decision.policy_sha256 == pack.sha256
    assert [e.kind for e in saved.events] == ["recorded"]
    assert store.pack_content(pack.sha256) == (pack.path).read_bytes()
    assert store.verify().ok


def test_referral_and_override_mark_the_case_for_review(store, pack) -> None:
    referred = record(store, pack, claims_mandatory=True)
    assert referred.status == "referred"
    intake = parse_intake(intake_data())
    overridden = store.record(
        intake, decide(intake, pack), pack, officer=OFFICER, override=Override("Judge called", "SGT. LEE #7")
    )
    assert overridden.status == "referred" and overridden.override == Override("Judge called", "SGT. LEE #7")
    assert store.get(overridden.case_number).current.decision.responses[0].code == "NO_HOLD"
    assert {s.case_number for s in store.search(CaseQuery(status="referred"))} == {
        referred.case_number,
        overridden.case_number,
    }


def test_amendment_adds_a_version_and_keeps_the_old_one(store, pack) -> None:
    original = record(store, pack)
    corrected = parse_intake(intake_data(subject={"custody": "in_city_custody", "booking_number": "26-000188"}))
    amended = store.amend(
        original.case_number,
        corrected,
        decide(corrected, pack),
        pack,
        officer="SGT. K. JONES #77",
        reason="booking number mistyped",
        status="resolved",
    )
    case = store.get(original.case_number)
    assert [v.version for v in case.versions] == [1, 2]
    assert case.versions[0] == original  # unchanged, hash and all
    assert case.current == amended and amended.amendment_reason == "booking number mistyped"
    assert amended.status == "resolved"
    assert [e.kind for e in case.events] == ["recorded", "amended"]
    assert store.search(CaseQuery(text="26-000188"))[0].version == 2
    assert store.search(CaseQuery(text="26-000187")) == []
    assert store.verify().ok


def test_bad_input_is_refused_and_nothing_is_written(store, pack) -> None:
    intake = parse_intake(intake_data())
    decision = decide(intake, pack)
    for officer in ("", "J. SMITH", "#1234", "x" * 600):
        with pytest.raises(InvalidInput):
            store.record(intake, decision, pack, officer=officer)
    saved = record(store, pack)
    with pytest.raises(InvalidInput, match="reason"):
        store.amend(saved.case_number, intake, decision, pack, officer=OFFICER, reason="  ")
    with pytest.raises(CaseNotFound):
        store.amend("2026-999999", intake, decision, pack, officer=OFFICER, reason="x")
    with pytest.raises(InvalidInput, match="status"):
        store.amend(saved.case_number, intake, decision, pack, officer=OFFICER, reason="x", status="closed")
    assert store.total_cases() == 1 and len(store.get(saved.case_number).versions) == 1
    assert store.verify().entries_checked == 1


def test_the_log_refuses_updates_and_deletes(store, pack) -> None:
    saved = record(store, pack)
    raw = sqlite3.connect(store.path)
    for statement in (
        "UPDATE case_versions SET officer = 'X #1'",
        "DELETE FROM case_versions",
        "UPDATE audit_log SET actor = 'X'",
        "DELETE FROM audit_log",
        "DELETE FROM cases",
        "UPDATE policy_packs SET version = '9'",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw.execute(statement)
    raw.close()
    assert store.get(saved.case_number).current == saved


def test_no_column_can_hold_immigration_status(store) -> None:
    forbidden = ("status_immigration", "immigration", "citizen", "nationality", "birth", "alien")
    tables = [r[0] for r in store._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        for column in store._conn.execute(f"PRAGMA table_info('{table}')"):
            assert not any(word in column[1].lower() for word in forbidden), (table, column[1])


def test_search_and_filters(store, pack) -> None:
    a = record(store, pack, notes="Fax arrived with a cover sheet from the Burlington office.")
    b = record(
        store,
        pack,
        requester="ice_hsi",
        purpose="criminal_unrelated",
        documents=[],
        actions=["share_info"],
        info=["booking_record"],
        subject={"custody": "in_city_custody", "name": "NÚÑEZ, JOSÉ", "booking_number": "B-77"},
        received_at="2026-02-20T09:00:00-05:00",
    )
    c = record(
        store,
        pack,
        documents=[{"kind": "AO-442", "signer": "federal_judge", "verified": True}],
        requester="other_federal",
        purpose="criminal_unrelated",
        received_at="2026-03-05T09:00:00-05:00",
    )
    numbers = lambda q: [s.case_number for s in store.search(q)]  # noqa: E731
    assert numbers(CaseQuery()) == [c.case_number, b.case_number, a.case_number]  # newest first
    assert numbers(CaseQuery(text="burlington")) == [a.case_number]
    assert numbers(CaseQuery(text="nunez")) == [b.case_number]  # accents folded
    assert numbers(CaseQuery(text="B-77")) == [b.case_number]
    assert numbers(CaseQuery(text=a.case_number)) == [a.case_number]
    assert numbers(CaseQuery(text="Harlan")) == [a.case_number]  # the signer named on the I-247A
    assert numbers(CaseQuery(requester="ice_hsi")) == [b.case_number]
    assert numbers(CaseQuery(document_kind="AO-442")) == [c.case_number]
    assert numbers(CaseQuery(code="HONOR_JUDICIAL")) == [c.case_number]
    assert numbers(CaseQuery(referred=True)) == [b.case_number]
    assert numbers(CaseQuery(requester="other_federal", code="HONOR_JUDICIAL")) == [c.case_number]
    assert numbers(CaseQuery(requester="ice_ero", document_kind="I-200", code="NO_HOLD")) == [a.case_number]
    assert numbers(CaseQuery(requester="ice_hsi", code="HONOR_JUDICIAL")) == []
    assert numbers(CaseQuery(since=dt.date(2026, 2, 1))) == [c.case_number, b.case_number]
    assert numbers(CaseQuery(until=dt.date(2026, 2, 20))) == [b.case_number, a.case_number]
    assert numbers(CaseQuery(since=dt.date(2026, 2, 1), code="NO_HOLD")) == []
    assert numbers(CaseQuery(text='"unbalanced quote')) == []  # user text never breaks the query
    assert [s.case_number for s in store.search(CaseQuery(), limit=1, offset=1)] == [b.case_number]
    assert store.count(CaseQuery(text="doe")) == 2


def test_attachments_are_checked_by_content(store, pack, tmp_path: Path) -> None:
    saved = record(store, pack)
    scan = tmp_path / "fax.pdf"
    Image.new("L", (64, 64), "white").save(scan)  # a real PDF: scans are parsed whole
    attached = store.add_attachment(saved.case_number, scan, actor=OFFICER)
    assert attached.sha256 == hashlib.sha256(scan.read_bytes()).hexdigest()
    assert store.attachment_content(attached.id) == scan.read_bytes()
    assert store.get(saved.case_number).attachments == (attached,)
    liar = tmp_path / "liar.pdf"
    liar.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 10)
    with pytest.raises(InvalidInput, match="claims to be .pdf"):
        store.add_attachment(saved.case_number, liar, actor=OFFICER)
    script = tmp_path / "notes.pdf"
    script.write_text("MZ not a scan")
    with pytest.raises(InvalidInput, match="not a PDF, PNG, JPEG or TIFF"):
        store.add_attachment(saved.case_number, script, actor=OFFICER)
    huge = tmp_path / "huge.tif"
    with open(huge, "wb") as handle:
        handle.write(b"II*\x00")
        handle.truncate(26 * 1024 * 1024)
    with pytest.raises(InvalidInput, match="at most 25 MB"):
        store.add_attachment(saved.case_number, huge, actor=OFFICER)
    assert len(store.get(saved.case_number).attachments) == 1
    assert store.verify().ok


# --- tampering ---------------------------------------------------------------------------------


def tamper(path: Path, *statements: str) -> None:
    """Edit the file the way an intruder with the file would: drop the triggers, then change rows."""
    raw = sqlite3.connect(path)
    for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_no_%'"):
        raw.execute(f"DROP TRIGGER {name}")
    for statement in statements:
        raw.execute(statement)
    raw.commit()
    raw.close()


@pytest.fixture
def three_cases(tmp_path: Path, pack):
    data = tmp_path / "data"
    with open_store(data) as opened:
        cases = [record(opened, pack, subject={"custody": "in_city_custody", "name": f"P{i}"}) for i in range(3)]
    return data, cases


def verify_problems(data: Path) -> list[str]:
    with open_store(data) as opened:
        return list(opened.verify().problems)


def test_dropped_triggers_are_reported(three_cases) -> None:
    data, _ = three_cases
    tamper(data / "cases.db")
    assert any("append-only protection removed" in p for p in verify_problems(data))


def test_an_edited_decision_is_caught(three_cases) -> None:
    data, cases = three_cases
    target = cases[1].case_number
    tamper(
        data / "cases.db",
        f"UPDATE case_versions SET decision_json = replace(decision_json, 'NO_HOLD', 'HONOR_JUDICIAL') "
        f"WHERE case_number = '{target}'",
    )
    problems = verify_problems(data)
    assert any(f"case {target} version 1 was altered" in p for p in problems)


def test_a_deleted_middle_entry_is_caught(three_cases) -> None:
    data, _ = three_cases
    tamper(data / "cases.db", "DELETE FROM audit_log WHERE seq = 2")
    problems = verify_problems(data)
    assert any("audit entry 2 is missing" in p for p in problems)
    assert any("no entry in the audit chain" in p for p in problems)


def test_reordered_entries_are_caught(three_cases) -> None:
    data, _ = three_cases
    tamper(
        data / "cases.db",
        "UPDATE audit_log SET seq = 99 WHERE seq = 1",
        "UPDATE audit_log SET seq = 1 WHERE seq = 2",
        "UPDATE audit_log SET seq = 2 WHERE seq = 99",
    )
    assert any("does not follow the entry before it" in p for p in verify_problems(data))


def test_an_untouched_log_verifies(three_cases) -> None:
    data, _ = three_cases
    assert verify_problems(data) == []


# --- processes -----------------------------------------------------------------------------------


def writer(data: Path, count: int, tag: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.unit.store.writer", str(data), str(count), tag],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_writer_processes_keep_numbers_gapless(tmp_path: Path) -> None:
    data = tmp_path / "data"
    open_store(data).close()
    procs = [writer(data, 25, "A"), writer(data, 25, "B")]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outputs]
    numbers = sorted(line for out, _ in outputs for line in out.split())
    seqs = [int(n.split("-")[1]) for n in numbers]
    assert seqs == list(range(1, 51))
    with open_store(data) as opened:
        assert opened.total_cases() == 50 and opened.verify().ok


@pytest.mark.kill
def test_a_writer_killed_mid_save_loses_no_confirmed_case(tmp_path: Path) -> None:
    data = tmp_path / "data"
    open_store(data).close()
    proc = writer(data, 10_000, "K")
    confirmed = []
    assert proc.stdout is not None
    while len(confirmed) < 40:
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.stderr else ""
        confirmed.append(line.strip())
    proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
    proc.wait(timeout=30)
    with open_store(data) as opened:
        assert opened.integrity_ok()
        report = opened.verify()
        assert report.ok, report.problems
        for number in confirmed:
            assert opened.get(number).current.officer.startswith("WRITER K")
        seqs = sorted(int(n.split("-")[1]) for n in opened.case_numbers())
        assert seqs == list(range(1, len(seqs) + 1))


# --- files: backup, restore, damage, versions ----------------------------------------------------


def test_backup_and_restore_round_trip(tmp_path: Path, pack) -> None:
    data = tmp_path / "data"
    with open_store(data) as opened:
        kept_case = record(opened, pack)
        result = backup_to(opened, tmp_path / "copy.db", actor=OFFICER)
        assert result.report.ok and result.report.records_checked == 1
        later = record(opened, pack)  # made after the backup, so not in it
        with pytest.raises(StoreError, match="already exists"):
            backup_to(opened, tmp_path / "copy.db", actor=OFFICER)
    result = restore_from(data, tmp_path / "copy.db", actor=OFFICER)
    kept = result.kept
    assert result.report.ok and kept is not None and kept.exists()
    assert result.cases_only_in_replaced == 1
    with open_store(data) as opened:
        assert opened.get(kept_case.case_number).current == kept_case
        with pytest.raises(CaseNotFound):
            opened.get(later.case_number)
        kinds = [r[0] for r in opened._conn.execute("SELECT kind FROM audit_log ORDER BY seq")]
        assert kinds == ["recorded", "backup", "restore"]
        # The number the replaced log gave `later` (and printed on its memo) is not handed out again.
        assert record(opened, pack).case_number > later.case_number
    # The replaced log still holds the case recorded after the backup.
    raw = sqlite3.connect(kept)
    assert raw.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 2
    raw.close()


def test_restore_is_refused_while_the_log_is_open(tmp_path: Path, pack) -> None:
    data = tmp_path / "data"
    with open_store(data) as opened:
        record(opened, pack)
        backup_to(opened, tmp_path / "copy.db", actor=OFFICER)
        with pytest.raises(LogLocked, match="close it everywhere"):
            restore_from(data, tmp_path / "copy.db", actor=OFFICER)
        assert record(opened, pack).version == 1  # the open log still works, untouched
    assert not list((data / "replaced").glob("*.db"))
    assert restore_from(data, tmp_path / "copy.db", actor=OFFICER).report.ok


def test_restore_refuses_a_foreign_file_and_keeps_the_log(tmp_path: Path, pack) -> None:
    data = tmp_path / "data"
    with open_store(data) as opened:
        saved = record(opened, pack)
    before = (data / "cases.db").read_bytes()
    other = tmp_path / "other.db"
    raw = sqlite3.connect(other)
    raw.execute("CREATE TABLE t (x)")
    raw.commit()
    raw.close()
    text = tmp_path / "notes.db"
    text.write_text("hello")
    for foreign, words in ((other, "not a Safe Communities Desk case log"), (text, "not a SQLite database")):
        with pytest.raises(LogDamaged, match=words):
            restore_from(data, foreign, actor=OFFICER)
    assert not (data / "replaced").exists()
    with open_store(data) as opened:
        assert opened.get(saved.case_number).current == saved
    assert len((data / "cases.db").read_bytes()) == len(before)


def test_a_log_from_a_newer_version_is_refused_untouched(tmp_path: Path, pack) -> None:
    data = tmp_path / "data"
    with open_store(data) as opened:
        record(opened, pack)
        opened._conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('safedesk', 'm999_future', 'x')"
        )
        opened._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    digest = hashlib.sha256((data / "cases.db").read_bytes()).hexdigest()
    with pytest.raises(NewerLog, match="newer version"):
        open_store(data)
    assert hashlib.sha256((data / "cases.db").read_bytes()).hexdigest() == digest


def test_migrating_an_older_log_keeps_every_record(tmp_path: Path, pack) -> None:
    data = tmp_path / "data"
    with open_store(data) as opened:
        saved = [record(opened, pack, subject={"custody": "in_city_custody", "name": f"OLD {i}"}) for i in range(5)]
    # Take the file back to the first schema: what an install of the first release left behind.
    downgrade_to_first_schema(data / "cases.db")
    with open_store(data) as opened:
        assert any("backed up" in n for n in opened.notices) and any("upgraded" in n for n in opened.notices)
        assert [s.case_number for s in opened.search(CaseQuery(text="old"))] == [s.case_number for s in saved[::-1]]
        for case in saved:
            assert opened.get(case.case_number).current == case
        assert opened.verify().ok
        assert [m.name for m in migrations.applied(opened.db)] == known_migrations()
    assert list((data / "backups").glob("cases-before-m002_search_index-*.db"))


def test_a_damaged_file_gives_a_clear_message(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "cases.db").write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(LogDamaged, match="damaged"):
        open_store(data)
    assert (data / "cases.db").read_bytes().startswith(b"this is not")


def test_a_foreign_database_in_the_folder_is_left_alone(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    raw = sqlite3.connect(data / "cases.db")
    raw.execute("CREATE TABLE payroll (x)")
    raw.commit()
    raw.close()
    with pytest.raises(LogDamaged, match="not a Safe Communities Desk case log"):
        open_store(data)


def test_a_full_disk_writes_nothing(tmp_path: Path, pack) -> None:
    with open_store(tmp_path / "data") as opened:
        record(opened, pack)
        pages = opened._conn.execute("PRAGMA page_count").fetchone()[0]
        opened._conn.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow: as if the disk were full
        with pytest.raises(StoreError, match="full"):
            record(opened, pack, notes="n" * 200_000)
        opened._conn.execute("PRAGMA max_page_count = 1073741823")
        assert opened.total_cases() == 1 and opened.verify().ok


def test_the_data_folder_cannot_be_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(StoreError, match="cannot be created"):
        open_store(blocker)


def test_missing_log_is_reported_when_not_creating(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no case log"):
        open_store(tmp_path / "empty", create=False)


def test_show_json_round_trips(store, pack) -> None:
    saved = record(store, pack)
    shown = store.get(saved.case_number).current.decision.to_dict()
    assert json.loads(json.dumps(shown)) == saved.decision.to_dict()


def test_a_read_only_log_says_so_and_writes_nothing(store, pack) -> None:
    saved = record(store, pack)
    # As root the file system lets every write through, so SQLite's own read-only switch stands in.
    store._conn.execute("PRAGMA query_only = ON")
    with pytest.raises(StoreError, match="read-only"):
        record(store, pack)
    assert store.verify(actor=OFFICER).ok  # verifying still works; the run just cannot be logged
    store._conn.execute("PRAGMA query_only = OFF")
    assert store.total_cases() == 1 and store.get(saved.case_number).events[-1].kind == "recorded"


def test_an_altered_attachment_or_pack_is_caught(tmp_path: Path, pack) -> None:
    data = tmp_path / "data"
    scan = tmp_path / "fax.png"
    Image.new("L", (16, 16), "white").save(scan)  # a real picture: scans are decoded whole
    with open_store(data) as opened:
        saved = record(opened, pack)
        opened.add_attachment(saved.case_number, scan, actor=OFFICER)
        assert opened.verify().ok
    tamper(data / "cases.db", "UPDATE attachments SET content = X'89504E470D0A1A0A00'")
    assert any("attachment 1 (fax.png) was altered" in p for p in verify_problems(data))
    tamper(data / "cases.db", "UPDATE policy_packs SET content = CAST('[pack]' AS BLOB)")
    assert any("policy pack kept as" in p and "was altered" in p for p in verify_problems(data))


def test_a_deleted_case_is_caught_and_its_number_never_reused(three_cases, pack) -> None:
    data, cases = three_cases
    last = cases[-1].case_number
    tamper(
        data / "cases.db",
        f"DELETE FROM case_versions WHERE case_number = '{last}'",
        f"DELETE FROM case_index WHERE case_number = '{last}'",
        f"DELETE FROM cases WHERE case_number = '{last}'",
    )
    assert any(f"records case {last} version 1, which is missing" in p for p in verify_problems(data))
    with open_store(data) as opened:
        assert record(opened, pack).case_number != last


def test_an_attachment_moved_to_another_case_is_caught(tmp_path: Path, pack) -> None:
    data = tmp_path / "data"
    scan = tmp_path / "fax.png"
    Image.new("L", (16, 16), "white").save(scan)  # a real picture: scans are decoded whole
    with open_store(data) as opened:
        first, second = record(opened, pack), record(opened, pack)
        opened.add_attachment(first.case_number, scan, actor=OFFICER)
    tamper(data / "cases.db", f"UPDATE attachments SET case_number = '{second.case_number}'")
    problems = verify_problems(data)
    assert any("has no entry of its own" in p for p in problems)
    assert any(f"attached fax.png to case {first.case_number}, which is missing" in p for p in problems)


def test_missing_packs_are_caught(three_cases) -> None:
    data, _ = three_cases
    tamper(data / "cases.db", "PRAGMA foreign_keys = OFF", "DELETE FROM policy_packs")
    assert any("that decisions rest on is missing" in p for p in verify_problems(data))


def test_a_tampered_search_index_is_caught_and_can_be_rebuilt(three_cases) -> None:
    data, cases = three_cases
    raw = sqlite3.connect(data / "cases.db")  # the index has no triggers: it is derived, not the record
    raw.execute(f"UPDATE case_index SET codes = 'HONOR_JUDICIAL' WHERE case_number = '{cases[0].case_number}'")
    raw.commit()
    raw.close()
    problems = verify_problems(data)  # the counts agree, so only verify's row-by-row comparison sees it
    assert any(f"does not match case {cases[0].case_number}" in p for p in problems)
    with open_store(data) as opened:
        assert opened.rebuild_index() == 3
        assert opened.verify().ok
        assert opened.search(CaseQuery(code="HONOR_JUDICIAL")) == []


def test_a_case_deleted_from_the_index_is_put_back_at_the_next_open(three_cases) -> None:
    data, cases = three_cases
    raw = sqlite3.connect(data / "cases.db")
    raw.execute(f"DELETE FROM case_index WHERE case_number = '{cases[1].case_number}'")
    raw.commit()
    raw.close()
    with open_store(data) as opened:
        assert any("Search index rebuilt from the log (3 cases): 2 of 3 cases are indexed" in n for n in opened.notices)
        assert opened.count() == 3 and opened.verify().ok
        assert [s.case_number for s in opened.search(CaseQuery(text=cases[1].case_number))] == [cases[1].case_number]


def test_date_filters_use_the_day_as_the_desk_received_it(store, pack) -> None:
    late = record(store, pack, received_at="2026-01-13T22:18:00-05:00")  # 03:18 UTC on the 14th
    assert [s.case_number for s in store.search(CaseQuery(until=dt.date(2026, 1, 13)))] == [late.case_number]
    assert store.search(CaseQuery(since=dt.date(2026, 1, 14))) == []


@pytest.mark.parametrize(
    ("sql", "params"),
    [
        ("DELETE FROM case_facets WHERE case_id = ?", [1]),
        (
            "SELECT case_number FROM audit_log WHERE case_number >= ? AND case_number < ? AND kind = ?"
            " ORDER BY case_number DESC LIMIT 1",
            ["2026-", "2026-~", "recorded"],
        ),
        ("SELECT seq FROM audit_log WHERE entry_hash = ?", ["0" * 64]),
        ("SELECT ci.* FROM case_index ci WHERE ci.received_day >= ? ORDER BY ci.id DESC LIMIT 50", ["2026-01-01"]),
    ],
)
def test_queries_on_the_recording_path_use_an_index(store, sql: str, params: list[object]) -> None:
    # A full scan here is quadratic over a log's life: a million cases took hours instead of minutes.
    plan = " ".join(str(row[3]) for row in store._conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
    assert "SCAN case_facets" not in plan and "SCAN audit_log" not in plan, plan
    assert "INDEX" in plan or "PRIMARY KEY" in plan or "SCAN ci" in plan, plan


def test_the_same_scan_attached_twice_verifies(store, pack, tmp_path: Path) -> None:
    saved = record(store, pack)
    scan = tmp_path / "fax.pdf"
    Image.new("L", (64, 64), "white").save(scan)  # a real PDF: scans are parsed whole
    store.add_attachment(saved.case_number, scan, actor=OFFICER)
    store.add_attachment(saved.case_number, scan, actor=OFFICER)
    assert store.verify().ok
