"""A log set up before certificates named their entry and entries signed what they set (schema m007/m008) is
upgraded as it is: `verify` stays OK and says which accounts no signed entry vouches for yet; the first admin's
next sign-in signs where signing began and each account's standing as found, and from then on an edited row is
caught as in a log set up since. In a log set up since, no sign-in signs a row put there behind its back."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.desk import Desk
from desktop.desk.accounts import SignInError
from desktop.signing import certificate_message
from desktop.store.accounts import certificate_fields
from tests.unit.cli_run import S01
from tests.unit.desk.people import PASSWORDS, SAME_BOOKING, Staff
from tests.unit.verify.insider import raw, rechain


def _as_before_signed_standings(staff: Staff) -> None:
    """The staffed log as the program before this schema wrote it: early certificates (re-signed by the first
    admin, who made them all), no state on any entry, every entry signed again by its own key, no m009."""
    desk = staff.desk
    signers = {s.signer.key_id: s.signer for s in (staff.admin, staff.supervisor, staff.officer, staff.other_officer)}
    signers[desk._store.desk_signer.key_id] = desk._store.desk_signer
    desk.close()
    with raw(desk.log_file) as conn:
        for row in conn.execute("SELECT * FROM key_certificates").fetchall():
            public = conn.execute("SELECT public_key FROM signing_keys WHERE key_id = ?", [row["key_id"]]).fetchone()[0]
            fields = certificate_fields(
                row["key_id"], row["label"], row["roles"], row["certified_by"], row["at"], public
            )
            signature = signers[row["certified_by"]].sign(certificate_message(fields)).hex()
            conn.execute("UPDATE key_certificates SET signature = ? WHERE id = ?", [signature, row["id"]])
        conn.execute("UPDATE audit_log SET state = NULL")
        rechain(conn, signers)
        conn.execute("DROP INDEX audit_log_states")
        conn.execute("ALTER TABLE audit_log DROP COLUMN state")
        for column in ("owner", "kind", "entry", "signing_from", "signing_from_head"):
            conn.execute(f"ALTER TABLE key_certificates DROP COLUMN {column}")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm009_signed_state'")


def test_an_older_log_upgrades_and_its_first_admin_signs_what_it_lacked(staff) -> None:
    desk = staff.desk
    desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    desk.people.set_idle_limit(staff.admin, 10)
    _as_before_signed_standings(staff)
    clock = staff.clock
    clock.advance(minutes=1)
    upgraded = Desk(desk.data_dir, clock=clock)
    try:
        officer = upgraded.people.sign_in("ofc.smith", PASSWORDS["ofc.smith"])
        first = upgraded.log.verify(officer)
        assert first.ok, first.problems
        assert any("account ofc.chen was made before account standings were signed" in n for n in first.notes)
        admin = upgraded.people.sign_in("admin", PASSWORDS["admin"])  # the first admin signs what was unsigned
        after = upgraded.log.verify(admin)
        assert after.ok, after.problems
        assert not any("before account standings were signed" in n for n in after.notes), after.notes
        assert any(n.startswith("every entry after entry 0 is signed") for n in after.notes), after.notes
        upgraded.people.change_user(admin, "ofc.chen", disabled=True)
    finally:
        upgraded.close()
    with raw(desk.log_file) as conn:
        conn.execute("UPDATE accounts SET disabled = 0 WHERE username = 'ofc.chen'")
    again = Desk(desk.data_dir, clock=clock)
    try:
        admin = again.people.sign_in("admin", PASSWORDS["admin"])
        check = again.log.verify(admin)
        assert any("account ofc.chen: its row says disabled no" in p for p in check.problems), check.problems
        with pytest.raises(SignInError, match="changed outside the desk"):
            again.people.sign_in("ofc.chen", PASSWORDS["ofc.chen"])
    finally:
        again.close()


def test_a_row_added_to_a_log_set_up_since_is_never_signed_as_found(staff, tmp_path: Path) -> None:
    desk = staff.desk
    desk.close()
    with raw(desk.log_file) as conn:  # the insider's own account: a copy of ofc.smith's row under a new name
        row = dict(conn.execute("SELECT * FROM accounts WHERE username = 'ofc.smith'").fetchone())
        row.update(username="ofc.ghost", badge="6666")
        conn.execute(
            f"INSERT INTO accounts ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values())
        )
        conn.execute("INSERT INTO meta (key, value) VALUES ('idle_lock_minutes', '30')")
    desk.people.sign_in("admin", PASSWORDS["admin"])
    check = desk.log.verify(staff.admin)
    assert any("account ofc.ghost has no signed entry that made it" in p for p in check.problems), check.problems
    assert any("idle_lock_minutes is 30, but no admin's signed entry set it" in p for p in check.problems)
