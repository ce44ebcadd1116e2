"""A key ends where an admin's signed entry ends it: a password reset replaces it for good, a disable stops it
while the account is disabled. A session opened before still holds the old key in memory: the desk refuses
what it would sign, and `verify` refuses whatever an insider signs with it anyway, naming the entry that
ended the key."""

from __future__ import annotations

import pytest

from desktop.store.errors import NotSignedIn
from tests.unit.cli_run import S01
from tests.unit.desk.people import PASSWORDS, SAME_BOOKING


def _bypass_the_desk(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the insider does with the source: take out the writer's own refusal (verify is what must hold)."""
    monkeypatch.setattr("desktop.store.chain.check_standing", lambda *_args: None, raising=False)


def test_a_disabled_accounts_key_signs_nothing_verify_accepts(staff, monkeypatch: pytest.MonkeyPatch) -> None:
    desk = staff.desk
    case = desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING).case_number
    desk.people.change_user(staff.admin, "ofc.smith", disabled=True)
    disabled_at = desk._store.audit_entries(kind="account", limit=1)[0].seq
    _bypass_the_desk(monkeypatch)
    desk.cases.amend(staff.officer, case, desk.decide(S01), reason="after the disable")
    check = desk.log.verify(staff.admin)
    assert not check.ok
    assert any(
        f"while the account ofc.smith was disabled (entry {disabled_at})" in p and "(amended" in p
        for p in check.problems
    ), check.problems


def test_the_old_key_after_a_password_reset_signs_nothing_verify_accepts(staff, monkeypatch) -> None:
    desk = staff.desk
    case = desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING).case_number
    desk.people.change_user(staff.admin, "ofc.smith", new_password="reset-by-admin-42")
    reset_at = desk._store.audit_entries(kind="account", limit=1)[0].seq
    _bypass_the_desk(monkeypatch)
    desk.cases.amend(staff.officer, case, desk.decide(S01), reason="with the old key")
    check = desk.log.verify(staff.admin)
    assert not check.ok
    assert any(f"which a password reset replaced at entry {reset_at}" in p for p in check.problems), check.problems


def test_the_desk_refuses_a_session_whose_key_ended(staff) -> None:
    desk = staff.desk
    case = desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING).case_number
    desk.people.change_user(staff.admin, "ofc.smith", disabled=True)
    with pytest.raises(NotSignedIn, match="ofc.smith is disabled"):  # the session opened before: one line
        desk.cases.amend(staff.officer, case, desk.decide(S01), reason="after the disable")
    desk.people.change_user(staff.admin, "ofc.chen", new_password="reset-by-admin-42")
    with pytest.raises(NotSignedIn, match="signing key was replaced"):
        desk.cases.record(staff.other_officer, desk.decide(S01), confirmed=SAME_BOOKING)
    with pytest.raises(NotSignedIn, match="disabled"):  # its sign-out cannot be signed: the session ends anyway
        desk.people.sign_out(staff.officer)
    with pytest.raises(NotSignedIn, match="ended"):
        desk.cases.count(staff.officer)
    assert desk.log.verify(staff.admin).ok


def test_an_enabled_again_account_signs_again_and_the_new_key_after_a_reset_signs(staff) -> None:
    desk = staff.desk
    desk.people.change_user(staff.admin, "ofc.chen", disabled=True)
    desk.people.change_user(staff.admin, "ofc.chen", disabled=False)
    chen = desk.people.sign_in("ofc.chen", PASSWORDS["ofc.chen"])
    desk.cases.record(chen, desk.decide(S01), confirmed=SAME_BOOKING)
    desk.people.change_user(staff.admin, "ofc.smith", new_password="reset-by-admin-42")
    smith = desk.people.sign_in("ofc.smith", "reset-by-admin-42")
    desk.cases.record(smith, desk.decide(S01), confirmed=SAME_BOOKING)
    check = desk.log.verify(staff.admin)
    assert check.ok, check.problems


def test_a_certificate_covers_its_keys_kind_and_owner(staff) -> None:
    from desktop.store.accounts import Certificate

    rows = staff.desk._store._conn.execute("SELECT * FROM key_certificates ORDER BY id").fetchall()
    for row in rows:
        fields = Certificate.from_row(row).fields("")
        assert {"owner", "kind", "entry"} <= set(fields)
    kinds = {row["kind"] for row in rows}
    assert kinds == {"account", "desk"}
