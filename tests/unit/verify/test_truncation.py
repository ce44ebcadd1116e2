"""Truncation. Whatever comes after the newest receipt kept away from the PC can be cut and written again (a case
number already on paper given out twice): no check inside the file can see it. So a backup's receipt also goes
outside the data folder, `verify` checks every receipt of the log it finds there, and it says how old the newest
checked receipt is and how much after it no outside witness holds yet."""

from __future__ import annotations

from pathlib import Path

from tests.unit.cli_run import S01
from tests.unit.desk.people import SAME_BOOKING
from tests.unit.verify.insider import raw


def _cut_from(conn, seq: int) -> None:
    """Everything from entry `seq` on, gone, and the cases only those entries recorded (what the code computes)."""
    conn.execute("DELETE FROM audit_log WHERE seq >= ?", [seq])
    chained = "SELECT record_hash FROM audit_log WHERE record_hash IS NOT NULL"
    conn.execute(f"DELETE FROM case_versions WHERE record_hash NOT IN ({chained})")
    conn.execute("DELETE FROM cases WHERE case_number NOT IN (SELECT case_number FROM case_versions)")
    gone = "SELECT id FROM case_index WHERE case_number NOT IN (SELECT case_number FROM cases)"
    conn.execute(f"DELETE FROM case_facets WHERE case_id IN ({gone})")
    conn.execute("DELETE FROM case_index WHERE case_number NOT IN (SELECT case_number FROM cases)")


def test_a_backup_inside_the_data_folder_keeps_its_receipt_outside_too(staff, outside: Path) -> None:
    desk = staff.desk
    desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    (desk.data_dir / "backups").mkdir(exist_ok=True)
    result = desk.copies.backup(staff.supervisor, desk.data_dir / "backups" / "nightly.db")
    beside = result.path.with_name(result.path.name + ".receipt.json")
    kept = outside / "receipts" / beside.name
    assert beside.is_file() and kept.read_bytes() == beside.read_bytes()


def test_cutting_below_a_receipt_kept_outside_fails_plain_verify(staff, outside: Path) -> None:
    desk = staff.desk
    desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    (desk.data_dir / "backups").mkdir(exist_ok=True)
    desk.copies.backup(staff.supervisor, desk.data_dir / "backups" / "nightly.db")
    printed = desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING).case_number  # on paper
    cut = desk._store._conn.execute("SELECT MIN(seq) FROM audit_log WHERE kind = 'backup'").fetchone()[0]
    desk.close()
    with raw(desk.log_file) as conn:  # the backup, its receipt inside the folder and all after: gone
        _cut_from(conn, cut)
    for path in desk.data_dir.glob("backups/nightly.db*"):
        path.unlink()
    again = desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING).case_number
    assert again == printed  # the number on paper, given out again
    check = desk.log.verify(staff.admin)
    assert not check.ok
    assert any("kept outside the data folder, fails" in p and "the log" in p for p in check.problems), check.problems


def test_verify_says_how_old_the_newest_checked_receipt_is_and_what_it_does_not_cover(staff, tmp_path: Path) -> None:
    desk, clock = staff.desk, staff.clock
    before = desk.log.verify(staff.admin)
    assert any("no receipt of this log has been checked" in n for n in before.notes), before.notes
    receipt = desk.log.write_receipt(staff.officer, tmp_path / "kept-by-it.json")
    assert desk.log.verify_receipt(staff.supervisor, receipt).ok  # the check itself is recorded, signed
    named = desk.log.verify_receipt(staff.supervisor, receipt).entries
    for _ in range(2):
        desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    clock.advance(days=3)
    check = desk.log.verify(staff.admin)
    assert check.ok, check.problems
    after = desk._store.chain_position(desk._store.chain_head()) - 1 - named  # verify's own entry came after
    said = next(n for n in check.notes if n.startswith("the newest receipt checked"))
    assert f"names entry {named}" in said and "(3 days ago, checked by SGT. K. JONES #77)" in said, said
    assert f"the {after} entries after it (2 cases recorded or amended) are witnessed by nothing outside" in said
    assert "a receipt proves the log held everything up to its entry, and nothing after" in said


def test_a_made_up_record_of_a_checked_receipt_is_named(staff) -> None:
    # An officer signs, with their own key, a record of a receipt check that names a head the log never held
    # at that entry (to make verify call the whole log witnessed): verify says the record is false.
    from desktop.records import EventKind
    from desktop.store.hashing import canonical

    desk = staff.desk
    seen = {"entries": 3, "chain_head": "f" * 64, "at": "2026-03-02T15:00:00+00:00", "signed_by": "J. SMITH #1234"}
    desk._store.log_event(
        None, EventKind.VERIFY, staff.officer.actor, "receipt checked", state=canonical({"receipt": seen})
    )
    check = desk.log.verify(staff.admin)
    assert not check.ok
    assert any("records a receipt of entry 3 as checked, but the log does not hold" in p for p in check.problems)
