"""An incremental verify (issue 26). A person's full verify leaves a checkpoint in its own signed entry: the last
entry it checked, that entry's head, and a hash of every stored signature up to it. The next verify checks again
only the signatures after the newest checkpoint an outside witness holds (a receipt kept away from this PC), still
rehashing every entry and record. A checkpoint only the desk holds is no reason to skip anything."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.unit.cli_run import S01
from tests.unit.desk.people import SAME_BOOKING
from tests.unit.verify.insider import raw, rechain


def _busy_day(staff, cases: int = 3) -> None:
    for _ in range(cases):
        staff.desk.cases.record(staff.officer, staff.desk.decide(S01), confirmed=SAME_BOOKING)
        staff.clock.advance(minutes=1)


def _witnessed_checkpoint(staff, outside: Path) -> int:
    """A full verify (its checkpoint), then a receipt of the log kept outside: returns the checkpoint's `through`."""
    _busy_day(staff)
    full = staff.desk.log.verify(staff.admin)
    assert full.ok and full.checkpoint_through is None, full.problems
    (outside / "receipts").mkdir(exist_ok=True)
    staff.desk.log.write_receipt(staff.supervisor, outside / "receipts" / "kept.receipt.json")
    return full.entries_checked - 1  # the verify entry itself came after what it checked


def _entries(desk) -> int:
    return int(desk._store._conn.execute("SELECT max(seq) FROM audit_log").fetchone()[0])


def test_after_a_witnessed_checkpoint_only_the_newer_signatures_are_checked(staff, outside: Path) -> None:
    through = _witnessed_checkpoint(staff, outside)
    _busy_day(staff, 2)
    total = _entries(staff.desk)
    check = staff.desk.log.verify(staff.admin)
    assert check.ok, check.problems
    assert check.checkpoint_through == through
    assert 0 < check.signatures_checked <= total - through  # only those after the checkpoint
    assert check.entries_checked == total + 1  # every entry rehashed (and this verify's own)
    assert any(f"signatures up to entry {through} were checked by the full verify" in n for n in check.notes)
    full = staff.desk.log.verify(staff.admin, full=True)
    assert full.ok and full.checkpoint_through is None
    assert full.signatures_checked >= total


def test_a_checkpoint_only_the_desk_holds_is_no_reason_to_skip(staff) -> None:
    _busy_day(staff)
    assert staff.desk.log.verify(staff.admin).ok  # a checkpoint, but no receipt kept outside
    _busy_day(staff, 1)
    check = staff.desk.log.verify(staff.admin)
    assert check.ok and check.checkpoint_through is None
    assert check.signatures_checked >= _entries(staff.desk) - 2


def test_a_signature_changed_before_the_checkpoint_is_caught_without_checking_it(staff, outside: Path) -> None:
    """The entry hash does not cover the signature (the signature signs it): an insider can change one without
    touching the chain. The checkpoint's hash of every stored signature sees it; `verify --full` names it."""
    through = _witnessed_checkpoint(staff, outside)
    staff.desk.close()
    with raw(staff.desk.log_file) as conn:
        seq, signature = conn.execute(
            "SELECT seq, signature FROM audit_log WHERE signature IS NOT NULL AND seq <= ? ORDER BY seq DESC LIMIT 1",
            [through],
        ).fetchone()
        forged = ("0" if signature[0] != "0" else "1") + signature[1:]
        conn.execute("UPDATE audit_log SET signature = ? WHERE seq = ?", [forged, seq])
    check = staff.desk.log.verify(staff.admin)
    assert not check.ok
    assert any(f"a signature of an entry up to {through} was changed after it was checked" in p for p in check.problems)
    full = staff.desk.log.verify(staff.admin, full=True)
    assert any(f"audit entry {seq} has a broken signature" in p for p in full.problems), full.problems


def test_a_record_edited_before_the_checkpoint_is_still_caught(staff, outside: Path) -> None:
    """Rows are never skipped: only signature checks are, and only those a witnessed full verify made."""
    _witnessed_checkpoint(staff, outside)
    staff.desk.close()
    with raw(staff.desk.log_file) as conn:
        conn.execute("UPDATE case_versions SET officer = 'SOMEONE ELSE #1' WHERE case_number = '2026-000001'")
    check = staff.desk.log.verify(staff.admin)
    assert not check.ok and check.checkpoint_through is not None
    assert any("2026-000001" in p for p in check.problems), check.problems


def test_a_rewritten_checkpoint_is_no_checkpoint(staff, outside: Path) -> None:
    """The insider rewrites the checkpoint to vouch for a stripped signature and recomputes the chain: the
    receipt kept outside no longer matches, so nothing is skipped, and every signature is checked."""
    through = _witnessed_checkpoint(staff, outside)
    staff.desk.close()
    with raw(staff.desk.log_file) as conn:
        conn.execute(
            "UPDATE audit_log SET signature = NULL, signer = NULL WHERE seq = (SELECT max(seq) FROM audit_log "
            "WHERE seq <= ? AND signature IS NOT NULL)",
            [through],
        )
        rechain(conn)
    check = staff.desk.log.verify(staff.admin)
    assert not check.ok and check.checkpoint_through is None
    assert any("kept outside the data folder, fails" in p for p in check.problems), check.problems
    assert any("not signed" in p for p in check.problems), check.problems


def test_only_a_persons_verify_may_record_a_checkpoint(staff, outside: Path) -> None:
    """A checkpoint state on an entry that is not a person's verify is refused by the replay of signed entries."""
    _witnessed_checkpoint(staff, outside)
    staff.desk.close()
    conn = sqlite3.connect(staff.desk.log_file)
    try:
        kinds = {
            k
            for (k,) in conn.execute("SELECT kind FROM audit_log WHERE json_extract(state, '$.checkpoint') IS NOT NULL")
        }
    finally:
        conn.close()
    assert kinds == {"verify"}
    with raw(staff.desk.log_file) as conn:
        conn.execute(
            "UPDATE audit_log SET state = (SELECT state FROM audit_log WHERE kind = 'verify' AND state IS NOT NULL) "
            "WHERE seq = (SELECT max(seq) FROM audit_log WHERE kind = 'sign_in')"
        )
        rechain(conn)
    check = staff.desk.log.verify(staff.admin, full=True)
    assert any("records a verify checkpoint, which only a person's verify may" in p for p in check.problems)
