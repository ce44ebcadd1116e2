"""Strip every signature and recompute every hash: the log then looks as if it came from before accounts.

The first admin's own certificate says after which entry every entry is signed (genesis for a new desk,
the upgrade's entry for an upgraded log), and an unsigned entry of a kind that only exists since accounts
is refused anywhere; so the strip fails `verify`, whatever else the insider recomputes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from desktop.desk import Desk
from desktop.records import Actor
from desktop.store import open_store
from tests.conftest import Clock, downgrade_to_first_schema
from tests.unit.cli_run import S01
from tests.unit.desk.people import PASSWORDS, SAME_BOOKING
from tests.unit.verify.insider import raw, rechain, strip_signatures


def test_stripping_every_signature_fails_verify(staff) -> None:
    desk = staff.desk
    case = desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING).case_number
    desk.cases.amend(staff.supervisor, case, desk.decide(S01), reason="booking number checked")
    before = desk.log.verify(staff.admin)
    assert before.ok, before.problems
    desk.close()
    with raw(desk.log_file) as conn:
        strip_signatures(conn)
    check = desk.log.verify(staff.admin)
    assert not check.ok
    assert check.admin_fingerprint == before.admin_fingerprint  # the same root is printed: it is not what catches it
    assert any("every entry after entry 0 is (a signature was stripped)" in p for p in check.problems), check.problems


def test_stripping_and_dropping_the_account_entries_still_fails(staff) -> None:
    # The insider also deletes the entries that only exist since accounts, renumbers and recomputes: what is
    # left is a chain of records and amendments with no signer, under the same certificates.
    desk = staff.desk
    desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    desk.close()
    with raw(desk.log_file) as conn:
        conn.execute("DELETE FROM audit_log WHERE kind NOT IN ('recorded', 'amended', 'memo', 'verify')")
        for number, (seq,) in enumerate(conn.execute("SELECT seq FROM audit_log ORDER BY seq").fetchall(), start=1):
            conn.execute("UPDATE audit_log SET seq = ? WHERE seq = ?", [number, seq])
        strip_signatures(conn)
    check = desk.log.verify(staff.admin)
    assert not check.ok
    assert any("a signature was stripped" in p for p in check.problems), check.problems


def _upgraded_desk(folder: Path, clock: Clock) -> tuple[Desk, object]:
    """A log from before accounts (unsigned records, the first schema), upgraded, then set up with an admin."""
    decided = Desk(folder, clock=clock).decide(S01)
    with open_store(folder, now=clock()) as old:  # as the store wrote it then: unsigned records
        for _ in range(2):
            old.record(decided.intake, decided.decision, decided.pack, officer=Actor.parse("J. SMITH #1234"))
    downgrade_to_first_schema(folder / "cases.db")
    clock.advance(minutes=1)
    desk = Desk(folder, clock=clock)
    admin = desk.people.setup(username="admin", name="A. ADMIN", badge="900", password=PASSWORDS["admin"])
    desk.people.add_user(
        admin,
        username="ofc.smith",
        name="J. SMITH",
        badge="1234",
        roles=frozenset({"officer"}),
        password=PASSWORDS["ofc.smith"],
    )
    officer = desk.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"])
    desk.cases.record(officer, desk.decide(S01), confirmed=SAME_BOOKING)
    return desk, admin


def test_an_upgraded_log_signs_from_its_upgrade_and_a_strip_fails(tmp_path: Path) -> None:
    clock = Clock(dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC))
    desk, admin = _upgraded_desk(tmp_path / "data", clock)
    check = desk.log.verify(admin)
    assert check.ok, check.problems
    migrated = next(e for e in desk._store.audit_entries(kind="migrated"))  # where signing began
    desk.close()
    with raw(desk.log_file) as conn:
        conn.execute("UPDATE audit_log SET detail = 'memo printed' WHERE seq = 1")  # a record from before accounts
        strip_signatures(conn)
    check = desk.log.verify(admin)
    assert not check.ok
    assert any("the log up to it was rewritten" in p for p in check.problems), check.problems
    assert any(f"every entry after entry {migrated.seq} is" in p for p in check.problems), check.problems


def test_rewriting_an_unsigned_record_before_the_upgrade_fails(tmp_path: Path) -> None:
    # Only the entries before signing began carry no signature; rewriting one and recomputing every hash
    # (re-signing nothing: the insider holds no key) changes the head the first admin signed. (The broken
    # signatures after it caught this before too; the first admin's certificate now names the place.)
    clock = Clock(dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC))
    desk, admin = _upgraded_desk(tmp_path / "data", clock)
    desk.close()
    with raw(desk.log_file) as conn:
        conn.execute("UPDATE audit_log SET actor = 'L. CHEN #1203' WHERE seq = 1")
        rechain(conn)
    check = desk.log.verify(admin)
    assert any("the log up to it was rewritten" in p for p in check.problems), check.problems
