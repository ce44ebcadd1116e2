"""An admin who changes their own roles certifies their own key again: the same root, not a second one. verify
stays OK, whoever the admin is, and a key that was never an admin's still cannot certify itself."""

from __future__ import annotations

from desktop.store.errors import AccountError
from tests.unit.cli_run import S01
from tests.unit.desk.people import PASSWORDS, SAME_BOOKING
from tests.unit.verify.insider import raw


def test_the_first_admin_changes_their_own_roles_and_verify_stays_ok(staff) -> None:
    desk = staff.desk
    fingerprint = desk.people.admin_fingerprint()
    desk.people.change_user(staff.admin, "admin", roles=frozenset({"admin", "supervisor"}))
    admin = desk.people.sign_in("admin", PASSWORDS["admin"])
    desk.cases.record(staff.officer, desk.decide(S01), confirmed=SAME_BOOKING)
    check = desk.log.verify(admin)
    assert check.ok, check.problems
    assert check.admin_fingerprint == fingerprint  # the same root


def test_another_admin_changes_their_own_roles_and_verify_stays_ok(staff) -> None:
    desk = staff.desk
    desk.people.add_user(
        staff.admin,
        username="it.admin",
        name="I. T. ADMIN",
        badge="901",
        roles=frozenset({"admin"}),
        password="second-admin-pass-9",
    )
    second = desk.people.sign_in("it.admin", "second-admin-pass-9")
    desk.people.change_user(second, "it.admin", roles=frozenset({"admin", "supervisor"}))
    check = desk.log.verify(staff.admin)
    assert check.ok, check.problems


def test_a_made_up_self_certificate_is_still_a_second_root(staff) -> None:
    # An officer's key certifying itself as an admin (the insider signs with a key they hold): refused.
    from desktop.signing import certificate_message
    from desktop.store.accounts import Certificate

    desk = staff.desk
    officer = staff.officer
    public = desk._store.public_key(officer.signer.key_id)
    signed = desk._store._conn.execute(  # bound to an entry the officer did sign, at its very time
        "SELECT seq, at FROM audit_log WHERE signer = ? ORDER BY seq LIMIT 1", [officer.signer.key_id]
    ).fetchone()
    entry = signed[0]
    cert = Certificate(
        officer.signer.key_id,
        "J. SMITH #1234",
        "admin,officer",
        officer.signer.key_id,
        signed[1],
        owner="ofc.smith",
        kind="account",
        entry=entry,
    )
    desk.close()
    with raw(desk.log_file) as conn:
        conn.execute(
            "INSERT INTO key_certificates (key_id, label, roles, certified_by, at, signature, owner, kind, entry)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                cert.key_id,
                cert.label,
                cert.roles,
                cert.certified_by,
                cert.at,
                officer.signer.sign(certificate_message(cert.fields(public.hex()))).hex(),
                "ofc.smith",
                "account",
                entry,
            ],
        )
    check = desk.log.verify(staff.admin)
    assert any("second self-certified admin key" in p for p in check.problems), check.problems


def test_an_officer_cannot_change_their_own_roles(staff) -> None:
    import pytest

    with pytest.raises(AccountError, match="admin role"):
        staff.desk.people.change_user(staff.officer, "ofc.smith", roles=frozenset({"admin"}))
